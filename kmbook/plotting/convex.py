"""Figures of the convex relaxations: partition matrices, proximity margins, recovery regions,
and the native solver's progress.

Chapter: book/convex/peng_wei, book/convex/amini_levina, book/convex/phase_transitions,
book/convex/sdp_at_scale.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch, Rectangle

from .._validation import as_labels, as_points, as_real, as_real_array
from ..phase_summary import THRESHOLD_LABELS
from ._style import PALETTE, color, get_ax

__all__ = [
    "plot_partition_matrix", "plot_proximity", "plot_recovery_region", "plot_solver_history",
    "plot_threshold_curves", "plot_threshold_summary",
]


def plot_partition_matrix(Z, ax=None, *, title=None, vmax=None, colorbar_label="entry of Z",
                          axis_label=None):
    """Heat map of an N x N matrix such as an SDP solution or a partition matrix.

    Paper: Paper 3, Section 2 (the partition matrix of eq. (2.2) and its relaxation (2.3)).

    Parameters
    ----------
    Z : array-like of shape (N, N)
    ax : matplotlib Axes, optional
    title : str, optional
    vmax : float, optional
        Upper end of the colour scale (default: the largest entry).
    colorbar_label : str, default="entry of Z"
        Label of the colour bar.
    axis_label : str, optional
        Label of both axes (rows and columns index the same points), e.g.
        ``"points, sorted by cluster"``.

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
    >>> fig.axes[-1].get_ylabel()
    'entry of Z'
    >>> plt.close(fig)
    """
    M = as_points(Z, "Z")
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"Z must be square of shape (N, N); got {M.shape}.")
    for name, text in (("colorbar_label", colorbar_label), ("axis_label", axis_label)):
        if text is not None and not isinstance(text, str):
            raise TypeError(f"{name} must be a str or None; got {type(text).__name__}.")
    fig, ax = get_ax(ax, figsize=(3.6, 3.2))
    im = ax.imshow(M, cmap="viridis", vmin=0.0, vmax=float(M.max()) if vmax is None else float(vmax),
                   interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label=colorbar_label)
    ax.set_xticks([])
    ax.set_yticks([])
    if axis_label:
        ax.set_xlabel(axis_label)
        ax.set_ylabel(axis_label)
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
    if not hasattr(result, "centers") or not hasattr(result, "holds"):
        raise TypeError("result must be the ProximityResult of pw_proximity or al_proximity; "
                        f"got {type(result).__name__}.")
    C = result.centers
    K = C.shape[0]
    if C.shape[1] != 2 or inv.max() + 1 != K:
        raise ValueError("result must come from the same 2-D data and labels.")
    pairs = [(a, b) for a in range(K) for b in range(a + 1, K)] if pairs is None else list(pairs)
    fig, ax = get_ax(ax, figsize=(5.2, 5.2))
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


def plot_recovery_region(x, y, pw_exact, al_exact, ax=None, *, conditions=None, xlabel=None, ylabel=None,
                         hatched=None, hatch_label="planted partition not optimal"):
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
    hatched : array-like of bool, shape (ny, nx), optional
        Cells to hatch, e.g. where the planted partition is not the k-means
        optimum (so no relaxation that solves k-means should return it). Each
        hatched cell is drawn as a transparent rectangle with ``gid="hatched-cell"``
        over the cell's colour.
    hatch_label : str
        Legend entry of the hatched cells.

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

    xs, ys = as_real_array(x, "x", ndim=1), as_real_array(y, "y", ndim=1)
    pw, al = as_real_array(pw_exact, "pw_exact") != 0, as_real_array(al_exact, "al_exact") != 0
    if pw.shape != (ys.size, xs.size) or al.shape != pw.shape:
        raise ValueError(f"pw_exact and al_exact must have shape (len(y), len(x)) = {(ys.size, xs.size)}.")
    code = np.where(pw & al, 2, np.where(al, 1, np.where(pw, 3, 0)))
    cmap = ListedColormap(["#f0f0f0", PALETTE[4], PALETTE[0], "#000000"])
    fig, ax = get_ax(ax)
    ax.pcolormesh(xs, ys, code, cmap=cmap, vmin=-0.5, vmax=3.5, shading="nearest")
    handles = [Patch(color="#f0f0f0", label="neither exact"), Patch(color=PALETTE[4], label="Amini–Levina only"),
               Patch(color=PALETTE[0], label="both exact")]
    if hatched is not None:
        hat = as_real_array(hatched, "hatched") != 0
        if hat.shape != pw.shape:
            raise ValueError(f"hatched must have shape (len(y), len(x)) = {pw.shape}.")
        xe, ye = _edges(xs), _edges(ys)
        for iy, ix in zip(*np.nonzero(hat)):  # one transparent, hatched rectangle per cell
            ax.add_patch(Rectangle((xe[ix], ye[iy]), xe[ix + 1] - xe[ix], ye[iy + 1] - ye[iy],
                                   facecolor="none", edgecolor="#444444", linewidth=0,
                                   hatch="///", gid="hatched-cell"))
        handles.append(Patch(facecolor="none", edgecolor="#444444", hatch="///", label=hatch_label))
    styles = [(PALETTE[5], "-"), (PALETTE[7], "--"), (PALETTE[3], ":")]
    for i, (name, (xf, yf, holds)) in enumerate((conditions or {}).items()):
        col, ls = styles[i % 3]
        ax.contour(np.asarray(xf, float), np.asarray(yf, float), np.asarray(holds, float), levels=[0.5],
                   colors=[col], linestyles=ls, linewidths=1.8)
        handles.append(mpl.lines.Line2D([], [], color=col, ls=ls, label=name))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
              fontsize=8, frameon=True)  # outside the axes: no cell hidden
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.grid(False)
    return fig, ax


def _edges(c):
    """Cell edges around sorted cell centres (midpoints; end cells mirrored)."""
    c = np.asarray(c, float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[2 * c[0] - mid[0]], mid, [2 * c[-1] - mid[-1]]])


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
    xs = as_real_array(x, "x", ndim=1)
    if not isinstance(curves, dict):
        raise TypeError(f"curves must be a dict {{label: y values}}; got {type(curves).__name__}.")
    fig, ax = get_ax(ax)
    for i, (label, y) in enumerate(curves.items()):
        ys = as_real_array(y, f"curves[{label!r}]")
        if ys.shape != xs.shape:
            raise ValueError(f"curve {label!r} has shape {ys.shape}; expected {xs.shape}.")
        ax.plot(xs, ys, marker="os^dv<>"[i % 7] if markers else None, ms=5, color=color(i), label=label)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    ax.legend(fontsize=8)
    return fig, ax


def plot_threshold_summary(summary, x, ax=None, *, rows=None, xlabel=None):
    """Mean thresholds against `x` with 95 % error bars; optionally every instance as a dot.

    Paper: Paper 3, Section 5, Figures 4 and 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    summary : list of dict
        Output of :func:`kmbook.phase_transitions.threshold_summary` grouped by `x`.
    x : str
        The grouping key ("K" or "d").
    ax : matplotlib Axes, optional
    rows : list of dict, optional
        The instances; their Peng–Wei thresholds are drawn as small dots.
    xlabel : str, optional
    """
    from .._section5_checks import check_real, check_rows, check_summary

    summary = check_summary(summary, x)
    if rows is not None:
        for i, r in enumerate(check_rows(rows, "rows", (x, "peng_wei"))):
            check_real(r[x], f"rows[{i}][{x!r}]")
            check_real(r["peng_wei"], f"rows[{i}]['peng_wei']")
    if xlabel is not None and not isinstance(xlabel, str):
        raise TypeError(f"xlabel must be None or a str; got {type(xlabel).__name__}.")
    fig, ax = get_ax(ax)
    xs = np.array([s[x] for s in summary], dtype=float)
    if rows is not None:
        jitter = np.linspace(-0.12, 0.12, 7)
        for i, r in enumerate(rows):
            ax.plot(r[x] + jitter[i % 7], r["peng_wei"], ".", ms=3, color=color(0), alpha=0.35)
    for i, f in enumerate(f for f in THRESHOLD_LABELS if f in summary[0]):
        m = np.array([s[f].value for s in summary])
        err = np.array([[s[f].value - s[f].lo for s in summary], [s[f].hi - s[f].value for s in summary]])
        ax.errorbar(xs, m, yerr=err, marker="os^v"[i], ms=4, capsize=3, color=color(i), label=THRESHOLD_LABELS[f])
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel("minimum separation")
    return fig, ax


def plot_solver_history(history, ax=None, *, label=None, certified_gap=None, i=0):
    """The native SDP solver's checks: residual and estimated gap against the iteration.

    Paper: Paper 3, eq. (2.3) and (3.3) (the relaxations the solver solves).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    history : array-like of shape (n_checks, >= 3)
        Rows ``(iteration, residual, estimated gap, ...)`` as ``scripts/sdp_certify.py`` stores
        them; a gap of None or inf (not yet estimated) is skipped.
    ax : matplotlib Axes, optional
    label : str, optional
        Prefix of the legend entries (e.g. the data set).
    certified_gap : float, optional
        The final certified gap, drawn as a marker at the last iteration.
    i : int, default=0
        Colour index (residual and gap share it; the residual is dashed).
    """
    rows = [list(r) for r in history] if history is not None else None
    if not rows or any(len(r) < 3 for r in rows):
        raise ValueError("history must hold rows (iteration, residual, estimated gap, ...) as stored by "
                         "scripts/sdp_certify.py; got an empty or short history.")
    H = np.array([[np.nan if v is None else float(v) for v in r[:3]] for r in rows])
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be None or a str; got {type(label).__name__}.")
    if certified_gap is not None:
        certified_gap = as_real(certified_gap, "certified_gap")
    fig, ax = get_ax(ax)
    prefix = f"{label}: " if label else ""
    it, res, gap = H[:, 0], H[:, 1], H[:, 2]
    pos = res > 0
    ax.semilogy(it[pos], res[pos], "--", lw=1, color=color(i), label=f"{prefix}residual (max violation of Z ≥ 0)")
    ok = np.isfinite(gap) & (gap > 0)
    ax.semilogy(it[ok], gap[ok], "-", lw=1.5, color=color(i), label=f"{prefix}estimated gap")
    if certified_gap is not None:
        ax.plot([it[-1]], [certified_gap], "o", ms=6, color=color(i), label=f"{prefix}certified gap (stored files)")
    ax.set_xlabel("ADMM iteration")
    ax.set_ylabel("relative gap; largest violation")
    return fig, ax
