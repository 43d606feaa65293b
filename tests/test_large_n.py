"""The stored large-n results (scripts/stochastic_large_n.py) reproduce: a small slice is re-run.

Paper 2, Figure 0(a); chapter book/stochastic/large_n.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from kmbook.large_n import efficiency_task, make_tasks, task_rng

RESULTS = Path(__file__).resolve().parents[1] / "scripts" / "results" / "stochastic_large_n.json"
KEYS = ("dataset", "seeding", "replicate", "seed", "method", "learning_rate")


def _stored():
    return json.loads(RESULTS.read_text())


def _find(runs, task):
    hits = [r for r in runs if all(r.get(k) == task.get(k) for k in KEYS)]
    assert len(hits) == 1, f"expected one stored run for {task}, found {len(hits)}"
    return hits[0]


def test_stored_file_is_complete_and_names_its_command():
    stored = _stored()
    assert stored["command"].startswith("python scripts/stochastic_large_n.py")
    expected = make_tasks(seed=stored["seed"])
    assert len(stored["runs"]) == len(expected)
    for t in expected:
        _find(stored["runs"], t)
    assert set(stored["references"]) == {"birch1", "birch2", "dim032"}


@pytest.mark.parametrize("method", ["lloyd", "bbs", "flat"])
def test_dim032_slice_reproduces(method):
    stored = _stored()
    tasks = [t for t in make_tasks(datasets=("dim032",), seedings=("buckshot",), replicates=1,
                                   seed=stored["seed"])
             if t["method"] == method or t.get("learning_rate") == method]
    assert len(tasks) == 1
    new = efficiency_task(tasks[0], rng=None)
    old = _find(stored["runs"], tasks[0])
    assert new["points"] == old["points"]
    np.testing.assert_allclose(new["cost"], old["cost"], rtol=1e-9)
    assert new["stationary_cost"] == pytest.approx(old["stationary_cost"], rel=1e-9)


@pytest.mark.slow
def test_birch1_minibatch_slice_reproduces():
    stored = _stored()
    task = [t for t in make_tasks(datasets=("birch1",), seedings=("kmeans++",), replicates=1,
                                  seed=stored["seed"]) if t.get("learning_rate") == "bbs"][0]
    new = efficiency_task(task, rng=None)
    old = _find(stored["runs"], task)
    np.testing.assert_allclose(new["cost"], old["cost"], rtol=1e-9)


def test_task_rng_depends_on_the_task_not_on_its_position():
    t = make_tasks(datasets=("dim032",), replicates=2)
    a = [task_rng(x).random() for x in t if x["method"] == "minibatch"]
    assert len(set(a)) == len(a)
    assert task_rng(t[1]).random() == task_rng(dict(t[1])).random()


def test_bad_method_is_named():
    t = dict(make_tasks(datasets=("dim032",), replicates=1)[0], method="sgd")
    with pytest.raises(ValueError, match="method"):
        efficiency_task(t)


def test_script_runs_and_resumes_from_its_checkpoint(tmp_path):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "stochastic_large_n.py"
    spec = importlib.util.spec_from_file_location("stochastic_large_n", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "tiny.json"
    args = ["--datasets", "dim032", "--seedings", "buckshot", "--replicates", "1",
            "--passes", "2", "--out", str(out)]
    mod.main(args)
    first = json.loads(out.read_text())
    assert len(first["runs"]) == 3 and first["references"]["dim032"]["certified"]
    # the stored margin of (1.1) is what the script computes now
    margin = first["references"]["dim032"]["certificate_margin"]
    assert margin > 0
    assert margin == pytest.approx(_stored()["references"]["dim032"]["certificate_margin"])
    mod.main(args)   # everything is in the checkpoint: nothing is re-run or duplicated
    assert json.loads(out.read_text())["runs"] == first["runs"]
