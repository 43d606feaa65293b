"""Tests of kmbook.report: log-log fits and plain-text tables."""

import math

import numpy as np
import pytest

from kmbook.report import fit_loglog, format_table


def test_fit_loglog_recovers_a_power_law():
    x = np.geomspace(1, 1000, 9)
    slope, intercept = fit_loglog(x, 3.0 * x**-0.7)
    assert slope == pytest.approx(-0.7, abs=1e-12) and intercept == pytest.approx(math.log(3.0), abs=1e-12)
    assert fit_loglog([1.0, 2.0, 4.0, 8.0], [1.0, 0.5, np.nan, -1.0])[0] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="at least two"):
        fit_loglog([1.0, 2.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="same length"):
        fit_loglog([1.0, 2.0], [1.0])


def test_format_table_alignment():
    text = format_table([dict(a="x", b=1, c=0.5, d=True), dict(a="long", b=10, c=float("nan"), d=False)],
                        ["a", "b", "c", "d"], digits=1)
    assert text.splitlines() == ["a      b    c  d", "x      1  0.5  True", "long  10  nan  False"]


def test_markdown_table_renders_rows_and_escapes_pipes():
    from kmbook.report import RenderedTable, markdown_table

    t = markdown_table([{"pair": "a|b", "x": 1.23456, "ok": True}, {"pair": "c", "x": 2.0, "ok": False}],
                       ["pair", "x", "ok"], digits=2)
    assert isinstance(t, RenderedTable)
    lines = t._repr_markdown_().splitlines()
    assert lines[0] == "| pair | x | ok |"
    assert lines[1] == "|---|---:|---|"  # numbers right-aligned, text and booleans not
    assert lines[2] == "| a\\|b | 1.23 | True |"
    assert repr(t).splitlines()[1].startswith("a|b")
    with pytest.raises(ValueError, match="rows"):
        markdown_table([{"pair": "a"}], ["pair", "x"])
