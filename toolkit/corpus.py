"""Ingest stage: files -> the corpus DataFrame and an ingest report.

Reads files in the aggregator's seed layout, or tables (JSONL, CSV/TSV, Parquet) whose columns
match the corpus schema; returns :class:`IngestResult` with ``.corpus`` (see
:mod:`toolkit.schema`) and ``.report`` (one row per input file).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import schema
from ._data import read_table
from .citations import cited_sources
from .clean import clean_body, normalize_text
from .dates import parse_date
from .decode import UnreadableFile, decode_bytes
from .language import detect_languages

REPORT_COLUMNS = ["file", "status", "reason", "warnings", "n_articles"]
STATUSES = ["loaded", "duplicate", "rejected"]
_OUTLET_LINE = re.compile(r"^\s*фото\s+показано\s+с\s*:\s*(?P<outlet>\S*)\s*$", re.I)
_MORE_LINE = re.compile(r"^\s*(?:Подробнее читайте на|Детальніше читайте на)\b", re.I)
_TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
                   ".tsv": "tsv", ".parquet": "parquet"}


class IngestError(ValueError):
    """A file could not be used (raised only with ``errors="raise"``)."""


class _Rejected(Exception):
    """Internal: this file is rejected for the reason in the message."""


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


def parse_seed_layout(text: str) -> tuple[dict, list[str]]:
    """Parse one article in the aggregator's seed layout; return ``(record, notes)``.

    The layout: title, blank, title again, ``фото показано с : OUTLET``, blank, date, blank,
    body paragraphs, ``Подробнее читайте на ...``, blank, keyword line. Any header line may be
    missing; what is missing is noted. Raises ``_Rejected`` when there is no body.

    Examples
    --------
    >>> rec, notes = parse_seed_layout("Заголовок\\n\\nЗаголовок\\nфото показано с : ru.tsn.ua\\n\\n"
    ...     "2023-10-7 11:22\\n\\nТекст статьи.\\n\\nПодробнее читайте на ...\\n\\nкарабах сша")
    >>> rec["outlet"], rec["title"], rec["tags"], str(rec["published"])
    ('ru.tsn.ua', 'Заголовок', ['карабах', 'сша'], '2023-10-07 11:22:00+00:00')
    """
    lines = normalize_text(text).split("\n")
    notes: list[str] = []
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        raise _Rejected("empty file")
    # header: up to the first body line, looked for in the first few non-blank lines
    head = nonblank[:5]
    outlet_idx = next((i for i in head if _OUTLET_LINE.match(lines[i])), None)
    date_idx = next((i for i in nonblank[:6] if parse_date(lines[i]) is not None
                     and (outlet_idx is None or i > outlet_idx)), None)
    title = lines[nonblank[0]].strip()
    header_end = nonblank[0]
    if len(nonblank) > 1 and lines[nonblank[1]].strip() == title:
        header_end = nonblank[1]
    elif outlet_idx is not None or date_idx is not None:
        notes.append("title line appears once, not twice")
    if outlet_idx is None:
        notes.append("no 'фото показано с :' outlet line")
        outlet = None
    else:
        outlet = _OUTLET_LINE.match(lines[outlet_idx]).group("outlet").lower() or None
        header_end = max(header_end, outlet_idx)
    if date_idx is None:
        notes.append("no date line")
        published = None
    else:
        published = parse_date(lines[date_idx])
        header_end = max(header_end, date_idx)
    if outlet_idx is None and date_idx is None and header_end == nonblank[0]:
        # neither header line: the title line is also the start of the body when nothing repeats it
        notes.append("no header: first line taken as title")
    # footer: the "read more" marker, then the keyword line
    more_idx = next((i for i in reversed(nonblank) if _MORE_LINE.match(lines[i])), None)
    tags: list[str] = []
    body_end = len(lines)
    if more_idx is not None and more_idx > header_end:
        body_end = more_idx
        after = [i for i in nonblank if i > more_idx]
        if after:
            tags = _split_tags(lines[after[-1]])
    else:
        notes.append("no 'Подробнее читайте на' footer: no keyword line read")
    body = "\n".join(lines[header_end + 1: body_end]).strip()
    if not body:
        raise _Rejected("no article body: the file has header lines but no text")
    return {"title": title, "outlet": outlet, "published": published, "body": body, "tags": tags}, notes


def _split_tags(line: str) -> list[str]:
    parts = re.split(r"\s*[,;|]\s*", line.strip()) if re.search(r"[,;|]", line) else line.split()
    return [p.strip() for p in parts if p.strip()]


def _read_seed_file(data: bytes, max_text_mb: float) -> tuple[list[dict], list[str]]:
    if len(data) > max_text_mb * 2**20:
        raise _Rejected(f"file too large for one article ({len(data) / 2**20:.1f} MB > "
                        f"max_text_mb={max_text_mb:g}); pass a larger max_text_mb to load it")
    try:
        text, notes = decode_bytes(data)
    except UnreadableFile as exc:
        raise _Rejected(str(exc)) from None
    record, more = parse_seed_layout(text)
    return [record], notes + more


def _read_table_file(data: bytes, kind: str, columns: dict | None) -> tuple[list[dict], list[str]]:
    notes: list[str] = []
    try:
        if kind == "parquet":
            frame = pd.read_parquet(io.BytesIO(data))
        else:
            text, notes = _decode_table(data)
            if kind == "jsonl":
                frame = _read_json_records(text)
            else:
                sep = _delimiter(text, "\t" if kind == "tsv" else ",")
                if kind == "tsv" and sep != "\t":
                    notes.append(f"delimiter {sep!r} found in a .tsv file, used instead of a tab")
                frame = pd.read_csv(io.StringIO(text), sep=sep, engine="python", dtype=str,
                                    keep_default_na=False)
    except UnreadableFile as exc:
        raise _Rejected(str(exc)) from None
    except Exception as exc:  # pandas raises many kinds; the reader's message is what helps
        raise _Rejected(f"unreadable {kind} table: {type(exc).__name__}: {str(exc)[:200]}") from None
    if columns:
        frame = frame.rename(columns=columns)
    body_col = next((c for c in ("text", "raw_text", "body") if c in frame), None)
    if body_col is None:
        hint = ("; only one column was found: is the delimiter one of , ; tab |?"
                if len(frame.columns) == 1 and kind in ("csv", "tsv") else "")
        raise _Rejected(f"{kind} table has no 'text' column (columns found: {list(frame.columns)}); "
                        "pass columns={'your_column': 'text', ...}" + hint)
    records, skipped = [], []
    for i, row in enumerate(frame.to_dict("records")):
        body = row.get(body_col)
        if not isinstance(body, str) or not body.strip():
            skipped.append(i + 1)
            continue
        rec = {k: v for k, v in row.items() if k not in ("doc_id", "language", "outlet_name",
                                                          "outlet_country", "duplicate_of")}
        rec["body"] = body
        rec["title"] = row.get("title") if isinstance(row.get("title"), str) else None
        rec["published"] = _table_date(row.get("published"))
        tags = row.get("tags")
        rec["tags"] = _split_tags(tags) if isinstance(tags, str) else schema._as_list(tags)
        records.append(rec)
    if skipped:
        notes.append(f"{len(skipped)} row(s) without text skipped (rows {skipped[:10]})")
    if not records:
        raise _Rejected(f"{kind} table has no row with text")
    return records, notes


def _delimiter(text: str, default: str) -> str:
    """The table's delimiter among , ; tab | (pandas' own sniffing may pick a letter)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def _decode_table(data: bytes) -> tuple[str, list[str]]:
    """Decode a table; when no one encoding fits, decode line by line (UTF-8 or the legacy one)."""
    try:
        return decode_bytes(data)
    except UnreadableFile:
        lines = data.split(b"\n")
        legacy = [i for i, ln in enumerate(lines) if not _is_utf8(ln)]
        if not legacy or len(legacy) == len(lines) or 0 in data[:4000]:
            raise
        text, notes = decode_bytes(b"\n".join(lines[i] for i in legacy))
        decoded = text.split("\n")
        if len(decoded) != len(legacy):
            raise
        out = dict(zip(legacy, decoded))
        out = [out[i] if i in out else ln.decode("utf-8") for i, ln in enumerate(lines)]
        how = notes[0] if notes else "decoded separately"
        total = sum(1 for ln in lines if ln.strip())
        return "\n".join(out), [f"mixed encodings: {len(legacy)} of {total} lines are not UTF-8 ({how})"]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_json_records(text: str) -> pd.DataFrame:
    """JSON Lines, a JSON array of articles, one pretty-printed article object, or an object
    holding one list of articles (``{"articles": [...]}``)."""
    stripped = text.strip()
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError:
        return pd.read_json(io.StringIO(text), lines=True)  # JSON Lines (or a clear parse error)
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        document = lists[0] if len(lists) == 1 and not any(k in document for k in ("text", "body")) else [document]
    if not isinstance(document, list) or not all(isinstance(x, dict) for x in document):
        raise ValueError("the JSON holds no article objects (expected objects with a 'text' field)")
    return pd.DataFrame(document)


