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

import numpy as np
import pandas as pd

from . import dedup, schema
from .citations import cited_sources
from .clean import clean_body, clean_title, strip_leading_furniture
from .language import detect_languages
from .outlets import country_coverage, coverage_sentence, normalise_outlet, place_outlets
from .parallel import default_jobs
from .readers import CHUNKED_TABLE_MB, ColumnNotFound, RejectedFile, check_columns, read_file, table_chunks
from .snapshot import ROWS_PER_PART

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
    dataset : Path or None
        The partitioned dataset written by a streaming ingest (``out=``); then ``corpus`` is None.
    """

    corpus: pd.DataFrame | None
    report: pd.DataFrame
    inputs: list[str] = field(default_factory=list)
    dataset: Path | None = None
    coverage: str | None = None

    def country_coverage(self) -> str:
        """How many articles have an outlet country and from which source, e.g. ``412 of 523
        articles placed in a country: registry 95, domain 317; 111 without a country``."""
        return self.coverage if self.corpus is None else country_coverage(self.corpus)

    def summary(self) -> pd.DataFrame:
        """Files per status and reason, e.g. ``rejected | empty file | 2``."""
        reason = self.report["reason"].fillna("").str.split(":").str[0]
        return (self.report.assign(reason=reason).groupby(["status", "reason"], observed=True)
                .size().rename("files").reset_index())


# ---------------------------------------------------------------- file discovery and reading

#: files a folder of articles holds about itself, not articles: README, LICENSE, CHANGELOG ... and
#: Markdown or reStructuredText documents. Found in a folder, they get a ``rejected`` report row
#: (:data:`DOCUMENTATION_REASON`) and are not read; a path given on its own is always read.
#: a file of outlet sides (JSON {outlet domain: side code}) that notebook 03 reads beside the
#: articles: a name ending in ``outlet_side.json`` or ``outlet_sides.json`` (dev_outlet_side.json)
SIDES_FILE = re.compile(r"outlet_sides?\.json$", re.I)
DOCUMENTATION_FILE = re.compile(
    r"^(readme|licen[cs]e|copying|changelog|changes|notice|authors|contributing)(\.[^.]+)?$"
    r"|\.(md|markdown|rst)$"
    rf"|{SIDES_FILE.pattern}", re.I)


def find_sides_file(corpus_path) -> Path | None:
    """The file of outlet sides that belongs to a corpus: a file named like :data:`SIDES_FILE` in
    the corpus folder (the folder itself, or the one holding a snapshot or file given as the
    corpus), else in its parent folder (``../shared/corpus`` for ``../shared/corpus/dev_seeds``);
    None when there is none, or when the folder where the first is found holds several (whose
    corpus each belongs to cannot be told: name one with ``--sides``).

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "articles").mkdir(), (folder / "my_outlet_sides.json").write_text("{}")
    >>> find_sides_file(folder / "articles").name
    'my_outlet_sides.json'
    """
    path = Path(corpus_path).resolve()
    folder = path if path.is_dir() else path.parent
    for place in (folder, folder.parent):
        found = sorted(p for p in place.glob("*.json") if SIDES_FILE.search(p.name) and p.is_file())
        if found:
            return found[0] if len(found) == 1 else None
    return None


DOCUMENTATION_REASON = ("not an article: a documentation file found in the folder (README, LICENSE, "
                        "Markdown, a file of outlet sides ...); give its path on its own to read it as an article")


def _discover(paths, recursive: bool) -> tuple[list[Path], set[Path]]:
    """The files to ingest, in order, and those of them found in a folder that are documentation
    (:data:`DOCUMENTATION_FILE`: reported, not read)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    documentation: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = p.rglob("*") if recursive else p.glob("*")
            inside = sorted(f for f in found if f.is_file() and not f.name.startswith("."))
            documentation.update(f for f in inside if DOCUMENTATION_FILE.search(f.name))
            files.extend(inside)
        else:
            files.append(p)  # a missing file becomes a rejected row, not an exception
    files = list(dict.fromkeys(files))  # a file given twice is read once
    return files, documentation.difference(p for p in map(Path, paths) if not p.is_dir())


# ---------------------------------------------------------------- from records to the corpus

