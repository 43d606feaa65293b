"""Tests of kmbook.structure: associations of Theorems 1-3, centroid index, pruning, Figure 1."""

import math

import numpy as np
import pytest

from kmbook import structure as S
from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture, balanced_sample
from kmbook.structure import (
    KINDS,
    associate,
    figure1_setup,
)

TRUTH3 = np.array([[-2.0], [0.0], [2.0]])


def test_ground_truth_is_all_one_fit_one():
    T = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0], [5.0, 5.0]])
    a = associate(T, T)
    assert a.signature == "4×1-fit-1"
    assert a.satisfies_structure
    assert a.counts == {"many-fit-one": 0, "one-fit-many": 0, "one-fit-one": 4, "other": 0, "almost-empty": 0}
    assert np.all(a.errors() == 0)
    assert a.source == "point model"
    assert math.isclose(a.delta_min, 5.0) and math.isclose(a.delta_max, 5.0 * math.sqrt(2))


@pytest.mark.parametrize("r", [0.05, 0.2, 0.3, 0.39])
def test_proposition2_many_fit_one_and_one_fit_many_exact(r):
    """Paper 1, Proposition 2: (-2 - r/2, -2 + r/2, 1) is 2-fit-1 + 1-fit-2 with errors r/2 and 0."""
    model = BallMixture(TRUTH3, radius=r)
    a = associate([[-2 - r / 2], [-2 + r / 2], [1.0]], None, model=model)
    assert a.signature == "2-fit-1 + 1-fit-2"
    mfo, ofm = a.groups
    assert (mfo.kind, mfo.fitted, mfo.true) == ("many-fit-one", (0, 1), (0,))
    assert (ofm.kind, ofm.fitted, ofm.true) == ("one-fit-many", (2,), (1, 2))
    np.testing.assert_allclose(mfo.errors, [r / 2, r / 2], rtol=1e-12)
    np.testing.assert_allclose(ofm.errors, [0.0], atol=1e-12)
    np.testing.assert_allclose(a.shares, [[0.5, 0, 0], [0.5, 0, 0], [0, 1, 1]], atol=1e-12)
    np.testing.assert_allclose([mfo.mass, ofm.mass], [1 / 3, 2 / 3], rtol=1e-12)
    np.testing.assert_allclose(a.errors("many-fit-one", relative=True), [r / 8, r / 8], rtol=1e-12)


def test_example1_two_fit_three_is_other():
    """Paper 1, appendix Example 1: (-2/3 - r/6, 2/3 + r/6, far) splits the middle ball: 2-fit-3."""
    r = 0.3
    model = BallMixture([[-1.0], [0.0], [1.0]], radius=r)
    beta = [[-2 / 3 - r / 6], [2 / 3 + r / 6], [25.0]]
    a = associate(beta, None, model=model)
    assert a.signature == "2-fit-3 (other) + 1-fit-0"
    assert not a.satisfies_structure
    other, empty = a.groups
    assert (other.kind, other.reason, other.fitted, other.true) == ("other", "many-fit-many", (0, 1), (0, 1, 2))
    assert (empty.kind, empty.fitted, empty.mass) == ("almost-empty", (2,), 0.0)
    np.testing.assert_allclose(a.shares[:, 1], [0.5, 0.5, 0.0], atol=1e-12)
    assert np.isnan(empty.errors).all() and empty.target is None
    # the same verdict on a labelled sample and in the point model
    X, labels = balanced_sample(model, 30_000, rng=1)
    assert associate(beta, model.centers, X=X, labels=labels).signature == "2-fit-3 (other) + 1-fit-0"
    assert associate(beta, model.centers).signature == "2-fit-3 (other) + 1-fit-0"


def test_almost_empty_centre_far_away():
    T = np.array([[0.0, 0.0], [10.0, 0.0]])
    a = associate([[0.0, 0.0], [10.0, 0.0], [100.0, 100.0], [-80.0, 0.0]], T)
    assert a.signature == "2×1-fit-1 + 2×1-fit-0"
    assert a.satisfies_structure
    assert a.fitted_kind.tolist() == ["one-fit-one", "one-fit-one", "almost-empty", "almost-empty"]
    assert a.errors("almost-empty").size == 0


def test_not_close_groups_depend_on_tol():
    T = np.array([[0.0, 0.0], [10.0, 0.0]])
    beta = [[3.0, 0.0], [10.0, 0.0]]              # 0.3 Delta_min from its true centre
    a = associate(beta, T)
    assert a.signature == "1-fit-1 + 1-fit-1 (other)"
    bad = [g for g in a.groups if g.kind == "other"][0]
    assert bad.reason == "not close" and bad.shape == "1-fit-1"
    np.testing.assert_allclose(bad.errors, [3.0])
    assert associate(beta, T, tol=0.35).signature == "2×1-fit-1"


def test_one_fit_many_far_from_the_mean_is_other():
    T = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 30.0]])
    a = associate([[2.0, 0.0], [5.0, 30.0]], T)   # mean of the first two is (5, 0): 3 away
    assert a.signature == "1-fit-1 + 1-fit-2 (other)"
    good = associate([[5.0, 0.5], [5.0, 30.0]], T)
    assert good.signature == "1-fit-2 + 1-fit-1"


def test_two_fit_two_with_gaussian_model():
    """Figure 1, panel 1d type: two centres between two clusters share both."""
    model = GaussianMixture([[0.0, 0.0], [4.0, 0.0]], sigma=0.5)
    a = associate([[2.0, 1.0], [2.0, -1.0]], None, model=model, n_mc=50_000, rng=3)
    assert a.signature == "2-fit-2 (other)"
    assert a.groups[0].reason == "many-fit-many"
    assert a.source == "model (Monte Carlo, n=50000)"


