"""Smoke tests of the command-line scripts: each ``main`` runs end to end on a tiny setting."""

import importlib.util
import json
import pathlib

SCRIPTS = pathlib.Path(__file__).resolve().parents[1] / "scripts"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"kmbook_script_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_script_has_a_smoke_test():
    # stochastic_large_n's smoke test (run and resume) is tests/test_large_n.py
    assert sorted(p.stem for p in SCRIPTS.glob("*.py")) == [
        "census", "figure1", "figure1_hessians", "landscape_sweeps", "phase_transitions", "stochastic_large_n",
    ]


def test_landscape_sweeps_script(tmp_path, monkeypatch):
    """The script end to end on one tiny census sweep (the chapters' sweeps take minutes)."""
    import kmbook.stored_sweeps as stored
    from kmbook.tasks import CensusTask

    monkeypatch.chdir(tmp_path)
    tiny = {"tiny": ([CensusTask(model="ball", k_star=2, k=2, d=1, eta_min=4.0, n=100, n_starts=2)], 7)}
    monkeypatch.setattr(stored, "sweep_definitions", lambda chapter: tiny)
    out = tmp_path / "census.json"
    _load("landscape_sweeps").main(["census", "--out", str(out)])
    sweeps, command = stored.load_sweeps("census", path=out)
    assert command.startswith("python scripts/landscape_sweeps.py census")
    assert list(sweeps) == ["tiny"] and len(sweeps["tiny"]["records"]) == 1
    assert any((tmp_path / "_build" / "checkpoints").iterdir())  # checkpointed by default


def test_census_script(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default checkpoint goes under ./_build/checkpoints
    out = tmp_path / "census.json"
    _load("census").main(["--models", "ball", "--k-stars", "2", "--k-offsets", "0", "--ds", "1", "--etas", "4",
                          "--n-per-cluster", "50", "--n-starts", "2", "--out", str(out)])
    records = json.loads(out.read_text())
    assert len(records) == 1 and records[0]["k_star"] == 2 and len(records[0]["signature"]) == 2
    assert "structure" in capsys.readouterr().out


def test_figure1_script(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "figure1.png"
    _load("figure1").main(["--n", "400", "--out", str(out)])
    assert out.stat().st_size > 0
    assert capsys.readouterr().out.count("->") == 4  # one line per panel


def test_phase_transitions_script(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "pt.json"
    _load("phase_transitions").main(["--layouts", "line", "--K", "2", "--n", "3", "--tol", "0.2", "--out", str(out)])
    rows = json.loads(out.read_text())["rows"]
    assert len(rows) == 1 and rows[0]["layout"] == "line" and rows[0]["K"] == 2
    lo, hi = rows[0]["bracket"]
    assert lo < hi <= lo + 0.2 + 1e-12
    assert "Peng-Wei exact from" in capsys.readouterr().out


def test_figure1_hessians_script(tmp_path, capsys, monkeypatch):
    """The first task (a one-step Newton solve) end to end, checkpointed by default."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "stationary.json"
    _load("figure1_hessians").main(["--only", "1", "--out", str(out)])
    points = json.loads(out.read_text())["points"]
    assert len(points) == 1 and points[0]["signature"] == "2-fit-1 + 2-fit-3 (other)"
    assert points[0]["gradient_norm"] < 1e-10 and points[0]["eigenvalues"][0] < -0.3
    assert any((tmp_path / "_build" / "checkpoints").iterdir())