def _table_date(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return parse_date(value) or _timestamp_or_none(value)
    return _timestamp_or_none(value)


def _timestamp_or_none(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # a number is a Unix time: seconds, or milliseconds when too large for seconds
        unit = "ms" if abs(value) > 1e11 else "s"
        try:
            return pd.Timestamp(value, unit=unit, tz="UTC")
        except (ValueError, OverflowError):
            return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if stamp is pd.NaT:
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _kind_of(path: Path, data: bytes) -> str:
    """The reader for a file, by content first (Parquet magic, JSON), then by suffix."""
    if data[:4] == b"PAR1":
        return "parquet"
    suffix = _TABLE_SUFFIXES.get(path.suffix.lower())
    if suffix:
        return suffix
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\"") and path.suffix.lower() in ("", ".txt", ".jsonl"):
        return "jsonl"
    for kind, test in EXTRA_READERS.items():
        if test[0](path, data):
            return kind
    return "seed"


#: name -> (recognise(path, bytes) -> bool, read(bytes, path) -> (records, notes)); filled by
#: optional readers (HTML pages, feeds) so that this module need not import them.
EXTRA_READERS: dict[str, tuple[Callable, Callable]] = {}


# ---------------------------------------------------------------- from records to the corpus

def _doc_id(outlet, title, text) -> str:
    key = "\n".join([outlet or "", title or "", text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _registry() -> pd.DataFrame:
    table = read_table("data/outlets.csv")
    return table.drop_duplicates("domain").set_index("domain")


def normalise_outlet(value) -> str | None:
    """A domain in registry form: lowercase, no scheme, no 'www.', no path.

    Examples
    --------
    >>> normalise_outlet("https://www.Politico.eu/article/x")
    'politico.eu'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    host = re.sub(r"^[a-z]+://", "", value.strip().lower()).split("/")[0].split(":")[0]
    return host[4:] if host.startswith("www.") else host or None


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
    registry = _registry()
    frame["outlet_name"] = frame["outlet"].map(registry["name"]).replace("", None)
    frame["outlet_country"] = frame["outlet"].map(registry["country"]).replace("", None)
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
        Renames for table columns, e.g. ``{"headline": "title", "pub_date": "published"}``.
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
    files = _discover(path_or_paths, recursive)
    report: list[dict] = []
    records: list[dict] = []
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done - 1, len(files))  # files finished so far
        entry = {"file": str(path), "status": "loaded", "reason": None, "warnings": [], "n_articles": 0}
        report.append(entry)
        try:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _Rejected(f"cannot read the file: {exc.strerror or exc}") from None
            kind = _kind_of(path, data)
            if kind == "seed":
                found, notes = _read_seed_file(data, max_text_mb)
            elif kind in EXTRA_READERS:
                found, notes = EXTRA_READERS[kind][1](data, path)
            else:
                found, notes = _read_table_file(data, kind, columns)
        except _Rejected as exc:
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


from . import webformats  # noqa: E402,F401  (registers the HTML page and feed readers)
