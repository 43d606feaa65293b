"""The landscape of Paper 1: population objective on a line, cost maps, associations, Figure 1, census curves.

Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three,
book/landscape/figure1, book/landscape/census, book/landscape/algorithms.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .._validation import as_bounds, as_centers, as_list, as_points, as_real, as_real_array, check_int
from ..models import BallMixture, GaussianMixture
from ._style import PALETTE, color, get_ax
from .samples import plot_trajectory, plot_voronoi

__all__ = ["plot_line_model", "plot_cost_contours", "plot_kind_map", "plot_association", "plot_figure1",
           "plot_curves", "plot_error_scaling"]


def plot_line_model(model, centers=None, ax=None, *, xlim=None, annotate=True):
    """Draw a 1-D mixture density with its true centres, fitted centres and Voronoi boundaries.

    This is the look of Paper 1, Figure 2: the three intervals of the ball
    model, a candidate solution, and the boundaries between its Voronoi sets.

    Paper: Paper 1, Figure 2 and Proposition 2.
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture with ``d = 1``
    centers : array-like of shape (k, 1), optional
        Fitted centres ``beta`` (coloured triangles labelled ``beta_i``);
        their Voronoi boundaries are dashed lines.
    ax : matplotlib Axes, optional
    xlim : (float, float), optional
        Defaults to the support (ball model) or 3.5 sigma around the centres,
        widened to show every centre.
    annotate : bool, default=True
        Label the fitted centres.

    Returns
    -------
    (fig, ax)
    """
    if not isinstance(model, (BallMixture, GaussianMixture)) or model.d != 1:
        raise TypeError("model must be a one-dimensional BallMixture or GaussianMixture.")
    c = model.centers[:, 0]
    spread = model.radius if isinstance(model, BallMixture) else 3.5 * model.sigma
    C = None if centers is None else as_centers(centers, "centers", n_features=1)[:, 0]
    if xlim is not None:
        xlim = as_real_array(xlim, "xlim", ndim=1)
        if xlim.shape != (2,) or not np.all(np.isfinite(xlim)) or not xlim[0] < xlim[1]:
            raise ValueError(f"xlim must be (xmin, xmax) with finite xmin < xmax; got {xlim.tolist()}.")
    if xlim is None:
        pts = np.concatenate([c - spread, c + spread] + ([] if C is None else [C]))
        pad = 0.08 * (pts.max() - pts.min() + 1e-9)
        xlim = (pts.min() - pad, pts.max() + pad)
    x = np.linspace(xlim[0], xlim[1], 2001)
    if isinstance(model, BallMixture):  # vertical steps at the ball edges
        lo, hi = c - model.radius, c + model.radius
        x = np.sort(np.concatenate([x, lo, hi, np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)]))
    dens = model.pdf(x[:, None])
    fig, ax = get_ax(ax, figsize=(7.0, 2.6))
    ax.fill_between(x, dens, color="0.75", lw=0, label="density $f$")
    ax.plot(x, dens, color="0.35", lw=0.8)
    top = float(dens.max())
    ax.scatter(c, np.zeros_like(c), marker="x", s=60, color="k", lw=2, zorder=4, label=r"true centres $\beta^*$")
    if C is not None:
        b = np.unique(C)
        for t in 0.5 * (b[1:] + b[:-1]):
            ax.axvline(t, color="0.2", ls="--", lw=1)
        for i, v in enumerate(C):
            ax.scatter([v], [-0.08 * top], marker="^", s=70, color=color(i), edgecolors="k", zorder=5,
                       label=r"fitted centres $\beta$" if i == 0 else None)
            if annotate:
                ax.annotate(rf"$\beta_{i + 1}$", (v, -0.08 * top), xytext=(0, -15), textcoords="offset points",
                            ha="center", va="top", fontsize=9)
    ax.set_xlim(*xlim)
    ax.set_ylim(-0.3 * top, 1.15 * top)
    ax.set_xlabel("$x$")
    ax.set_yticks([])
    ax.grid(False)
    return fig, ax


def _grid(xs, ys, values, name, dtype):
    """Grid axes and a (len(ys), len(xs)) table of values, checked."""
    xs = as_real_array(xs, "xs").ravel()
    ys = as_real_array(ys, "ys").ravel()
    table = as_real_array(values, name) if dtype is float else as_list(values, name, "a table")
    table = np.asarray(table, dtype=dtype) if dtype is not float else table
    if table.shape != (ys.size, xs.size):
        raise ValueError(f"{name} must have shape (len(ys), len(xs)) = {(ys.size, xs.size)}; got {table.shape}.")
    return xs, ys, table


def plot_cost_contours(xs, ys, values, ax=None, *, levels=25, points=None, xlabel=None, ylabel=None):
    """Contours of the objective on a 2-D slice, with marked points.

    Paper: Paper 1, eq. (3) (a slice of ``G`` around a critical point).
    Chapter: book/landscape/spurious_1d.

    Parameters
    ----------
    xs : array-like of shape (nx,)
    ys : array-like of shape (ny,)
    values : array-like of shape (ny, nx)
        ``values[j, i]`` is the objective at ``(xs[i], ys[j])``.
    ax : matplotlib Axes, optional
    levels : int or array-like, default=25
    points : dict of str -> (x, y), optional
        Points to mark, by label (e.g. ``{"spurious minimum": (x0, y0)}``).
    xlabel, ylabel : str, optional

    Returns
    -------
    (fig, ax)
    """
    xs, ys, Z = _grid(xs, ys, values, "values", float)
    fig, ax = get_ax(ax, figsize=(5.0, 4.3))
    cs = ax.contourf(xs, ys, Z, levels=levels, cmap="viridis", extend="max")
    ax.contour(xs, ys, Z, levels=cs.levels, colors="k", linewidths=0.3, alpha=0.5)
    fig.colorbar(cs, ax=ax, label="$G$")
    for i, (name, (px, py)) in enumerate((points or {}).items()):
        ax.scatter([px], [py], marker="*", s=160, color=color(i + 1), edgecolors="k", zorder=5, label=name)
    if points:
        ax.legend(loc="upper left", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.grid(False)
    return fig, ax


def plot_kind_map(xs, ys, kinds, ax=None, *, order=None, xlabel=None, ylabel=None):
    """Categorical map: which kind of point (minimum, saddle, ...) sits at each grid node.

    Chapter: book/landscape/two_fit_three (where Example 1's configuration is
    a local minimum, a saddle, or not stationary).

    Parameters
    ----------
    xs : array-like of shape (nx,)
    ys : array-like of shape (ny,)
    kinds : array-like of str, shape (ny, nx)
        ``kinds[j, i]`` labels the node ``(xs[i], ys[j])``, e.g. the
        ``.kind`` of :func:`kmbook.objective.classify_critical_point`.
    ax : matplotlib Axes, optional
    order : list of str, optional
        Legend order (and colours); defaults to the sorted distinct labels.
    xlabel, ylabel : str, optional

    Returns
    -------
    (fig, ax)
    """

    xs, ys, K = _grid(xs, ys, kinds, "kinds", str)
    names = list(order) if order is not None else sorted(set(K.ravel()))
    missing = set(K.ravel()) - set(names)
    if missing:
        raise ValueError(f"order must list every kind present; missing {sorted(missing)}.")
    codes = np.vectorize(names.index)(K)
    fig, ax = get_ax(ax, figsize=(6.0, 4.2))
    cmap = ListedColormap([color(i) for i in range(len(names))])
    ax.pcolormesh(xs, ys, codes, cmap=cmap, vmin=-0.5, vmax=len(names) - 0.5, shading="nearest", alpha=0.55,
                  rasterized=True)
    handles = [Patch(color=color(i), alpha=0.55, label=n) for i, n in enumerate(names) if (codes == i).any()]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.grid(False)
    return fig, ax


_KIND_STYLE = {
    "one-fit-one": (PALETTE[0], "-"),
    "many-fit-one": (PALETTE[2], "-"),
    "one-fit-many": (PALETTE[1], "--"),
    "other": (PALETTE[5], ":"),
}


def plot_association(association, centers, true_centers, ax=None):
    """Join every fitted centre to the true centres of its group, coloured by association kind.

    Paper: Paper 1, Theorem 1 (the three kinds of associations).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    association : kmbook.structure.Association
        From :func:`kmbook.structure.associate` for these `centers`.
    centers : array-like of shape (k, 2)
        The fitted centres that were associated.
    true_centers : array-like of shape (k_star, 2)
        The true centres they were associated with.
    ax : matplotlib Axes, optional

    Returns
    -------
    (fig, ax)
    """
    C = as_centers(centers, "centers", n_features=2)
    T = as_centers(true_centers, "true_centers", n_features=2)
    if association.shares.shape != (C.shape[0], T.shape[0]):
        raise ValueError(
            f"association has shares of shape {association.shares.shape} but centers and true_centers "
            f"give ({C.shape[0]}, {T.shape[0]})."
        )
    fig, ax = get_ax(ax)
    seen = set()
    for g in association.groups:
        if not g.true:
            continue
        col, ls = _KIND_STYLE[g.kind]
        for i in g.fitted:
            for s in g.true:
                label = g.kind if g.kind not in seen else None
                seen.add(g.kind)
                ax.plot([C[i, 0], T[s, 0]], [C[i, 1], T[s, 1]], color=col, ls=ls, lw=2, zorder=3, label=label)
    return fig, ax


def plot_figure1(X, true_centers, trajectories, titles=None, signatures=None, *, bounds=None, max_points=4000):
    """Paper 1, Figure 1: candidate solutions (top row) and Lloyd's trajectories from them (bottom row).

    Paper: Paper 1, Figure 1 (panels 1a-1d and 2a-2d).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The sample (a thinned subset of at most `max_points` rows is drawn).
    true_centers : array-like of shape (k_star, 2)
    trajectories : sequence of arrays of shape (T_j, k, 2)
        Lloyd's centres from each start (``LloydResult.trajectory``).
    titles : sequence of str, optional
        One title per column.
    signatures : sequence of (str, str), optional
        Signature of each start and of each limit, written under the panels.
    bounds : (xmin, xmax, ymin, ymax), optional
    max_points : int, default=4000

    Returns
    -------
    (fig, axes)
        ``axes`` has shape (2, len(trajectories)).
    """
    pts = as_points(X, "X")
    if pts.shape[1] != 2:
        raise ValueError(f"X must be planar, of shape (n, 2); got shape {pts.shape}.")
    T = as_centers(true_centers, "true_centers", n_features=2)
    what = "a non-empty sequence of arrays of shape (T, k, 2)"
    trajs = [as_real_array(t, "trajectories") for t in as_list(trajectories, "trajectories", what)]
    if not trajs or any(t.ndim != 3 or t.shape[0] < 1 or t.shape[1] < 1 or t.shape[2] != 2 for t in trajs):
        raise ValueError(f"trajectories must be {what}.")
    max_points = check_int(max_points, "max_points", minimum=1)
    if bounds is not None:
        bounds = as_bounds(bounds, "bounds")
    m = len(trajs)
    for name, seq in (("titles", titles), ("signatures", signatures)):
        seq = None if seq is None else as_list(seq, name)
        if seq is not None and len(seq) != m:
            raise ValueError(f"{name} must have one entry per trajectory ({m}); got {len(seq)}.")
    step = max(1, pts.shape[0] // max_points)
    sub = pts[::step]
    if bounds is None:
        lo, hi = pts.min(0), pts.max(0)
        pad = 0.05 * float((hi - lo).max())
        bounds = (lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad)
    fig, axes = plt.subplots(2, m, figsize=(3.3 * m, 6.8), squeeze=False)
    for j, traj in enumerate(trajs):
        top, bottom = axes[0, j], axes[1, j]
        plot_voronoi(traj[0], ax=top, bounds=bounds, X=sub, true_centers=T, annotate=False)
        plot_voronoi(traj[-1], ax=bottom, bounds=bounds, X=sub, true_centers=T, annotate=False)
        plot_trajectory(traj, ax=bottom)
        bottom.set_xlim(bounds[0], bounds[1])
        bottom.set_ylim(bounds[2], bounds[3])
        if titles is not None:
            top.set_title(titles[j], fontsize=9)
        if signatures is not None:
            top.set_xlabel(f"start: {signatures[j][0]}", fontsize=8)
            bottom.set_xlabel(f"limit: {signatures[j][1]}", fontsize=8)
        for ax in (top, bottom):
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig, axes


def plot_curves(rows, x, y, by=None, ax=None, *, logx=False, marker="o", label_fmt="{}"):
    """Line plot of ``row[y]`` against ``row[x]`` for a list of dict rows, one line per value of `by`.

    Chapter: book/landscape/census, book/landscape/algorithms (census summaries).

    Returns
    -------
    (fig, ax)
    """
    rows = as_list(rows, "rows", "a list of dicts")
    if not rows:
        raise ValueError("rows must not be empty.")
    if not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a list of dicts (one per point).")
    for key in (x, y) + ((by,) if by is not None else ()):
        if key not in rows[0]:
            raise ValueError(f"rows have no column {key!r}; columns are {sorted(rows[0])}.")
    fig, ax = get_ax(ax)
    groups = sorted({r[by] for r in rows}, key=str) if by is not None else [None]
    for gi, gval in enumerate(groups):
        sel = sorted((r for r in rows if by is None or r[by] == gval), key=lambda r: r[x])
        ax.plot([r[x] for r in sel], [r[y] for r in sel], marker=marker, color=color(gi),
                label=None if by is None else label_fmt.format(gval))
    if logx:
        ax.set_xscale("log")
        ticks = sorted({float(r[x]) for r in rows})
        if len(ticks) <= 12:  # label the grid values themselves, not powers of ten
            ax.set_xticks(ticks)
            ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if by is not None:
        ax.legend(fontsize=7, framealpha=0.9)
    return fig, ax


def plot_error_scaling(eta_max, errors, ax=None, *, slope=None, intercept=None, label="errors",
                       reference=-0.5, color_index=0):
    """Log-log plot of association errors against ``eta_max``, with a fitted line and a reference rate.

    Paper: Paper 1, Theorems 1-2 (errors ``O(Delta_max / sqrt(eta_max))``).
    Chapter: book/landscape/census.

    Parameters
    ----------
    eta_max, errors : array-like of shape (m,)
        Points to scatter (non-positive errors are skipped).
    slope, intercept : float, optional
        A fitted line ``log e = intercept + slope log eta`` to draw.
    reference : float or None, default=-0.5
        Slope of a reference line through the first positive point (the
        theorem's rate); None draws none.

    Returns
    -------
    (fig, ax)
    """
    x = as_real_array(eta_max, "eta_max").ravel()
    e = as_real_array(errors, "errors").ravel()
    if slope is not None:
        slope = as_real(slope, "slope")
    if intercept is not None:
        intercept = as_real(intercept, "intercept")
    if reference is not None:
        reference = as_real(reference, "reference")
    if not isinstance(label, str):
        raise TypeError(f"label must be a string (the legend entry); got {type(label).__name__}.")
    color_index = check_int(color_index, "color_index", minimum=0)
    if x.shape != e.shape:
        raise ValueError(f"eta_max and errors must have the same length; got {x.size} and {e.size}.")
    ok = np.isfinite(x) & np.isfinite(e) & (x > 0) & (e > 0)
    if not ok.any():
        raise ValueError("errors has no positive finite value to plot.")
    x, e = x[ok], e[ok]
    fig, ax = get_ax(ax)
    col = color(color_index)
    ax.scatter(x, e, s=10, alpha=0.5, color=col, label=label)
    grid = np.geomspace(x.min(), x.max(), 50)
    if slope is not None and intercept is not None:
        ax.plot(grid, np.exp(intercept) * grid**slope, color=col, lw=2, label=f"fit: slope {slope:.2f}")
    if reference is not None:
        x0 = x.min()
        e0 = float(np.max(e[x == x0]))
        ax.plot(grid, e0 * (grid / x0) ** reference, color="k", ls="--", lw=1,
                label=(f"slope {reference:g} (theorems' rate,\noffset arbitrary)"
                       if color_index == 0 else None))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\eta_{\max}$")
    ax.set_ylabel(r"error / $\Delta_{\max}$")
    ax.legend(fontsize=7, framealpha=0.9)
    return fig, ax
