"""Figures of the book, in one consistent style.

Chapter: every chapter. Each ``plot_*`` function takes ``ax=None`` and returns
``(fig, ax)``; :func:`use_style` sets the shared look once per chapter.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._validation import as_centers, as_labels, as_points

__all__ = ["PALETTE", "use_style", "color", "voronoi_cells", "plot_voronoi", "plot_points", "plot_trajectory"]

#: Colour cycle of the book (Okabe-Ito, readable by colour-blind readers).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

_STYLE = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def use_style():
    """Apply the book's matplotlib style (colours, grid, sizes) globally."""
    mpl.rcParams.update(_STYLE)


def color(i):
    """The `i`-th colour of the palette (cycling)."""
    return PALETTE[int(i) % len(PALETTE)]


def _get_ax(ax, figsize=None):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def _clip(polygon, a, b):
    """Sutherland-Hodgman: keep the part of `polygon` where <a, x> <= b."""
    out = []
    m = len(polygon)
    for idx in range(m):
        p, q = polygon[idx], polygon[(idx + 1) % m]
        fp, fq = a @ p - b, a @ q - b
        if fp <= 0:
            out.append(p)
        if fp * fq < 0:
            out.append(p + (q - p) * (fp / (fp - fq)))
    return out


def voronoi_cells(centers, bounds):
    """Voronoi cells of 2-D `centers` clipped to a box, as polygons.

    Paper: Paper 1, eq. (5): cell ``i`` is the intersection of the half-planes
    ``2 <beta_j - beta_i, x> <= ||beta_j||^2 - ||beta_i||^2``.

    Parameters
    ----------
    centers : array-like of shape (k, 2)
    bounds : (xmin, xmax, ymin, ymax)

    Returns
    -------
    list of ndarray
        Polygon vertices of each cell, shape (m_i, 2); empty (0, 2) when the
        cell misses the box or the centre coincides with an earlier one.
    """
    C = as_centers(centers, "centers", n_features=2)
    xmin, xmax, ymin, ymax = (float(v) for v in bounds)
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(f"bounds must satisfy xmin < xmax and ymin < ymax; got {bounds}.")
    box = [np.array(p) for p in ((xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax))]
    cells = []
    for i, ci in enumerate(C):
        poly = list(box)
        for j, cj in enumerate(C):
            if j == i or not poly:
                continue
            if np.array_equal(ci, cj):
                if j < i:  # duplicate centre: the earlier index owns the cell
                    poly = []
                continue
            poly = _clip(poly, 2 * (cj - ci), cj @ cj - ci @ ci)
        cells.append(np.array(poly).reshape(-1, 2))
    return cells


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
    fig, ax = _get_ax(ax, figsize=(5.2, 5.2))
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
    fig, ax = _get_ax(ax)
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
    traj = np.asarray(trajectory, dtype=float)
    if traj.ndim != 3 or traj.shape[2] != 2 or traj.shape[0] < 1:
        raise ValueError(f"trajectory must have shape (T, k, 2); got {traj.shape}.")
    if not np.all(np.isfinite(traj)):
        raise ValueError("trajectory must be finite.")
    fig, ax = _get_ax(ax)
    for i in range(traj.shape[1]):
        ax.plot(traj[:, i, 0], traj[:, i, 1], color="k", lw=1, zorder=3)
        ax.scatter(*traj[0, i], marker="o", s=50, color=color(i), edgecolors="k", zorder=4)
        ax.scatter(*traj[-1, i], marker="s", s=50, color=color(i), edgecolors="k", zorder=5)
    ax.set_aspect("equal")
    return fig, ax


# --- population landscape in one dimension (issue 3) ---

