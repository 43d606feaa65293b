"""Tests of kmbook.claims: the check mechanism, the table, the uncertainty helpers."""

import json
import math
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from scipy import stats

from kmbook.claims import (
    ClaimFailed,
    Claims,
    bootstrap_slope,
    compare,
    mean_interval,
    proportion,
    slope,
    wilson_interval,
)


def test_check_records_a_true_claim_and_raises_on_a_false_one():
    claims = Claims("unit")
    claims.check("two plus two is four", 2 + 2 == 4, evidence="2 + 2 = 4")
    with pytest.raises(ClaimFailed) as info:
        claims.check("two plus two is five", 2 + 2 == 5, evidence="2 + 2 = 4, not 5")
    assert isinstance(info.value, AssertionError)
    message = str(info.value)
    assert "two plus two is five" in message and "2 + 2 = 4, not 5" in message and "unit" in message
    assert [c.statement for c in claims] == ["two plus two is four"]


@pytest.mark.parametrize("passed", [np.array([True, True]), 1, "yes", None])
def test_check_refuses_a_condition_that_is_not_one_bool(passed):
    with pytest.raises(TypeError, match="passed"):
        Claims("unit").check("s", passed, evidence="e")


def test_numpy_bool_is_accepted():
    Claims("unit").check("numpy comparison", np.float64(1.0) < 2.0, evidence="1 < 2")


@pytest.mark.parametrize("kwargs, name", [({"statement": ""}, "statement"), ({"evidence": " "}, "evidence")])
def test_empty_statement_or_evidence_is_refused(kwargs, name):
    args = {"statement": "s", "evidence": "e"} | kwargs
    with pytest.raises(ValueError, match=name):
        Claims("unit").check(args["statement"], True, evidence=args["evidence"])


def test_table_markdown_and_plain_text_carry_the_same_rows():
    claims = Claims("unit")
    claims.check("first | claim", True, evidence="x = 1")
    claims.check("second claim", True, evidence="y = 2", method="direct")
    table = claims.table()
    md = table._repr_markdown_()
    lines = md.splitlines()
    assert lines[0] == "| Claim | How it is checked | Evidence |"
    assert lines[2] == "| first \\| claim |  | x = 1 |"
    assert lines[3] == "| second claim | direct | y = 2 |"
    text = repr(table)
    assert "2 claims" in text and "first \\| claim" in text and "y = 2" in text and "direct" in text


def test_table_without_claims_is_an_error():
    with pytest.raises(ValueError, match="no claims"):
        Claims("empty").table()


def test_wilson_closed_forms_at_the_ends():
    z = stats.norm.ppf(0.975)
    for n in (1, 7, 30):
        lo, hi = wilson_interval(n, n)
        assert hi == 1.0 and lo == pytest.approx(n / (n + z * z), rel=1e-12)
        lo, hi = wilson_interval(0, n)
        assert lo == 0.0 and hi == pytest.approx(z * z / (n + z * z), rel=1e-12)


def test_wilson_known_values_and_symmetry():
    # Textbook value: 5/10 at 95 % gives 0.2366 to 0.7634.
    assert wilson_interval(5, 10) == pytest.approx((0.23659, 0.76341), abs=1e-5)
    for k in range(0, 13):
        lo, hi = wilson_interval(k, 12)
        lo2, hi2 = wilson_interval(12 - k, 12)
        assert lo == pytest.approx(1 - hi2, abs=1e-12) and hi == pytest.approx(1 - lo2, abs=1e-12)
        assert lo <= k / 12 <= hi


def test_wilson_agrees_with_the_score_test_inversion():
    # Independent oracle: the interval's ends are where the score statistic equals z.
    z = stats.norm.ppf(0.975)
    k, n = 14, 16
    lo, hi = wilson_interval(k, n)
    for p in (lo, hi):
        assert abs(k / n - p) / math.sqrt(p * (1 - p) / n) == pytest.approx(z, rel=1e-10)


