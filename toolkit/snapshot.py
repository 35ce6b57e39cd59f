"""Snapshots: save a corpus DataFrame to Parquet with a JSON manifest, and read it back exactly.

Reads/writes ``<name>.parquet`` and ``<name>.parquet.manifest.json`` (input files with SHA-256,
toolkit version, created time, row count).
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


def save_corpus(corpus: pd.DataFrame, path) -> Path:
    """Write ``corpus`` to a Parquet snapshot and its manifest; return the snapshot's path.

    Examples
    --------
    >>> save_corpus(corpus, "build/corpus.parquet")      # doctest: +SKIP
    """
    schema.validate_corpus(corpus)
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
    """True for a ``.parquet`` file holding every corpus column (a snapshot); other Parquet
    tables are read by :func:`toolkit.ingest` like JSONL and CSV tables."""
    path = Path(path)
    if not (path.is_file() and path.suffix.lower() == ".parquet"):
        return False
    import pyarrow.parquet as pq

    return set(schema.CORPUS_COLUMNS) <= set(pq.read_schema(path).names)


def read_snapshot(path) -> pd.DataFrame:
    """Read a snapshot written by :func:`save_corpus`, with the schema's dtypes restored."""
    return schema.validate_corpus(schema.conform(pd.read_parquet(path)))
