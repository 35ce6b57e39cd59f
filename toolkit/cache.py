"""Measure cache: per-partition tables computed once and reused by every notebook and run.

Reads a corpus (DataFrame, Parquet snapshot or a folder of Parquet part files) and a measure
function; returns the function's table for the whole corpus, computed partition by partition
(in-process, or on a Dask cluster) and stored as one Parquet file per partition under a cache
folder, keyed by the partition's content, the measure's parameters and the hashes of the
toolkit's code and data files (lexicons, registries, models).
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import __version__

#: articles per partition when a corpus is split in memory (a folder dataset keeps its part files)
PARTITION_ROWS = 2000
#: environment variables a run (``toolkit report``) sets so that every notebook shares them
CACHE_ENV = "TOOLKIT_CACHE_DIR"
SCHEDULER_ENV = "TOOLKIT_SCHEDULER"
_PACKAGE = Path(__file__).resolve().parent
#: parameters that say where or with how many processes a result is computed, not what it is
#: (the toolkit's functions return the same table whatever their values: the embedding cache's
#: folder, ``n_jobs``); left out of the keys, so that a second run writing elsewhere reuses them
UNKEYED = frozenset({"cache_dir", "n_jobs"})


# ---------------------------------------------------------------------------------------- keys
def _digest(*parts) -> str:
    """SHA-256 hex digest of the parts (bytes, or anything as its ``str``), each ended by a NUL."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


digest = _digest


