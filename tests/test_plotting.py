"""Tests of kmbook.plotting (and of kmbook.voronoi.voronoi_cells, the geometry behind the diagrams)."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from kmbook.models import BallMixture, GaussianMixture
from kmbook.plotting import (
    plot_association,
    plot_cost_contours,
    plot_curves,
    plot_error_scaling,
    plot_figure1,
    plot_kind_map,
    plot_line_model,
    plot_solver_history,
    plot_trajectory,
    plot_voronoi,
    use_style,
)
from kmbook.structure import associate
from kmbook.voronoi import voronoi_cells

matplotlib.use("Agg")


def test_voronoi_cells_tile_the_box():
    rng = np.random.default_rng(0)
    C = rng.uniform(-1, 1, size=(6, 2))
    cells = voronoi_cells(C, (-2, 2, -2, 2))

    def area(p):
        x, y = p[:, 0], p[:, 1]
        return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))

    assert sum(area(c) for c in cells) == pytest.approx(16.0)
    # every vertex of cell i is at least as close to centre i as to any other centre
    for i, cell in enumerate(cells):
        d = ((cell[:, None, :] - C[None]) ** 2).sum(-1)
        assert np.all(d[:, i] <= d.min(1) + 1e-9)


def test_two_centres_split_by_the_bisector():
    cells = voronoi_cells([[-1.0, 0.0], [1.0, 0.0]], (-2, 2, -1, 1))
    assert cells[0][:, 0].max() == pytest.approx(0.0) and cells[1][:, 0].min() == pytest.approx(0.0)


def test_duplicate_centre_gets_empty_cell():
    cells = voronoi_cells([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]], (-2, 2, -2, 2))
    assert len(cells[1]) == 0 and len(cells[0]) >= 3


def test_plot_functions_return_fig_ax():
    use_style()
    X = np.random.default_rng(1).normal(size=(50, 2))
    fig, ax = plot_voronoi([[0.0, 0.0], [1.0, 1.0]], X=X, true_centers=[[0.0, 1.0]])
    assert fig is ax.figure
    fig2, ax2 = plot_trajectory(np.zeros((3, 2, 2)), ax=ax)
    assert ax2 is ax
    plt.close("all")
    with pytest.raises(ValueError, match="trajectory must have shape"):
        plot_trajectory(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="bounds"):
        voronoi_cells([[0.0, 0.0]], (1, 0, 0, 1))


# --- population landscape in one dimension


def test_plot_line_model_draws_voronoi_boundaries_at_midpoints():
    use_style()
    model = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    fig, ax = plot_line_model(model, [[-2.15], [-1.85], [1.0]])
    dashed = sorted(line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--")
    assert dashed == pytest.approx([-2.0, -0.425])
    fig2, ax2 = plot_line_model(GaussianMixture([[0.0], [3.0]], sigma=1.0))  # density only
    assert not any(line.get_linestyle() == "--" for line in ax2.get_lines())
    plt.close(fig)
    plt.close(fig2)
    with pytest.raises(TypeError, match="one-dimensional"):
        plot_line_model(BallMixture([[0.0, 0.0]], radius=1.0))


def test_plot_cost_contours_and_kind_map_check_shapes():
    xs, ys = np.linspace(0, 1, 5), np.linspace(0, 2, 4)
    fig, ax = plot_cost_contours(xs, ys, np.add.outer(ys, xs), points={"p": (0.5, 1.0)})
    assert ax.get_legend() is not None
    plt.close(fig)
    with pytest.raises(ValueError, match="shape"):
        plot_cost_contours(xs, ys, np.zeros((5, 4)))
    kinds = np.where(np.add.outer(ys, xs) > 1, "saddle", "local minimum")
    fig, ax = plot_kind_map(xs, ys, kinds, order=["local minimum", "saddle", "unused"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["local minimum", "saddle"]
    plt.close(fig)
    with pytest.raises(ValueError, match="missing"):
        plot_kind_map(xs, ys, kinds, order=["saddle"])


# --- structure figures

T = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_association_draws_one_line_per_fitted_true_pair():
    beta = np.array([[-0.3, 0.0], [0.3, 0.0], [2.0, 2.0]])          # 2-fit-1 + 1-fit-2
    a = associate(beta, T)
    fig, ax = plot_association(a, beta, T)
    assert len(ax.lines) == 2 + 2
    assert {line.get_label() for line in ax.lines} >= {"many-fit-one", "one-fit-many"}
    with pytest.raises(ValueError, match="shares of shape"):
        plot_association(a, beta[:2], T)


def test_plot_figure1_layout_and_checks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 2))
    traj = [np.stack([T, T + 0.1]), np.stack([T])]
    fig, axes = plot_figure1(X, T, traj, titles=["a", "b"], signatures=[("s", "t"), ("u", "v")])
    assert axes.shape == (2, 2)
    assert axes[0, 0].get_title() == "a" and axes[1, 1].get_xlabel() == "limit: v"
    with pytest.raises(ValueError, match="shape \\(T, k, 2\\)"):
        plot_figure1(X, T, [np.zeros((3, 2))])
    with pytest.raises(ValueError, match="titles must have one entry per trajectory"):
        plot_figure1(X, T, traj, titles=["a"])


def test_plot_curves_and_error_scaling():
    rows = [dict(x=1, y=0.5, g="a"), dict(x=2, y=0.7, g="a"), dict(x=1, y=0.2, g="b")]
    fig, ax = plot_curves(rows, "x", "y", by="g", logx=True)
    assert len(ax.lines) == 2 and ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2"]
    with pytest.raises(ValueError, match="no column 'z'"):
        plot_curves(rows, "x", "z")
    with pytest.raises(ValueError, match="must not be empty"):
        plot_curves([], "x", "y")
    eta = np.geomspace(10, 1000, 5)
    fig, ax = plot_error_scaling(eta, 1 / eta, slope=-1.0, intercept=0.0)
    assert ax.get_xscale() == "log" and len(ax.lines) == 2
    with pytest.raises(ValueError, match="no positive finite"):
        plot_error_scaling(eta, np.zeros(5))
    with pytest.raises(ValueError, match="same length"):
        plot_error_scaling(eta, eta[:2])


def test_plot_solver_history_skips_unestimated_gaps_and_marks_the_certified_one():
    history = [[20, 1e-2, None, 5.0, 8], [40, 1e-4, 3e-3, 5.0, 8], [60, 1e-6, 2e-5, 10.0, 9], [80, 0.0, 8e-6, 10.0, 9]]
    fig, ax = plot_solver_history(history, label="G2", certified_gap=9e-6)
    residual, gap, final = ax.get_lines()
    assert list(residual.get_xdata()) == [20, 40, 60]  # a zero residual has no place on a log axis
    assert list(gap.get_xdata()) == [40, 60, 80] and list(gap.get_ydata()) == [3e-3, 2e-5, 8e-6]
    assert list(final.get_xdata()) == [80] and list(final.get_ydata()) == [9e-6]
    assert ax.get_yscale() == "log" and gap.get_label().startswith("G2: ")
    plt.close(fig)
    with pytest.raises(ValueError, match="history"):
        plot_solver_history([])
    with pytest.raises(ValueError, match="history"):
        plot_solver_history([[1, 2]])
    with pytest.raises(TypeError, match="label"):
        plot_solver_history(history, label=3)
