"""The sweep scripts: cluster options, checkpoints by default, same output wherever they run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Scripts that run one job rather than a sweep of tasks: nothing to distribute or checkpoint.
SINGLE_JOB = {"sdp_certify.py"}  # one native SDP solve (and its stored certificate)
SCRIPTS = sorted(p for p in (ROOT / "scripts").glob("*.py") if p.name not in SINGLE_JOB)


def _run(args, cwd):
    env = dict(os.environ, KMBOOK_PROGRESS="0", PYTHONPATH=os.pathsep.join([str(ROOT)] + sys.path))
    out = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_offer_cluster_and_checkpoint_options(script, tmp_path):
    text = _run([script, "--help"], tmp_path).stdout
    for option in ("--workers", "--scheduler", "--checkpoint", "--no-checkpoint"):
        assert option in text


def test_single_job_scripts_exist_and_take_no_sweep_options(tmp_path):
    for name in SINGLE_JOB:
        assert "--workers" not in _run([ROOT / "scripts" / name, "--help"], tmp_path).stdout


CENSUS = ["--models", "gauss", "--k-stars", "3", "--k-offsets", "0", "1", "--ds", "2", "--etas", "2", "4",
          "--n-per-cluster", "150", "--n-starts", "4"]


@pytest.mark.slow
def test_census_script_checkpoints_by_default_and_matches_on_a_dask_cluster(tmp_path):
    script = ROOT / "scripts" / "census.py"
    first = _run([script, *CENSUS], tmp_path)
    (ck,) = (tmp_path / "_build" / "checkpoints").iterdir()  # the default checkpoint, named after the arguments
    assert ck.name.startswith("census-") and str(ck.relative_to(tmp_path)) in first.stderr
    assert len(list(ck.glob("task-*.pkl"))) == 4
    (ck / "task-0000002.pkl").unlink()
    resumed = _run([script, *CENSUS], tmp_path)
    assert resumed.stdout == first.stdout and len(list(ck.glob("task-*.pkl"))) == 4
    other = _run([script, *CENSUS[:-1], "5"], tmp_path)  # other arguments: another checkpoint
    assert len(list((tmp_path / "_build" / "checkpoints").iterdir())) == 2 and other.stdout != first.stdout
    dask = _run([script, *CENSUS, "--workers", "2", "--no-checkpoint"], tmp_path)
    assert dask.stdout == first.stdout
