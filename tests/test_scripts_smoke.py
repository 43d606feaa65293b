"""Smoke tests of the command-line scripts: each ``main`` runs end to end on a tiny setting."""

import importlib.util
import json
import pathlib

import pytest

SCRIPTS = pathlib.Path(__file__).resolve().parents[1] / "scripts"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"kmbook_script_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_script_has_a_smoke_test():
    # stochastic_large_n's smoke test (run and resume) is tests/test_large_n.py
    assert sorted(p.stem for p in SCRIPTS.glob("*.py")) == [
        "census", "figure1", "figure1_hessians", "landscape_sweeps", "phase_transitions", "sdp_certify",
        "section5_recovery", "stochastic_large_n",
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


def test_sdp_certify_script(tmp_path, monkeypatch):
    """The script end to end on 60 points of S1: the stored files reproduce both bounds and
    the bracket meets the tolerance."""
    from kmbook.sdp_stored import load_certificate, recheck_certificate

    monkeypatch.setenv("KMBOOK_PROGRESS", "0")
    out = tmp_path / "s1_n60"
    _load("sdp_certify").main(["--set", "s1", "--n", "60", "--seed", "0", "--tol", "1e-4", "--out", str(out)])
    record, arrays = load_certificate("s1_n60", tmp_path)
    assert record["status"] == "optimal" and record["verified"] and record["command"].startswith("python scripts/")
    check = recheck_certificate(record, arrays)
    assert check["indices_match"]
    assert check["lower_bound"] == record["lower_bound_stored"] <= record["value"]
    assert check["upper_bound"] == json.loads(json.dumps(record["upper_bound_stored"]))
    assert 0 <= check["gap"] <= 1e-4


def test_section5_recovery_script_writes_and_resumes(tmp_path, monkeypatch):
    """Two tiny instances in two batches: rows and regenerating command written, checkpoint reused."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "rec.json"
    argv = ["--K", "3", "--n", "5", "--d", "2", "--deltas", "1.5", "3.5", "--instances", "2",
            "--batch", "1", "--out", str(out)]
    _load("section5_recovery").main(argv)
    first = json.loads(out.read_text())
    assert first["instances"] == 2 and len(first["rows"]) == 2
    assert first["command"] == "python scripts/section5_recovery.py " + " ".join(argv)
    assert {c["verdict"] for r in first["rows"] for c in r["cells"]} <= {"exact", "not_exact", "undecided"}
    ck = list((tmp_path / "_build" / "checkpoints").glob("section5_recovery-*/instances-*/task-*.pkl"))
    assert len(ck) == 2
    _load("section5_recovery").main(argv)  # resumes from the checkpoint: same rows
    assert json.loads(out.read_text())["rows"] == first["rows"]
    # --resume keeps the stored instances (no checkpoint to fall back on) and adds the third
    more = argv[:argv.index("--instances") + 1] + ["3"] + argv[argv.index("--instances") + 2:]
    more += ["--resume", "--no-checkpoint"]
    _load("section5_recovery").main(more)
    third = json.loads(out.read_text())
    assert third["rows"][:2] == first["rows"] and len(third["rows"]) == 3 and third["instances"] == 3
    assert all("git_commit" in row for row in third["rows"])  # per-row provenance
    assert "--resume" not in third["command"] and "--instances 3" in third["command"]
    with pytest.raises(SystemExit, match="another sweep"):
        _load("section5_recovery").main([a if a != "5" else "6" for a in more])


def test_section5_recovery_recheck_ungated(tmp_path, monkeypatch):
    """--recheck ungated re-solves exactly the certified and cheaper-point cells lacking their
    rounding fields (as stored by a solver revision older than the rounding gate)."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "rec.json"
    argv = ["--K", "2", "--n", "4", "--d", "2", "--deltas", "1.0", "4.0", "--instances", "2",
            "--relaxations", "amini_levina", "--no-checkpoint", "--out", str(out)]
    _load("section5_recovery").main(argv)
    data = json.loads(out.read_text())
    assert [[c["evidence"] for c in r["cells"]] for r in data["rows"]] == \
        [["competitor", "fitted_certificate"]] * 2
    gate_keys = ("certificate_rounding_gate", "certificate_null_residual", "certificate_duality_gap")
    comp_keys = ("competitor_rounding_bound", "competitor_linear_residual")
    for key in gate_keys:  # the first instance's certified cell as stored before the gate existed
        del data["rows"][0]["cells"][1][key]
    for key in comp_keys:  # the second instance's cheaper point, likewise
        del data["rows"][1]["cells"][0][key]
    out.write_text(json.dumps(data))
    _load("section5_recovery").main(["--recheck", "ungated", "--no-checkpoint", "--out", str(out)])
    new = json.loads(out.read_text())
    # cells that carried their fields are untouched
    assert new["rows"][0]["cells"][0] == data["rows"][0]["cells"][0]
    assert new["rows"][1]["cells"][1] == data["rows"][1]["cells"][1]
    cell = new["rows"][0]["cells"][1]
    assert all(key in cell for key in gate_keys) and cell["stored_verdict"] == ["exact", "fitted_certificate"]
    assert cell["verdict"] == "exact" and cell["certificate_null_residual"] <= cell["certificate_rounding_gate"]
    assert cell["certificate_lambda_min_certified"] > 0
    comp = new["rows"][1]["cells"][0]
    assert all(key in comp for key in comp_keys) and comp["stored_verdict"] == ["not_exact", "competitor"]
    assert comp["evidence"] == "competitor"
    assert comp["planted_cost"] - comp["competitor_cost"] > comp["competitor_rounding_bound"]
    last = new["rechecks"][-1]
    assert last["mode"] == ["ungated"] and last["cells"] == 2 and last["changed"] == []
    assert last["command"].startswith("python scripts/section5_recovery.py --recheck ungated")
    assert cell["recheck_index"] == comp["recheck_index"] == len(new["rechecks"]) - 1
    for c in (cell, comp):
        assert "tol" not in c["solver_options"]  # the sweep's own tolerance, not a tighter one
    _load("section5_recovery").main(["--recheck", "ungated", "--no-checkpoint", "--out", str(out)])
    assert json.loads(out.read_text())["rechecks"][-1]["cells"] == 0  # nothing left to gate


def test_figure1_hessians_script(tmp_path, capsys, monkeypatch):
    """The first task (a one-step Newton solve) end to end, checkpointed by default."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "stationary.json"
    _load("figure1_hessians").main(["--only", "1", "--out", str(out)])
    points = json.loads(out.read_text())["points"]
    assert len(points) == 1 and points[0]["signature"] == "2-fit-1 + 2-fit-3 (other)"
    assert points[0]["gradient_norm"] < 1e-10 and points[0]["eigenvalues"][0] < -0.3
    assert any((tmp_path / "_build" / "checkpoints").iterdir())
