import concurrent.futures as cf
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sweep_tasks import draw_mean, fails_on_three, slow_logged

from kmbook.lloyd import lloyd
from kmbook.models import GaussianMixture
from kmbook.sweep import SweepTaskError, progress_enabled, run_sweep


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


# --- checkpoints -------------------------------------------------------------------------------


def test_checkpoint_resume_skips_done_tasks_and_matches(tmp_path):
    ck = tmp_path / "ck"
    full = run_sweep(draw_mean, TASKS, rng=3, progress=False)
    assert run_sweep(draw_mean, TASKS[:0], rng=3, progress=False, checkpoint=tmp_path / "empty") == []
    first = run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=ck)
    assert first == full
    assert sorted(p.name for p in ck.glob("task-*.pkl")) == [f"task-{i:07d}.pkl" for i in range(6)]
    # drop two records: the rerun recomputes exactly those and nothing else
    (ck / "task-0000001.pkl").unlink()
    (ck / "task-0000004.pkl").unlink()
    calls = []

    def counting(task, rng):
        calls.append(task["loc"])
        return draw_mean(task, rng)

    # a different function is refused...
    with pytest.raises(ValueError, match="another function"):
        run_sweep(counting, TASKS, rng=3, progress=False, checkpoint=ck)
    # ...so count calls through a thread pool wrapper around the same function
    class CountingPool(cf.ThreadPoolExecutor):
        def submit(self, fn, task, **kw):
            calls.append(task["loc"])
            return super().submit(fn, task, **kw)

    with CountingPool(2) as pool:
        again = run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=ck, executor=pool)
    assert again == full
    assert sorted(calls) == [1.0, 4.0]
    calls.clear()
    with CountingPool(2) as pool:
        assert run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=ck, executor=pool) == full
    assert calls == []


def test_checkpoint_for_other_tasks_or_seed_is_refused(tmp_path):
    ck = tmp_path / "ck"
    run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=ck)
    with pytest.raises(ValueError, match="another seed"):
        run_sweep(draw_mean, TASKS, rng=4, progress=False, checkpoint=ck)
    with pytest.raises(ValueError, match="other tasks: 6 tasks there, 5 now"):
        run_sweep(draw_mean, TASKS[:5], rng=3, progress=False, checkpoint=ck)
    other = [dict(t) for t in TASKS]
    other[2]["n"] = 51
    with pytest.raises(ValueError, match="task 2 differs"):
        run_sweep(draw_mean, other, rng=3, progress=False, checkpoint=ck)
    with pytest.raises(ValueError, match="rng must be a seed"):
        run_sweep(draw_mean, TASKS, rng=None, progress=False, checkpoint=tmp_path / "none")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="must be a folder"):
        run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=tmp_path / "file")
    with pytest.raises(TypeError, match="checkpoint must be a path"):
        run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=3)
    # a record copied in from another sweep is refused, not mixed in
    run_sweep(draw_mean, TASKS, rng=5, progress=False, checkpoint=tmp_path / "ck5")
    os.replace(tmp_path / "ck5" / "task-0000002.pkl", ck / "task-0000002.pkl")
    with pytest.raises(ValueError, match="does not belong to this sweep"):
        run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=ck)
    # the seeds of a Generator are part of the identity too
    g = np.random.default_rng(3)
    a = run_sweep(draw_mean, TASKS, rng=g, progress=False, checkpoint=tmp_path / "gen")
    assert a == run_sweep(draw_mean, TASKS, rng=np.random.default_rng(3), progress=False, checkpoint=tmp_path / "gen")
    with pytest.raises(ValueError, match="another seed"):
        run_sweep(draw_mean, TASKS, rng=g, progress=False, checkpoint=tmp_path / "gen")  # g has spawned already


