"""kmbook: the tested helper package of the k-means landscape book.

Modules follow the book, one idea each; a module imports only the ones listed
before it (foundations <- paper modules <- reports and plotting):

* foundations — :mod:`kmbook.models` (mixture models of Paper 1),
  :mod:`kmbook.objective` (the empirical objective), :mod:`kmbook.voronoi`
  (Voronoi sets and their shares), :mod:`kmbook.population` (the population
  objective and population Lloyd), :mod:`kmbook.critical_points`,
  :mod:`kmbook.lloyd` (Lloyd's algorithm on samples), :mod:`kmbook.seeding`,
  :mod:`kmbook.data` (bundled benchmark sets), :mod:`kmbook.sweep` (sweeps with
  progress, executors and checkpoints);
* Paper 1 — :mod:`kmbook.structure` (associations of Theorems 1-3),
  :mod:`kmbook.algorithms` (centroid index, coverage, pruning),
  :mod:`kmbook.tasks` (typed census tasks), :mod:`kmbook.census` (census sweeps),
  :mod:`kmbook.examples` (the paper's named configurations),
  :mod:`kmbook.planar_example` (Example 2 in the plane),
  :mod:`kmbook.example2_range` (how far Example 2's minimum survives), :mod:`kmbook.bounds`
  (Theorem 4, inequalities (17)-(19), decomposition (10)), :mod:`kmbook.bounds_planar`
  (inequality (19) in the plane), :mod:`kmbook.planar_gaussian` (planar Gaussian
  mixtures by one-dimensional quadrature: exact-to-rounding Hessians) and
  :mod:`kmbook.figure1_stationary` (the stored stationary points of Figure 1),
  :mod:`kmbook.likelihood` (Section II-B), :mod:`kmbook.theorem_conditions`
  (the theorems' hypotheses and constants as numbers), :mod:`kmbook.census_counts`
  and :mod:`kmbook.stored_sweeps` (the stored census and algorithms sweeps);
* Paper 2 — :mod:`kmbook.stochastic` (Algorithm 1 and repeated runs),
  :mod:`kmbook.rate` (the O(1/t) rate), :mod:`kmbook.clusterability`
  ((B1)-(B3)), :mod:`kmbook.basins` (Theorem 3's local basins),
  :mod:`kmbook.clusterable` (Algorithm 2's coverage, excursions),
  :mod:`kmbook.large_n` (the large-n efficiency experiment);
* Paper 3 — :mod:`kmbook.partitions` (partition matrices), :mod:`kmbook.oracles`
  (exact optima by enumeration), :mod:`kmbook.sdp` (Peng-Wei and Amini-Levina
  relaxations), :mod:`kmbook.certificates` (dual certificates),
  :mod:`kmbook.proximity` (proximity conditions), :mod:`kmbook.necessary` and
  :mod:`kmbook.necessary_trials` (Theorems 3.3 and 3.6), :mod:`kmbook.geometries`,
  :mod:`kmbook.recovery` (Section 5), :mod:`kmbook.random_models` (Section 4),
  :mod:`kmbook.phase_transitions` and :mod:`kmbook.phase_summary` (Section 5's
  random protocol and its summaries);
* reports — :mod:`kmbook.report` (tables, log-log fits), :mod:`kmbook.claims`
  (executable claims and their uncertainty),
  :mod:`kmbook.plotting` (figures), :mod:`kmbook.cli` (the sweep scripts'
  command-line options).

Private modules (``kmbook._*``) hold the shared building blocks: argument
checks, numba kernels, the exact and quasi-Monte Carlo population engines and
the cluster geometry.

Every public name of these modules is also an attribute of the package
(``kmbook.associate``, ``kmbook.peng_wei``, ...), imported on first use, so
``import kmbook`` stays fast and loads neither matplotlib nor cvxpy. The
exceptions are the functions named like their module, :func:`kmbook.lloyd.lloyd`
(``kmbook.lloyd`` is the function, as it always was),
:func:`kmbook.clusterability.clusterability` and
:func:`kmbook.necessary_trials.necessary_trials` (there the name is the module).
"""

import importlib