__all__ += ["plot_line_model", "plot_cost_contours", "plot_kind_map"]


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
    from .models import BallMixture, GaussianMixture

    if not isinstance(model, (BallMixture, GaussianMixture)) or model.d != 1:
        raise TypeError("model must be a one-dimensional BallMixture or GaussianMixture.")
    c = model.centers[:, 0]
    spread = model.radius if isinstance(model, BallMixture) else 3.5 * model.sigma
    C = None if centers is None else as_centers(centers, "centers", n_features=1)[:, 0]
    if xlim is None:
        pts = np.concatenate([c - spread, c + spread] + ([] if C is None else [C]))
        pad = 0.08 * (pts.max() - pts.min() + 1e-9)
        xlim = (pts.min() - pad, pts.max() + pad)
    x = np.linspace(xlim[0], xlim[1], 2001)
    if isinstance(model, BallMixture):  # vertical steps at the ball edges
        lo, hi = c - model.radius, c + model.radius
        x = np.sort(np.concatenate([x, lo, hi, np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)]))
    dens = model.pdf(x[:, None])
    fig, ax = _get_ax(ax, figsize=(7.0, 2.6))
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
    xs = np.asarray(xs, dtype=float).ravel()
    ys = np.asarray(ys, dtype=float).ravel()
    table = np.asarray(values, dtype=dtype)
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
    fig, ax = _get_ax(ax, figsize=(5.0, 4.3))
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
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    xs, ys, K = _grid(xs, ys, kinds, "kinds", str)
    names = list(order) if order is not None else sorted(set(K.ravel()))
    missing = set(K.ravel()) - set(names)
    if missing:
        raise ValueError(f"order must list every kind present; missing {sorted(missing)}.")
    codes = np.vectorize(names.index)(K)
    fig, ax = _get_ax(ax, figsize=(6.0, 4.2))
    cmap = ListedColormap([color(i) for i in range(len(names))])
    ax.pcolormesh(xs, ys, codes, cmap=cmap, vmin=-0.5, vmax=len(names) - 0.5, shading="nearest", alpha=0.55,
                  rasterized=True)
    handles = [Patch(color=color(i), alpha=0.55, label=n) for i, n in enumerate(names) if (codes == i).any()]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.grid(False)
    return fig, ax


# --- stochastic k-means (issue 5) ---
__all__ += ["plot_loglog_gap"]


def plot_loglog_gap(steps, gaps, ax=None, *, label=None, color_index=0, band=(0.1, 0.9),
                    reference_slope=None, t_min=1):
    """Log-log plot of the gap ``phi^t - phi*`` against the step ``t``, averaged over runs.

    Paper: Paper 2, Section 4 (log-log convergence plots beside a slope -1 line).
    Chapter: book/stochastic/rate, book/stochastic/clusterable.

    Parameters
    ----------
    steps : array-like of shape (r,)
        Recorded steps; steps below `t_min` (e.g. the seeds at t = 0) are not drawn.
    gaps : array-like of shape (runs, r) or (r,)
        Gap of every run at every recorded step; the line is the mean over runs.
    ax : matplotlib Axes, optional
    label : str, optional
    color_index : int, default=0
        Colour of the palette.
    band : (float, float) or None, default=(0.1, 0.9)
        Quantiles of the runs shaded around the mean; None for no band.
    reference_slope : float, optional
        Draw a dashed line of this slope through the mean's last point
        (``-1`` for the O(1/t) rate).
    t_min : float, default=1

    Returns
    -------
    (fig, ax)
    """
    t = np.asarray(steps, dtype=float)
    G = np.atleast_2d(np.asarray(gaps, dtype=float))
    if t.ndim != 1 or G.shape[1] != t.shape[0]:
        raise ValueError(f"gaps must have shape (runs, {t.shape[0]}) to match steps; got {G.shape}.")
    keep = t >= t_min
    t, G = t[keep], G[:, keep]
    fig, ax = _get_ax(ax)
    mean = G.mean(0)
    pos = mean > 0
    ax.loglog(t[pos], mean[pos], color=color(color_index), lw=1.6, label=label)
    if band is not None and G.shape[0] > 1:
        lo, hi = np.quantile(G, band, axis=0)
        ok = (lo > 0) & (hi > 0)
        ax.fill_between(t[ok], lo[ok], hi[ok], color=color(color_index), alpha=0.18, lw=0)
    if reference_slope is not None and pos.any():
        t_end, g_end = t[pos][-1], mean[pos][-1]
        tt = np.array([t[pos][0], t_end])
        ax.loglog(tt, g_end * (tt / t_end) ** reference_slope, "--", color="k", lw=1,
                  label=f"slope {reference_slope:g}")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$\phi^t - \phi^*$")
    return fig, ax