def sha256_file(path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_and_data_fingerprint() -> str:
    """SHA-256 over the toolkit's version, its source files and every packaged data file
    (lexicons, registries, trained models): a cached table is reused only by the code and the
    resources that made it.

    >>> len(code_and_data_fingerprint())
    64
    """
    files = sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _digest(__version__, *(f"{p.relative_to(_PACKAGE).as_posix()}:{sha256_file(p)}" for p in files))


def _canonical(value):
    """A JSON-able stand-in for a parameter value; files are replaced by their SHA-256 and
    resources (anything with a ``sha256`` attribute) by theirs, so that a changed lexicon file
    changes the key."""
    if hasattr(value, "sha256") and not isinstance(value, (str, bytes)):
        return {"resource_sha256": str(value.sha256)}
    if isinstance(value, Path) or (isinstance(value, str) and len(value) < 4096 and os.sep in value
                                   and Path(value).is_file()):
        path = Path(value)
        return {"file_sha256": sha256_file(path)} if path.is_file() else str(path)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, range, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        return [_canonical(v) for v in items]
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    return repr(value)


def _function_name(func: Callable) -> str:
    """The function's import name; for a method of a fitted model (``model.transform``) also the
    model's identity: its cache key (models from :func:`fitted`) or a hash of its pickle."""
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"
    bound = getattr(func, "__self__", None)
    if bound is not None and not inspect.ismodule(bound):
        key = getattr(bound, "cache_key", None)
        if key is None:
            import pickle

            key = _digest(pickle.dumps(bound, protocol=4))
        name += f"@{key}"
    return name


#: per-row hashes of Arrow-backed columns (strings read from Parquet: ``text``, ``doc_id``, ...)
#: by the identity of their Arrow data, which is immutable: a changed value gives the column new
#: Arrow data (so no stale hash), and an entry goes when its data is freed. Each cached measure
#: hashes the corpus for its key; this hashes a column once per run, not once per measure
_ARROW_HASHES: dict[int, tuple] = {}


def _arrow_data(column: pd.Series):
    data = getattr(column.array, "_pa_array", None)
    if data is None:
        return None
    try:
        weakref.ref(data)
    except TypeError:  # pragma: no cover - pyarrow objects take weak references
        return None
    return data


def _column_hashes(column: pd.Series) -> np.ndarray:
    """One 64-bit hash per row (pandas' ``hash_pandas_object``, without the index); a row's hash
    depends on its value only, so the hashes of a slice of rows are the slice of the hashes."""
    data = _arrow_data(column)
    if data is not None:
        known = _ARROW_HASHES.get(id(data))
        if known is not None and known[0]() is data and known[1] == str(column.dtype):
            return known[2]
    try:
        hashes = pd.util.hash_pandas_object(column, index=False).to_numpy()
    except TypeError:  # lists (tags, tokens) are not hashable: hash their joined text
        joined = column.map(_joined)
        hashes = pd.util.hash_pandas_object(joined.astype("string"), index=False).to_numpy()
    if data is not None:
        key = id(data)
        _ARROW_HASHES[key] = (weakref.ref(data, lambda _, key=key: _ARROW_HASHES.pop(key, None)),
                              str(column.dtype), hashes)
    return hashes


def _joined(value):
    """A list's items joined by the unit separator (the text its hash is taken of); other values as they are."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return value
    try:
        return "\x1f".join(value)
    except TypeError:  # items that are not all strings
        return "\x1f".join(map(str, value))


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a DataFrame's content (column names, dtypes and every value; not the index).

    >>> a = pd.DataFrame({"text": ["x", "y"]})
    >>> frame_digest(a) == frame_digest(a.copy()), frame_digest(a) == frame_digest(a.iloc[::-1])
    (True, False)
    """
    return _rows_digest(frame, {name: _column_hashes(frame[name]) for name in frame.columns}, 0, len(frame))


def _rows_digest(frame: pd.DataFrame, hashes: dict, start: int, stop: int) -> str:
    """:func:`frame_digest` of ``frame.iloc[start:stop]`` from the per-row hashes of ``frame``'s columns."""
    stop = min(stop, len(frame))
    parts = [f"{stop - start}"]
    for name in frame.columns:
        parts.append(f"{name}:{frame[name].dtype}")
        parts.append(hashes[name][start:stop].tobytes())
    return _digest(*parts)


# ---------------------------------------------------------------------------------- partitions
@dataclass(frozen=True)
class Partition:
    """One piece of a corpus: ``key`` is a hash of its content, ``rows`` its length.

    Either ``frame`` holds the rows (a corpus held in memory) or ``path`` names a Parquet
    file (one part file of a dataset folder, or a whole snapshot) read by :meth:`load`.
    """

    key: str
    rows: int
    number: int
    path: str | None = None
    frame: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def load(self) -> pd.DataFrame:
        if self.frame is not None:
            return self.frame
        from .snapshot import read_snapshot

        return read_snapshot(self.path)


def partitions(corpus, rows: int = PARTITION_ROWS) -> list[Partition]:
    """Split a corpus into partitions.

    Parameters
    ----------
    corpus : DataFrame (split into runs of ``rows`` rows), a Parquet snapshot file (one
        partition per ``rows`` rows after reading it) or a folder of Parquet part files
        (a partitioned dataset: one partition per file, in file-name order).
    rows : rows per partition for DataFrames and single files.

    Examples
    --------
    >>> [p.rows for p in partitions(pd.DataFrame({"text": list("abcde")}), rows=2)]
    [2, 2, 1]
    """
    if rows < 1:
        raise ValueError(f"rows must be a positive number of articles, not {rows!r}")
    if isinstance(corpus, (str, Path)):
        path = Path(corpus)
        if path.is_dir():
            files = sorted(path.rglob("*.parquet"))
            if not files:
                raise FileNotFoundError(f"{path} holds no Parquet part files")
            import pyarrow.parquet as pq

            return [Partition(key=sha256_file(f), rows=pq.ParquetFile(f).metadata.num_rows, number=i,
                              path=str(f)) for i, f in enumerate(files)]
        from .snapshot import read_snapshot

        corpus = read_snapshot(path)
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a DataFrame, a snapshot file or a dataset folder, not {type(corpus).__name__}")
    corpus = corpus.reset_index(drop=True)
    hashes = {name: _column_hashes(corpus[name]) for name in corpus.columns}   # each column hashed once
    out = []
    for number, start in enumerate(range(0, len(corpus), rows)):
        # a corpus of one partition is that partition (not a copy: its columns' hashes are known)
        piece = corpus if len(corpus) <= rows else corpus.iloc[start:start + rows].reset_index(drop=True)
        out.append(Partition(key=_rows_digest(corpus, hashes, start, start + rows), rows=len(piece), number=number,
                             frame=piece))
    return out


def corpus_key(parts: list[Partition]) -> str:
    """One key for a whole corpus: the hash of its partitions' keys in order."""
    return _digest("corpus", *(p.key for p in parts))


# ------------------------------------------------------------------------------ storage
def cache_dir(value=None) -> Path | None:
    """The cache folder: ``value``, else the ``TOOLKIT_CACHE_DIR`` environment variable, else
    None (nothing is stored)."""
    chosen = value if value is not None else os.environ.get(CACHE_ENV) or None
    return Path(chosen) if chosen else None


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``path`` through a temporary file in the same folder and a rename, so
    that a reader (another notebook, a second run) never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def read_table(path) -> pd.DataFrame:
    """Read a cached table; list columns come back as Python lists (as the measure made them)."""
    frame = pd.read_parquet(path)
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object and len(column) and isinstance(column.dropna().iloc[0] if column.notna().any()
                                                                 else None, np.ndarray):
            frame[name] = pd.Series([list(v) if isinstance(v, np.ndarray) else v for v in column],
                                    index=frame.index, dtype="object")
    return frame


def _round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    """What a cached copy of ``frame`` reads back as (so fresh and cached results are identical)."""
    with tempfile.TemporaryDirectory(prefix="toolkit-measure-") as tmp:
        target = Path(tmp) / "table.parquet"
        frame.to_parquet(target, index=False)
        return read_table(target)


def _concat(tables: list[pd.DataFrame], corpus=None) -> pd.DataFrame:
    """The partitions' tables as one, as the function would have returned it for the whole
    corpus: categorical columns keep one category list (the corpus' own where it has the same
    column, else the union of the partitions'), and ``attrs`` (e.g. the resources used) are merged."""
    nonempty = [t for t in tables if len(t)]
    if not nonempty:
        return tables[0].iloc[0:0].reset_index(drop=True) if tables else pd.DataFrame()
    if len(nonempty) == 1:
        return nonempty[0].reset_index(drop=True)
    categorical = [c for c in nonempty[0].columns
                   if all(c in t and isinstance(t[c].dtype, pd.CategoricalDtype) for t in nonempty)]
    for column in categorical:
        dtype = _shared_categories([t[column].dtype for t in nonempty],
                                   corpus[column].dtype if isinstance(corpus, pd.DataFrame) and column in corpus
                                   else None)
        nonempty = [t.assign(**{column: t[column].astype(dtype)}) for t in nonempty]
    out = pd.concat(nonempty, ignore_index=True)
    out.attrs = _merged_attrs([t.attrs for t in nonempty])
    return out


def _shared_categories(dtypes, corpus_dtype) -> pd.CategoricalDtype:
    seen = list(dict.fromkeys(c for d in dtypes for c in d.categories))
    if isinstance(corpus_dtype, pd.CategoricalDtype) and set(seen) <= set(corpus_dtype.categories):
        return corpus_dtype
    if all(list(d.categories) == sorted(d.categories) for d in dtypes):
        seen = sorted(seen)
    return pd.CategoricalDtype(seen, ordered=dtypes[0].ordered)


def _merged_attrs(all_attrs: list[dict]) -> dict:
    """One ``attrs`` for the whole table: equal values kept, lists joined without repeats."""
    merged: dict = {}
    for attrs in all_attrs:
        for key, value in attrs.items():
            if key not in merged:
                merged[key] = value
            elif isinstance(value, list) and isinstance(merged[key], list):
                known = {json.dumps(v, sort_keys=True, default=repr) for v in merged[key]}
                merged[key] = merged[key] + [v for v in value
                                             if json.dumps(v, sort_keys=True, default=repr) not in known]
    return merged


# ------------------------------------------------------------------------------ progress
class _Progress:
    """A tqdm bar on stderr counting articles (so its rate reads in articles per second)."""

    def __init__(self, name: str, total: int, enabled):
        self.bar = None
        if enabled is None:
            enabled = total >= 5000 or os.environ.get("TOOLKIT_PROGRESS") == "1"
        if enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=f"[toolkit] {name}", unit=" articles", unit_scale=False,
                            file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ------------------------------------------------------------------------------ measures
def _spec(name: str, func: Callable, params: dict) -> str:
    keyed = {key: value for key, value in params.items() if key not in UNKEYED}
    return _digest("measure", name, _function_name(func),
                   json.dumps(_canonical(keyed), sort_keys=True, default=repr), code_and_data_fingerprint())


def _compute_partition(func, params, part: Partition) -> pd.DataFrame:
    table = func(part.load(), **params)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"a measure must return a DataFrame; {_function_name(func)} returned {type(table).__name__}")
    return table


