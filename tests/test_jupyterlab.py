"""Notebooks in a real JupyterLab, driven by headless Chromium (Playwright), the way a
researcher opens them: a double-click on notebooks/00_corpus_overview.py in the file browser
opens it as a notebook (the project's default viewer, jupyter/labconfig/), saving it without an
edit leaves every byte of the script unchanged; all cells run, a known output appears, no cell
errors, a screenshot is saved under build/, and the server is stopped. Without a browser, the
same open-and-save round trip is checked through jupytext's contents manager for every notebook.

Needs Debian's chromium (/usr/bin/chromium) and the Python package playwright; `.ci/run`
installs both. Without them the test is skipped with the reason.
"""
import contextlib
import difflib
import json
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
try:
    from playwright import sync_api as playwright
except ImportError:  # pragma: no cover - a test dependency
    playwright = None
needs_browser = pytest.mark.skipif(playwright is None or not Path(CHROMIUM).exists(),
                                   reason="Debian's chromium or playwright is not installed (.ci/run installs both)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the panel the test opened (kept by OPEN_OVERVIEW): JupyterLab's currentWidget can be null
# while a notification toast holds the focus (1 run in 3 timed out waiting on it, idle machine)
CELL_STATE = """() => {
  const panel = window.toolkitPanel || window.jupyterapp.shell.currentWidget;
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
    # what the README's install (make) writes into the environment: the default viewer of .py files
    (tmp_path / ".jupyter" / "labconfig").mkdir(parents=True)
    overrides = json.loads((ROOT / "jupyter" / "labconfig" / "default_setting_overrides.json").read_text())
    # no "get notified about Jupyter news?" toast: it can take the focus from the opened notebook
    overrides["@jupyterlab/apputils-extension:notification"] = {"fetchNews": "false"}
    (tmp_path / ".jupyter" / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(overrides))
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
    except subprocess.TimeoutExpired:  # a loaded machine: kill it, and reap it before checking
        server.kill()
        server.wait(timeout=20)
    assert server.poll() is not None


@pytest.mark.parametrize("notebook", sorted(p.relative_to(ROOT / "notebooks").as_posix()
                                             for p in (ROOT / "notebooks").rglob("*.py")))
def test_opening_and_saving_a_notebook_changes_no_byte(tmp_path, notebook):
    import asyncio

    from jupytext import AsyncTextFileContentsManager

    (tmp_path / "notebooks" / notebook).parent.mkdir(parents=True)
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    original = (ROOT / "notebooks" / notebook).read_bytes()
    (tmp_path / "notebooks" / notebook).write_bytes(original)
    manager = AsyncTextFileContentsManager(root_dir=str(tmp_path))

    async def open_and_save():
        model = await manager.get(f"notebooks/{notebook}", content=True, type="notebook")
        # what JupyterLab adds when the kernel starts
        model["content"]["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
        await manager.save(model, f"notebooks/{notebook}")

    asyncio.run(open_and_save())
    assert (tmp_path / "notebooks" / notebook).read_bytes() == original


OPENED = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.context) { return null; }
  return {path: panel.context.path, factory: panel.context.factoryName || null,
          notebook: !!(panel.content && panel.content.model && panel.content.model.cells),
          dirty: panel.context.model.dirty,
          idle: panel.sessionContext?.session?.kernel?.status === 'idle'};
}"""


@contextlib.contextmanager
def lab_page(base, token):
    """A Chromium page on a freshly loaded JupyterLab, ready for commands."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab?reset&token={token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                               timeout=60_000)
        try:
            yield page
        finally:
            browser.close()


@needs_browser
def test_double_click_opens_a_notebook_and_saving_changes_no_byte(jupyterlab, tmp_path):
    base, token = jupyterlab
    script = tmp_path / "notebooks" / "00_corpus_overview.py"
    original, modified = script.read_bytes(), script.stat().st_mtime_ns
    with lab_page(base, token) as page:
        page.locator(".jp-DirListing-item", has_text="notebooks").first.dblclick(timeout=60_000)
        page.locator(".jp-DirListing-item", has_text="00_corpus_overview.py").first.dblclick(timeout=60_000)
        page.wait_for_function(f"() => {{ const s = ({OPENED})(); return s && s.notebook && s.idle; }}",
                               timeout=180_000)
        opened = page.evaluate(OPENED)
        editors = page.locator(".jp-FileEditor").count()
        time.sleep(0.05)
        # what Ctrl+S does, awaited until the server has written the file
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.save(); return true; }")
    assert opened["path"] == "notebooks/00_corpus_overview.py" and opened["notebook"], opened
    assert editors == 0                                     # not opened in a text editor
    assert script.stat().st_mtime_ns != modified            # it was saved ...
    saved = script.read_bytes()
    assert saved == original, "".join(difflib.unified_diff(original.decode().splitlines(True)[:30],
                                                           saved.decode().splitlines(True)[:30]))  # ... no byte changed


OPEN_OVERVIEW = """async () => {
  window.toolkitPanel = await window.jupyterapp.commands.execute(
    'docmanager:open', {path: 'notebooks/00_corpus_overview.py', factory: 'Jupytext Notebook'});
  return true;
}"""


@needs_browser
def test_overview_notebook_runs_in_jupyterlab(jupyterlab):
    base, token = jupyterlab
    with lab_page(base, token) as page:
        page.evaluate(OPEN_OVERVIEW)
        page.wait_for_function(f"() => {{ const s = ({CELL_STATE})(); return s && s.counts.length > 5 && !s.busy; }}",
                               timeout=180_000)
        # run-all acts on the notebook tracker's current panel: make it the opened one first
        page.wait_for_function("() => { window.jupyterapp.shell.activateById(window.toolkitPanel.id); "
                               "return window.jupyterapp.shell.currentWidget === window.toolkitPanel; }",
                               timeout=30_000, polling=500)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(f"() => {{ const s = ({CELL_STATE})(); return s && !s.busy && "
                               "s.counts.every(c => c !== null); }", timeout=300_000, polling=1000)
        state = page.evaluate(CELL_STATE)
        text = page.locator(".jp-NotebookPanel .jp-Notebook").last.inner_text()
        (ROOT / "build").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "build" / "jupyterlab_00_corpus_overview.png"))
    assert state["errors"] == []
    assert all(isinstance(c, int) and c > 0 for c in state["counts"])
    assert "ru.tsn.ua" in text            # the ingest report and the corpus table
    assert "Карабах" in text              # the concordance section
