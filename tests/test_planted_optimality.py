"""Witnesses that the planted partition is (not) the k-means optimum; hatched recovery plots."""

from itertools import product

import matplotlib.pyplot as plt
import numpy as np
import pytest

from kmbook.geometries import far_cluster_data
from kmbook.planted_optimality import (
    lloyd_best_cost,
    merge_split_cost,
    partition_cost,
)
from kmbook.plotting import plot_recovery_region


def brute_cost(X, k):
    best = np.inf
    for lab in product(range(k), repeat=len(X)):
        lab = np.array(lab)
        if len(set(lab)) == k:
            best = min(best, partition_cost(X, lab))
    return best


def test_partition_cost_matches_pairwise_formula():
    rng = np.random.default_rng(0)
    X, lab = rng.normal(size=(9, 2)), np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    pair = sum(((X[lab == a][:, None] - X[lab == a][None]) ** 2).sum() / (2 * (lab == a).sum())
               for a in range(3))
    assert partition_cost(X, lab) == pytest.approx(pair, rel=1e-12)


def test_merge_split_matches_brute_force_over_its_family():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(8, 2))
    lab = np.array([0, 0, 1, 1, 2, 2, 2, 2])
    W = X[lab == 2]
    best = min(partition_cost(W, np.array(s)) for s in product((0, 1), repeat=4) if len(set(s)) == 2)
    merged = X[lab < 2]
    expected = best + partition_cost(merged, np.zeros(4, int))
    assert merge_split_cost(X, lab, (0, 1), 2) == pytest.approx(expected, rel=1e-12)


def test_figure2_instances():
    X, lab = far_cluster_data(4.0, 8.0, n=6, distance=60.0)  # the old Figure 2 case
    assert merge_split_cost(X, lab, (0, 1), 2) < partition_cost(X, lab)
    X, lab = far_cluster_data(4.4, 4.0, n=6, distance=60.0)  # the genuine one
    assert partition_cost(X, lab) == pytest.approx(108.0)
    assert merge_split_cost(X, lab, (0, 1), 2) > 120
    assert lloyd_best_cost(X, 3, np.random.default_rng(0), restarts=30) == pytest.approx(108.0)


def test_lloyd_best_cost_reaches_the_optimum_on_small_data():
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(size=(3, 2)) + c for c in ([0, 0], [4, 0], [0, 5])])
    opt = brute_cost(X, 3)
    assert lloyd_best_cost(X, 3, np.random.default_rng(3), restarts=60) == pytest.approx(opt)


def test_bad_input():
    X, lab = far_cluster_data(4.4, 4.0, n=6)
    with pytest.raises(ValueError, match="merge"):
        merge_split_cost(X, lab, (0, 0), 2)
    with pytest.raises(TypeError, match="rng"):
        lloyd_best_cost(X, 3, 0)
    with pytest.raises(ValueError, match="labels"):
        partition_cost(X, lab[:-1])


def test_recovery_region_hatches_cells():
    fig, ax = plot_recovery_region([1, 2], [0, 1], [[0, 1], [0, 0]], [[1, 1], [0, 1]],
                                   hatched=[[0, 0], [1, 0]])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == "planted partition not optimal"
    with pytest.raises(ValueError, match="hatched"):
        plot_recovery_region([1, 2], [0, 1], [[0, 1], [0, 0]], [[1, 1], [0, 1]], hatched=[[1]])
    plt.close(fig)


def test_recovery_region_hatching_is_drawn():
    """The hatched cells are drawn (one visible patch each) and change the rendered pixels."""
    hatched = np.array([[0, 0], [1, 0]], bool)
    pw, al = [[0, 1], [0, 0]], [[1, 1], [0, 1]]
    fig, ax = plot_recovery_region([1, 2], [0, 1], pw, al, hatched=hatched)
    cells = [p for p in ax.patches if p.get_gid() == "hatched-cell"]
    assert len(cells) == int(hatched.sum())
    assert all(p.get_hatch() == "///" and p.get_visible() and p.get_edgecolor()[3] > 0
               for p in cells)
    assert cells[0].get_xy() == (0.5, 0.5)  # the cell of x = 1, y = 1
    ax.get_legend().remove()
    fig.canvas.draw()
    with_hatch = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    centres = {(x, y): ax.transData.transform((x, y)) for x in (1, 2) for y in (0, 1)}
    plt.close(fig)
    fig0, ax0 = plot_recovery_region([1, 2], [0, 1], pw, al)
    ax0.get_legend().remove()
    fig0.canvas.draw()
    without = np.asarray(fig0.canvas.buffer_rgba())[..., :3].astype(int)
    plt.close(fig0)
    changed = np.abs(with_hatch - without).sum(axis=2) > 60
    h = changed.shape[0]

    def strokes(x, y):  # changed pixels in a 30 x 30 window around a cell centre
        px, py = centres[(x, y)]
        r, c = int(round(h - py)), int(round(px))
        return int(changed[r - 15:r + 15, c - 15:c + 15].sum())

    assert strokes(1, 1) > 20  # the hatched cell (row y = 1, column x = 1)
    assert strokes(2, 1) == strokes(1, 0) == strokes(2, 0) == 0


def test_recovery_region_legend_covers_no_cell():
    """The legend sits outside the axes, so it hides none of the grid's cells."""
    fig, ax = plot_recovery_region([1, 2], [0, 1], [[0, 1], [0, 0]], [[1, 1], [0, 1]],
                                   hatched=[[0, 0], [1, 0]])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    leg, box = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
    plt.close(fig)
    assert leg.x0 >= box.x1