def measure(name: str, func: Callable, corpus, *, cache=None, scheduler=None, progress=None,
            partition_rows: int = PARTITION_ROWS, jobs: int | None = None, claim: bool = False,
            **params) -> pd.DataFrame:
    """``func(corpus, **params)`` computed partition by partition (on both cores), each
    partition's table cached, and the tables concatenated in corpus order.

    For a measure that treats articles independently (tokens, tone, frames, naming, actors,
    sources, topic shares of a fitted model) the result holds the rows of
    ``func(corpus, **params)`` (list columns as lists, dtypes as Parquet keeps them, one
    category list per categorical column), whatever the partitioning, in partition order (a
    function that sorts its output, e.g. by ``doc_id``, comes back sorted within each
    partition). A second call with the same corpus, parameters, code and lexicons reads the
    cached files instead of computing; in-process and on Dask the result is the same table.

    Parameters
    ----------
    name : a name for the table (the cache sub-folder), e.g. ``"frames"``.
    func : the measure, called as ``func(partition_frame, **params)``; returns a DataFrame.
    corpus : DataFrame, snapshot file or dataset folder (see :func:`partitions`).
    cache : cache folder (default: ``$TOOLKIT_CACHE_DIR``; None there too: nothing is stored).
    scheduler : None (in-process), ``"processes"`` (a local Dask cluster), a ``tcp://``
        address of a running ``dask.distributed`` scheduler, or a ``distributed.Client``;
        default ``$TOOLKIT_SCHEDULER``. Missing partitions are computed with
        ``dask.dataframe``'s ``map_partitions``; the result is the same table.
    progress : draw a bar on stderr (articles per second); default: 5,000 articles or more.
    partition_rows : rows per partition of a corpus held in memory.
    jobs : without a scheduler, the missing partitions are computed in this many forked
        processes (:func:`toolkit.parallel.forked_map`, results in partition order; with more
        partitions than processes the first one in this process, so that the workers inherit
        its loaded models and warm caches); default
        ``$TOOLKIT_JOBS``, else the number of cores, at most 2. The table, the cached files and
        their keys do not depend on it. Inside the workers the measure's own ``n_jobs`` (e.g.
        ``actor_sentiment(n_jobs=2)``) runs in one process, so processes never multiply.
    claim : mark the partitions this call computes as being computed (a ``.claim`` file beside
        each, naming this process) until they are written: another process on this machine that
        needs them meanwhile waits for them instead of computing them again (``toolkit report``'s
        prefetch process claims; any call waits for a live claim).
    **params : passed to ``func`` and part of the cache key (except those in :data:`UNKEYED`:
        ``cache_dir`` and ``n_jobs`` change where and how fast, not what).

    Examples
    --------
    >>> import toolkit
    >>> table = measure("frames", toolkit.frames, corpus, cache="build/cache")   # doctest: +SKIP
    """
    parts = partitions(corpus, partition_rows)
    folder = cache_dir(cache)
    spec = _spec(name, func, params)
    paths = [folder / name / f"{_digest(spec, p.key)[:40]}.parquet" if folder else None for p in parts]
    tables: list = [None] * len(parts)
    missing = []
    for i, path in enumerate(paths):
        if path is not None and not path.exists():
            wait_for_claim(path)
        if path is not None and path.exists():
            tables[i] = read_table(path)
        else:
            missing.append(i)
    bar = _Progress(name, sum(parts[i].rows for i in missing), progress)
    claims = [_claim(paths[i]) for i in missing if paths[i] is not None] if claim else []
    try:
        if missing:
            computed = _run(func, params, [parts[i] for i in missing], scheduler, bar, jobs)
            for i, table in zip(missing, computed):
                if paths[i] is not None:
                    write_parquet_atomic(table, paths[i])
                    tables[i] = read_table(paths[i])
                else:
                    tables[i] = _round_trip(table)
    finally:
        bar.close()
        for path in claims:
            path.unlink(missing_ok=True)
    return _provenance(_concat(tables, corpus))


