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


# --- structure of local minima (issue 4) ---
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
    fig, ax = _get_ax(ax)
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
    T = as_centers(true_centers, "true_centers", n_features=2)
    trajs = [np.asarray(t, dtype=float) for t in trajectories]
    if not trajs or any(t.ndim != 3 or t.shape[2] != 2 for t in trajs):
        raise ValueError("trajectories must be a non-empty sequence of arrays of shape (T, k, 2).")
    m = len(trajs)
    for name, seq in (("titles", titles), ("signatures", signatures)):
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
    rows = list(rows)
    if not rows:
        raise ValueError("rows must not be empty.")
    for key in (x, y) + ((by,) if by is not None else ()):
        if key not in rows[0]:
            raise ValueError(f"rows have no column {key!r}; columns are {sorted(rows[0])}.")
    fig, ax = _get_ax(ax)
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
        ax.legend(fontsize=8)
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
    x = np.asarray(eta_max, dtype=float).ravel()
    e = np.asarray(errors, dtype=float).ravel()
    if x.shape != e.shape:
        raise ValueError(f"eta_max and errors must have the same length; got {x.size} and {e.size}.")
    ok = np.isfinite(x) & np.isfinite(e) & (x > 0) & (e > 0)
    if not ok.any():
        raise ValueError("errors has no positive finite value to plot.")
    x, e = x[ok], e[ok]
    fig, ax = _get_ax(ax)
    col = color(color_index)
    ax.scatter(x, e, s=10, alpha=0.5, color=col, label=label)
    grid = np.geomspace(x.min(), x.max(), 50)
    if slope is not None and intercept is not None:
        ax.plot(grid, np.exp(intercept) * grid**slope, color=col, lw=2, label=f"fit: slope {slope:.2f}")
    if reference is not None:
        x0 = x.min()
        e0 = float(np.max(e[x == x0]))
        ax.plot(grid, e0 * (grid / x0) ** reference, color="k", ls="--", lw=1,
                label=f"rate eta_max^{reference:g} (theorem)" if color_index == 0 else None)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("eta_max")
    ax.set_ylabel("error / Delta_max")
    ax.legend(fontsize=8)
    return fig, ax


__all__ += ["plot_association", "plot_figure1", "plot_curves", "plot_error_scaling"]


# --- convex relaxations and proximity (issue 6) ---
# Chapter: book/convex/peng_wei, book/convex/amini_levina, book/convex/phase_transitions.

def plot_partition_matrix(Z, ax=None, *, title=None, vmax=None):
    """Heat map of an N x N matrix such as an SDP solution or a partition matrix.

    Paper: Paper 3, Section 2 (the partition matrix of eq. (2.2) and its relaxation (2.3)).

    Parameters
    ----------
    Z : array-like of shape (N, N)
    ax : matplotlib Axes, optional
    title : str, optional
    vmax : float, optional
        Upper end of the colour scale (default: the largest entry).

    Returns
    -------
    (fig, ax)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kmbook.plotting import plot_partition_matrix
    >>> from kmbook.sdp import membership_matrix
    >>> fig, ax = plot_partition_matrix(membership_matrix([0, 0, 1]), title="Z")
    >>> ax.get_title()
    'Z'
    >>> plt.close(fig)
    """
    M = as_points(Z, "Z")
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"Z must be square of shape (N, N); got {M.shape}.")
    fig, ax = _get_ax(ax, figsize=(3.6, 3.2))
    im = ax.imshow(M, cmap="viridis", vmin=0.0, vmax=float(M.max()) if vmax is None else float(vmax),
                   interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_proximity(X, labels, result, ax=None, *, pairs=None, bands=True):
    """Points, cluster means, bisectors and the margin each proximity inequality demands (2-D).

    For each pair ``(a, b)`` the bisector of ``c_a`` and ``c_b`` is drawn, with a
    band of half-width ``rhs_ab`` around it when `bands`: the condition holds
    for the pair exactly when no point of ``a`` or ``b`` lies in the band or
    beyond. Points with a negative ``point_slack`` are circled in red.

    Paper: Paper 3, Figure 1 and Proposition 1.2.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    labels : array-like of shape (N,)
    result : kmbook.proximity.ProximityResult
        From :func:`kmbook.proximity.pw_proximity` or ``al_proximity`` on the same data.
    ax : matplotlib Axes, optional
    pairs : list of (a, b), optional
        Cluster index pairs to draw (default: all).
    bands : bool, default=True

    Returns
    -------
    (fig, ax)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kmbook.geometries import section5_data
    >>> from kmbook.plotting import plot_proximity
    >>> from kmbook.proximity import pw_proximity
    >>> X, labels = section5_data("circle", 3, 3.0, n=6)
    >>> fig, ax = plot_proximity(X, labels, pw_proximity(X, labels))
    >>> len(ax.lines)  # one bisector per pair
    3
    >>> plt.close(fig)
    """
    pts = as_points(X, "X")
    if pts.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2); got {pts.shape}.")
    lab = as_labels(labels, "labels", n_samples=pts.shape[0])
    inv = np.unique(lab, return_inverse=True)[1]
    C = result.centers
    K = C.shape[0]
    if C.shape[1] != 2 or inv.max() + 1 != K:
        raise ValueError("result must come from the same 2-D data and labels.")
    pairs = [(a, b) for a in range(K) for b in range(a + 1, K)] if pairs is None else list(pairs)
    fig, ax = _get_ax(ax, figsize=(5.2, 5.2))
    lo, hi = pts.min(0), pts.max(0)
    span = float((hi - lo).max())
    for a, b in pairs:
        w = (C[a] - C[b]) / np.linalg.norm(C[a] - C[b])
        m = (C[a] + C[b]) / 2
        t = np.array([-1.5, 1.5]) * span
        perp = np.array([-w[1], w[0]])
        line = m + t[:, None] * perp
        ax.plot(line[:, 0], line[:, 1], color="0.3", lw=0.8, zorder=1)
        if bands:
            r = float(result.rhs[a, b])
            corners = np.array([line[0] + r * w, line[1] + r * w, line[1] - r * w, line[0] - r * w])
            ax.fill(corners[:, 0], corners[:, 1], color="0.6", alpha=0.25, lw=0, zorder=0)
    ax.scatter(pts[:, 0], pts[:, 1], s=14, c=[color(v) for v in inv], zorder=3)
    bad = result.point_slack < 0
    if np.any(bad):
        ax.scatter(pts[bad, 0], pts[bad, 1], s=80, facecolors="none", edgecolors="#D55E00", lw=1.4, zorder=4,
                   label="violates the condition")
        ax.legend(loc="best")
    ax.scatter(C[:, 0], C[:, 1], marker="x", s=60, color="k", lw=2, zorder=5)
    pad = 0.1 * span
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_aspect("equal")
    ax.grid(False)
    return fig, ax


