"""Notebook 00 in a real JupyterLab, driven by headless Chromium (Playwright), the way a
researcher opens it: the jupytext script notebooks/00_corpus_overview.py opened as a notebook
("Jupytext Notebook"), all cells run, a known output appears, no cell errors, a screenshot is
saved under build/, and the server is stopped.

Needs Debian's chromium (/usr/bin/chromium) and the Python package playwright; `.ci/run`
installs both. Without them the test is skipped with the reason.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.ci/run installs it)")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (.ci/run installs it)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CELL_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model) { return null; }
  const cells = panel.content.model.cells, counts = [], errors = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') { continue; }
    counts.push(cell.executionCount);
    for (const output of cell.outputs.toJSON()) {
      if (output.output_type === 'error') { errors.push(i + ': ' + output.ename + ': ' + output.evalue); }
    }
  }
  return {counts, errors, busy: panel.sessionContext.session?.kernel?.status !== 'idle'};
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def jupyterlab(tmp_path):
    # a workspace laid out like the repository: notebooks/ beside seeds/, with the jupytext config
    (tmp_path / "notebooks").mkdir()
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "notebooks" / "00_corpus_overview.py", tmp_path / "notebooks")
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    port, token = _free_port(), "toolkit-test-token"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / ".jupyter"),
           "TOOLKIT_FIGURES_DIR": str(tmp_path / "figures"),
           # the kernel spec runs "python": make it this environment's python
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    assert server.poll() is not None


def test_overview_notebook_runs_in_jupyterlab(jupyterlab):
    base, token = jupyterlab
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab?reset&token={token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                               timeout=60_000)
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:open', "
                      "{path: 'notebooks/00_corpus_overview.py', factory: 'Jupytext Notebook'})")
        page.wait_for_function(f"() => {{ const s = ({CELL_STATE})(); return s && s.counts.length > 5 && !s.busy; }}",
                               timeout=180_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(f"() => {{ const s = ({CELL_STATE})(); return s && !s.busy && "
                               "s.counts.every(c => c !== null); }", timeout=300_000, polling=1000)
        state = page.evaluate(CELL_STATE)
        text = page.locator(".jp-NotebookPanel .jp-Notebook").last.inner_text()
        (ROOT / "build").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "build" / "jupyterlab_00_corpus_overview.png"))
        browser.close()
    assert state["errors"] == []
    assert all(isinstance(c, int) and c > 0 for c in state["counts"])
    assert "ru.tsn.ua" in text            # the ingest report and the corpus table
    assert "Карабах" in text              # the concordance section
