"""Every public name keeps its import path: the historical ``module.name`` pairs stay importable.

The list below is a literal copy of every module's ``__all__`` as it stood before the
modules were split by idea (one module per idea, names mirroring the chapters). Code that
moved is re-exported from its old module without a warning, so chapters, scripts and
readers' notebooks written against the old paths keep working.
"""

import importlib

import pytest

HISTORICAL = [
    ("kmbook", ("BallMixture", "GaussianMixture", "kmeans_cost", "population_cost", "lloyd", "population_lloyd",
            "LloydResult", "kmeans_pp", "stochastic_kmeans", "associate", "centroid_index", "load",
            "ConvergenceWarning",)),
    ("kmbook._validation", ("as_points", "as_centers", "as_labels", "check_n_clusters", "check_positive",
            "check_nonnegative", "check_int", "as_generator", "spawn_generators",)),
    ("kmbook.census", ("random_layout", "make_model", "balanced_sample", "split_offset", "coverage_probability",
            "census_task", "benchmark_task", "census_grid", "run_census", "summarize", "fit_loglog",
            "format_table",)),
    ("kmbook.data", ("Dataset", "available", "load", "DATA_DIR",)),
    ("kmbook.exceptions", ("ConvergenceWarning",)),
    ("kmbook.geometries", ("LAYOUTS", "centers", "sphere_points", "section5_data", "far_cluster_data",)),
    ("kmbook.lloyd", ("LloydResult", "lloyd", "population_lloyd",)),
    ("kmbook.models", ("SNR", "BallMixture", "GaussianMixture",)),
    ("kmbook.objective", ("kmeans_cost", "voronoi_labels", "kmeans_gradient", "directional_derivative",
            "centers_of_mass", "population_cost", "population_gradient", "population_hessian",
            "classify_critical_point", "CriticalPoint",)),
    ("kmbook.plotting", ("PALETTE", "use_style", "color", "voronoi_cells", "plot_voronoi", "plot_points",
            "plot_trajectory", "plot_line_model", "plot_cost_contours", "plot_kind_map", "plot_association",
            "plot_figure1", "plot_curves", "plot_error_scaling", "plot_partition_matrix", "plot_proximity",
            "plot_recovery_region", "plot_threshold_curves", "plot_loglog_gap",)),
    ("kmbook.proximity", ("ProximityResult", "Certificate", "DualCertificate", "pw_proximity", "al_proximity",
            "certify", "threshold_scale", "scale_separation", "dual_certificate",)),
    ("kmbook.recovery", ("RecoveryThreshold", "recovery_threshold", "recovery_grid", "section5_thresholds",)),
    ("kmbook.sdp", ("SDPResult", "SDPSolveError", "distance_matrix", "peng_wei", "amini_levina",
            "membership_matrix", "is_exact", "exactness_error", "round_solution", "feasibility_residuals",
            "best_partition", "CLARABEL_MAX_N", "SCS_DEFAULT_OPTIONS",)),
    ("kmbook.seeding", ("uniform", "kmeans_pp", "buckshot",)),
    ("kmbook.stochastic", ("StochasticResult", "stochastic_kmeans", "RepeatedRuns", "repeated_runs", "log_steps",
            "loglog_slope", "StationaryPoint", "stationary_point", "expected_gap", "Clusterability",
            "clusterability",)),
    ("kmbook.structure", ("KINDS", "Group", "Association", "voronoi_shares", "associate", "centroid_index",
            "PruneResult", "prune", "figure1_setup",)),
    ("kmbook.sweep", ("progress_enabled", "run_sweep",)),
]

PAIRS = [(module, name) for module, names in HISTORICAL for name in names]


def test_the_list_is_complete():
    assert len(PAIRS) == 130 and len(set(PAIRS)) == len(PAIRS)


@pytest.mark.parametrize(("module", "name"), PAIRS, ids=[f"{m}.{n}" for m, n in PAIRS])
def test_historical_name_still_imports(module, name):
    mod = importlib.import_module(module)
    assert hasattr(mod, name), f"{module}.{name} no longer imports"
    exec(f"from {module} import {name}", {})


@pytest.mark.parametrize("module", sorted({m for m, _ in PAIRS}))
def test_moved_names_are_the_same_objects_as_their_new_homes(module):
    """A re-export is the object itself, not a copy or a wrapper."""
    mod = importlib.import_module(module)
    for name in dict(HISTORICAL)[module]:
        obj = getattr(mod, name)
        home = getattr(obj, "__module__", None)
        if home and home.startswith("kmbook") and home != module and hasattr(importlib.import_module(home), name):
            assert getattr(importlib.import_module(home), name) is obj
