"""Ingest stage: files -> the corpus DataFrame and an ingest report.

Reads files in the aggregator's seed layout, or tables (JSONL, CSV/TSV, Parquet) whose columns
match the corpus schema; returns :class:`IngestResult` with ``.corpus`` (see
:mod:`toolkit.schema`) and ``.report`` (one row per input file).
"""
from __future__ import annotations

import hashlib
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import schema
from .citations import cited_sources
from .clean import clean_body
from .language import detect_languages
from .outlets import country_coverage, normalise_outlet, place_outlets
from .readers import ColumnNotFound, RejectedFile, check_columns, read_file

REPORT_COLUMNS = ["file", "status", "reason", "warnings", "n_articles"]
STATUSES = ["loaded", "duplicate", "rejected"]


class IngestError(ValueError):
    """A file could not be used (raised only with ``errors="raise"``)."""


@dataclass
class IngestResult:
    """What :func:`ingest` returns.

    Attributes
    ----------
    corpus : DataFrame
        One row per article, the columns of :data:`toolkit.schema.CORPUS_COLUMNS`.
    report : DataFrame
        One row per input file: ``file``, ``status`` (loaded, duplicate, rejected), ``reason``
        (why rejected or marked duplicate), ``warnings`` (repairs made, "; "-separated),
        ``n_articles`` (articles the file contributed to the corpus).
    """

    corpus: pd.DataFrame
    report: pd.DataFrame
    inputs: list[str] = field(default_factory=list)

    def country_coverage(self) -> str:
        """How many articles have an outlet country and from which source, e.g. ``412 of 523
        articles placed in a country: registry 95, domain 317; 111 without a country``."""
        return country_coverage(self.corpus)

    def summary(self) -> pd.DataFrame:
        """Files per status and reason, e.g. ``rejected | empty file | 2``."""
        reason = self.report["reason"].fillna("").str.split(":").str[0]
        return (self.report.assign(reason=reason).groupby(["status", "reason"], observed=True)
                .size().rename("files").reset_index())


# ---------------------------------------------------------------- file discovery and reading

def _discover(paths, recursive: bool) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = p.rglob("*") if recursive else p.glob("*")
            files.extend(sorted(f for f in found if f.is_file() and not f.name.startswith(".")))
        else:
            files.append(p)  # a missing file becomes a rejected row, not an exception
    return list(dict.fromkeys(files))  # a file given twice is read once


# ---------------------------------------------------------------- from records to the corpus

