"""The stored sweeps of the census and algorithms chapters reproduce (a slice of each)."""

import pytest

from kmbook.census_counts import count_summary
from kmbook.stored_sweeps import load_sweeps, records_match, rerun_task, save_sweeps, sweep_definitions
from kmbook.tasks import BenchmarkTask, CensusTask


@pytest.mark.parametrize("chapter", ["census", "algorithms"])
def test_stored_tasks_are_the_defined_sweeps(chapter):
    stored, command = load_sweeps(chapter)
    assert command.startswith(f"python scripts/landscape_sweeps.py {chapter}")
    defined = sweep_definitions(chapter)
    assert set(stored) == set(defined)
    for name, (tasks, seed) in defined.items():
        assert stored[name]["seed"] == seed
        assert len(stored[name]["records"]) == len(tasks)
        assert records_match([_typed(t) for t in stored[name]["tasks"]], [_typed(t) for t in tasks])


def _typed(task):
    """A task's full parameters: stored dicts and typed tasks compare on the same fields and defaults."""
    if isinstance(task, dict):
        cls = BenchmarkTask if "name" in task else CensusTask
        return cls(**task).as_dict()
    return task.as_dict()


# one cheap task of every sweep (the smallest sample), re-run with its own spawned generator
@pytest.mark.parametrize("chapter", ["census", "algorithms"])
def test_a_slice_of_every_sweep_reproduces(chapter):
    stored, _ = load_sweeps(chapter)
    for name, sw in stored.items():
        sizes = [t.get("n", 10**9) * t.get("n_starts", 1) for t in sw["tasks"]]
        i = sizes.index(min(sizes))
        again = rerun_task(sw, i)
        assert records_match(again, sw["records"][i]), f"{chapter}/{name} task {i} differs"


def test_records_match_detects_a_change():
    stored, _ = load_sweeps("census")
    rec = stored["main"]["records"][0]
    changed = dict(rec, cost=[c * (1 + 1e-6) for c in rec["cost"]])
    assert records_match(rec, rec)
    assert not records_match(rec, changed)


def test_save_and_load_round_trip(tmp_path):
    stored, _ = load_sweeps("census")
    sub = {"main": dict(stored["main"], records=stored["main"]["records"][:3],
                        tasks=stored["main"]["tasks"][:3])}
    path = save_sweeps(tmp_path / "x.json", sub, command="cmd")
    again, cmd = load_sweeps("census", path)
    assert cmd == "cmd" and records_match(again["main"]["records"], sub["main"]["records"])


def test_missing_file_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="landscape_sweeps.py census"):
        load_sweeps("census", tmp_path / "nope.json")


def test_count_summary_counts_match_shares():
    stored, _ = load_sweeps("census")
    recs = [r for r in stored["main"]["records"] if r["model"] == "ball" and r["eta_min"] == 2.0]
    row = count_summary(recs, by="eta_min")[0]
    n = sum(len(r["satisfies"]) for r in recs)
    k = sum(sum(r["satisfies"]) for r in recs)
    assert (row["structure"].k, row["structure"].n) == (k, n)
    assert row["structure"].lo < k / n < row["structure"].hi
