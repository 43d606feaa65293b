"""`make lab`: JupyterLab on the book with the project's environment as kernel, chapters' .md as notebooks.

Starts the Makefile's own command (``make lab-run``) headless on a free localhost port, checks that
it answers, that a chapter's MyST .md is served as a notebook (jupytext's contents manager) and
opens as one by default, and that a kernel started there runs this environment's Python; then
stops it.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "book/landscape/kmeans_problem.md"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_the_book_with_the_project_kernel(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    jupytext = pytest.importorskip("jupytext")
    from jupyter_client import BlockingKernelClient

    port, token = _free_port(), "kmbook-test-token"
    runtime = ROOT / "_build" / "cache" / "jupyter" / "runtime"  # the Makefile's JUPYTER_RUNTIME_DIR
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0 " \
           f"--IdentityProvider.token={token}"
    # lab-run is the command `make lab` runs once the environment is installed; BIN is this environment.
    proc = subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "lab-run",
                             f"BIN={Path(sys.executable).parent}", f"LAB_ARGS={args}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"),
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def get(path, method="GET", body=None):
        req = urllib.request.Request(base + path, method=method, data=body,
                                     headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            try:
                status = get("/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 180 s"
                time.sleep(1)
        assert "started" in status
        # the chapter's .md is a notebook for the server (jupytext), with the chapter's cells
        model = get(f"/api/contents/{CHAPTER}?type=notebook&content=1")
        assert model["type"] == "notebook"
        expected = jupytext.read(ROOT / CHAPTER)
        assert [c["source"] for c in model["content"]["cells"]] == [c.source for c in expected.cells]
        # ...and opens as one by default in the UI (the settings in _lab/overrides.json)
        settings = get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
        assert settings["schema"]["properties"]["defaultViewers"]["default"]["markdown"] == "Jupytext Notebook"
        # a kernel started there runs this very environment
        kernel = get("/api/kernels", "POST", json.dumps({"name": "python3"}).encode())
        client = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel['id']}.json"))
        client.load_connection_file()
        client.start_channels(hb=False)  # a standalone client may read a fresh heartbeat as dead
        outputs = []
        try:
            client.wait_for_ready(timeout=120)
            reply = client.execute_interactive("import sys, kmbook; print(sys.prefix, kmbook.__name__)", timeout=120,
                                               output_hook=outputs.append)
        finally:
            client.stop_channels()
        assert reply["content"]["status"] == "ok"
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        assert text.split() == [sys.prefix, "kmbook"]
        get(f"/api/kernels/{kernel['id']}", "DELETE")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