def _doc_id(outlet, title, text) -> str:
    key = "\n".join([outlet or "", title or "", text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _prepare(records: list[dict], keep_raw: bool) -> tuple[pd.DataFrame, list[list[str]]]:
    """Cleaned articles of a chunk of records (without duplicate marks) and each record's notes."""
    rows, notes_per_record = [], []
    for rec in records:
        text, notes = clean_body(rec["body"])
        notes_per_record.append(notes)
        outlet = normalise_outlet(rec.get("outlet")) or normalise_outlet(rec.get("url"))
        title = clean_title(rec.get("title"))
        text, furniture = strip_leading_furniture(text, title)
        if furniture:
            notes.append("page furniture before the title removed: " + furniture[:60])
        title = title or _first_sentence(text)
        row = {k: v for k, v in rec.items() if not k.startswith("_") and k != "body"}
        richness = sum(map(_present, row.values()))
        row.update(outlet=outlet, title=title, text=text, cited_sources=cited_sources(text),
                   doc_id=_doc_id(outlet, title, text), _richness=richness)
        if keep_raw:
            row["raw_text"] = rec["body"]
        rows.append(row)
    if not rows:
        return schema.empty_corpus(), notes_per_record
    frame = pd.DataFrame(rows)
    frame["language"] = detect_languages((frame["title"].fillna("") + "\n" + frame["text"]).tolist())
    placed = place_outlets(frame["outlet"], urls=frame["url"] if "url" in frame else None)
    for column in placed:
        frame[column] = placed[column].to_numpy()
    return frame, notes_per_record


def _present(value) -> bool:
    """A metadata value that is there (not None/NaN/empty): what makes one record richer."""
    if isinstance(value, (list, tuple, dict, str)):
        return len(value) > 0
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NaT


def _article_keys(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """What :func:`toolkit.dedup.same_article` compares, per article: the canonical URL's hash
    (0: none), the outlet's hash (-1: unknown), the publication day (-1: undated) and the
    number of metadata fields the record came with (the richer of two reads is kept)."""
    urls = frame["url"] if "url" in frame else pd.Series([None] * len(frame))
    published = pd.to_datetime(frame["published"], utc=True, errors="coerce")
    days = (published.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype(np.int64))
    return {"url": np.array([dedup.key_hash(dedup.canonical_url(u)) for u in urls], dtype=np.int64),
            "outlet": np.array([dedup.key_hash(o) or -1 for o in frame["outlet"]], dtype=np.int64),
            "day": np.where(published.isna().to_numpy(), -1, days),
            "richness": frame["_richness"].to_numpy(dtype=np.int64)}


def _read_one(path: Path, columns, max_text_mb):
    """``("ok", (records, notes))``, ``("rejected", reason)``, ``("column", message)`` or
    ``("error", (exception, message))`` for one file: workers return outcomes, never raise."""
    try:
        return "ok", read_file(path, columns=columns, max_text_mb=max_text_mb)
    except ColumnNotFound as exc:
        return "column", f"{path}: {exc}"
    except RejectedFile as exc:
        return "rejected", str(exc)
    except Exception as exc:  # a bug must not cost the user the whole run
        return "error", (exc, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _work(task) -> tuple[list, pd.DataFrame, np.ndarray | None, np.ndarray | None]:
    """One task of the pipeline (run in a worker process or in-process): read files or a chunk
    of a large table, clean and describe the articles; return per-file outcomes
    ``[file index, outcome, notes or reason]``, the articles (column ``_file``: file index)
    and, when asked, their MinHash signatures and shingle counts."""
    kind, payload, options = task
    results, records, owners = [], [], []
    if kind == "files":
        for index, path in payload:
            outcome, value = _read_one(path, options["columns"], options["max_text_mb"])
            if outcome != "ok":
                results.append([index, outcome, value])
                continue
            found, notes = value
            results.append([index, "ok", list(notes)])
            for rec in found:
                rec["source_file"] = str(path)
            records.extend(found)
            owners.extend([len(results) - 1] * len(found))
    elif kind == "failed":
        results.append([payload[0], "rejected", payload[1]])
    else:  # a chunk of a large table (a readers.TableChunk), read here
        index, path, chunk = payload
        try:
            found, notes = chunk.read()
        except ColumnNotFound as exc:
            results.append([index, "column", f"{path}: {exc}"])
        except (RejectedFile, ValueError, OSError) as exc:
            results.append([index, "rejected", _unreadable_table(exc)])
        else:
            results.append([index, "ok", list(notes)])
            for rec in found:
                rec["source_file"] = str(path)
            records, owners = found, [0] * len(found)
    frame, record_notes = _prepare(records, options["keep_raw"])
    for owner, notes in zip(owners, record_notes):
        results[owner][2].extend(notes)
    for owner, note in _language_notes(records, owners, frame).items():
        results[owner][2].append(note)
    frame["_file"] = np.array([results[o][0] for o in owners], dtype=np.int64)
    signatures = sizes = None
    if options["signatures"]:
        signatures, sizes = dedup.minhash_signatures(frame["text"].tolist())
    return results, frame, signatures, sizes


def _language_notes(records: list[dict], owners: list[int], frame: pd.DataFrame) -> dict[int, str]:
    """One note per file whose rows carry a ``language`` (ISO 639-1) other than the one detected
    from their text: the detection is kept (README, corpus columns), and the report says so, with
    the pairs found (no count: a large table's chunks each add their note, and equal notes of one
    file are merged). A text whose language cannot be told (``und``) overrules no label."""
    if "language" not in frame or not len(records):
        return {}
    found: dict[int, list[str]] = {}
    for owner, rec, detected in zip(owners, records, frame["language"].astype(str)):
        given = rec.get("_given_language")
        code = given.strip().lower().replace("_", "-").split("-")[0] if isinstance(given, str) else ""
        if len(code) == 2 and code.isalpha() and code != detected and detected != "und":
            found.setdefault(owner, []).append(f"{given.strip()!r} → {detected!r}")
    return {owner: "language labels overruled by the one detected from the text, which is kept: "
                   + ", ".join(sorted(set(pairs))[:5]) for owner, pairs in found.items()}


def _tasks(files: list[Path], options: dict, files_per_task: int = 32, chunk_rows: int = 1000):
    """The pipeline's tasks in file order: batches of files; a large table (over
    :data:`toolkit.readers.CHUNKED_TABLE_MB`) as chunks of rows."""
    batch = []
    for index, path in enumerate(files):
        if path in options["documentation"]:
            continue  # reported as not an article (DOCUMENTATION_REASON), not read
        if not _chunked(path):
            batch.append((index, path))
            if len(batch) >= files_per_task:
                yield "files", batch, options
                batch = []
            continue
        if batch:
            yield "files", batch, options
            batch = []
        try:  # the chunks are read (JSON Lines also parsed) in the workers: this process only splits
            for chunk in table_chunks(path, options["columns"], chunk_rows):
                yield "chunk", (index, path, chunk), options
        except ColumnNotFound as exc:
            raise ColumnNotFound(f"{path}: {exc}") from None
        except (RejectedFile, ValueError, OSError) as exc:
            yield "failed", (index, _unreadable_table(exc)), options
    if batch:
        yield "files", batch, options


def _unreadable_table(exc: Exception) -> str:
    """The report's reason for a large table whose reading stopped at ``exc``."""
    return str(exc) if isinstance(exc, RejectedFile) else f"unreadable table: {exc}"


def _chunked(path: Path) -> bool:
    """A table large enough to be read in chunks of rows (over :data:`CHUNKED_TABLE_MB`)."""
    return (path.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet")
            and path.is_file() and path.stat().st_size > CHUNKED_TABLE_MB * 2**20)


def _run(tasks, n_jobs: int):
    """Results of the tasks in order: in-process for ``n_jobs=1``, else a process pool with a
    bounded number of tasks in flight (memory) and results taken in submission order
    (a deterministic output whatever the number of workers)."""
    if n_jobs == 1:
        for task in tasks:
            yield _work(task)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        pending = deque()
        for task in tasks:
            pending.append(pool.submit(_work, task))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def problem_files(report: pd.DataFrame) -> pd.DataFrame:
    """The rows of an ingest report (:attr:`IngestResult.report`) whose file was rejected or read
    with a warning: a ``reason`` or ``warnings`` that is not empty (a report without one of these
    columns has none of it).

    >>> problem_files(pd.DataFrame({"file": ["a", "b"], "status": ["loaded", "rejected"],
    ...                             "reason": [None, "empty file"], "warnings": ["", None]}))["file"].tolist()
    ['b']
    """
    report = report.reindex(columns=list(dict.fromkeys([*report.columns, "reason", "warnings"])))
    said = [report[c].astype("string").fillna("").str.strip().ne("") for c in ("reason", "warnings")]
    return report[said[0] | said[1]]


#: a wire dateline opening a text: a place in capitals, a date, an agency in brackets, a dash
#: ("MOSCOW, Oct 5 (Reuters) - ", "БАКУ, 18 дек – ")
_DATELINE = re.compile(r"(?P<place>[^\W\d_]+(?:[ -][^\W\d_]+)*),\s+(?:\d{1,2}\s+[^\W\d_]+\.?|[^\W\d_]+\.?\s+\d{1,2}"
                       r"|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)\s*(?:\([^)]{1,40}\)\s*)?[-–—]\s+")


#: where a title made from the text may end: after . ! ? and a space, but not after a day of the
#: month written with a period ("am 19. September", "19. sentyabr")
_SENTENCE_BREAK = re.compile(r"(?<!\b\d\.)(?<!\b\d\d\.)(?<=[.!?])\s")


def _first_sentence(text: str) -> str | None:
    """The title of an article that has none: its first sentence, within its first line, at most
    200 characters, when it has at least 3 words; else None (a lone "." or an agency's name
    "АрмИнфо." is no headline, and a first sentence ran on across paragraphs). A wire dateline
    is no headline either: after one (:data:`_DATELINE`), the sentence that follows it, or the
    one after the agency's name that closes it ("БАКУ, 18 дек – РИА Новости. ...").

    >>> _first_sentence("Переговоры в Баку продолжились. Стороны встретились."), _first_sentence("АрмИнфо. Текст")
    ('Переговоры в Баку продолжились.', None)
    >>> _first_sentence("БАКУ, 18 дек – РИА Новости. Суд вынес приговор бывшим лидерам. Далее.")
    'Суд вынес приговор бывшим лидерам.'
    >>> _first_sentence("MOSCOW, Oct 5 (Reuters) - Russia said talks would resume. More.")
    'Russia said talks would resume.'
    >>> _first_sentence("Aserbaidschan hatte am 19. September angegriffen. Danach.")
    'Aserbaidschan hatte am 19. September angegriffen.'
    """
    line = text.lstrip().split("\n", 1)[0]
    dateline = _DATELINE.match(line)
    if dateline and dateline.group("place").isupper():
        sentences = [s.strip() for s in _SENTENCE_BREAK.split(line[dateline.end():], maxsplit=2)[:2]]
    else:
        sentences = [_SENTENCE_BREAK.split(line, maxsplit=1)[0].strip()]
    for sentence in sentences:
        if len(re.findall(r"[^\W\d_]{2,}", sentence)) >= 3:
            return sentence[:200]
    return None


def ingest(path_or_paths, *, recursive: bool = True, keep_raw: bool = False, errors: str = "report",
           columns: dict | None = None, max_text_mb: float = 10, near_duplicate: float = 0.6,
           same_article: float = dedup.SAME_ARTICLE,
           progress: Callable[[int, int], None] | None = None, out=None, n_jobs: int | None = None,
           rows_per_part: int = ROWS_PER_PART) -> IngestResult:
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
        Reprints by another outlet stay in the corpus: that copying is itself a finding.
    same_article : float
        One article read twice (two layouts of one export, a table merged twice) is added once:
        two records are one article when they have the same canonical URL
        (:func:`toolkit.dedup.canonical_url`), or, when they do not have different URLs, the
        same known outlet, publication dates at most a day apart and at least ``same_article``
        of the shorter text's word 5-grams in common (0.9, :data:`toolkit.dedup.SAME_ARTICLE`:
        a re-read differs only by layout, two articles of one outlet share quotes and
        boilerplate but seldom 90%). The record with the most metadata fields is kept (the
        first read on a tie); the other file's report row says ``same article as <file>
        (doc_id ...), read twice: not added``. 1.1 turns this off (the second read is then
        kept, marked ``duplicate_of``).
    progress : callable, optional
        Called as ``progress(done, total)`` as files are finished (e.g. to draw a progress bar).
    out : str or Path, optional
        Streaming ingest: articles are written as they come to a partitioned Parquet dataset
        in this folder (see :mod:`toolkit.snapshot`; ``rows_per_part`` articles per part, with
        ``manifest.json`` and ``report.csv``), large tables are read in chunks of rows, and
        near-duplicates are found with MinHash LSH, so memory does not grow with the corpus
        beyond the duplicate index (about 330 bytes per article). ``.corpus`` is then ``None``;
        read the dataset with :func:`load_corpus` or :func:`toolkit.snapshot.iter_partitions`.
    n_jobs : int, optional
        Processes that read, decode, clean and detect languages (chunks of files or rows;
        results are taken in input order, so the output does not depend on ``n_jobs``). Default:
        :func:`toolkit.parallel.default_jobs` (``$TOOLKIT_JOBS``, else 2 or the number of CPUs if
        fewer) with ``out``, from :data:`PARALLEL_FROM_FILES`
        input files or with a table over :data:`toolkit.readers.CHUNKED_TABLE_MB`, else 1.

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
    files, documentation = _discover(path_or_paths, recursive)
    entries = [{"file": str(p), "status": "rejected" if p in documentation else "loaded",
                "reason": DOCUMENTATION_REASON if p in documentation else None, "warnings": [], "n_articles": 0}
               for p in files]
    if n_jobs is None:  # a pool pays off when streaming, on many files or on a table read in chunks
        pooled = out is not None or len(files) >= PARALLEL_FROM_FILES or any(map(_chunked, files))
        n_jobs = default_jobs() if pooled else 1
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive integer, not {n_jobs!r}")
    # MinHash signatures are computed where the articles are cleaned (in the workers, on both
    # cores) when they may be needed: when streaming, and in a pool (a corpus of more than
    # EXACT_LIMIT articles is compared by MinHash; a smaller one wastes about 0.2 ms an article)
    options = {"columns": columns, "max_text_mb": max_text_mb, "keep_raw": keep_raw, "documentation": documentation,
               "signatures": out is not None or (n_jobs > 1 and near_duplicate <= 1)}
    results = _progress(_run(_tasks(files, options), n_jobs), entries, errors, progress)
    if out is not None:
        return _ingest_stream(results, files, entries, out, errors, (near_duplicate, same_article), rows_per_part)
    frames, signatures, sizes = [], [], []
    for frame, sig, size in results:
        frames.append(frame)
        signatures.append(sig)
        sizes.append(size)
    corpus = pd.concat(frames, ignore_index=True) if frames else schema.empty_corpus()
    if corpus.empty:
        corpus = schema.empty_corpus()
    else:
        minhash = (np.concatenate(signatures), np.concatenate(sizes)) if options["signatures"] else None
        corpus = _mark_duplicates(corpus, entries, (near_duplicate, same_article), errors, minhash)
    corpus = schema.validate_corpus(schema.conform(corpus))
    return IngestResult(corpus=corpus, report=_report_frame(entries), inputs=[str(f) for f in files])


def _progress(results, entries: list[dict], errors: str, progress):
    """Apply each task's per-file outcomes to the report entries; yield its articles. A chunk
    of a table whose reading stopped at an earlier chunk (rejected) is left out, as if not read."""
    done = 0
    stopped: set[int] = set()  # files rejected (a table is read no further)
    if progress is not None:
        progress(0, len(entries))
    for outcomes, frame, signatures, sizes in results:
        if outcomes and outcomes[0][0] in stopped:
            continue
        for index, outcome, value in outcomes:
            entry = entries[index]
            if outcome == "ok":
                entry["warnings"].extend(value)
            elif outcome == "column":
                raise ColumnNotFound(value)
            elif outcome == "error" and errors == "raise":
                raise value[0]
            elif errors == "raise":
                raise IngestError(f"{entry['file']}: {value}")
            else:
                entry.update(status="rejected", reason=value if outcome == "rejected" else value[1])
                stopped.add(index)
            done = max(done, index + 1)
        if progress is not None:
            progress(done, len(entries))
        yield frame, signatures, sizes
    if progress is not None and done < len(entries):
        progress(len(entries), len(entries))


def _report_frame(entries: list[dict]) -> pd.DataFrame:
    report_df = pd.DataFrame(entries, columns=REPORT_COLUMNS)
    report_df["warnings"] = report_df["warnings"].map(lambda w: "; ".join(dict.fromkeys(w)) or None)
    report_df = report_df.astype({"file": "string", "reason": "string", "warnings": "string",
                                  "n_articles": "int64"})
    report_df["status"] = report_df["status"].astype(pd.CategoricalDtype(STATUSES))
    return report_df


def _drop_repeats(frame: pd.DataFrame, entries: list[dict], first_row: dict[str, tuple[int, int]],
                  repeats: list[tuple[int, int]], errors: str) -> np.ndarray:
    """Which rows of ``frame`` to keep: an exact repeat (a doc_id seen before, in ``first_row``:
    doc_id -> (row among the kept, file index)) is not, and is listed in ``repeats`` as (file
    index, row it repeats), for :func:`_note_repeats` once the articles read twice are known."""
    keep = np.ones(len(frame), dtype=bool)
    for i, (doc_id, index) in enumerate(zip(frame["doc_id"], frame["_file"])):
        if doc_id in first_row:
            row, first_index = first_row[doc_id]
            if errors == "raise":
                raise IngestError(f"{entries[index]['file']}: same article as {entries[first_index]['file']}")
            repeats.append((int(index), row))
            keep[i] = False
        else:
            first_row[doc_id] = (len(first_row), int(index))  # one doc_id per row kept
            entries[index]["n_articles"] += 1
    return keep


def _note_repeats(repeats: list[tuple[int, int]], kept_for: np.ndarray, doc_ids: list[str], file_of,
                  entries: list[dict]) -> None:
    """Report the exact repeats, naming the record kept in the corpus (the one they repeat, or
    the record kept in its place when that one was read twice)."""
    for index, row in repeats:
        target = kept_for[row] if kept_for[row] >= 0 else row
        _note_repeat(entries[index], doc_ids[target], entries[file_of[target]]["file"])


def _note_repeat(entry: dict, doc_id: str, first_file: str) -> None:
    """An exact repeat of an article already loaded: not added again; say so in the report, in
    one note per file that counts the repeats (a table of 498 rows, each article three times, had
    332 notes run together)."""
    if entry["n_articles"] == 0 and entry["status"] == "loaded":
        entry.update(status="duplicate", reason=f"same article as {first_file} (doc_id {doc_id}); not added again")
        return
    ids = entry.setdefault("_repeated", [])
    ids.append(doc_id)
    distinct = list(dict.fromkeys(ids))
    note = (f"{len(ids)} repeated article{'s' if len(ids) > 1 else ''} skipped (exact repeats of articles kept; "
            f"doc_id {', '.join(distinct[:3])}{', ...' if len(distinct) > 3 else ''})")
    if "_repeated_note" not in entry:
        entry["_repeated_note"] = len(entry["warnings"])
        entry["warnings"].append(note)
    else:
        entry["warnings"][entry["_repeated_note"]] = note


def _note_near_duplicate(entry: dict, doc_id: str, original: str, source: str) -> None:
    if entry["status"] == "loaded" and entry["n_articles"] == 1:
        entry.update(status="duplicate", reason=f"near-duplicate of {original} ({source}); "
                     "kept in the corpus with duplicate_of set")
    else:
        entry["warnings"].append(f"article {doc_id} near-duplicates {original}")


def _ingest_stream(results, files, entries, out, errors, thresholds, rows_per_part) -> IngestResult:
    """Write articles to a partitioned dataset as they come; at the end, drop articles read
    twice and mark near-duplicates (MinHash LSH over the signatures kept and a few numbers per
    article: the only state that grows with the corpus)."""
    from .snapshot import DatasetWriter

    threshold, same_article = thresholds
    keys: dict[str, list] = {"url": [], "outlet": [], "day": [], "richness": []}
    writer = DatasetWriter(out)
    first_row: dict[str, tuple[int, int]] = {}
    repeats: list[tuple[int, int]] = []
    signatures, sizes, published, doc_ids, file_of = [], [], [], [], []
    placed_by = pd.Series(dtype="int64")  # articles per country_source (missing counted as "")
    buffer, buffered = [], 0

    def flush(final: bool = False):
        nonlocal buffer, buffered
        if not buffer:
            return
        pending = pd.concat(buffer, ignore_index=True)
        while len(pending) >= rows_per_part or (final and len(pending)):
            writer.write(pending.iloc[:rows_per_part])
            pending = pending.iloc[rows_per_part:]
        buffer, buffered = [pending], len(pending)

    for frame, sig, size in results:
        if frame.empty:
            continue
        keep = _drop_repeats(frame, entries, first_row, repeats, errors)
        frame = frame[keep].reset_index(drop=True)
        signatures.append(sig[keep])
        sizes.append(size[keep])
        published.append(pd.to_datetime(frame["published"], utc=True, errors="coerce").to_numpy())
        doc_ids.extend(frame["doc_id"])
        file_of.append(frame["_file"].to_numpy())
        for name, values in _article_keys(frame).items():
            keys[name].append(values)
        placed_by = placed_by.add(frame["country_source"].astype("object").fillna("").value_counts(), fill_value=0)
        buffer.append(frame.drop(columns=["_file", "_richness"]))
        buffered += len(frame)
        if buffered >= rows_per_part:
            flush()
    flush(final=True)
    n = len(doc_ids)
    starts = np.cumsum([0] + [p["rows"] for p in writer.parts])
    kept_for = np.full(n, -1, dtype=np.int64)
    best = np.full(n, -1, dtype=np.int64)
    file_of = np.concatenate(file_of) if n else np.empty(0, dtype=np.int64)
    if n > 1:
        signatures, sizes = np.concatenate(signatures), np.concatenate(sizes)
        keys = {name: np.concatenate(values) for name, values in keys.items()}
    if n > 1 and same_article <= 1:
        # only the pairs the same-article rule compares, and only their texts (memory at 1M)
        pairs = _compared_pairs(_candidate_pairs((signatures, sizes), keys), keys)
        texts = _rows_of(writer, starts, np.unique(pairs), "text")
        kept_for = _read_twice(pairs, keys, texts.__getitem__, same_article)
        _note_read_twice(kept_for, doc_ids, file_of, entries, errors)
    _note_repeats(repeats, kept_for, doc_ids, file_of, entries)
    alive = np.flatnonzero(kept_for < 0)
    if len(alive) > 1 and threshold <= 1:
        rank = dedup.publication_rank(pd.Series(np.concatenate(published)[alive]), pd.Series(doc_ids).iloc[alive])
        found = dedup.roots(dedup.lsh_near_duplicates(signatures[alive], sizes[alive], rank, threshold))
        best[alive[found >= 0]] = alive[found[found >= 0]]
    for number in np.unique(np.searchsorted(starts, np.flatnonzero((best >= 0) | (kept_for >= 0)), side="right") - 1):
        part = pd.read_parquet(writer.part_path(number))
        rows = np.arange(starts[number], starts[number + 1])
        marked, dropped = best[rows], kept_for[rows] >= 0
        part["duplicate_of"] = [doc_ids[j] if j >= 0 else None for j in marked]
        gone = part["country_source"][dropped].astype("object").fillna("").value_counts()
        placed_by = placed_by.sub(gone, fill_value=0)
        writer.rewrite(number, part[~dropped].reset_index(drop=True))
        for row, j in zip(rows[marked >= 0], marked[marked >= 0]):
            _note_near_duplicate(entries[file_of[row]], doc_ids[row], doc_ids[j], entries[file_of[j]]["file"])
    n = len(alive)
    report = _report_frame(entries)
    writer.report = report
    writer.inputs = [str(f) for f in files]
    writer.extra = {"country_coverage": coverage_sentence(placed_by.to_dict(), n)}
    writer.close()
    return IngestResult(corpus=None, report=report, inputs=[str(f) for f in files], dataset=writer.path,
                        coverage=writer.extra["country_coverage"])


def _rows_of(writer, starts: np.ndarray, rows: np.ndarray, column: str) -> dict[int, object]:
    """One column's values at the given dataset rows (positions across the written parts)."""
    values = {}
    for number in np.unique(np.searchsorted(starts, rows, side="right") - 1):
        wanted = rows[(rows >= starts[number]) & (rows < starts[number + 1])]
        part = pd.read_parquet(writer.part_path(number), columns=[column])[column].to_numpy()
        values.update(zip(wanted.tolist(), part[wanted - starts[number]]))
    return values


def _mark_duplicates(corpus: pd.DataFrame, entries: list[dict], thresholds: tuple[float, float], errors: str,
                     minhash: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """Drop exact repeats (same doc_id) and articles read twice (:func:`_read_twice`), mark
    near-duplicates; update the report entries. ``thresholds``: ``(near_duplicate,
    same_article)``; ``minhash``: the rows' MinHash signatures and shingle counts, when
    already computed."""
    threshold, same_article = thresholds
    repeats: list[tuple[int, int]] = []
    keep = np.flatnonzero(_drop_repeats(corpus, entries, {}, repeats, errors))
    corpus = corpus.iloc[keep].reset_index(drop=True)
    kept_for = np.full(len(corpus), -1, dtype=np.int64)
    if minhash is not None:
        minhash = (minhash[0][keep], minhash[1][keep])
    overlap = None
    if same_article <= 1 and len(corpus) > 1:
        texts = corpus["text"].tolist()
        keys = _article_keys(corpus)
        # candidates as the near-duplicates will find theirs: every pair (computed once, used
        # again below) up to EXACT_LIMIT articles, else MinHash LSH within each outlet
        if len(corpus) <= EXACT_LIMIT:
            overlap = dedup.exact_overlap(texts)
            candidates = dedup.overlap_group_pairs(overlap, keys["outlet"], same_article)
        else:
            minhash = minhash if minhash is not None else dedup.minhash_signatures(texts)
            candidates = _candidate_pairs(minhash, keys)
        kept_for = _read_twice(_compared_pairs(candidates, keys), keys, lambda p: texts[p], same_article)
        _note_read_twice(kept_for, corpus["doc_id"].tolist(), corpus["_file"].to_numpy(), entries, errors)
    _note_repeats(repeats, kept_for, corpus["doc_id"].tolist(), corpus["_file"].to_numpy(), entries)
    alive = np.flatnonzero(kept_for < 0)
    corpus = corpus.iloc[alive].reset_index(drop=True)
    if minhash is not None:
        minhash = (minhash[0][alive], minhash[1][alive])
    if overlap is not None:
        overlap = dedup.overlap_subset(overlap, alive)
    corpus["duplicate_of"] = _near_duplicates(corpus, threshold, minhash=minhash, overlap=overlap)
    source_of = dict(zip(corpus["doc_id"], corpus["source_file"]))  # doc_ids are unique here
    for i, original in enumerate(corpus["duplicate_of"]):
        if isinstance(original, str):
            _note_near_duplicate(entries[corpus.at[i, "_file"]], corpus.at[i, "doc_id"], original, source_of[original])
    return corpus.drop(columns=["_file", "_richness"])


def _candidate_pairs(minhash: tuple[np.ndarray, np.ndarray], keys: dict[str, np.ndarray]) -> np.ndarray:
    """The LSH candidate pairs (MinHash signatures and shingle counts, within one outlet) that
    :func:`toolkit.dedup.same_article` would compare (:func:`toolkit.dedup.comparable`), kept
    band by band: the other pairs are never held (memory at a million articles)."""
    return dedup.lsh_candidate_pairs(*minhash, keys["outlet"],
                                     keep=lambda p: dedup.comparable(p, keys["url"], keys["outlet"], keys["day"]))


def _compared_pairs(candidates: np.ndarray, keys: dict[str, np.ndarray]) -> np.ndarray:
    """The pairs :func:`_read_twice` compares: the text-overlap candidates and the pairs of one
    canonical URL (k x 2 positions)."""
    return np.concatenate([dedup.equal_key_pairs(keys["url"]), candidates.astype(np.int64).reshape(-1, 2)])


def _read_twice(pairs: np.ndarray, keys: dict[str, np.ndarray], text_of, threshold: float) -> np.ndarray:
    """For each article, the position of the record of the same article kept in its place
    (:func:`toolkit.dedup.same_article` over ``pairs``, from :func:`_compared_pairs`;
    :func:`toolkit.dedup.keep_one`), or -1. ``text_of(position)``: an article's text."""
    pairs = dedup.same_article(pairs, keys["url"], keys["outlet"], keys["day"],
                               lambda p: dedup.shingle_hashes(text_of(p)), threshold)
    return dedup.keep_one(pairs, len(keys["url"]), keys["richness"])


def _note_read_twice(kept_for: np.ndarray, doc_ids: list[str], file_of: np.ndarray, entries: list[dict],
                     errors: str) -> None:
    """Report each article read twice on its file's row (it is not added)."""
    for row in np.flatnonzero(kept_for >= 0):
        entry, kept = entries[file_of[row]], kept_for[row]
        kept_file = entries[file_of[kept]]["file"]
        if errors == "raise":
            raise IngestError(f"{entry['file']}: same article as {kept_file}, read twice")
        entry["n_articles"] -= 1
        said = f"same article as {kept_file} (doc_id {doc_ids[kept]}), read twice: not added"
        if entry["n_articles"] == 0 and entry["status"] == "loaded":
            entry.update(status="duplicate", reason=said)
        else:
            entry["warnings"].append(f"article {doc_ids[row]}: {said}")


#: from this many input files, ingest uses a process pool by default
PARALLEL_FROM_FILES = 200
#: above this many articles, "auto" near-duplicate detection uses MinHash LSH, not all pairs
EXACT_LIMIT = 20_000


def find_near_duplicates(corpus: pd.DataFrame, threshold: float = 0.8, shingle: int = 5,
                         method: str = "auto") -> pd.Series:
    """For each article, the doc_id of an earlier near-identical one, else missing.

    Two articles are near-identical when at least ``threshold`` of the shorter one's word
    ``shingle``-grams also occur in the other (containment, so that a truncated reprint
    still matches). "Earlier" means published first (undated last), ties broken by doc_id.
    ``method``: ``"exact"`` compares every pair sharing a 5-gram (time and memory grow with the
    square of the corpus), ``"minhash"`` estimates containment from MinHash signatures with
    locality-sensitive hashing (:mod:`toolkit.dedup`; linear), ``"auto"`` is exact up to
    :data:`EXACT_LIMIT` articles.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2023-01-02", "2023-01-01"]),
    ...                    "text": ["one two three four five six seven", "one two three four five six seven!"]})
    >>> find_near_duplicates(df).tolist()
    ['b', None]
    >>> find_near_duplicates(df, method="minhash").tolist()
    ['b', None]
    """
    if method not in ("auto", "exact", "minhash"):
        raise ValueError(f"method must be 'auto', 'exact' or 'minhash', not {method!r}")
    return _near_duplicates(corpus, threshold, shingle, method)


def _near_duplicates(corpus: pd.DataFrame, threshold: float, shingle: int = 5, method: str = "auto",
                     minhash: tuple[np.ndarray, np.ndarray] | None = None,
                     overlap: tuple[np.ndarray, ...] | None = None) -> pd.Series:
    """:func:`find_near_duplicates`, with the MinHash signatures and shingle counts of the
    rows when they were computed already (by the ingest workers), or their
    :func:`toolkit.dedup.exact_overlap`."""
    result = pd.Series([None] * len(corpus), index=corpus.index, dtype="object")
    if len(corpus) < 2 or threshold > 1:
        return result
    rank = dedup.publication_rank(corpus["published"], corpus["doc_id"])
    texts = corpus["text"].tolist()
    if method == "exact" or (method == "auto" and len(corpus) <= EXACT_LIMIT):
        best = dedup.exact_near_duplicates(texts, rank, threshold, shingle, overlap=overlap)
    else:
        signatures, sizes = minhash if minhash is not None else dedup.minhash_signatures(texts, shingle)
        best = dedup.lsh_near_duplicates(signatures, sizes, rank, threshold)
    best = dedup.roots(best)
    ids = corpus["doc_id"].tolist()
    for i in np.flatnonzero(best >= 0):
        result.iloc[i] = ids[best[i]]
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

