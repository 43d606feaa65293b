"""kmbook: the tested helper package of the k-means landscape book.

Modules follow the book, one idea each; a module imports only the ones listed
before it (foundations <- paper modules <- reports and plotting):

* foundations — :mod:`kmbook.models` (mixture models of Paper 1),
  :mod:`kmbook.objective` (the empirical objective), :mod:`kmbook.voronoi`
  (Voronoi sets and their shares), :mod:`kmbook.population` (the population
  objective and population Lloyd), :mod:`kmbook.critical_points`,
  :mod:`kmbook.lloyd` (Lloyd's algorithm on samples), :mod:`kmbook.seeding`,
  :mod:`kmbook.data` (bundled benchmark sets), :mod:`kmbook.sweep` (sweeps with
  progress and executors);
* Paper 1 — :mod:`kmbook.structure` (associations of Theorems 1-3),
  :mod:`kmbook.algorithms` (centroid index, coverage, pruning),
  :mod:`kmbook.tasks` (typed census tasks), :mod:`kmbook.census` (census sweeps);
* Paper 2 — :mod:`kmbook.stochastic` (Algorithm 1 and repeated runs),
  :mod:`kmbook.rate` (the O(1/t) rate), :mod:`kmbook.clusterability`
  ((B1)-(B3));
* Paper 3 — :mod:`kmbook.partitions` (partition matrices), :mod:`kmbook.oracles`
  (exact optima by enumeration), :mod:`kmbook.sdp` (Peng-Wei and Amini-Levina
  relaxations), :mod:`kmbook.certificates` (dual certificates),
  :mod:`kmbook.proximity` (proximity conditions), :mod:`kmbook.geometries`,
  :mod:`kmbook.recovery` (Section 5);
* reports — :mod:`kmbook.report` (tables, log-log fits),
  :mod:`kmbook.plotting` (figures).

Private modules (``kmbook._*``) hold the shared building blocks: argument
checks, numba kernels, the exact and quasi-Monte Carlo population engines and
the cluster geometry.

Every public name of these modules is also an attribute of the package
(``kmbook.associate``, ``kmbook.peng_wei``, ...), imported on first use, so
``import kmbook`` stays fast and loads neither matplotlib nor cvxpy. The
exceptions are the functions named like their module, :func:`kmbook.lloyd.lloyd`
(``kmbook.lloyd`` is the function, as it always was) and
:func:`kmbook.clusterability.clusterability` (``kmbook.clusterability`` is the
module).
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
    "sweep": ("progress_enabled", "run_sweep",),
    "exceptions": ("ConvergenceWarning",),
    "structure": ("KINDS", "Group", "Association", "associate", "figure1_setup",),
    "algorithms": ("centroid_index", "coverage_probability", "PruneResult", "prune",),
    "tasks": ("CensusTask", "BenchmarkTask",),
    "census": ("random_layout", "make_model", "split_offset", "census_task", "benchmark_task", "census_grid",
        "run_census", "summarize",),
    "stochastic": ("StochasticResult", "stochastic_kmeans", "RepeatedRuns", "repeated_runs", "log_steps",),
    "rate": ("loglog_slope", "StationaryPoint", "stationary_point", "expected_gap",),
    "clusterability": ("Clusterability",),
    "partitions": ("distance_matrix", "membership_matrix", "exactness_error", "is_exact",
        "feasibility_residuals", "round_embedding",),
    "oracles": ("BestPartition", "best_partition",),
    "sdp": ("SDPResult", "SDPSolveError", "peng_wei", "amini_levina", "round_solution", "CLARABEL_MAX_N",
        "SCS_DEFAULT_OPTIONS",),
    "sdp_result": ("SDPResult", "SDPSolveError",),
    "sdp_bound": ("dual_function", "lower_bound",),
    "sdp_native": ("NativeOptions",),
    "certificates": ("DualCertificate", "dual_certificate",),
    "proximity": ("ProximityResult", "Certificate", "pw_proximity", "al_proximity", "certify", "threshold_scale",
        "scale_separation",),
    "geometries": ("LAYOUTS", "centers", "sphere_points", "section5_data", "far_cluster_data",),
    "recovery": ("RecoveryThreshold", "recovery_threshold", "recovery_grid", "section5_thresholds",),
    "report": ("fit_loglog", "format_table",),
    "plotting": ("PALETTE", "use_style", "color", "plot_voronoi", "plot_points", "plot_trajectory",
        "plot_line_model", "plot_cost_contours", "plot_kind_map", "plot_association", "plot_figure1",
        "plot_curves", "plot_error_scaling", "plot_partition_matrix", "plot_proximity", "plot_recovery_region",
        "plot_threshold_curves", "plot_loglog_gap",),
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
