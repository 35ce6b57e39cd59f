"""Report stage: run the numbered notebooks headless on a corpus and collect their outputs.

Reads a corpus folder (or snapshot) and ``notebooks/*.py`` (jupytext percent scripts); writes
into the output folder the corpus snapshot, executed ``.ipynb`` and ``.html`` per notebook,
``figures/``, ``index.html`` and ``MANIFEST.json``.
"""
from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
_PACKAGES = ["pandas", "numpy", "scikit-learn", "matplotlib", "nltk", "snowballstemmer", "simplemma", "pymorphy3", "razdel",
             "lingua-language-detector", "scipy", "jupytext", "nbclient", "vaderSentiment"]


class NotebookError(RuntimeError):
    """A notebook cell failed; the message names the notebook, the cell and the line (the toolkit call)."""


class CorpusError(ValueError):
    """The corpus cannot be analysed (missing, empty, every file rejected); ``toolkit report``
    exits with status 2 before running any notebook. The message names the path and the reasons."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def list_notebooks(notebook_dir=NOTEBOOK_DIR) -> list[Path]:
    """The numbered notebooks (``NN_name.py``) in run order."""
    return sorted(p for p in Path(notebook_dir).glob("[0-9][0-9]_*.py"))


def notebook_header(path) -> dict:
    """Title and version from a notebook's header cell (``**Version:** 1.2.0``)."""
    text = Path(path).read_text(encoding="utf-8")
    version = re.search(r"\*\*Version:?\*\*:?\s*([0-9][\w.]*)", text)
    title = re.search(r"^# # (.+)$", text, re.M)
    return {"version": version.group(1) if version else None, "title": title.group(1).strip() if title else Path(path).stem}


def _inject_parameters(notebook, parameters: dict):
    """Papermill-style: insert a cell after the one tagged ``parameters`` overriding its values."""
    import nbformat

    lines = ["# Parameters injected by `toolkit report`"]
    lines += [f"{key} = {value!r}" for key, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    position = next((i + 1 for i, c in enumerate(notebook.cells)
                     if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    notebook.cells.insert(position, cell)
    return notebook


def _kernel_config(sockets: Path):
    from traitlets.config import Config

    # IPC sockets (files only this user can reach) instead of TCP on localhost: no unencrypted
    # network channel, and no "Kernel is running over TCP" warning
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sockets) / "kernel")
    return config


#: the libraries and toolkit stages the notebooks import, imported by the shared kernel as it
#: starts (IPython's ``exec_lines``), while the report process saves the snapshot; the
#: notebooks import them again (from ``sys.modules``) and compute nothing differently
KERNEL_PRELOAD = ("pandas", "matplotlib.pyplot", "toolkit.cache", "toolkit.figures", "toolkit.corpus",
                  "toolkit.overview", "toolkit.tokens", "toolkit.explore", "toolkit.mentions", "toolkit.keywords",
                  "toolkit.topics", "toolkit.tone", "toolkit.framing", "toolkit.sourcing", "toolkit.timeline")


@contextmanager
def shared_kernel(preload=KERNEL_PRELOAD):
    """One Python kernel for every notebook of a run: the toolkit and its libraries (pandas,
    scikit-learn, matplotlib; several seconds) are imported once, not once per notebook, and
    (``preload``) while the kernel starts, not in the first notebook. Each notebook still starts
    from an empty namespace (:data:`_FRESH_NAMESPACE` runs before it). The kernel is shut down
    on leaving, also after a failure."""
    import tempfile

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.utils import run_sync

    imports = f"for _module in {tuple(preload)!r}:\n    __import__(_module)\ndel _module" if preload else ""
    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as sockets:
        kernel = SharedKernel(AsyncKernelManager(kernel_name="python3", config=_kernel_config(sockets)))
        run_sync(kernel.manager.start_kernel)(cwd=str(NOTEBOOK_DIR),
                                              extra_arguments=[f"--IPKernelApp.exec_lines={[imports]!r}"]
                                              if imports else [])
        try:
            yield kernel
        finally:
            if kernel.client is not None:
                kernel.client.stop_channels()
            run_sync(kernel.manager.shutdown_kernel)(now=True)


@dataclass
class SharedKernel:
    """The kernel of a run (``manager``) and the client the first notebook connected to it
    (``client``), reused by the next notebooks: connecting costs a few tenths of a second."""

    manager: object
    client: object = None


#: the environment variables a run sets after its shared kernel started (the kernel starts
#: first, to import while the corpus is read): the cache folder, the Dask scheduler, where
#: figures, skipped sections and resources are recorded, the background rendering of SVG/PDF.
#: Each notebook's first cell gives the kernel the report's values (as a kernel of its own inherits them)
RUN_VARIABLES = ("TOOLKIT_CACHE_DIR", "TOOLKIT_SCHEDULER", "TOOLKIT_FIGURES_DIR", "TOOLKIT_REPORT_LOG",
                 "TOOLKIT_RESOURCES_LOG", "TOOLKIT_FIGURES_BACKGROUND")

#: run (and then removed) before each notebook in a shared kernel: the previous notebook's
#: variables, figures, pandas display options and "shown once" warning marks are cleared, the
#: working folder is the notebook's and the run's variables (:data:`RUN_VARIABLES`) the report's,
#: as in a kernel of its own. The reset collects the garbage (IPython's full ``gc.collect``);
#: what survives it (modules, the toolkit's caches) is then frozen (``gc.freeze``), so that the
#: next reset's collection, and the automatic ones during the cells, look only at the objects
#: made since: that collection had taken up to a second before each notebook of a
#: 1,000-article report (a cycle that dies after being frozen is not freed: memory, never a result)
_FRESH_NAMESPACE = """\
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
get_ipython().run_line_magic("reset", "-f")
import gc as _gc, os as _os, sys as _sys
_gc.freeze()
_os.chdir({folder!r})
for _name, _value in {environment!r}.items():
    if _value is None:
        _os.environ.pop(_name, None)
    else:
        _os.environ[_name] = _value
for _module in list(_sys.modules.values()):
    if isinstance(getattr(_module, "__warningregistry__", None), dict):
        _module.__warningregistry__.clear()
if "pandas" in _sys.modules:
    _sys.modules["pandas"].reset_option("^display\\.")
del _gc, _os, _sys, _module, _name, _value
"""


#: run (and then removed) after the last notebook of a run: the figure files rendered in the
#: background (``TOOLKIT_FIGURES_BACKGROUND``) are all written before the report reads them
_WAIT_FOR_FIGURES = """\
import sys as _sys
if "toolkit.figures" in _sys.modules:
    _sys.modules["toolkit.figures"].wait_for_files()
del _sys
"""


def execute_notebook(source: Path, out_dir: Path, parameters: dict, *, timeout: int | None = None, kernel=None,
                     exports=None, wait_for_figures: bool = True):
    """Execute one jupytext notebook; write ``<stem>.ipynb`` and ``<stem>.html`` into ``out_dir``.

    ``timeout``: seconds a cell may run, None for no limit (the default: a large corpus's topic
    fit runs for tens of minutes; the former limit of 1,800 s would stop a 100,000-article report).

    ``kernel``: the running kernel shared by the notebooks of a run (:func:`shared_kernel`);
    None: the notebook gets a kernel of its own. ``exports``: an executor that writes the HTML
    (a thread, while the kernel runs the next notebook; its futures are appended to
    ``exports.futures``); None: written before returning. Raises :class:`NotebookError` naming
    the notebook and the failing cell. ``wait_for_figures``: wait, after the last cell, for the
    figure files rendered in the background by this notebook and those before it in the kernel
    (always with a kernel of its own).
    """
    import jupytext
    import nbformat
    from nbclient.exceptions import CellTimeoutError

    notebook = _inject_parameters(jupytext.read(source), parameters)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    if kernel is not None:
        environment = {name: os.environ.get(name) for name in RUN_VARIABLES}
        notebook.cells.insert(0, nbformat.v4.new_code_cell(_FRESH_NAMESPACE.format(folder=str(source.parent),
                                                                                    environment=environment)))
    waits = wait_for_figures or kernel is None
    if waits:
        notebook.cells.append(nbformat.v4.new_code_cell(_WAIT_FOR_FIGURES))
    failure = _run_cells(notebook, kernel, timeout, source.parent)
    if failure is not None and waits and kernel is not None:
        # the failing cell stopped the notebook before its last cell: wait for the figures rendered
        # in the background all the same (the manifest hashes them next)
        waiting = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_WAIT_FOR_FIGURES)],
                                           metadata={"kernelspec": notebook.metadata["kernelspec"]})
        _run_cells(waiting, kernel, None, source.parent)
    if waits and not any(o.get("output_type") == "error" for o in notebook.cells[-1].get("outputs", [])):
        notebook.cells.pop()  # kept when it failed: the error below names it
    if kernel is not None:
        fresh = notebook.cells.pop(0)
        if any(o.get("output_type") == "error" for o in fresh.get("outputs", [])):
            failure = failure or NotebookError(f"the shared kernel could not be reset before {source.name}")
    _number_cells(notebook)
    executed = out_dir / f"{source.stem}.ipynb"
    nbformat.write(notebook, executed)
    if exports is not None and failure is None:
        exports.futures.append(exports.submit(lambda: write_html(notebook, out_dir / f"{source.stem}.html",
                                                                 exports.exporter())))
    else:
        write_html(notebook, out_dir / f"{source.stem}.html")
    if isinstance(failure, CellTimeoutError):
        raise NotebookError(f"notebook {source.name} stopped: a cell ran longer than the cell timeout of {timeout} s "
                            f"(raise it, or leave it out for no limit); executed copy in {executed}")
    if failure is not None:
        index, cell = next(((i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"
                            and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                           (None, None))
        error = next((o for o in cell.outputs if o.get("output_type") == "error"), {}) if cell else {}
        call = failing_line(cell.source if cell else "", error.get("traceback", []))
        raise NotebookError(f"notebook {source.name} failed in cell {index} at `{call}`: "
                            f"{error.get('ename', '')}: {error.get('evalue', '')}; executed copy in {executed}")
    return executed


def _executed_or_error(source: Path, out_dir: Path, parameters: dict, failed: list, log, **options) -> str | None:
    """:func:`execute_notebook`, whose failure does not stop the report: the error is appended to
    ``failed``, logged and returned (None when the notebook ran to its end)."""
    try:
        execute_notebook(source, out_dir, parameters, **options)
    except NotebookError as exc:   # the other notebooks still run; the report says so and fails at the end
        failed.append(str(exc))
        log(f"[toolkit]     FAILED: {exc}")
        return str(exc)
    return None


def _run_cells(notebook, kernel, timeout: int | None, folder: Path):
    """Execute ``notebook`` in the shared ``kernel`` (None: a kernel of its own); return the
    cell error or timeout that stopped it, or None."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    with _own_kernel_config(kernel) as config:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", startup_timeout=600,
                                km=kernel.manager if kernel is not None else None,
                                resources={"metadata": {"path": str(folder)}},
                                **({"config": config} if config is not None else {}))
        if kernel is not None:
            client.kc = kernel.client
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as exc:
            return exc
        finally:
            if kernel is not None:
                kernel.client = client.kc
    return None


def write_html(notebook, path: Path, exporter=None) -> None:
    """The executed notebook rendered as HTML (nbconvert) into ``path``; ``exporter``: an
    ``HTMLExporter`` to reuse (its templates are loaded once; the same HTML)."""
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter()
    html, _ = exporter.from_notebook_node(notebook)
    path.write_text(html, encoding="utf-8")


@contextmanager
def _environment(**values):
    """Environment variables set for the block, restored after it."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def html_exports():
    """A thread that renders executed notebooks to HTML while the kernel runs the next one,
    with one ``HTMLExporter`` (``exports.exporter()``); on leaving, every rendering has
    finished (and an error in one is raised)."""
    from concurrent.futures import ThreadPoolExecutor

    from functools import lru_cache

    @lru_cache(maxsize=1)
    def exporter():
        from nbconvert import HTMLExporter

        return HTMLExporter()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolkit-html") as exports:
        exports.futures, exports.exporter = [], exporter
        exports.futures.append(exports.submit(exporter))  # nbconvert imported while the first notebook runs
        yield exports
    for future in exports.futures:
        future.result()


@contextmanager
def _own_kernel_config(kernel):
    """The configuration of a kernel of the notebook's own (IPC sockets in a temporary folder);
    none is needed for a shared kernel, which was configured when it started."""
    if kernel is not None:
        yield None
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as sockets:
        yield _kernel_config(sockets)


def _number_cells(notebook) -> None:
    """Execution counts from 1 in each notebook (a shared kernel counts on across notebooks)."""
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count


def failing_line(source: str, traceback: list[str]) -> str:
    """The line of a cell that raised: the first ``---->`` line of the kernel's traceback (the
    cell's own frame), else the cell's first line.

    >>> failing_line("x = 1\\nfigures.save(fig)", ["Cell In[3], line 2", "----> 2 figures.save(fig)"])
    'figures.save(fig)'
    """
    for block in traceback:
        for line in _ANSI.sub("", block).splitlines():
            match = re.match(r"\s*-+>\s*(\d+)\s?(.*)$", line)
            if match:
                number = int(match.group(1))
                lines = source.splitlines()
                return lines[number - 1].strip() if 0 < number <= len(lines) else match.group(2).strip()
    return (source.strip().splitlines() or [""])[0]


def run_report(corpus, out_dir, *, only=None, seed: int = 0, notebook_dir=NOTEBOOK_DIR, log=print,
               scheduler: str | None = None, cache_dir=None, cell_timeout: int | None = None, sides=None) -> Path:
    """Run every numbered notebook (or ``only`` some) on ``corpus``; return the MANIFEST path.

    Parameters
    ----------
    corpus : folder or files of articles, or a ``.parquet`` snapshot.
    out_dir : output folder (created).
    only : notebook stem(s) such as ``"02_topics"`` to run just those.
    seed : random seed passed to every notebook.
    scheduler : None (measures run in each notebook's own process), ``"processes"`` (a local
        Dask cluster of 2 worker processes, started and closed here) or the ``tcp://`` address
        of a running ``dask.distributed`` scheduler; the tables and figures are the same.
    cache_dir : where the notebooks' measures are cached (:mod:`toolkit.cache`); default beside
        a snapshot given as ``corpus`` (``<snapshot>.cache/``), else ``out_dir/cache/``.
    cell_timeout : seconds a notebook cell may run before the report stops with an error naming
        the notebook; None (default): no limit.
    sides : JSON file ``{outlet domain: side code}`` (``"AM"``, ``"AZ"``, ...) for notebook 03's
        check of how well the naming index separates the sides; None (default): a file named
        ``*outlet_sides.json`` / ``*outlet_side.json`` in or beside the corpus folder
        (:func:`toolkit.corpus.find_sides_file`), else the check is skipped. Its path and SHA-256
        are recorded in MANIFEST.json.
    """
    from .corpus import find_sides_file

    if sides is not None:
        sides = _checked_sides(sides)
    else:   # found beside the corpus: said, and skipped with a warning rather than stopping the report
        found = find_sides_file(corpus)
        try:
            sides = _checked_sides(found)
        except (FileNotFoundError, ValueError) as exc:
            log(f"[toolkit] warning: {exc}; the naming-index check is skipped (name a file with --sides)")
            sides = None
        if sides is not None:
            log(f"[toolkit] outlet sides for the naming-index check: {sides} (found beside the corpus; "
                "--sides FILE names another)")
    os.environ["PYTHONHASHSEED"] = "0"  # the kernel's hashes (set sets' order) are the same in every run
    # the kernel is started first: it starts and imports the notebooks' libraries while the corpus
    # is read and saved here; it is given the run's variables before each notebook
    with shared_kernel() as kernel:
        corpus_path, out_path = Path(corpus).resolve(), Path(out_dir).resolve()
        cache = default_cache_dir(corpus_path, out_path) if cache_dir is None else Path(cache_dir).resolve()
        log(f"[toolkit] measures cached in {cache}")
        with _measure_settings(cache, scheduler, log):
            manifest_path = _run_report(corpus, out_dir, only=only, seed=seed, notebook_dir=notebook_dir, log=log,
                                        kernel=kernel, cell_timeout=cell_timeout, sides=sides)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.update(scheduler=scheduler, cache_dir=str(cache))
    if sides is not None:
        from .cache import sha256_file

        manifest.update(sides_file=str(sides), sides_sha256=sha256_file(sides))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest_path


def _checked_sides(sides) -> Path | None:
    """The sides file as an absolute path, checked before anything runs: it exists and holds a JSON
    object of outlet -> side code (``FileNotFoundError`` / ``ValueError`` naming the file)."""
    if sides is None:
        return None
    path = Path(sides).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"the file of outlet sides {path} does not exist")
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the file of outlet sides {path} is not JSON: {exc}") from None
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError(f"the file of outlet sides {path} must be a JSON object of outlet -> side code "
                         '(e.g. {"azatutyun.am": "AM", "apa.az": "AZ"})')
    return path


def default_cache_dir(corpus_path: Path, out_dir: Path) -> Path:
    """``<snapshot>.cache`` beside a snapshot file or dataset folder given as the corpus (every
    report on that snapshot shares it) when its folder is writable; else ``out_dir/cache``."""
    from .snapshot import is_snapshot

    dataset = corpus_path.is_dir() and any(corpus_path.glob("*.parquet"))
    if (is_snapshot(corpus_path) or dataset) and os.access(corpus_path.parent, os.W_OK):
        return corpus_path.with_name(corpus_path.name + ".cache")
    return out_dir / "cache"


@contextmanager
def _measure_settings(cache: Path, scheduler, log):
    """Export the cache folder and the Dask scheduler to the notebooks' kernels (a shared kernel
    is given them before each notebook: :data:`RUN_VARIABLES`; a kernel of its own inherits
    them); ``"processes"`` starts a local cluster for the run and closes it after."""
    if scheduler is not None and scheduler != "processes" and "://" not in str(scheduler):
        raise ValueError(f"scheduler must be 'processes' or an address like tcp://host:8786, not {scheduler!r}")
    from .cache import CACHE_ENV, SCHEDULER_ENV

    saved = {name: os.environ.get(name) for name in (CACHE_ENV, SCHEDULER_ENV)}
    cluster = None
    try:
        os.environ[CACHE_ENV] = str(cache)
        os.environ.pop(SCHEDULER_ENV, None)
        if scheduler == "processes":
            from .cluster import local_cluster

            cluster = local_cluster()
            scheduler = cluster.scheduler_address
            log(f"[toolkit] local Dask cluster of {len(cluster.workers)} worker processes at {scheduler}")
        if scheduler is not None:
            os.environ[SCHEDULER_ENV] = str(scheduler)
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
        if cluster is not None:
            cluster.close()


def _run_report(corpus, out_dir, *, kernel, only=None, seed: int = 0, notebook_dir=NOTEBOOK_DIR, log=print,
                cell_timeout: int | None = None, sides: Path | None = None) -> Path:
    from .cache import CACHE_ENV, sha256_file
    from .resources import read_resources_log, start_resources_log
    from .snapshot import save_corpus

    out_dir = Path(out_dir).resolve()
    figures = out_dir / "figures"
    notebooks = list_notebooks(notebook_dir)
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks (NN_name.py) in {notebook_dir}: run the report from a "
                                "clone of the repository (pip install -e .), or pass notebook_dir")
    if only:
        wanted = {only} if isinstance(only, str) else set(only)
        unknown = wanted - {p.stem for p in notebooks}
        if unknown:
            raise ValueError(f"unknown notebook(s) {sorted(unknown)}; choose from {[p.stem for p in notebooks]}")
        notebooks = [p for p in notebooks if p.stem in wanted]
    corpus_path = Path(corpus).resolve()
    log(f"[toolkit] reading the corpus {corpus_path}")
    frame, ingest_report = read_corpus_and_report(corpus_path)  # before anything is written: a bad corpus leaves no folder
    figures.mkdir(parents=True, exist_ok=True)
    run_log = out_dir / "run_log.jsonl"
    if not only and run_log.exists():
        run_log.unlink()
    os.environ["TOOLKIT_FIGURES_DIR"] = str(figures)
    os.environ["TOOLKIT_REPORT_LOG"] = str(run_log)
    resources_log = start_resources_log(out_dir / "resources.jsonl", keep=bool(only))
    manifest_path = out_dir / "MANIFEST.json"
    # SVG and PDF are rendered while the notebooks go on (the kernel is given that switch; not left set here)
    with _environment(TOOLKIT_FIGURES_BACKGROUND="1"), html_exports() as exports:
        snapshot = save_corpus(frame, out_dir / "corpus.parquet")
        parameters = {"corpus_path": str(corpus_path), "snapshot_path": str(snapshot),
                      "output_dir": str(out_dir), "seed": seed}
        # notebook 03 (the others do not read it): the file this run checked, or "" for none
        parameters["sides_path"] = str(sides) if sides is not None else ""
        previous = json.loads(manifest_path.read_text()) if manifest_path.exists() and only else {}
        snapshot_sha256 = sha256_file(snapshot)
        if previous.get("corpus_snapshot_sha256") != snapshot_sha256:
            previous = {}  # figures of another corpus must not be listed as this corpus' figures
        made = {f["file"]: f for f in previous.get("figures", [])}
        runs = {r["notebook"]: r for r in previous.get("notebooks", [])}
        lessons = sorted((Path(notebook_dir) / "teaching").glob("*.py")) if not only else []
        prefetch = _start_prefetch(snapshot, snapshot_sha256, notebooks, log)
        saved = {}  # figure stem -> (notebook, its version): whose files they are
        failed = []  # the errors of notebooks that stopped (the others run on)
        untouched = {p: p.stat().st_mtime_ns for p in figures.iterdir()}  # files as earlier runs left them
        for i, source in enumerate(notebooks, 1):
            header = notebook_header(source)
            log(f"[toolkit] ({i}/{len(notebooks)}) running {source.name} v{header['version']} ...")
            if prefetch is not None:
                prefetch.notebook_starts(source.stem)
            started = time.time()
            before = {p: p.stat().st_mtime_ns for p in figures.glob("*.json")}
            # the SVG and PDF files rendered in the background are waited for once, after the last notebook
            error = _executed_or_error(source, out_dir, parameters, failed, log, kernel=kernel, exports=exports,
                                       timeout=cell_timeout, wait_for_figures=i == len(notebooks) and not lessons)
            # a figure's caption file is written last by figures.save, in the notebook (its SVG and
            # PDF may still be rendering)
            saved.update({path.stem: (source.stem, header["version"]) for path in figures.glob("*.json")
                          if before.get(path) != path.stat().st_mtime_ns})
            runs[source.stem] = {"notebook": source.stem, "version": header["version"], "title": header["title"],
                                 "html": f"{source.stem}.html", "seconds": round(time.time() - started, 1),
                                 **({"failed": error} if error else {})}
            seconds = time.time() - started
            log(f"[toolkit]     done in {seconds:.0f} s ({len(frame) / max(seconds, 1e-9):,.0f} articles/s)")
        if not only:
            teaching_dir = out_dir / "teaching"
            teaching_dir.mkdir(exist_ok=True)
            for source in lessons:
                log(f"[toolkit] running teaching/{source.name} (with solutions) ...")
                error = _executed_or_error(source, teaching_dir, parameters, failed, log, kernel=kernel,
                                           exports=exports, timeout=cell_timeout,
                                           wait_for_figures=source == lessons[-1])
                runs[f"teaching/{source.stem}"] = {"notebook": f"teaching/{source.stem}",
                                                   "version": notebook_header(source)["version"],
                                                   "title": notebook_header(source)["title"],
                                                   "html": f"teaching/{source.stem}.html", "seconds": None,
                                                   **({"failed": error} if error else {})}
            if (Path(notebook_dir) / "teaching").is_dir():
                build_teaching(teaching_dir / "student", notebook_dir=Path(notebook_dir) / "teaching")
    if prefetch is not None:
        prefetch.finish(log)
    if {TOPICS_NOTEBOOK, FRAMING_NOTEBOOK} <= {p.stem for p in notebooks} and os.environ.get(CACHE_ENV):
        marker = prefetched_marker(os.environ[CACHE_ENV], snapshot_sha256)
        if not marker.exists():  # (a second run writes nothing into the cache)
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(json.dumps({"snapshot_sha256": snapshot_sha256}), encoding="utf-8")
    for stem, (notebook, version) in sorted(saved.items()):
        for suffix in FIGURE_FORMATS:
            path = figures / f"{stem}{suffix}"
            if path.exists() and untouched.get(path) != path.stat().st_mtime_ns:  # written in this run
                made[path.name] = {"file": f"figures/{path.name}", "sha256": sha256_file(path), "notebook": notebook,
                                   "notebook_version": version, **figure_caption(path)}
    manifest = {
        "command": " ".join(sys.argv),
        "corpus": str(corpus_path),
        "corpus_snapshot_sha256": snapshot_sha256,
        "corpus_rows": int(len(frame)),
        "seed": seed,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in ["karabakh-media-toolkit"] + _PACKAGES},
        "notebooks": sorted(runs.values(), key=lambda r: r["notebook"]),
        "figures": sorted((f for f in made.values() if (out_dir / f["file"]).exists()), key=lambda f: f["file"]),
        "resources": read_resources_log(resources_log),  # every lexicon and model the notebooks loaded
        "corpus_summary": corpus_facts(frame),
        "ingest": ingest_summary(ingest_report),
        "skipped": read_run_log(run_log, "skipped"),
        "warnings": collect_warnings(out_dir, [r["notebook"] for r in runs.values()]),
        # this run's failures and those an earlier run (--only) left standing: their outputs are stale
        "failed": [r["failed"] for r in sorted(runs.values(), key=lambda r: r["notebook"]) if "failed" in r],
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    write_index(out_dir, manifest)
    log(f"[toolkit] wrote {out_dir / 'index.html'} and {manifest_path}")
    if failed:
        raise NotebookError(f"{len(failed)} notebook(s) failed (the others ran; index.html and MANIFEST.json list "
                            "what was made): " + " | ".join(failed))
    return manifest_path


FIGURE_FORMATS = (".png", ".svg", ".pdf")

#: the notebook whose cross-lingual topics embed every article (its embeddings are prefetched)
TOPICS_NOTEBOOK = "02_topics"
#: the notebook whose per-article measures (:data:`FRAMING_MEASURES`) are prefetched
FRAMING_NOTEBOOK = "03_framing"
#: notebook 03's per-article measures in the order its cells compute them (not ``naming_baseline``,
#: computed only when a file of outlet sides is given), each as the notebook calls it, ``cache.measure(name, module.function, corpus, **parameters)`` (a test compares
#: them with the notebook's source; ``n_jobs`` is left out, it changes neither result nor key).
#: The prefetch process computes them into the measure cache while notebook 02 runs, and the
#: notebook reads them (or waits for the one being computed)
FRAMING_MEASURES = (
    ("sentiment", "toolkit.tone", "sentiment", {"unit": "sentence"}),
    ("actor_sentiment", "toolkit.tone", "actor_sentiment", {}),
    ("frames", "toolkit.framing", "frames", {}),
    ("naming", "toolkit.framing", "naming", {}),
    ("naming_mentions", "toolkit.framing", "naming_mentions", {}),
    ("sources", "toolkit.sourcing", "sources", {}),
)


def prefetch_measures(snapshot, cache_dir, stop=None, measures=FRAMING_MEASURES) -> list[str]:
    """Compute ``measures`` (default :data:`FRAMING_MEASURES`) of the snapshot's articles into the
    measure cache, in order, one partition at a time, until done or until ``stop`` (a
    ``multiprocessing.Event``) is set; the partition being computed is claimed
    (:func:`toolkit.cache.measure`), so that a notebook needing it meanwhile waits for it and
    computes the others itself. Returns the names of the measures cached for every partition.
    The tables are those the notebook would compute (same function, parameters and keys: a
    partition's key is its content).

    >>> prefetch_measures("corpus.parquet", "corpus.parquet.cache")   # doctest: +SKIP
    ['sentiment', 'actor_sentiment', 'frames', 'naming', 'naming_mentions', 'sources']
    """
    import importlib

    from . import cache
    from .corpus import load_corpus

    parts = cache.partitions(load_corpus(snapshot))   # the corpus as the notebooks load it
    done = []
    for name, module, function, parameters in measures:
        for part in parts:
            if stop is not None and stop.is_set():
                return done
            cache.measure(name, getattr(importlib.import_module(module), function), part.load(), cache=cache_dir,
                          claim=True, jobs=1, **parameters)
        done.append(name)
    return done


#: the prefetch process's niceness: it computes what a later notebook would, so it should yield
#: to the kernel and its workers. It does only where the scheduler weighs processes against each
#: other: with Linux's autogroup scheduling on (``/proc/sys/kernel/sched_autogroup_enabled``, as on
#: the benchmark machine) the kernel runs in a session of its own and niceness has no effect
#: across sessions (README, footnote ⁶)
PREFETCH_NICE = 10


def _prefetch_task(snapshot: str, cache_dir: str, embed: bool, measures: bool, hurry, embeddings_stop, embedded,
                   stop) -> None:
    if hasattr(os, "nice"):
        os.nice(PREFETCH_NICE)
    try:
        if embed:
            # imported in the spawned process only: the report process does not import scikit-learn
            from .topics import prefetch_embeddings

            prefetch_embeddings(snapshot, cache_dir, stop=embeddings_stop, hurry=hurry)
    finally:
        embedded.set()
    if measures:
        prefetch_measures(snapshot, cache_dir, stop=stop)


@dataclass
class Prefetch:
    """The second process of a run (:func:`_start_prefetch`): it embeds the articles for notebook
    02, in two processes once that notebook waits for them (``hurry``), or until told to stop
    (``embeddings_stop``; it sets ``embedded`` when done or stopped), then computes notebook 03's
    measures until that notebook starts (``stop``)."""

    process: object
    hurry: object
    embeddings_stop: object
    embedded: object
    stop: object

    def notebook_starts(self, stem: str) -> None:
        """Called before each notebook: notebook 02 starts once the prefetch has embedded every
        article, in two processes from now on (its kernel then loads no encoder; should the
        prefetch process die, the notebook embeds what it left); notebook 03 computes the
        measures the prefetch has not begun (and waits for the one it is computing, through its claim)."""
        if stem == TOPICS_NOTEBOOK:
            self.hurry.set()
        if stem == FRAMING_NOTEBOOK:
            self.embeddings_stop.set()
        if stem in (TOPICS_NOTEBOOK, FRAMING_NOTEBOOK):
            while not self.embedded.wait(0.1) and self.process.is_alive():
                pass
        if stem == FRAMING_NOTEBOOK:
            self.stop.set()

    def finish(self, log) -> None:
        """Stop the process and wait for it (after the last notebook, or after a failure)."""
        self.embeddings_stop.set()
        self.stop.set()
        self.process.join()
        if self.process.exitcode:
            log(f"[toolkit] the prefetch process ended with exit code {self.process.exitcode} (the notebooks "
                "computed what it missed)")


def prefetched_marker(cache_dir, snapshot_sha256: str) -> Path:
    """The file a complete run writes into the measure cache once notebooks 02 and 03 have cached
    everything the prefetch would compute for this snapshot and this code: a later run on it
    starts no prefetch process (whose imports and look-ups would only take a core from the
    kernel's start). Emptying the cache removes it; a stale one costs time, never a result."""
    from .cache import code_and_data_fingerprint, digest

    return Path(cache_dir) / "prefetch" / f"{digest(snapshot_sha256, code_and_data_fingerprint())[:40]}.done"


def _start_prefetch(snapshot: Path, snapshot_sha256: str, notebooks, log):
    """Start the second process of a run (:class:`Prefetch`): it embeds the articles for notebook
    02, then computes notebook 03's measures, while the notebooks before them keep one core busy
    (they run in one kernel, mostly on one core). Only in-process runs (no Dask scheduler) with
    a measure cache and notebook 02 or 03 after another notebook, and not when
    :func:`prefetched_marker` says a run already cached it all; the process is spawned (not
    forked: this process holds the kernel client's threads). Returns a :class:`Prefetch` or None."""
    from .cache import CACHE_ENV, SCHEDULER_ENV

    later = [p.stem for p in notebooks][1:]
    embed, measures = TOPICS_NOTEBOOK in later, FRAMING_NOTEBOOK in later
    if not (embed or measures) or os.environ.get(SCHEDULER_ENV) or not os.environ.get(CACHE_ENV) \
            or (os.cpu_count() or 1) < 2 or prefetched_marker(os.environ[CACHE_ENV], snapshot_sha256).exists():
        return None
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    events = [context.Event() for _ in range(4)]
    process = context.Process(target=_prefetch_task,
                              args=(str(snapshot), os.environ[CACHE_ENV], embed, measures, *events),
                              name="toolkit-prefetch", daemon=True)
    process.start()
    return Prefetch(process, *events)


def read_corpus_or_fail(path: Path):
    """The corpus at ``path`` (folder, files or ``.parquet`` snapshot), or :class:`CorpusError`
    naming the path and, from the ingest report, why no article could be read."""
    return read_corpus_and_report(path)[0]


def read_corpus_and_report(path: Path):
    """:func:`read_corpus_or_fail`, and the ingest report of the files read (None for a snapshot,
    which was ingested before)."""
    from .snapshot import is_snapshot, read_snapshot

    if not path.exists():
        raise CorpusError(f"corpus not found: {path} does not exist")
    if is_snapshot(path):
        frame = read_snapshot(path)
        if frame.empty:
            raise CorpusError(f"the corpus snapshot {path} holds no article")
        return frame, None
    from .corpus import ingest  # (not imported for a snapshot: the report process starts faster)

    result = ingest(path)
    if len(result.corpus):
        return result.corpus, result.report
    report = result.report
    if report.empty:
        raise CorpusError(f"no article files in {path} (the folder is empty or holds no readable file)")
    reasons = report.loc[report["status"] == "rejected", "reason"].fillna("no reason given").astype(str)
    counts = reasons.value_counts()
    listed = "; ".join(f"{reason} ({count} file{'s' if count > 1 else ''})" for reason, count in counts.items())
    raise CorpusError(f"no article could be read from {path}: all {len(report)} file(s) rejected: {listed}")


#: files of the ingest report listed one by one in MANIFEST.json and index.html (the rest are counted)
INGEST_LISTED = 50


def ingest_summary(report) -> dict | None:
    """What ``index.html`` and MANIFEST.json say of the ingest: files per status (loaded,
    duplicate, rejected), articles read, and every file that was rejected or read with a warning,
    with the reason (at most ``INGEST_LISTED``; ``not_listed`` counts the rest). None without a
    report (a snapshot)."""
    if report is None:
        return None
    from .corpus import problem_files

    problems = problem_files(report)
    reason, warnings = (problems[c].astype("string").fillna("") for c in ("reason", "warnings"))
    notes = [{"file": str(f), "status": str(st), "note": "; ".join(x for x in (r, w) if x)}
             for f, st, r, w in zip(problems["file"], problems["status"].astype("string").fillna("unknown"),
                                    reason, warnings)]
    counts = report["status"].astype("string").fillna("unknown").value_counts()
    return {"files": int(len(report)), "by_status": {str(k): int(v) for k, v in counts.items() if v},
            "articles_read": int(report["n_articles"].fillna(0).sum()) if "n_articles" in report else None,
            "notes": notes[:INGEST_LISTED], "not_listed": max(0, len(notes) - INGEST_LISTED)}


def figure_caption(path: Path) -> dict:
    """The caption record that :func:`toolkit.figures.save` wrote beside a figure (``name.json``):
    ``caption`` and ``n``; empty when there is none."""
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return {}
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    return {"caption": record.get("caption", ""), "n": record.get("n"), "unit": record.get("unit")}


def corpus_facts(frame) -> dict:
    """Articles, outlets, languages, the share whose outlet is placed in a country, the share
    dated, and the near-duplicates kept in the corpus (``duplicate_of`` set: reprints, or the
    same article read twice from two files), which every figure counts as articles."""
    import pandas as pd

    n = len(frame)
    country = frame["outlet_country"].astype("string") if "outlet_country" in frame else pd.Series(dtype="string")
    placed = int((country.notna() & ~country.isin(["ZZ", ""])).sum())
    dated = int(frame["published"].notna().sum()) if "published" in frame else 0
    return {"articles": n, "outlets": int(frame["outlet"].nunique()) if "outlet" in frame else 0,
            "languages": int(frame["language"].nunique()) if "language" in frame else 0,
            "share_placed_in_a_country": round(placed / n, 3) if n else 0.0,
            "share_dated": round(dated / n, 3) if n else 0.0,
            "near_duplicates": int(frame["duplicate_of"].notna().sum()) if "duplicate_of" in frame else 0}


def read_run_log(path: Path, kind: str) -> list[dict]:
    """Records of one kind (``skipped``) written by the notebooks during the run."""
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("kind") == kind]


def collect_warnings(out_dir: Path, notebooks) -> list[dict]:
    """Warnings the executed notebooks printed (their stderr), one entry per distinct message."""
    import nbformat

    found, seen = [], set()
    for stem in sorted(notebooks):
        path = out_dir / f"{stem}.ipynb"
        if not path.exists():
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    for line in output.get("text", "").splitlines():
                        message = line.strip()
                        if "Warning" in message or "warning" in message:
                            key = (stem, message)
                            if key not in seen:
                                seen.add(key)
                                found.append({"notebook": stem, "message": message})
    return found