@pytest.mark.parametrize(
    "k, n, err", [(3, 2, ValueError), (-1, 5, ValueError), (1, 0, ValueError), (1.5, 3, TypeError)]
)
def test_wilson_bad_input(k, n, err):
    with pytest.raises(err):
        wilson_interval(k, n)


def test_proportion_string_form():
    assert str(proportion(14, 16)) == "14/16 (95% interval 0.64–0.97)"
    assert proportion(0, 30).hi == pytest.approx(wilson_interval(0, 30)[1])


def test_mean_interval_against_scipy():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    est = mean_interval(x)
    lo, hi = stats.t.interval(0.95, 3, loc=x.mean(), scale=stats.sem(x))
    assert (est.lo, est.hi) == pytest.approx((lo, hi), rel=1e-12)
    assert est.value == pytest.approx(3.5)


def test_slope_interval_against_the_ols_formula():
    x = np.log([10, 100, 1000, 10000])
    y = np.log([0.026, 0.012, 0.008, 0.005])
    est = slope(x, y)
    # Independent OLS: slope and its standard error from the normal equations.
    A = np.column_stack([np.ones_like(x), x])
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    s2 = res[0] / (x.size - 2)
    se = math.sqrt(s2 / ((x - x.mean()) ** 2).sum())
    q = stats.t.ppf(0.975, x.size - 2)
    assert est.value == pytest.approx(coef[1], rel=1e-12)
    assert (est.lo, est.hi) == pytest.approx((coef[1] - q * se, coef[1] + q * se), rel=1e-10)
    assert est.excludes(-0.5) is False or est.contains(-0.5) is False


def test_bootstrap_slope_is_exact_on_a_line_and_covers_the_truth_on_noise():
    x = np.arange(10.0)
    exact = bootstrap_slope(x, 3 - 2 * x, rng=0)
    assert exact.lo == pytest.approx(-2) and exact.hi == pytest.approx(-2)
    rng = np.random.default_rng(1)
    covered = 0
    for _ in range(40):
        y = 0.5 * x + rng.normal(0, 1, x.size)
        covered += bootstrap_slope(x, y, rng=rng, n_boot=400).contains(0.5)
    assert covered >= 32  # nominal 95 %; a percentile bootstrap on n = 10 under-covers a little
    again = bootstrap_slope(x, 0.5 * x + np.sin(x), rng=7)
    assert again == bootstrap_slope(x, 0.5 * x + np.sin(x), rng=7)


def test_compare_within_and_outside_noise():
    inside = compare(1.0, 0.3, 0.8, 0.3)
    assert not inside.distinguishable and "within the noise" in str(inside)
    outside = compare(1.0, 0.05, 0.5, 0.05)
    assert outside.distinguishable and outside.z == pytest.approx(0.5 / math.hypot(0.05, 0.05))
    with pytest.raises(ValueError, match="se_a"):
        compare(1.0, -1.0, 0.0, 1.0)


def _notebook(condition: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("from kmbook.claims import Claims\nclaims = Claims('throwaway')"),
        nbformat.v4.new_code_cell(f"claims.check('the condition holds', {condition}, evidence='x')\nclaims.table()"),
    ]
    return nb


@pytest.mark.slow
def test_a_flipped_claim_fails_strict_nbval(tmp_path):
    """Execute a passing notebook, flip its claim, and show strict nbval fails (as `make test`)."""
    from nbclient import NotebookClient

    nb = _notebook("1 < 2")
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    ok = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                         "--nbval-current-env", "-o", "addopts=", "-o", "filterwarnings=", str(path)],
                        capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    stored = json.loads(path.read_text())
    source = "".join(stored["cells"][1]["source"])
    stored["cells"][1]["source"] = source.replace("1 < 2", "2 < 1")
    path.write_text(json.dumps(stored))
    bad = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                          "--nbval-current-env", "-o", "addopts=", "-o", "filterwarnings=", str(path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode != 0
    assert "ClaimFailed" in bad.stdout
