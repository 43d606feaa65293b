import concurrent.futures as cf
import multiprocessing

import pytest

from kmbook.lloyd import lloyd
from kmbook.models import GaussianMixture
from kmbook.sweep import progress_enabled, run_sweep


def _mean_of_draws(task, rng):
    return round(float(rng.normal(loc=task["loc"], size=task["n"]).mean()), 12)


TASKS = [{"loc": float(i), "n": 50} for i in range(6)]


def test_results_in_task_order_and_reproducible():
    a = run_sweep(_mean_of_draws, TASKS, rng=3, progress=False)
    b = run_sweep(_mean_of_draws, TASKS, rng=3, progress=False)
    assert a == b
    assert [round(x) for x in a] == [0, 1, 2, 3, 4, 5]
    assert a != run_sweep(_mean_of_draws, TASKS, rng=4, progress=False)


def _lloyd_cost(k, rng):
    X, _ = GaussianMixture([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]], 1.0).sample(3000, rng)
    return round(lloyd(X, X[:k]).cost, 8)


POOLS = {
    "threads": lambda: cf.ThreadPoolExecutor(max_workers=2),
    "spawned-processes": lambda: cf.ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")),
}


@pytest.mark.parametrize("pool", list(POOLS))
def test_executors_give_the_serial_results(pool):
    serial = run_sweep(_mean_of_draws, TASKS, rng=3, progress=False)
    serial_lloyd = run_sweep(_lloyd_cost, [1, 2, 3], rng=5, progress=False)  # numba kernels in the parent
    with POOLS[pool]() as ex:
        assert run_sweep(_mean_of_draws, TASKS, rng=3, executor=ex, progress=False) == serial
        assert run_sweep(_lloyd_cost, [1, 2, 3], rng=5, executor=ex, progress=False) == serial_lloyd


def test_progress_env(monkeypatch, capsys):
    monkeypatch.setenv("KMBOOK_PROGRESS", "0")
    assert not progress_enabled()
    monkeypatch.setenv("KMBOOK_PROGRESS", "1")
    assert progress_enabled()
    run_sweep(_mean_of_draws, TASKS[:2], rng=0, desc="demo")
    assert "demo" in capsys.readouterr().err
    assert progress_enabled(False) is False


def test_bad_arguments():
    with pytest.raises(TypeError, match="func must be callable"):
        run_sweep(3, TASKS)
    with pytest.raises(TypeError, match="executor must provide submit"):
        run_sweep(_mean_of_draws, TASKS, rng=0, executor=object(), progress=False)