def _doc_id(outlet, title, text) -> str:
    key = "\n".join([outlet or "", title or "", text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _build_corpus(records: list[dict], keep_raw: bool) -> pd.DataFrame:
    rows = []
    for rec in records:
        text, notes = clean_body(rec["body"])
        rec["_notes"].extend(notes)
        outlet = normalise_outlet(rec.get("outlet")) or normalise_outlet(rec.get("url"))
        title = rec.get("title") or _first_sentence(text)
        row = {k: v for k, v in rec.items() if not k.startswith("_") and k != "body"}
        row.update(outlet=outlet, title=title, text=text, cited_sources=cited_sources(text),
                   doc_id=_doc_id(outlet, title, text))
        if keep_raw:
            row["raw_text"] = rec["body"]
        rows.append(row)
    if not rows:
        return schema.empty_corpus()
    frame = pd.DataFrame(rows)
    frame["language"] = detect_languages((frame["title"].fillna("") + "\n" + frame["text"]).tolist())
    placed = place_outlets(frame["outlet"])
    for column in placed:
        frame[column] = placed[column]
    return frame


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first[:200]


def ingest(path_or_paths, *, recursive: bool = True, keep_raw: bool = False, errors: str = "report",
           columns: dict | None = None, max_text_mb: float = 10, near_duplicate: float = 0.6,
           progress: Callable[[int, int], None] | None = None) -> IngestResult:
    """Load articles from files into a corpus DataFrame, with a report on every file.

    Parameters
    ----------
    path_or_paths : str, Path or list of them
        Files or folders (folders are searched, recursively by default; hidden files skipped).
    recursive : bool
        Search sub-folders.
    keep_raw : bool
        Add a ``raw_text`` column with the body before cleaning.
    errors : {"report", "raise"}
        ``"report"``: a bad file becomes a ``rejected`` row of the report; ``"raise"``: the
        first bad file raises :class:`IngestError`.
    columns : dict, optional
        Table columns -> corpus columns, e.g. ``{"headline": "title", "pub_date": "published"}``.
        Without it, common names are recognised (``headline``, ``body``, ``content``, ``date``,
        ``pub_date``, ``link`` ...; ``toolkit/data/column_aliases.csv``) and the report notes the
        mapping used. A target that is not a corpus column, or a named column a table lacks
        (when the table has no other column for that target), raises ``ValueError``.
    max_text_mb : float
        Largest article file (seed layout) accepted; larger ones are rejected with a reason.
    near_duplicate : float
        Share of an article's word 5-grams found in an earlier one above which it is marked
        ``duplicate_of`` that article (0.6 by default: aggregator copies with edits reach 0.75,
        unrelated articles on the same event stay below 0.4; 1.1 turns marking off).
    progress : callable, optional
        Called as ``progress(done, total)`` after each file (e.g. to draw a progress bar).

    Returns
    -------
    IngestResult
        ``.corpus`` and ``.report``.

    Examples
    --------
    >>> result = ingest("seeds")                     # doctest: +SKIP
    >>> result.corpus[["outlet", "published"]]       # doctest: +SKIP
    """
    if errors not in ("report", "raise"):
        raise ValueError(f"errors must be 'report' or 'raise', not {errors!r}")
    columns = check_columns(columns)
    files = _discover(path_or_paths, recursive)
    report: list[dict] = []
    records: list[dict] = []
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done - 1, len(files))  # files finished so far
        entry = {"file": str(path), "status": "loaded", "reason": None, "warnings": [], "n_articles": 0}
        report.append(entry)
        try:
            found, notes = read_file(path, columns=columns, max_text_mb=max_text_mb)
        except ColumnNotFound as exc:
            raise ColumnNotFound(f"{path}: {exc}") from None
        except RejectedFile as exc:
            if errors == "raise":
                raise IngestError(f"{path}: {exc}") from None
            entry.update(status="rejected", reason=str(exc))
            continue
        except Exception as exc:  # a bug must not cost the user the whole run
            if errors == "raise":
                raise
            entry.update(status="rejected", reason=f"unexpected error while reading: {type(exc).__name__}: {exc}")
            continue
        entry["warnings"].extend(notes)
        for rec in found:
            rec["source_file"] = str(path)
            rec["_notes"] = entry["warnings"]
            rec["_entry"] = entry
        records.extend(found)
    if progress is not None and files:
        progress(len(files), len(files))
    corpus = _build_corpus(records, keep_raw)
    corpus = _mark_duplicates(corpus, records, near_duplicate, errors)
    corpus = schema.validate_corpus(schema.conform(corpus))
    report_df = pd.DataFrame(report, columns=REPORT_COLUMNS)
    report_df["warnings"] = report_df["warnings"].map(lambda w: "; ".join(dict.fromkeys(w)) or None)
    report_df = report_df.astype({"file": "string", "reason": "string", "warnings": "string",
                                  "n_articles": "int64"})
    report_df["status"] = report_df["status"].astype(pd.CategoricalDtype(STATUSES))
    return IngestResult(corpus=corpus, report=report_df, inputs=[str(f) for f in files])


def _mark_duplicates(corpus: pd.DataFrame, records: list[dict], threshold: float, errors: str) -> pd.DataFrame:
    """Drop exact repeats (same doc_id) and mark near-duplicates; update the report entries."""
    if corpus.empty:
        return corpus
    entries = [r["_entry"] for r in records]
    corpus = corpus.assign(_order=range(len(corpus)))
    first_file = {}
    keep = []
    for i, doc_id in enumerate(corpus["doc_id"]):
        entry = entries[i]
        if doc_id in first_file:
            if errors == "raise":
                raise IngestError(f"{entry['file']}: same article as {first_file[doc_id]}")
            if entry["n_articles"] == 0 and entry["status"] == "loaded":
                entry.update(status="duplicate", reason=f"same article as {first_file[doc_id]} "
                             f"(doc_id {doc_id}); not added again")
            else:
                entry["warnings"].append(f"repeated article {doc_id} skipped")
            continue
        first_file[doc_id] = entry["file"]
        entry["n_articles"] += 1
        keep.append(i)
    corpus = corpus.iloc[keep].reset_index(drop=True)
    corpus["duplicate_of"] = find_near_duplicates(corpus, threshold)
    for i, original in enumerate(corpus["duplicate_of"]):
        if isinstance(original, str):
            entry = entries[corpus.at[i, "_order"]]
            source = corpus.loc[corpus["doc_id"] == original, "source_file"].iloc[0]
            if entry["status"] == "loaded" and entry["n_articles"] == 1:
                entry.update(status="duplicate", reason=f"near-duplicate of {original} ({source}); "
                             "kept in the corpus with duplicate_of set")
            else:
                entry["warnings"].append(f"article {corpus.at[i, 'doc_id']} near-duplicates {original}")
    return corpus.drop(columns="_order")


def find_near_duplicates(corpus: pd.DataFrame, threshold: float = 0.8, shingle: int = 5) -> pd.Series:
    """For each article, the doc_id of an earlier near-identical one, else missing.

    Two articles are near-identical when at least ``threshold`` of the shorter one's word
    ``shingle``-grams also occur in the other (containment, so that a truncated reprint
    still matches). "Earlier" means published first (undated last), ties broken by doc_id.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2023-01-02", "2023-01-01"]),
    ...                    "text": ["one two three four five six seven", "one two three four five six seven!"]})
    >>> find_near_duplicates(df).tolist()
    ['b', None]
    """
    from sklearn.feature_extraction.text import HashingVectorizer

    result = pd.Series([None] * len(corpus), index=corpus.index, dtype="object")
    if len(corpus) < 2 or threshold > 1:
        return result
    vectorizer = HashingVectorizer(analyzer="word", ngram_range=(shingle, shingle), binary=True,
                                   norm=None, alternate_sign=False, n_features=2**22,
                                   token_pattern=r"(?u)\b\w+\b")
    texts = corpus["text"].fillna("").astype(str).str.lower()
    matrix = vectorizer.transform(texts).tocsr()
    sizes = matrix.sum(axis=1).A1
    overlap = (matrix @ matrix.T).tocoo()
    order = corpus.assign(_pos=range(len(corpus)), _undated=corpus["published"].isna()) \
        .sort_values(["_undated", "published", "doc_id"])["_pos"].tolist()
    rank = {pos: r for r, pos in enumerate(order)}
    best: dict[int, tuple[int, float]] = {}
    for i, j, shared in zip(overlap.row, overlap.col, overlap.data):
        if i == j or rank[j] > rank[i]:
            continue
        smaller = min(sizes[i], sizes[j])
        if smaller < 3:
            continue
        score = shared / smaller
        if score >= threshold and (i not in best or rank[j] < rank[best[i][0]]):
            best[i] = (j, score)
    ids = corpus["doc_id"].tolist()
    for i, (j, _) in best.items():
        # point at the root of a chain, so that every copy names the original
        while j in best:
            j = best[j][0]
        result.iloc[i] = ids[j]
    return result


def load_corpus(path_or_paths, **kw) -> pd.DataFrame:
    """The corpus of :func:`ingest`, or a Parquet snapshot written by :func:`save_corpus`.

    Emits one warning summarising rejected files (count, reasons, where to look).

    Examples
    --------
    >>> corpus = load_corpus("seeds")                # doctest: +SKIP
    """
    from .snapshot import is_snapshot, read_snapshot

    if isinstance(path_or_paths, (str, os.PathLike)) and is_snapshot(path_or_paths):
        return read_snapshot(path_or_paths)
    result = ingest(path_or_paths, **kw)
    rejected = result.report[result.report["status"] == "rejected"]
    if len(rejected):
        reasons = rejected["reason"].str.split(r"[:(;]", regex=True).str[0].str.strip().value_counts()
        listed = ", ".join(f"{r}: {n}" for r, n in reasons.items())
        warnings.warn(f"{len(rejected)} of {len(result.report)} files were rejected ({listed}); "
                      "see toolkit.ingest(...).report for the files and reasons", stacklevel=2)
    return result.corpus