# ------------------------------------------------------------------------------ claims
def _claim_path(path: Path) -> Path:
    return path.with_name(path.name + ".claim")


def _claim(path: Path) -> Path:
    """Write the claim file of ``path``: this host and process id; returns the claim's path."""
    claim = _claim_path(path)
    claim.parent.mkdir(parents=True, exist_ok=True)
    claim.write_text(json.dumps({"host": _host(), "pid": os.getpid()}), encoding="utf-8")
    return claim


def _host() -> str:
    import socket

    return socket.gethostname()


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a zombie, ended but not yet waited for, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return True  # no /proc (macOS): the signal said it exists


def wait_for_claim(path, poll: float = 0.05) -> bool:
    """Wait while another live process on this machine has claimed ``path`` (:func:`measure`
    with ``claim=True``) and not yet written it; return whether there was such a claim. A claim
    of another host, of an ended process or unreadable is ignored (the caller computes).

    >>> wait_for_claim(Path("no") / "such" / "table.parquet")
    False
    """
    claim = _claim_path(Path(path))
    waited = False
    while not Path(path).exists():
        try:
            owner = json.loads(claim.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return waited
        if owner.get("host") != _host() or owner.get("pid") == os.getpid() or not _running(int(owner["pid"])):
            return waited
        waited = True
        time.sleep(poll)
    return waited


def _provenance(table: pd.DataFrame) -> pd.DataFrame:
    """Record the resources (lexicons, models) behind ``table`` in the run's resources log, also
    when it came from the cache and nothing was loaded (MANIFEST.json lists them either way)."""
    from .resources import log_entries

    log_entries(table.attrs.get("resources") or [])
    return table


#: the call whose partitions the forked workers compute (they inherit it; only indices travel)
_FORKED_CALL: tuple | None = None


def _forked_partition(index: int) -> pd.DataFrame:
    func, params, parts = _FORKED_CALL
    return _compute_partition(func, params, parts[index])


def _run(func, params, parts: list[Partition], scheduler, bar: _Progress, jobs=None) -> list[pd.DataFrame]:
    scheduler = scheduler if scheduler is not None else os.environ.get(SCHEDULER_ENV) or None
    if scheduler is None:
        from .parallel import default_jobs, forked_map

        global _FORKED_CALL
        jobs = default_jobs() if jobs is None else jobs
        if not isinstance(jobs, (int, np.integer)) or isinstance(jobs, bool) or jobs < 1:
            raise ValueError(f"jobs must be a positive number of processes, not {jobs!r}")
        # the measure itself then runs in one process per worker (toolkit.parallel.can_fork), so
        # two workers of a measure with n_jobs=2 are still two processes, not four
        out, outer = [], _FORKED_CALL   # outer: a measure may call measure() (in a worker too)
        # with more partitions than workers, the first is computed here: the workers then inherit
        # what it loaded and learned (models, lexicon matchers, lemma caches) instead of each
        # building it again, and the parent keeps it for the next measure
        first = 1 if len(parts) > jobs > 1 else 0
        for part in parts[:first]:
            out.append(_compute_partition(func, params, part))
            bar.update(part.rows)
        _FORKED_CALL = (func, params, parts)
        try:
            for part, table in zip(parts[first:], forked_map(_forked_partition, range(first, len(parts)), jobs)):
                out.append(table)
                bar.update(part.rows)
        finally:
            _FORKED_CALL = outer
        return out
    from .cluster import map_partitions

    return map_partitions(func, params, parts, scheduler, progress=bar.update)


def table(name: str, func: Callable, corpus, *, cache=None, partition_rows: int = PARTITION_ROWS,
          **params) -> pd.DataFrame:
    """``func(corpus, **params)`` on the whole corpus (a model selection, an aggregate),
    cached as one Parquet file keyed like :func:`measure`.

    ``corpus`` may be a DataFrame or a path; the function always receives a DataFrame.
    Use it for tables that need every article at once, e.g.
    ``table("select_k", toolkit.select_k, corpus, ks=[2, 4, 6], sample=2000)``.
    """
    frame = _whole(corpus, partition_rows)
    folder = cache_dir(cache)
    key = _digest(_spec(name, func, params), corpus_key(partitions(frame, partition_rows)))[:40]
    path = folder / name / f"{key}.parquet" if folder else None
    if path is not None and path.exists():
        return _provenance(read_table(path))
    result = func(frame, **params)
    if not isinstance(result, pd.DataFrame):
        raise TypeError(f"table() needs a function returning a DataFrame; {_function_name(func)} "
                        f"returned {type(result).__name__}")
    if path is None:
        return _round_trip(result)
    write_parquet_atomic(result, path)
    return read_table(path)


def fitted(name: str, fit: Callable, corpus, *, cache=None, partition_rows: int = PARTITION_ROWS, **params):
    """A fitted model (anything with ``save(folder)`` and a class method ``load(folder)``, such
    as :class:`toolkit.TopicModel`) made by ``fit(corpus, **params)`` once and loaded from the
    cache afterwards (keyed like :func:`table`). What is returned is always the saved-and-loaded
    model, so a first and a second run give the same tables.

    Examples
    --------
    >>> model = fitted("topics", toolkit.fit_topics, corpus, k=8, random_state=0)   # doctest: +SKIP
    """
    folder = cache_dir(cache)
    frame = _whole(corpus, partition_rows)
    key = _digest(_spec(name, fit, params), corpus_key(partitions(frame, partition_rows)))[:40]
    target = folder / name / key if folder else None
    if target is not None and (target / COMPLETE_MARKER).exists():
        return _load_model(target)
    model = fit(frame, **params)
    if target is None:
        return model
    kind = type(model)
    write_folder(target, model.save, {"class": f"{kind.__module__}.{kind.__qualname__}"})
    return _load_model(target)


def write_folder(target: Path, write: Callable, complete: dict) -> Path:
    """Fill ``target`` through ``write(tmp_folder)`` and a rename; the ``.complete.json`` marker
    (holding ``complete``) is written last, so a folder without it is never read. A complete
    folder written meanwhile by another process under the same key (the same content) is kept
    as it is, never removed under a reader."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write(tmp)
        (tmp / COMPLETE_MARKER).write_text(json.dumps(complete, ensure_ascii=False), encoding="utf-8")
        try:
            os.replace(tmp, target)  # refused when target is a folder with files in it
        except OSError:
            if (target / COMPLETE_MARKER).exists():
                return target
            shutil.rmtree(target)  # a folder left half-written by an interrupted writer
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


#: the file written last into a cached folder (a model, the ingest, a figure): a folder without it is never read
COMPLETE_MARKER = ".complete.json"


def _load_model(folder: Path):
    import importlib

    module, _, qualname = json.loads((folder / COMPLETE_MARKER).read_text())["class"].rpartition(".")
    model = getattr(importlib.import_module(module), qualname).load(folder)
    model.cache_key = folder.name  # its methods (transform) are keyed by it in measure()
    return model


def _whole(corpus, partition_rows: int) -> pd.DataFrame:
    if isinstance(corpus, pd.DataFrame):
        return corpus
    return pd.concat([p.load() for p in partitions(corpus, partition_rows)], ignore_index=True)


# ------------------------------------------------------------------------------ ingest
def ingested(path_or_paths, *, cache=None, **options):
    """:func:`toolkit.ingest` done once: its corpus and report are cached, keyed by the bytes of
    every input file (a folder: every file below it), the options and the toolkit's code and
    data; a second call (the next notebook, the next run) reads them back.

    Returns the same :class:`toolkit.IngestResult` as ``toolkit.ingest(path_or_paths, **options)``,
    except for a snapshot (a ``.parquet`` file or dataset folder written by ``save_corpus`` or
    ``toolkit ingest --out``) given without options: that is an ingest already done, read as it
    is, with the report of that ingest (``NAME.report.csv`` beside the file, ``report.csv`` in
    the folder), or one row naming the snapshot when there is none.

    Examples
    --------
    >>> result = ingested("seeds", cache="build/cache")      # doctest: +SKIP
    """
    from .corpus import IngestResult, ingest
    from .snapshot import is_snapshot, read_snapshot

    if isinstance(path_or_paths, (str, os.PathLike)) and not options and is_snapshot(path_or_paths):
        return _snapshot_ingested(Path(path_or_paths))
    folder = cache_dir(cache)
    if folder is None:
        return ingest(path_or_paths, **options)
    paths = [path_or_paths] if isinstance(path_or_paths, (str, os.PathLike)) else list(path_or_paths)
    files = []
    for path in map(Path, paths):
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        files += [(str(p.resolve()), sha256_file(p) if p.exists() else None) for p in found]
    key = _digest("ingest", json.dumps(files), json.dumps(_canonical(options), sort_keys=True, default=repr),
                  code_and_data_fingerprint())[:40]
    target = folder / "ingest" / key
    if not (target / COMPLETE_MARKER).exists():
        result = ingest(path_or_paths, **options)

        def write(folder: Path) -> None:
            result.corpus.to_parquet(folder / "corpus.parquet", index=False)
            result.report.to_parquet(folder / "report.parquet", index=False)

        write_folder(target, write, {"inputs": result.inputs})
    inputs = json.loads((target / COMPLETE_MARKER).read_text(encoding="utf-8"))["inputs"]
    return IngestResult(corpus=read_snapshot(target / "corpus.parquet"),
                        report=pd.read_parquet(target / "report.parquet"), inputs=inputs)


def _snapshot_ingested(path: Path):
    """The :class:`toolkit.IngestResult` of a snapshot: its corpus, and the report its ingest
    wrote beside it (or one ``loaded`` row for the snapshot)."""
    from .corpus import IngestResult
    from .snapshot import read_snapshot

    corpus = read_snapshot(path)
    written = path / "report.csv" if path.is_dir() else path.with_name(path.stem + ".report.csv")
    if written.exists():
        report = pd.read_csv(written, dtype={"file": "string", "status": "string", "reason": "string",
                                             "warnings": "string"})
    else:
        report = pd.DataFrame({"file": pd.array([str(path)], dtype="string"),
                               "status": pd.array(["loaded"], dtype="string"),
                               "reason": pd.array([pd.NA], dtype="string"),
                               "warnings": pd.array([pd.NA], dtype="string"), "n_articles": [len(corpus)]})
    return IngestResult(corpus=corpus, report=report, inputs=[str(path)])
