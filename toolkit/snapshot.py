"""Snapshots: save a corpus DataFrame to Parquet with a JSON manifest, and read it back exactly.

Two forms, both read by :func:`read_snapshot` / :func:`toolkit.load_corpus`:

- a single file ``<name>.parquet`` and ``<name>.parquet.manifest.json`` (input files with
  SHA-256, toolkit version, created time, row count), for small corpora;
- a partitioned dataset: a folder of ``part-00000.parquet``, ``part-00001.parquet`` ... (each a
  valid corpus of up to ``rows_per_part`` articles, same columns and dtypes) plus
  ``manifest.json`` (the same fields, the parts with their row counts and SHA-256, and the
  ingest report as ``report.csv``), written as articles come by :class:`DatasetWriter` (the
  streaming ``toolkit.ingest(paths, out="corpus_dir/")``) or by :func:`save_corpus`. Read it
  part by part with :func:`iter_partitions`, or with ``dask.dataframe.read_parquet(
  "corpus_dir/part-*.parquet")`` / ``pandas.read_parquet("corpus_dir")``.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import __version__, schema


def _sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def manifest_path(path) -> Path:
    """Where the manifest of snapshot ``path`` lives."""
    path = Path(path)
    return path.with_name(path.name + ".manifest.json")


#: name of a partitioned dataset's manifest, and the format it declares
DATASET_MANIFEST = "manifest.json"
DATASET_FORMAT = "toolkit-corpus-dataset/1"
ROWS_PER_PART = 50_000


def _is_folder_target(path) -> bool:
    path_str = str(path)
    return path_str.endswith(("/", "\\")) or Path(path).is_dir() or Path(path).suffix == ""


def save_corpus(corpus: pd.DataFrame, path, rows_per_part: int = ROWS_PER_PART) -> Path:
    """Write ``corpus`` to a Parquet snapshot and its manifest; return the snapshot's path.

    ``path`` ending in ``.parquet`` is one file; a folder (ending in ``/``, existing, or without
    a suffix) is a partitioned dataset of ``rows_per_part`` articles per part.

    Examples
    --------
    >>> save_corpus(corpus, "build/corpus.parquet")      # doctest: +SKIP
    >>> save_corpus(corpus, "build/corpus_dir/")         # doctest: +SKIP
    """
    schema.validate_corpus(corpus)
    if _is_folder_target(path):
        with DatasetWriter(path) as writer:
            for start in range(0, max(len(corpus), 1), rows_per_part):
                writer.write(corpus.iloc[start:start + rows_per_part])
            writer.inputs = sorted(set(corpus["source_file"].dropna()))
        return writer.path
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(path, index=False)
    files = sorted(set(corpus["source_file"].dropna()))
    manifest = {
        "toolkit_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": int(len(corpus)),
        "snapshot_sha256": _sha256(path),
        "inputs": [{"file": f, "sha256": _sha256(Path(f))} for f in files],
    }
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def is_snapshot(path) -> bool:
    """True for a ``.parquet`` file holding every corpus column (a snapshot) or a partitioned
    dataset folder; other Parquet tables are read by :func:`toolkit.ingest` like JSONL and CSV."""
    path = Path(path)
    if is_dataset(path):
        return True
    if not (path.is_file() and path.suffix.lower() == ".parquet"):
        return False
    import pyarrow.parquet as pq

    return set(schema.CORPUS_COLUMNS) <= set(pq.read_schema(path).names)


def read_snapshot(path) -> pd.DataFrame:
    """Read a snapshot written by :func:`save_corpus` (a file or a partitioned dataset), with
    the schema's dtypes restored."""
    if is_dataset(path):
        parts = list(iter_partitions(path))
        frame = pd.concat(parts, ignore_index=True) if parts else schema.empty_corpus()
        return schema.validate_corpus(schema.conform(frame))
    return schema.validate_corpus(schema.conform(pd.read_parquet(path)))


def is_dataset(path) -> bool:
    """True for a folder written as a partitioned corpus dataset (it holds ``manifest.json``)."""
    manifest = Path(path) / DATASET_MANIFEST
    if not manifest.is_file():
        return False
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("format") == DATASET_FORMAT
    except (OSError, ValueError):
        return False


def dataset_manifest(path) -> dict:
    """The manifest of a partitioned dataset (format, rows, parts with rows and SHA-256 ...)."""
    return json.loads((Path(path) / DATASET_MANIFEST).read_text(encoding="utf-8"))


def iter_partitions(path, columns: list[str] | None = None):
    """Yield the parts of a partitioned dataset in order, each a corpus DataFrame (schema dtypes).

    Memory holds one part at a time. ``columns`` reads only those columns (then the frames are
    not validated as whole corpora).

    Examples
    --------
    >>> for part in iter_partitions("build/corpus_dir"):      # doctest: +SKIP
    ...     print(len(part))
    """
    for entry in dataset_manifest(path)["parts"]:
        frame = pd.read_parquet(Path(path) / entry["file"], columns=columns)
        yield frame if columns else schema.conform(frame)


def remove_dataset(path) -> None:
    """Delete a partitioned dataset's files (parts, manifest, report), and its folder if empty."""
    path = Path(path)
    for old in list(path.glob("part-*.parquet")) + [path / DATASET_MANIFEST, path / "report.csv"]:
        old.unlink(missing_ok=True)
    if path.is_dir() and not any(path.iterdir()):
        path.rmdir()


class DatasetWriter:
    """Write a partitioned corpus dataset part by part (bounded memory), then its manifest.

    Use as a context manager; :meth:`write` appends a corpus DataFrame as the next part(s);
    on exit the manifest is written (also ``report`` and ``inputs`` when set). Parts of an
    earlier dataset in the folder are removed first.

    Examples
    --------
    >>> with DatasetWriter("build/corpus_dir") as writer:     # doctest: +SKIP
    ...     writer.write(chunk)
    """

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        for old in self.path.glob("part-*.parquet"):
            old.unlink()
        (self.path / DATASET_MANIFEST).unlink(missing_ok=True)
        self.parts: list[dict] = []
        self.rows = 0
        self.inputs: list[str] = []
        self.report: pd.DataFrame | None = None
        self.extra: dict = {}

    def part_path(self, number: int) -> Path:
        return self.path / f"part-{number:05d}.parquet"

    def write(self, frame: pd.DataFrame) -> None:
        if frame.empty and self.parts:
            return
        frame = schema.conform(frame)
        target = self.part_path(len(self.parts))
        frame.to_parquet(target, index=False)
        self.parts.append({"file": target.name, "rows": int(len(frame))})
        self.rows += len(frame)

    def rewrite(self, number: int, frame: pd.DataFrame) -> None:
        """Replace part ``number`` (e.g. after near-duplicates are known, or with fewer rows
        when articles read twice are dropped)."""
        schema.conform(frame).to_parquet(self.part_path(number), index=False)
        self.rows += len(frame) - self.parts[number]["rows"]
        self.parts[number]["rows"] = int(len(frame))

    def close(self) -> None:
        for entry in self.parts:
            entry["sha256"] = _sha256(self.path / entry["file"])
        manifest = {
            "format": DATASET_FORMAT,
            "toolkit_version": __version__,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "rows": int(self.rows),
            "parts": self.parts,
            **self.extra,
            "inputs": [{"file": f, "sha256": _sha256(Path(f))} for f in self.inputs],
        }
        if self.report is not None:
            self.report.to_csv(self.path / "report.csv", index=False)
            manifest["report"] = "report.csv"
        (self.path / DATASET_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
