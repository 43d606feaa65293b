"""Tests of kmbook.plotting: the structure figures of issue 4 (associations, Figure 1, census curves)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from kmbook.plotting import plot_association, plot_curves, plot_error_scaling, plot_figure1  # noqa: E402
from kmbook.structure import associate  # noqa: E402

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
