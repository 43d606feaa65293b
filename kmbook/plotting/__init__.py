"""Figures of the book, in one consistent style.

Chapter: every chapter. Each ``plot_*`` function takes ``ax=None`` and returns
``(fig, ax)``; :func:`use_style` sets the shared look once per chapter.

The helpers are grouped by the part of the book they serve:
:mod:`~kmbook.plotting.samples` (points, Voronoi diagrams, trajectories),
:mod:`~kmbook.plotting.landscape` (Paper 1), :mod:`~kmbook.plotting.stochastic`
(Paper 2) and :mod:`~kmbook.plotting.convex` (Paper 3); all of them are
importable from ``kmbook.plotting``.
"""

from ..voronoi import voronoi_cells as voronoi_cells
from ._style import PALETTE, color, use_style
from .convex import (
    plot_partition_matrix,
    plot_proximity,
    plot_recovery_region,
    plot_solver_history,
    plot_threshold_curves,
    plot_threshold_summary,
)
from .landscape import (
    plot_association,
    plot_cost_contours,
    plot_curves,
    plot_error_scaling,
    plot_figure1,
    plot_kind_map,
    plot_line_model,
)
from .samples import plot_points, plot_switching_regions, plot_trajectory, plot_voronoi
from .stochastic import plot_loglog_gap

__all__ = [
    "PALETTE",
    "use_style",
    "color",
    "plot_voronoi",
    "plot_points",
    "plot_trajectory",
    "plot_line_model",
    "plot_cost_contours",
    "plot_kind_map",
    "plot_association",
    "plot_figure1",
    "plot_curves",
    "plot_error_scaling",
    "plot_partition_matrix",
    "plot_proximity",
    "plot_recovery_region",
    "plot_solver_history",
    "plot_threshold_curves",
    "plot_threshold_summary",
    "plot_loglog_gap",
    "plot_switching_regions",
]