from .exceptions import ConvergenceWarning
from .lloyd import lloyd

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

#: Home module of every public name, in the order of the book.
_HOMES = {
    "models": ("SNR", "BallMixture", "GaussianMixture", "balanced_sample",),
    "objective": ("kmeans_cost", "kmeans_gradient", "directional_derivative", "centers_of_mass",),
    "voronoi": ("voronoi_labels", "voronoi_cells", "voronoi_shares",),
    "population": ("population_cost", "population_gradient", "population_hessian", "PopulationLloydResult",
        "population_lloyd",),
    "critical_points": ("CriticalPoint", "classify_critical_point",),
    "lloyd": ("LloydResult",),
    "seeding": ("uniform", "kmeans_pp", "buckshot",),
    "data": ("Dataset", "available", "load", "DATA_DIR",),
    "sweep": ("progress_enabled", "run_sweep", "SweepTaskError", "sweep_executor",),
    "exceptions": ("ConvergenceWarning",),
    "structure": ("KINDS", "Group", "Association", "associate", "figure1_setup",),
    "algorithms": ("centroid_index", "coverage_probability", "PruneResult", "prune",),
    "tasks": ("CensusTask", "BenchmarkTask",),
    "census": ("random_layout", "make_model", "split_offset", "census_task", "benchmark_task", "census_grid",
        "run_census", "summarize",),
    "examples": ("PaperExample", "proposition2", "example1", "example2", "figure1",),
    "planar_example": ("segment", "centres_given_boundary", "example2_minimum", "example2_range_end",
        "example2_hessian", "finite_difference_hessian", "example2_proof_quantities", "on_axis_cost",),
    "example2_range": ("example2_residual", "example2_root_scan", "example2_no_root_certificate"),
    "bounds": ("Boundary", "boundaries_1d", "inequality18_1d", "theorem4_report", "decomposition_1d",
        "global_minimum_1d", "facets_2d",),
    "census_clusters": ("task_counts", "cluster_bootstrap", "unanimous_task_bound",
        "cluster_bootstrap_slope", "SignTest", "sign_test", "mcnemar"),
    "bounds_planar": ("inequality19_planar", "switching_coefficient", "planar_ball_cost", "second_order_form",
        "halfplane_lemmas"),
    "planar_gaussian": ("ORDER", "PlanarMoments", "planar_moments", "planar_cost", "planar_gradient",
        "planar_hessian", "PlanarStationaryPoint", "planar_stationary_point",),
    "figure1_stationary": ("FIGURE1_STATIONARY_PATH", "SAMPLE_SEED", "figure1_stationary_tasks",
        "figure1_stationary_point", "load_figure1_stationary",),
    "likelihood": ("likelihood_gap", "likelihood_gap_leading_term",),
    "theorem_conditions": ("phi", "smallest_t_theorem2", "theorem2_requirements", "theorem2_holds",
        "theorem2_smallest_eta_min", "theorem3_requirements", "theorem3_holds", "theorem3_bounds",
        "theorem3_smallest_eta_min", "theorem5_requirements", "gaussian_tail", "Requirements",
        "theorem6_part2b_bound", "theorem5_step_i_bound", "theorem5_one_fit_one_bound",),
    "census_counts": ("count_summary", "reaches_truth",),
    "stored_sweeps": ("CHAPTERS", "SWEEPS_DIR", "sweep_definitions", "run_sweeps", "save_sweeps", "load_sweeps",
        "rerun_task", "records_match",),
    "stochastic": ("StochasticResult", "stochastic_kmeans", "RepeatedRuns", "repeated_runs", "log_steps",),
    "rate": ("loglog_slope", "StationaryPoint", "stationary_point", "expected_gap",),
    "clusterability": ("Clusterability",),
    "basins": ("BasinRadius", "basin_radius", "partition_radius", "same_partition", "worst_perturbation",),
    "rate_lemmas": ("StepBound", "step_bound", "one_step_changes", "centroid_distance", "Contraction",
        "lloyd_contraction",),
    "clusterable": ("SeedingCoverage", "max_excursion", "seeding_coverage", "touch_probability"),
    "large_n": ("BATCH_SIZE", "SCALE", "efficiency_task", "load_scaled", "make_tasks", "reference_solution",
        "task_rng",),
    "partitions": ("distance_matrix", "membership_matrix", "exactness_error", "is_exact",
        "feasibility_residuals", "round_embedding",),
    "oracles": ("BestPartition", "best_partition", "ExactTwoMeans", "exact_two_means",),
    "sdp": ("SDPResult", "SDPSolveError", "peng_wei", "amini_levina", "round_solution", "CLARABEL_MAX_N",
        "SCS_DEFAULT_OPTIONS",),
    "sdp_result": ("SDPResult", "SDPSolveError",),
    "sdp_bound": ("certified_lambda_min", "dual_function", "lambda_min_estimate", "lower_bound",),
    "sdp_upper": ("feasible_point",),
    "sdp_stored": ("CERTIFICATES_DIR", "benchmark_subsample", "pack_dual", "unpack_dual", "stored_lower_bound",
        "solution_factor", "load_certificate", "recheck_certificate", "native_timings",
        "best_line_split",),
    "sdp_native": ("NativeOptions",),
    "certificates": ("DualCertificate", "dual_certificate",),
    "proximity": ("ProximityResult", "Certificate", "pw_proximity", "al_proximity", "certify", "threshold_scale",
        "scale_separation",),
    "necessary": ("NecessaryResult", "pw_necessary", "al_necessary", "necessary_threshold_scale",),
    "necessary_trials": ("NecessaryTrials", "random_instance", "necessary_trials", "ConditionSweep",
        "condition_sweep", "ThresholdRatios", "threshold_ratios",),
    "planted_optimality": ("partition_cost", "merge_split_cost", "lloyd_best_cost",),
    "geometries": ("LAYOUTS", "centers", "sphere_points", "section5_data", "far_cluster_data",),
    "recovery": ("RecoveryThreshold", "recovery_threshold", "recovery_grid", "section5_thresholds",),
    "gaussian_mixtures": ("simplex_centres", "gaussian_mixture_sample", "closest_pair_max_cdf",
                          "expected_closest_pair_max", "gaussian_threshold_prediction",
                          "single_pair_prediction", "gmm_bounds",
                          "exact_recovery_floor", "threshold_parts",),
    "random_models": ("uniform_ball_sample", "gaussian_sample", "ball_limits", "expected_max_normal",
        "gaussian_pair_prediction", "ThresholdSample", "threshold_separations", "ball_concentration",
        "expected_shortfall",),
    "phase_transitions": ("DISTRIBUTIONS", "ball_points", "ball_model_data", "instance_threshold", "section5_sweep",
        "necessary_thresholds", "load_results", "RESULTS_DIR",),
    "planted_certificate": ("fitted_certificate", "feasible_competitor", "certified_margin"),
    "section5_recovery": ("VERDICTS", "recovery_trial", "recheck_cell", "verdict_counts",
        "condition_share", "load_recovery",),
    "phase_summary": ("threshold_summary", "success_curve", "THRESHOLD_LABELS", "format_threshold_summary",),
    "report": ("fit_loglog", "format_table", "markdown_table", "RenderedTable",),
    "claims": ("Claim", "ClaimFailed", "Claims", "ClaimsTable", "Comparison", "Estimate", "Proportion",
        "bootstrap_slope", "compare", "glue", "mean_interval", "proportion", "slope", "wilson_interval",),
    "cli": ("add_sweep_arguments", "checkpoint_path", "git_revision",),
    "plotting": ("PALETTE", "use_style", "color", "plot_voronoi", "plot_points", "plot_trajectory",
        "plot_line_model", "plot_cost_contours", "plot_kind_map", "plot_association", "plot_figure1",
        "plot_curves", "plot_error_scaling", "plot_partition_matrix", "plot_proximity", "plot_recovery_region",
        "plot_solver_history", "plot_threshold_curves", "plot_threshold_summary", "plot_loglog_gap",
        "plot_switching_regions",),
}

_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = ["lloyd", "ConvergenceWarning"] + [name for name in _MODULE_OF if name not in ("lloyd", "ConvergenceWarning")]


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'kmbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
