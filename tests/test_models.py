import math

import numpy as np
import pytest

from kmbook.models import SNR, BallMixture, GaussianMixture, balanced_sample

CENTERS_1D = [[-2.0], [0.0], [2.0]]


def test_ball_snr_and_separations():
    m = BallMixture(CENTERS_1D, radius=0.25)
    assert m.k_star == 3 and m.d == 1
    assert m.delta_min == 2.0 and m.delta_max == 4.0
    assert m.eta_min == pytest.approx(8.0) and m.eta_max == pytest.approx(16.0)
    assert m.eta() == SNR(8.0, 16.0)
    np.testing.assert_allclose(m.weights, [1 / 3] * 3)


def test_gmm_eta_uses_min_k_plus_kstar_d():
    centers = np.zeros((4, 10))
    centers[np.arange(4), np.arange(4)] = 3.0  # pairwise distance 3*sqrt(2)
    m = GaussianMixture(centers, sigma=0.5)
    # k + k* = 6 < d = 10
    assert m.eta(2).eta_min == pytest.approx(3 * math.sqrt(2) / (0.5 * math.sqrt(6)))
    # k + k* = 14 > d = 10: the dimension caps the normaliser
    assert m.eta(10).eta_max == pytest.approx(3 * math.sqrt(2) / (0.5 * math.sqrt(10)))


@pytest.mark.parametrize("model", [BallMixture([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]], 1.0),
                                   GaussianMixture([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]], 1.0)])
def test_sample_shapes_and_reproducibility(model):
    X, labels = model.sample(1000, rng=3)
    assert X.shape == (1000, 2) and labels.shape == (1000,)
    assert set(np.unique(labels)) <= {0, 1, 2}
    X2, labels2 = model.sample(1000, rng=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(labels, labels2)
    X3, _ = model.sample(1000, rng=np.random.default_rng(4))
    assert not np.array_equal(X, X3)


def test_ball_samples_lie_in_their_ball_and_fill_it_uniformly():
    m = BallMixture([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]], radius=2.0)
    X, labels = m.sample(200_000, rng=0)
    r = np.linalg.norm(X - m.centers[labels], axis=1)
    assert r.max() <= 2.0 + 1e-12
    # uniform in a 3-ball: P(|x| <= r/2) = 1/8, component means are the centres
    assert abs(np.mean(r <= 1.0) - 0.125) < 0.005
    np.testing.assert_allclose(X[labels == 1].mean(0), [10, 0, 0], atol=0.02)
    assert abs(np.mean(labels == 0) - 0.5) < 0.005


def test_gmm_samples_have_the_right_moments():
    m = GaussianMixture([[0.0, 0.0], [20.0, 0.0]], sigma=1.5)
    X, labels = m.sample(200_000, rng=1)
    resid = X - m.centers[labels]
    np.testing.assert_allclose(resid.std(0), [1.5, 1.5], rtol=0.01)
    np.testing.assert_allclose(resid.mean(0), [0, 0], atol=0.02)


def test_pdf_integrates_to_one_in_1d():
    from scipy.integrate import quad

    for m in (BallMixture(CENTERS_1D, 0.3), GaussianMixture(CENTERS_1D, 0.4)):
        total = sum(quad(lambda x: m.pdf([[x]])[0], a, b, limit=200)[0] for a, b in [(-8, -1), (-1, 1), (1, 8)])
        assert total == pytest.approx(1.0, abs=1e-7)


def test_single_component_has_infinite_snr():
    m = BallMixture([[1.0, 2.0]], 0.5)
    assert m.eta_min == math.inf and m.eta_max == math.inf


def test_touching_balls_are_allowed():
    BallMixture([[0.0], [1.0]], radius=0.5)


def test_overlapping_balls_raise():
    with pytest.raises(ValueError, match="overlap.*radius <= 0.5"):
        BallMixture([[0.0], [1.0]], radius=0.6)


@pytest.mark.parametrize("radius", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_radius(radius):
    with pytest.raises(ValueError, match="radius"):
        BallMixture(CENTERS_1D, radius)


@pytest.mark.parametrize("sigma,exc", [(0, ValueError), (-2, ValueError), ("1", TypeError), (None, TypeError)])
def test_bad_sigma(sigma, exc):
    with pytest.raises(exc, match="sigma"):
        GaussianMixture(CENTERS_1D, sigma)


@pytest.mark.parametrize(
    "centers,match",
    [
        ([0.0, 1.0], "2-D"),
        ([[0.0], [np.nan]], "finite"),
        ([[0.0], [0.0]], "distinct"),
        (np.zeros((0, 2)), "at least one"),
        ([["a"], ["b"]], "real numbers"),
    ],
)
def test_bad_centers(centers, match):
    with pytest.raises((ValueError, TypeError), match=match):
        GaussianMixture(centers, 1.0)


def test_bad_sample_arguments():
    m = GaussianMixture(CENTERS_1D, 1.0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        m.sample(0, rng=0)
    with pytest.raises(TypeError, match="n must be an integer"):
        m.sample(2.5, rng=0)
    with pytest.raises(TypeError, match="rng"):
        m.sample(10, rng="seed")
    with pytest.raises(ValueError, match=r"x must have shape \(m, 1\)"):
        m.pdf(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="k must be >= 1"):
        m.eta(0)


def test_balanced_sample_counts_and_components():
    m = BallMixture([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]], radius=1.0)
    X, labels = balanced_sample(m, 3001, rng=0)
    assert np.bincount(labels).tolist() == [1001, 1000, 1000]
    dist = np.linalg.norm(X - m.centers[labels], axis=1)
    assert dist.max() <= 1.0
    g = GaussianMixture([[0.0], [10.0]], sigma=2.0)
    Y, lab = balanced_sample(g, 200_000, rng=1)
    assert Y[lab == 1, 0].std() == pytest.approx(2.0, rel=0.01)
    with pytest.raises(ValueError, match="n must be >= 2"):
        balanced_sample(g, 1, rng=0)
    with pytest.raises(TypeError, match="model must be a BallMixture"):
        balanced_sample("gauss", 10, rng=0)