@pytest.mark.parametrize("pool", [None, "threads"])
def test_failing_task_is_named_and_finished_results_kept(tmp_path, pool):
    tasks = [{"i": i, "sleep": 0.05} for i in range(6)]
    ck = tmp_path / "ck"
    ex = cf.ThreadPoolExecutor(1) if pool else None
    try:
        with pytest.raises(SweepTaskError, match=r"task 3 of 6 failed, parameters \{'i': 3, 'sleep': 0.05\}: "
                                                 r"ZeroDivisionError: task three") as info:
            run_sweep(fails_on_three, tasks, rng=1, progress=False, checkpoint=ck, executor=ex)
    finally:
        if ex is not None:
            ex.shutdown()
    err = info.value
    assert isinstance(err.__cause__, ZeroDivisionError) and err.index == 3
    assert {0, 1, 2} <= set(err.done) and 3 not in err.done
    assert all(err.results[i] is not None for i in err.done)
    stored = sorted(int(p.stem.split("-")[1]) for p in ck.glob("task-*.pkl"))
    assert stored == err.done
    # the kept results are the ones a clean run gives
    clean = [i + float(g.random()) for i, g in enumerate(np.random.default_rng(1).spawn(6))]
    assert [err.results[i] for i in err.done] == [clean[i] for i in err.done]


_KILL_SCRIPT = """
from kmbook.sweep import run_sweep
from sweep_tasks import slow_logged
tasks = [{{"i": i, "sleep": 0.4, "log": {log!r}}} for i in range(12)]
run_sweep(slow_logged, tasks, rng=7, progress=False, checkpoint={ck!r})
print("finished")
"""


def test_killed_sweep_resumes_without_recomputing(tmp_path):
    log, ck = tmp_path / "log", tmp_path / "ck"
    log.mkdir()
    tasks = [{"i": i, "sleep": 0.4, "log": str(log)} for i in range(12)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent)] + sys.path))
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT.format(log=str(log), ck=str(ck))], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(ck.glob("task-*.pkl"))) < 4:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the sweep made no progress"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    killed_pid = proc.pid
    started = {int(p.name.split("-")[1]) for p in log.iterdir()}
    recorded = {int(p.stem.split("-")[1]) for p in ck.glob("task-*.pkl")}
    assert 4 <= len(recorded) < 12
    assert recorded <= started and len(started - recorded) <= 1  # serial: at most the running task is lost
    assert json.loads((ck / "manifest.json").read_text())["n_tasks"] == 12

    resumed = run_sweep(slow_logged, tasks, rng=7, progress=False, checkpoint=ck)
    rerun = {int(p.name.split("-")[1]) for p in log.iterdir() if not p.name.endswith(f"-{killed_pid}")}
    assert rerun == set(range(12)) - recorded  # no finished task is computed again
    assert resumed == run_sweep(slow_logged, tasks, rng=7, progress=False)  # same as an uninterrupted run


# --- Dask -------------------------------------------------------------------------------------

def test_dask_local_cluster_gives_the_serial_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    from kmbook.sweep import sweep_executor

    serial = run_sweep(draw_mean, TASKS, rng=3, progress=False)
    serial_lloyd = run_sweep(_lloyd_cost, [1, 2, 3], rng=5, progress=False)
    with sweep_executor(workers=2) as ex:
        assert isinstance(ex, distributed.cfexecutor.ClientExecutor)
        cluster = ex._client.cluster
        assert isinstance(cluster, distributed.LocalCluster) and len(cluster.workers) == 2
        assert all(w.__class__.__name__ == "Nanny" for w in cluster.workers.values())  # separate processes
        assert run_sweep(draw_mean, TASKS, rng=3, executor=ex, progress=False) == serial
        assert run_sweep(_lloyd_cost, [1, 2, 3], rng=5, executor=ex, progress=False) == serial_lloyd
        # checkpointed on the cluster, resumed serially: the same results
        assert run_sweep(draw_mean, TASKS, rng=3, executor=ex, progress=False, checkpoint=tmp_path / "ck") == serial
    assert run_sweep(draw_mean, TASKS, rng=3, progress=False, checkpoint=tmp_path / "ck") == serial


def test_sweep_executor_arguments():
    from kmbook.sweep import sweep_executor

    with sweep_executor() as ex:
        assert ex is None
    with pytest.raises(ValueError, match="workers must be >= 1"):
        with sweep_executor(workers=0):
            pass
    with pytest.raises(TypeError, match="scheduler must be an address"):
        with sweep_executor(scheduler=8786):
            pass
