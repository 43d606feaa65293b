"""The book's figure style: palette, rcParams and the ``ax=None`` convention."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = ["PALETTE", "use_style", "color"]

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


def get_ax(ax, figsize=None):
    """A new ``(fig, ax)`` when `ax` is None, else `ax` and its figure."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax
