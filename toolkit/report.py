"""Report stage: run the numbered notebooks headless on a corpus and collect their outputs.

Reads a corpus folder (or snapshot) and ``notebooks/*.py`` (jupytext percent scripts); writes
into the output folder the corpus snapshot, executed ``.ipynb`` and ``.html`` per notebook,
``figures/``, ``index.html`` and ``MANIFEST.json``.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
import time
from importlib import metadata
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
_PACKAGES = ["pandas", "numpy", "scikit-learn", "matplotlib", "nltk", "pymorphy3", "razdel",
             "lingua-language-detector", "scipy", "jupytext", "nbclient", "vaderSentiment"]


class NotebookError(RuntimeError):
    """A notebook cell failed; the message names the notebook and the cell."""


def sha256_file(path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def execute_notebook(source: Path, out_dir: Path, parameters: dict, *, timeout: int = 1800):
    """Execute one jupytext notebook; write ``<stem>.ipynb`` and ``<stem>.html`` into ``out_dir``.

    Raises :class:`NotebookError` naming the notebook and the failing cell.
    """
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    notebook = _inject_parameters(jupytext.read(source), parameters)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    failure = None
    try:
        client.execute()
    except CellExecutionError as exc:
        failure = exc
    executed = out_dir / f"{source.stem}.ipynb"
    nbformat.write(notebook, executed)
    html, _ = HTMLExporter().from_notebook_node(notebook)
    (out_dir / f"{source.stem}.html").write_text(html, encoding="utf-8")
    if failure is not None:
        index, cell = next(((i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"
                            and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                           (None, None))
        first_line = (cell.source.splitlines() or [""])[0] if cell else ""
        error = next((o for o in cell.outputs if o.get("output_type") == "error"), {}) if cell else {}
        raise NotebookError(f"notebook {source.name} failed in cell {index} ({first_line!r}): "
                            f"{error.get('ename', '')}: {error.get('evalue', '')}; executed copy in {executed}")
    return executed


def run_report(corpus, out_dir, *, only=None, seed: int = 0, notebook_dir=NOTEBOOK_DIR, log=print) -> Path:
    """Run every numbered notebook (or ``only`` some) on ``corpus``; return the MANIFEST path.

    Parameters
    ----------
    corpus : folder or files of articles, or a ``.parquet`` snapshot.
    out_dir : output folder (created).
    only : notebook stem(s) such as ``"02_topics"`` to run just those.
    seed : random seed passed to every notebook.
    """
    from .corpus import ingest
    from .resources import read_resources_log, start_resources_log
    from .snapshot import is_snapshot, read_snapshot, save_corpus

    out_dir = Path(out_dir).resolve()
    figures = out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
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
    frame = read_snapshot(corpus_path) if is_snapshot(corpus_path) else ingest(corpus_path).corpus
    snapshot = save_corpus(frame, out_dir / "corpus.parquet")
    parameters = {"corpus_path": str(corpus_path), "snapshot_path": str(snapshot),
                  "output_dir": str(out_dir), "seed": seed}
    os.environ["TOOLKIT_FIGURES_DIR"] = str(figures)
    resources_log = start_resources_log(out_dir / "resources.jsonl", keep=bool(only))
    os.environ["PYTHONHASHSEED"] = "0"
    manifest_path = out_dir / "MANIFEST.json"
    previous = json.loads(manifest_path.read_text()) if manifest_path.exists() and only else {}
    if previous.get("corpus_snapshot_sha256") != sha256_file(snapshot):
        previous = {}  # figures of another corpus must not be listed as this corpus' figures
    made = {f["file"]: f for f in previous.get("figures", [])}
    runs = {r["notebook"]: r for r in previous.get("notebooks", [])}
    for i, source in enumerate(notebooks, 1):
        header = notebook_header(source)
        log(f"[toolkit] ({i}/{len(notebooks)}) running {source.name} v{header['version']} ...")
        started = time.time()
        before = {p: p.stat().st_mtime_ns for p in figures.iterdir()}
        execute_notebook(source, out_dir, parameters)
        for path in sorted(figures.iterdir()):
            if before.get(path) != path.stat().st_mtime_ns:
                made[path.name] = {"file": f"figures/{path.name}", "sha256": sha256_file(path),
                                   "notebook": source.stem, "notebook_version": header["version"]}
        runs[source.stem] = {"notebook": source.stem, "version": header["version"], "title": header["title"],
                             "html": f"{source.stem}.html", "seconds": round(time.time() - started, 1)}
        log(f"[toolkit]     done in {time.time() - started:.0f} s")
    if not only:
        teaching_dir = out_dir / "teaching"
        teaching_dir.mkdir(exist_ok=True)
        for source in sorted((Path(notebook_dir) / "teaching").glob("*.py")):
            log(f"[toolkit] running teaching/{source.name} (with solutions) ...")
            execute_notebook(source, teaching_dir, parameters)
            runs[f"teaching/{source.stem}"] = {"notebook": f"teaching/{source.stem}",
                                               "version": notebook_header(source)["version"],
                                               "title": notebook_header(source)["title"],
                                               "html": f"teaching/{source.stem}.html", "seconds": None}
        if (Path(notebook_dir) / "teaching").is_dir():
            build_teaching(teaching_dir / "student", notebook_dir=Path(notebook_dir) / "teaching")
    manifest = {
        "command": " ".join(sys.argv),
        "corpus": str(corpus_path),
        "corpus_snapshot_sha256": sha256_file(snapshot),
        "corpus_rows": int(len(frame)),
        "seed": seed,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in ["karabakh-media-toolkit"] + _PACKAGES},
        "notebooks": sorted(runs.values(), key=lambda r: r["notebook"]),
        "figures": sorted((f for f in made.values() if (out_dir / f["file"]).exists()), key=lambda f: f["file"]),
        "resources": read_resources_log(resources_log),  # every lexicon and model the notebooks loaded
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    write_index(out_dir, manifest)
    log(f"[toolkit] wrote {out_dir / 'index.html'} and {manifest_path}")
    return manifest_path


def _version(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def write_index(out_dir: Path, manifest: dict) -> Path:
    """``index.html`` linking each executed notebook's HTML rendering and the figures."""
    from html import escape

    items = "\n".join(f'<li><a href="{escape(r["html"])}">{escape(r["notebook"])}</a> — {escape(r["title"])} '
                      f'(version {escape(str(r["version"]))})</li>' for r in manifest["notebooks"])
    figs = "\n".join(f'<li><a href="{escape(f["file"])}">{escape(f["file"])}</a> '
                     f'<small>{escape(f["notebook"])} · sha256 {f["sha256"][:12]}</small></li>'
                     for f in manifest["figures"])
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Karabakh media toolkit report</title></head><body>
<h1>Karabakh media toolkit report</h1>
<p>Corpus: <code>{escape(manifest['corpus'])}</code> ({manifest['corpus_rows']} articles,
snapshot sha256 <code>{manifest['corpus_snapshot_sha256'][:16]}</code>).</p>
<h2>Notebooks</h2><ol>{items}</ol>
<h2>Figures</h2><ul>{figs}</ul>
<p>Provenance: <a href="MANIFEST.json">MANIFEST.json</a>.</p></body></html>"""
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