def test_permuted_fitted_and_true_centres():
    model, starts = figure1_setup()
    X, labels = balanced_sample(model, 20_000, rng=4)
    T = np.array(model.centers)
    rng = np.random.default_rng(5)
    for beta in starts.values():
        base = associate(beta, T, X=X, labels=labels)
        pf = rng.permutation(4)
        pt = rng.permutation(4)
        inv_t = np.argsort(pt)
        perm = associate(beta[pf], T[pt], X=X, labels=inv_t[labels])
        assert perm.signature == base.signature
        # the groups are the same sets once indices are mapped back
        as_sets = lambda a, fmap, tmap: sorted(
            (tuple(sorted(fmap[i] for i in g.fitted)), tuple(sorted(tmap[s] for s in g.true))) for g in a.groups)
        assert as_sets(perm, pf, pt) == as_sets(base, np.arange(4), np.arange(4))
        np.testing.assert_allclose(perm.shares, base.shares[pf][:, pt])


@pytest.mark.parametrize(
    "beta, expected",
    [
        ([[-2.0], [1.0]], "1-fit-2 + 1-fit-1"),                                # k < k*
        ([[-2.2], [-1.8], [0.0], [1.8], [2.2]], "2×2-fit-1 + 1-fit-1"),         # k > k*
        ([[-2.0], [0.0], [2.0], [40.0]], "3×1-fit-1 + 1-fit-0"),               # k > k*, one empty
        ([[0.0]], "1-fit-3"),                                                  # k = 1
    ],
)
def test_k_different_from_k_star(beta, expected):
    model = BallMixture(TRUTH3, radius=0.3)
    a = associate(beta, None, model=model)
    assert a.signature == expected
    assert a.satisfies_structure


def test_single_true_cluster_is_many_fit_one():
    a = associate([[0.1, 0.0], [-0.1, 0.0]], [[0.0, 0.0]])
    assert a.signature == "2-fit-1" and math.isinf(a.delta_min)


def test_rule_three_links_a_centre_fed_by_leaks():
    """A centre holding >= share of mass only through leaks is linked to its main source, not empty."""
    shares = np.array([[0.92, 0.0], [0.08, 0.06], [0.0, 0.94]])
    links = S._edges(shares, 0.1)
    assert links[1].tolist() == [True, False]
    assert links[0, 0] and links[2, 1]
    low = np.array([[0.95, 0.0], [0.05, 0.04], [0.0, 0.96]])
    assert not S._edges(low, 0.1)[1].any()


def test_masses_and_shares_are_probabilities():
    model = GaussianMixture([[0.0, 0.0], [3.0, 1.0], [-1.0, 4.0]], sigma=1.0)
    beta = np.array([[0.5, 0.5], [2.0, 2.0], [-2.0, 3.0], [9.0, 9.0]])
    a = associate(beta, None, model=model, n_mc=30_000, rng=0)
    np.testing.assert_allclose(a.shares.sum(0), 1.0)
    assert math.isclose(a.masses.sum(), 1.0)
    assert sorted(i for g in a.groups for i in g.fitted) == [0, 1, 2, 3]
    assert sorted(s for g in a.groups for s in g.true) == [0, 1, 2]
    assert str(a) == a.signature


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(centers=[[0.0]], true_centers=None), ValueError, "true_centers is required"),
        (dict(centers=[[0.0, 1.0]], true_centers=[[0.0]]), ValueError, "centers must have 1 column"),
        (dict(centers=[[np.nan]], true_centers=[[0.0]]), ValueError, "finite"),
        (dict(centers=[[0.0]], true_centers=[[1.0], [1.0]]), ValueError, "distinct"),
        (dict(centers=[0.0, 1.0], true_centers=[[1.0]]), ValueError, "2-D"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], tol=0.0), ValueError, "tol must be > 0"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], share=1.0), ValueError, r"share must lie in \(0, 1\)"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], labels=[0]), ValueError, "labels were given without X"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], X=[[0.0]], labels=[3]), ValueError, "labels must lie in 0..0"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], X=[[0.0, 1.0]]), ValueError, "X must have 1 column"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], model="ball"), TypeError, "model must be a BallMixture"),
        (dict(centers=[[0.0]], true_centers=[[1.0]], model=BallMixture([[0.0]], 1.0)), ValueError,
         "true_centers must equal model.centers"),
        (dict(centers="abc", true_centers=[[1.0]]), TypeError, "centers must be an array"),
    ],
)
def test_associate_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        associate(**kwargs)


def test_errors_rejects_unknown_kind():
    a = associate([[0.0]], [[0.0]])
    with pytest.raises(ValueError, match="kinds must be among"):
        a.errors("two-fit-three")
    assert set(KINDS) == {"one-fit-one", "many-fit-one", "one-fit-many", "almost-empty", "other"}


def test_figure1_lloyd_escapes_the_many_fit_many_candidates():
    model, starts = figure1_setup()
    X, labels = balanced_sample(model, 40_000, rng=6)
    ends = {}
    for name, beta in starts.items():
        res = lloyd(X, beta, max_iter=1000)
        assert res.converged
        ends[name[:2]] = associate(res.centers, model.centers, X=X, labels=labels).signature
    assert ends == {"1a": "4×1-fit-1", "1b": "2-fit-1 + 1-fit-2 + 1-fit-1",
                    "1c": "2-fit-1 + 1-fit-2 + 1-fit-1", "1d": "4×1-fit-1"}


def test_figure1_setup_rejects_bad_sigma():
    with pytest.raises(ValueError, match="sigma must be > 0"):
        figure1_setup(sigma=-1.0)
