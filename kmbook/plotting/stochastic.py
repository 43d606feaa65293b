"""Figures of stochastic k-means: the gap ``phi^t - phi*`` on log-log axes.

Chapter: book/stochastic/rate, book/stochastic/clusterable.
"""

from __future__ import annotations

import numpy as np

from ._style import color, get_ax

__all__ = ["plot_loglog_gap"]


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
    fig, ax = get_ax(ax)
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
