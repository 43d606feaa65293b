"""Samples, Voronoi diagrams and Lloyd trajectories in the plane.

Chapter: book/landscape/kmeans_problem, book/landscape/figure1, book/landscape/bounds.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from .._validation import (
    as_bounds,
    as_centers,
    as_labels,
    as_list,
    as_points,
    as_real,
    as_real_array,
    check_int,
)
from ..voronoi import voronoi_cells
from ._style import color, get_ax

__all__ = ["plot_voronoi", "plot_points", "plot_trajectory", "plot_switching_regions"]


def plot_voronoi(centers, ax=None, *, bounds=None, X=None, labels=None, true_centers=None, fill=True, annotate=True):
    """Draw the Voronoi diagram of 2-D `centers`, optionally over sampled points.

    Parameters
    ----------
    centers : array-like of shape (k, 2)
        Fitted centres (drawn as coloured squares).
    ax : matplotlib Axes, optional
    bounds : (xmin, xmax, ymin, ymax), optional
        Defaults to the data (or centres) range with a margin.
    X : array-like of shape (n, 2), optional
        Points drawn in grey, or coloured by `labels`.
    labels : array-like of shape (n,), optional
    true_centers : array-like of shape (k*, 2), optional
        Drawn as black crosses.
    fill : bool, default=True
        Tint each cell with its centre's colour.
    annotate : bool, default=True
        Write each centre's index beside it.

    Returns
    -------
    (fig, ax)
    """
    C = as_centers(centers, "centers", n_features=2)
    pts = None if X is None else as_points(X, "X")
    if pts is not None and pts.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2); got {pts.shape}.")
    if bounds is None:
        ref = C if pts is None else np.vstack([C, pts])
        lo, hi = ref.min(0), ref.max(0)
        pad = 0.08 * max(float((hi - lo).max()), 1e-9)
        bounds = (lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad)
    fig, ax = get_ax(ax, figsize=(5.2, 5.2))
    for i, cell in enumerate(voronoi_cells(C, bounds)):
        if len(cell) >= 3:
            if fill:
                ax.fill(cell[:, 0], cell[:, 1], color=color(i), alpha=0.12, lw=0)
            ax.plot(*np.vstack([cell, cell[:1]]).T, color="0.25", lw=0.8)
    if pts is not None:
        if labels is None:
            ax.scatter(pts[:, 0], pts[:, 1], s=2, color="0.55", alpha=0.5, rasterized=True)
        else:
            lab = as_labels(labels, "labels", n_samples=pts.shape[0])
            ax.scatter(pts[:, 0], pts[:, 1], s=2, c=[color(v) for v in lab], alpha=0.5, rasterized=True)
    if true_centers is not None:
        T = as_centers(true_centers, "true_centers", n_features=2)
        ax.scatter(T[:, 0], T[:, 1], marker="x", s=70, color="k", lw=2, label="true centres", zorder=4)
    ax.scatter(C[:, 0], C[:, 1], marker="s", s=55, c=[color(i) for i in range(len(C))],
               edgecolors="k", zorder=5, label="fitted centres")
    if annotate:
        for i, c in enumerate(C):
            ax.annotate(str(i), c, xytext=(5, 5), textcoords="offset points", fontsize=9, zorder=6)
    ax.set_xlim(bounds[0], bounds[1])
    ax.set_ylim(bounds[2], bounds[3])
    ax.set_aspect("equal")
    ax.grid(False)
    return fig, ax


def plot_points(X, labels=None, ax=None, **scatter_kw):
    """Scatter 2-D points, coloured by `labels` when given. Returns ``(fig, ax)``."""
    pts = as_points(X, "X")
    if pts.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2); got {pts.shape}.")
    fig, ax = get_ax(ax)
    kw = {"s": 3, "alpha": 0.6, "rasterized": True} | scatter_kw
    if labels is None:
        ax.scatter(pts[:, 0], pts[:, 1], color="0.5", **kw)
    else:
        lab = as_labels(labels, "labels", n_samples=pts.shape[0])
        ax.scatter(pts[:, 0], pts[:, 1], c=[color(v) for v in lab], **kw)
    ax.set_aspect("equal")
    return fig, ax


def plot_trajectory(trajectory, ax=None):
    """Draw centre paths of shape (T, k, 2): circles at the start, squares at the end.

    This is the look of Paper 1, Figure 1 (bottom panels). Returns ``(fig, ax)``.
    """
    traj = as_real_array(trajectory, "trajectory")
    if traj.ndim != 3 or traj.shape[2] != 2 or traj.shape[0] < 1:
        raise ValueError(f"trajectory must have shape (T, k, 2); got {traj.shape}.")
    if not np.all(np.isfinite(traj)):
        raise ValueError("trajectory must be finite.")
    fig, ax = get_ax(ax)
    for i in range(traj.shape[1]):
        ax.plot(traj[:, i, 0], traj[:, i, 1], color="k", lw=1, zorder=3)
        ax.scatter(*traj[0, i], marker="o", s=50, color=color(i), edgecolors="k", zorder=4)
        ax.scatter(*traj[-1, i], marker="s", s=50, color=color(i), edgecolors="k", zorder=5)
    ax.set_aspect("equal")
    return fig, ax


def plot_switching_regions(centers, v, t, ax=None, *, bounds, disks=None, n_grid=400):
    """Paper 1's Figure 3: the points that change owner when the centres move by ``t v``.

    Solid lines are the Voronoi boundaries of ``centers``, dashed those of
    ``centers + t v``; a region is shaded in the colour of the centre that
    gains it. Disks ``(centre, radius)`` are outlined in grey.

    Paper: Paper 1, Figure 3 (the sets Delta_{i->j}).
    Chapter: book/landscape/bounds.

    Returns
    -------
    (fig, ax)
    """
    C = as_centers(centers, "centers", n_features=2)
    V = as_real_array(v, "v")
    if V.shape != C.shape or not np.all(np.isfinite(V)):
        raise ValueError(f"v must be finite with the shape of centers {C.shape}; got {V.shape}.")
    t = as_real(t, "t")
    bounds = as_bounds(bounds)
    n_grid = check_int(n_grid, "n_grid", minimum=2, maximum=4000)
    disks = [] if disks is None else as_list(disks, "disks", "a list of (centre, radius) pairs")
    try:
        disks = [(np.asarray(c, float).reshape(2), float(rad)) for c, rad in disks]
    except (TypeError, ValueError) as exc:
        raise TypeError("disks must be a list of (centre, radius) pairs.") from exc
    fig, ax = get_ax(ax, figsize=(5.2, 5.2))
    xs = np.linspace(bounds[0], bounds[1], n_grid)
    ys = np.linspace(bounds[2], bounds[3], n_grid)
    X, Y = np.meshgrid(xs, ys)
    P = np.stack([X, Y], -1)[..., None, :]
    old = ((P - C) ** 2).sum(-1).argmin(-1)
    new = ((P - C - t * V) ** 2).sum(-1).argmin(-1)
    for j in range(len(C)):
        mask = np.where((old != new) & (new == j), 1.0, np.nan)
        ax.contourf(X, Y, mask, levels=[0.5, 1.5], colors=[color(j)], alpha=0.45)
    ax.contour(X, Y, old, levels=np.arange(len(C)) + 0.5, colors="tab:blue", linewidths=1.2)
    ax.contour(X, Y, new, levels=np.arange(len(C)) + 0.5, colors="tab:red", linewidths=1.2,
               linestyles="--")
    for centre, radius in disks:
        ax.add_patch(Circle(centre, radius, fill=False, color="0.4", lw=1))
    ax.scatter(C[:, 0], C[:, 1], color="tab:red", s=30, zorder=5)
    ax.scatter(*(C + t * V).T, marker="*", color="tab:blue", s=80, zorder=5)
    ax.set_xlim(bounds[0], bounds[1])
    ax.set_ylim(bounds[2], bounds[3])
    ax.set_aspect("equal")
    ax.grid(False)
    return fig, ax