def _version(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


_PAGE_CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:1.2em 2em}
header h1{margin:0 0 .3em 0;font-size:1.5em}
header p{margin:.2em 0;font-size:.9em;opacity:.9}
main{padding:1em 2em;max-width:1400px}
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table.facts{border-collapse:collapse;font-size:.9em}
table.facts td,table.facts th{border:1px solid #ddd;padding:.3em .8em;text-align:left}
table.facts td.num{text-align:right;font-variant-numeric:tabular-nums}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1em}
figure{background:#fff;border:1px solid #ddd;border-radius:4px;margin:0;padding:.6em;display:flex;flex-direction:column}
figure img{width:100%;height:220px;object-fit:contain;background:#fff}
figcaption{font-size:.8em;line-height:1.35;margin-top:.4em}
figcaption .name{font-weight:bold;font-family:monospace}
figcaption .links{margin-top:.3em;color:#555}
figcaption .links a{margin-right:.6em}
ul.notes li{margin:.2em 0;font-size:.9em}
ol.notebooks li{margin:.2em 0}
small.meta{color:#666}
"""


def _share_text(count: int, total: int) -> str:
    """``"161 (49%)"``: a count and its share of ``total``.

    >>> _share_text(161, 328)
    '161 (49%)'
    """
    return f"{count:,} ({count / total:.0%})" if total else f"{count:,}"


def _ingest_html(summary: dict | None) -> str:
    """The ingest section of ``index.html`` (:func:`ingest_summary`)."""
    from html import escape

    if summary is None:
        return "<p>The corpus was a snapshot: its ingest report is the one of the run that wrote it.</p>"
    statuses = ", ".join(f"{count:,} {status}" for status, count in summary["by_status"].items())
    head = f"<p>{summary['files']:,} file(s) or row groups: {escape(statuses)}.</p>"
    if not summary["notes"]:
        return head + "<p>No file was rejected or read with a warning.</p>"
    items = "".join(f"<li><code>{escape(n['file'])}</code> ({escape(n['status'])}): {escape(n['note'])}</li>"
                    for n in summary["notes"])
    more = f"<p>… and {summary['not_listed']:,} more in the ingest report.</p>" if summary["not_listed"] else ""
    return f'{head}<ul class="notes">{items}</ul>{more}'


def write_index(out_dir: Path, manifest: dict) -> Path:
    """``index.html``: a self-contained gallery (inline CSS, no network) with the corpus summary,
    the warnings and skipped sections of the run, every figure as a thumbnail with its caption
    and links to its PDF and SVG, and the executed notebooks."""
    from html import escape

    facts = manifest.get("corpus_summary", {})
    fact_rows = "".join(
        f"<tr><th>{escape(label)}</th><td class='num'>{escape(value)}</td></tr>" for label, value in [
            ("articles", f"{facts.get('articles', manifest['corpus_rows']):,}"),
            ("outlets", f"{facts.get('outlets', 0):,}"),
            ("languages", f"{facts.get('languages', 0):,}"),
            ("outlet placed in a country", f"{facts.get('share_placed_in_a_country', 0):.0%}"),
            ("articles with a date", f"{facts.get('share_dated', 0):.0%}"),
            ("near-duplicates kept (duplicate_of set; counted in every figure)",
             _share_text(facts.get("near_duplicates", 0), facts.get("articles", manifest["corpus_rows"])))])
    by_stem: dict[str, dict] = {}
    for entry in manifest["figures"]:
        stem, suffix = entry["file"].rsplit(".", 1)
        by_stem.setdefault(stem, {"notebook": entry["notebook"], "caption": entry.get("caption", "")})[suffix] = entry
    cards = []
    for stem, group in sorted(by_stem.items(), key=lambda item: (item[1]["notebook"], item[0])):
        png = group.get("png")
        image = (f'<a href="{escape(png["file"])}"><img src="{escape(png["file"])}" loading="lazy" '
                 f'alt="{escape(group["caption"] or stem)}"></a>') if png else ""
        links = " ".join(f'<a href="{escape(group[fmt]["file"])}">{fmt.upper()}</a>' for fmt in ("pdf", "svg", "png")
                         if fmt in group)
        sha = (png or next(v for k, v in group.items() if isinstance(v, dict)))["sha256"][:12]
        cards.append(f"<figure>{image}<figcaption><span class='name'>{escape(stem.split('/')[-1])}</span> "
                     f"<small class='meta'>({escape(group['notebook'])})</small><br>{escape(group['caption'])}"
                     f"<div class='links'>{links} <small class='meta'>sha256 {sha}</small></div></figcaption></figure>")
    skipped = "".join(f"<li><b>{escape(s['section'])}</b>: {escape(s['reason'])}</li>" for s in manifest.get("skipped", []))
    warnings = "".join(f"<li><code>{escape(w['notebook'])}</code>: {escape(w['message'])}</li>"
                       for w in manifest.get("warnings", []))
    items = "\n".join(f'<li><a href="{escape(r["html"])}">{escape(r["notebook"])}</a> — {escape(r["title"])} '
                       f'<small class="meta">(version {escape(str(r["version"]))})</small></li>'
                       for r in manifest["notebooks"])
    skipped = f'<ul class="notes">{skipped}</ul>' if skipped else "<p>Nothing was skipped: the corpus met every section's needs.</p>"
    ingest = _ingest_html(manifest.get("ingest"))
    warnings = f'<ul class="notes">{warnings}</ul>' if warnings else "<p>No warning was printed during the run.</p>"
    failed = "".join(f"<li>{escape(error)}</li>" for error in manifest.get("failed", []))
    failed = (f'<h2>Failed ({len(manifest["failed"])})</h2><p>These notebooks stopped with an error; their figures '
              f'are missing or incomplete, and the command exited with an error.</p><ul class="notes">{failed}</ul>'
              if failed else "")
    gallery = "\n".join(cards) if cards else "<p>No figure was drawn.</p>"
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Karabakh media toolkit report</title><style>{_PAGE_CSS}</style></head><body>
<header><h1>Karabakh media toolkit report</h1>
<p>Corpus <code>{escape(manifest['corpus'])}</code> · snapshot sha256 <code>{manifest['corpus_snapshot_sha256'][:16]}</code>
· seed {manifest['seed']} · provenance in <a style="color:#fff" href="MANIFEST.json">MANIFEST.json</a></p></header>
<main>
<h2>Corpus</h2><table class="facts">{fact_rows}</table>
{failed}
<h2>Ingest</h2>
{ingest}
<h2>Skipped ({len(manifest.get('skipped', []))})</h2>
{skipped}
<h2>Warnings ({len(manifest.get('warnings', []))})</h2>
{warnings}
<h2>Figures ({len(by_stem)})</h2>
<div class="gallery">
{gallery}
</div>
<h2>Notebooks</h2><ol class="notebooks">{items}</ol>
</main></body></html>"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def build_teaching(out_dir, *, notebook_dir=NOTEBOOK_DIR / "teaching") -> list[Path]:
    """Write the student edition of the teaching notebooks: cells tagged ``solution`` removed,
    exercises kept, outputs empty. Returns the written ``.ipynb`` paths."""
    import jupytext
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(Path(notebook_dir).glob("*.py")):
        notebook = jupytext.read(source)
        notebook.cells = [c for c in notebook.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
        target = out_dir / f"{source.stem}.ipynb"
        nbformat.write(notebook, target)
        written.append(target)
    if not written:
        raise FileNotFoundError(f"no teaching notebooks in {notebook_dir}")
    return written