def plot_recovery_region(x, y, pw_exact, al_exact, ax=None, *, conditions=None, xlabel=None, ylabel=None):
    """Where each relaxation recovers the ground truth on a grid of two parameters.

    Cells are coloured "neither", "Amini–Levina only" or "both" (Peng–Wei exact
    implies Amini–Levina exact for a balanced ground truth); a cell where only
    Peng–Wei is exact, which would contradict that implication, is drawn black.
    Optional boolean grids of sufficient conditions are overlaid as contours.

    Paper: Paper 3, Section 3.2 and Figure 2.

    Parameters
    ----------
    x : array-like of shape (nx,)
    y : array-like of shape (ny,)
    pw_exact, al_exact : array-like of bool, shape (ny, nx)
    ax : matplotlib Axes, optional
    conditions : dict, optional
        ``{label: (xf, yf, holds)}`` with ``holds`` of shape (len(yf), len(xf)).
    xlabel, ylabel : str, optional

    Returns
    -------
    (fig, ax)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kmbook.plotting import plot_recovery_region
    >>> fig, ax = plot_recovery_region([1, 2], [0, 1], [[False, True], [False, False]], [[True, True], [False, True]])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['neither exact', 'Amini–Levina only', 'both exact']
    >>> plt.close(fig)
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    pw, al = np.asarray(pw_exact, dtype=bool), np.asarray(al_exact, dtype=bool)
    if pw.shape != (ys.size, xs.size) or al.shape != pw.shape:
        raise ValueError(f"pw_exact and al_exact must have shape (len(y), len(x)) = {(ys.size, xs.size)}.")
    code = np.where(pw & al, 2, np.where(al, 1, np.where(pw, 3, 0)))
    cmap = ListedColormap(["#f0f0f0", PALETTE[4], PALETTE[0], "#000000"])
    fig, ax = _get_ax(ax)
    ax.pcolormesh(xs, ys, code, cmap=cmap, vmin=-0.5, vmax=3.5, shading="nearest")
    handles = [Patch(color="#f0f0f0", label="neither exact"), Patch(color=PALETTE[4], label="Amini–Levina only"),
               Patch(color=PALETTE[0], label="both exact")]
    styles = [(PALETTE[5], "-"), (PALETTE[7], "--"), (PALETTE[3], ":")]
    for i, (name, (xf, yf, holds)) in enumerate((conditions or {}).items()):
        col, ls = styles[i % 3]
        ax.contour(np.asarray(xf, float), np.asarray(yf, float), np.asarray(holds, float), levels=[0.5],
                   colors=[col], linestyles=ls, linewidths=1.8)
        handles.append(mpl.lines.Line2D([], [], color=col, ls=ls, label=name))
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=True)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.grid(False)
    return fig, ax


def plot_threshold_curves(x, curves, ax=None, *, xlabel=None, ylabel="minimum separation", markers=True):
    """Separation thresholds against a parameter (K or d), one curve per method.

    Paper: Paper 3, Section 5, Figures 4 and 5.

    Parameters
    ----------
    x : array-like of shape (m,)
    curves : dict
        ``{label: y}`` with ``y`` of shape (m,); NaN entries are skipped.
    ax : matplotlib Axes, optional
    xlabel, ylabel : str, optional
    markers : bool, default=True

    Returns
    -------
    (fig, ax)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from kmbook.plotting import plot_threshold_curves
    >>> fig, ax = plot_threshold_curves([2, 3], {"a": [2.8, 2.9], "b": [3.4, 3.7]}, xlabel="K")
    >>> len(ax.lines), ax.get_xlabel()
    (2, 'K')
    >>> plt.close(fig)
    """
    xs = np.asarray(x, dtype=float)
    fig, ax = _get_ax(ax)
    for i, (label, y) in enumerate(curves.items()):
        ys = np.asarray(y, dtype=float)
        if ys.shape != xs.shape:
            raise ValueError(f"curve {label!r} has shape {ys.shape}; expected {xs.shape}.")
        ax.plot(xs, ys, marker="os^dv<>"[i % 7] if markers else None, ms=5, color=color(i), label=label)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.legend(fontsize=8)
    return fig, ax


__all__ += ["plot_partition_matrix", "plot_proximity", "plot_recovery_region", "plot_threshold_curves"]


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
