"""Readers: the bytes of one input file -> article records and notes (all formats in one place).

:func:`read_file` tells a file's format by its content (Parquet magic, feed or web-page markup,
JSON) and then by its name, and returns ``(records, notes)``: one ``dict`` per article (``body``,
``title``, ``outlet``, ``published``, ``tags``, ``url`` ...) and the repairs made. A file that
cannot be used raises :class:`RejectedFile` with a reason a person can act on.

Formats:

- the aggregator's seed layout (``.txt`` and anything not recognised otherwise);
- tables: JSON Lines / JSON, CSV, TSV, Parquet; common column names (``headline``, ``body``,
  ``date`` ...) are recognised (``toolkit/data/column_aliases.csv``), others mapped with
  ``columns=``;
- ``feed``: XML whose root element is ``<rss>``, ``<feed>`` (Atom) or ``<rdf:RDF>``; one article
  per entry (title, link, date, content or summary), outlet from the feed's site link. Other XML
  (a sitemap, say) is rejected with a reason instead of being read as an article.
- ``html``: a page that starts with ``<!doctype html``/``<html``, has ``<html``/``<body`` in its
  first 2 KB, is an MHTML archive, or is named ``.html``/``.htm``/``.xhtml``/``.mhtml``/``.mht``;
  main text, title, date, author and canonical URL come from trafilatura (offline).

Safety: feeds are parsed from bytes, never from a path or URL, and their DOCTYPE is removed
before parsing, so no external entity (a local file, a URL) is ever resolved.
"""
from __future__ import annotations

import calendar
import codecs
import csv
import email
import email.policy
import html as html_lib
import io
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from . import schema
from ._data import read_table
from .clean import normalize_text
from .dates import YEARS, parse_date, to_timestamp
from .decode import UnreadableFile, decode_bytes
from .outlets import normalise_outlet


class ColumnNotFound(ValueError):
    """A column named in ``columns=`` is needed but not in a table (an argument error: raised)."""


class RejectedFile(ValueError):
    """This file cannot be used; the message says why (raised by the readers, and reported by
    :func:`toolkit.ingest` as a ``rejected`` row, or raised as ``IngestError`` with ``errors="raise"``)."""


_OUTLET_LINE = re.compile(r"^\s*фото\s+показано\s+с\s*:\s*(?P<outlet>\S*)\s*$", re.I)
_MORE_LINE = re.compile(r"^\s*(?:Подробнее читайте на|Детальніше читайте на)\b", re.I)
_TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
                   ".tsv": "tsv", ".parquet": "parquet"}


# ---------------------------------------------------------------- seed layout and tables

def parse_seed_layout(text: str) -> tuple[dict, list[str]]:
    """Parse one article in the aggregator's seed layout; return ``(record, notes)``.

    The layout: title, blank, title again, ``фото показано с : OUTLET``, blank, date, blank,
    body paragraphs, ``Подробнее читайте на ...``, blank, keyword line. Any header line may be
    missing; what is missing is noted. Raises ``RejectedFile`` when there is no body.

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
        raise RejectedFile("empty file")
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
    unread = _unread_date_line(lines, nonblank, outlet_idx) if date_idx is None else None
    if unread is not None and not _body_after(lines, nonblank, unread):
        unread = None   # the line would leave no body: it is the body
    if unread is not None:   # a date written in a way the reader does not know: not the body's first line
        notes.append(f"date line {lines[unread].strip()[:40]!r} could not be read: kept without a date")
        published = None
        header_end = max(header_end, unread)
    elif date_idx is None:
        notes.append("no date line")
        published = None
    else:
        published = _not_after_today(parse_date(lines[date_idx]), notes)
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
        raise RejectedFile("no article body: the file has header lines but no text")
    return {"title": title, "outlet": outlet, "published": published, "body": body, "tags": tags}, notes


#: a line the reader could not read as a date but that is one: digits in a date's groups
#: ("09/20/2023", "2023-13-45"), a clock time after a word for a day ("вчера в 14:00", "today
#: 14:30"), or a month name with a number (the names of toolkit/data/months.csv: "19 Sept. '23")
_DATE_DIGITS = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_DAY_WORD_TIME = re.compile(r"(?:вчера|сегодня|позавчера|вчора|сьогодні|позавчора|yesterday|today|dün|bugün|"
                            r"dünən|bu gün|gestern|heute|hier|aujourd'hui|ayer|hoy|ieri|oggi)\b.*\b\d{1,2}[:.]\d\d\b",
                            re.I)


def _unread_date_line(lines: list[str], nonblank: list[int], outlet_idx: int | None) -> int | None:
    """The line after the outlet line when it is a date :func:`parse_date` could not read (at most
    6 words and 40 characters, and :data:`_DATE_DIGITS`, :data:`_DAY_WORD_TIME` or a month name
    with a number) and a body line follows it; None otherwise (then the body starts there: "Погибли 2500
    человек", "Итоги 2023 года", "В 14:00 начался штурм" are body lines)."""
    if outlet_idx is None:
        return None
    after = [i for i in nonblank if i > outlet_idx]
    if not after:
        return None
    line = lines[after[0]].strip()
    if len(line) > 40 or len(line.split()) > 6:
        return None
    if _DATE_DIGITS.search(line) or _DAY_WORD_TIME.search(line):
        return after[0]
    from .dates import month_names

    words = {w.lower() for w in re.findall(r"[^\W\d_]+", line)}
    return after[0] if re.search(r"\d", line) and words & month_names() else None


def _body_after(lines: list[str], nonblank: list[int], index: int) -> bool:
    """Whether a body line follows line ``index``: the next non-blank line is not the "read more" footer."""
    following = next((i for i in nonblank if i > index), None)
    return following is not None and not _MORE_LINE.match(lines[following])


def _not_after_today(published, notes: list[str]):
    """``published``, or None with a note when it lies after :func:`future_limit` (no article is
    published in the future, and one such date stretched every timeline to it)."""
    if published is not None and published > future_limit():
        notes.append(f"dated after today ({published.date()}): the date was dropped, kept without a date")
        return None
    return published


def future_limit() -> pd.Timestamp:
    """The latest date an article can have: two days from now (no time zone is two days ahead)."""
    return pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=2)


def _split_tags(line: str) -> list[str]:
    parts = re.split(r"\s*[,;|]\s*", line.strip()) if re.search(r"[,;|]", line) else line.split()
    return [p.strip() for p in parts if p.strip()]


def _read_seed_file(data: bytes, max_text_mb: float) -> tuple[list[dict], list[str]]:
    if len(data) > max_text_mb * 2**20:
        raise RejectedFile(f"file too large for one article ({len(data) / 2**20:.1f} MB > "
                        f"max_text_mb={max_text_mb:g}); pass a larger max_text_mb to load it")
    try:
        text, notes = decode_bytes(data)
    except UnreadableFile as exc:
        raise RejectedFile(str(exc)) from None
    record, more = parse_seed_layout(text)
    return [record], notes + more


#: corpus columns a table's column may be mapped to (``columns=`` targets)
TABLE_TARGETS = ("text", "title", "published", "url", "outlet", "tags", "author")
_COMPUTED = ("doc_id", "language", "outlet_name", "outlet_country", "country_source", "duplicate_of")


def column_aliases() -> dict[str, str]:
    """Common column names of news exports and the corpus column each means, in priority order
    (``toolkit/data/column_aliases.csv``), e.g. ``{"headline": "title", "body": "text", ...}``."""
    table = read_table("data/column_aliases.csv")
    return dict(zip(table["name"].str.lower(), table["column"]))


def check_columns(columns) -> dict[str, str]:
    """Validate a ``columns=`` mapping (their name -> corpus column); raise ``ValueError``.

    Examples
    --------
    >>> check_columns({"headline": "title"})
    {'headline': 'title'}
    >>> check_columns({"headline": "titel"})
    Traceback (most recent call last):
    ...
    ValueError: columns={'headline': 'titel'}: 'titel' is not a corpus column a table can fill; use one of text, title, published, url, outlet, tags, author
    """
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise TypeError(f"columns must be a dict {{their name: corpus column}}, not {type(columns).__name__}")
    for theirs, ours in columns.items():
        if ours not in TABLE_TARGETS:
            raise ValueError(f"columns={{{theirs!r}: {ours!r}}}: {ours!r} is not a corpus column a table can "
                             f"fill; use one of {', '.join(TABLE_TARGETS)}")
    targets = list(columns.values())
    repeated = sorted({t for t in targets if targets.count(t) > 1})
    if repeated:
        raise ValueError(f"columns= maps several columns to {repeated[0]!r}; map one")
    return dict(columns)


def resolve_columns(found, columns: dict | None = None) -> tuple[dict[str, str], list[str]]:
    """Which of a table's columns fills which corpus column; return ``(mapping, missing)``.

    ``columns`` (checked by :func:`check_columns`) comes first; then a column already named
    like the corpus column; then the first common name of :func:`column_aliases` present
    (case-insensitive). ``missing`` lists ``columns`` keys the table does not have.

    Examples
    --------
    >>> resolve_columns(["headline", "body", "date"])
    ({'body': 'text', 'headline': 'title', 'date': 'published'}, [])
    >>> resolve_columns(["title", "headline", "text"], {"lnk": "url"})
    ({'text': 'text', 'title': 'title'}, ['lnk'])
    """
    found = [str(c) for c in found]
    columns = columns or {}
    missing = [c for c in columns if c not in found]
    mapping = {c: t for c, t in columns.items() if c in found}
    lower = {}
    for c in found:
        lower.setdefault(c.lower(), c)
    aliases = column_aliases()
    for target in TABLE_TARGETS:
        if target in mapping.values():
            continue
        if target in found and target not in mapping:
            mapping[target] = target
            continue
        for name, column in aliases.items():
            if column == target and name in lower and lower[name] not in mapping:
                mapping[lower[name]] = target
                break
    return dict(sorted(mapping.items(), key=lambda kv: TABLE_TARGETS.index(kv[1]))), missing


def _table_frame(data: bytes, kind: str) -> tuple[pd.DataFrame, list[str]]:
    notes: list[str] = []
    try:
        if kind == "parquet":
            return pd.read_parquet(io.BytesIO(data)), notes
        text, notes = decode_bytes(data)
        if kind == "jsonl":
            return _read_json_records(text), notes
        sep = _delimiter(text, "\t" if kind == "tsv" else ",")
        if kind == "tsv" and sep != "\t":
            notes.append(f"delimiter {sep!r} found in a .tsv file, used instead of a tab")
        return pd.read_csv(io.StringIO(text), sep=sep, engine="python", dtype=str, keep_default_na=False), notes
    except UnreadableFile as exc:
        raise RejectedFile(str(exc)) from None
    except Exception as exc:  # pandas raises many kinds; the reader's message is what helps
        raise RejectedFile(f"unreadable {kind} table: {type(exc).__name__}: {str(exc)[:200]}") from None


def _read_table_file(data: bytes, kind: str, columns: dict | None) -> tuple[list[dict], list[str]]:
    frame, notes = _table_frame(data, kind)
    records, more = table_records(frame, kind, columns)
    return records, notes + more


def table_records(frame: pd.DataFrame, kind: str, columns: dict | None = None,
                  first_row: int = 1, facts: dict | None = None) -> tuple[list[dict], list[str]]:
    """Article records from a table (or one chunk of it) and notes; raises :class:`RejectedFile`.

    ``first_row`` numbers the chunk's rows in the notes (1 for a whole table). ``facts``: None
    when the frame is the whole table, whose columns then decide for the file (the order of
    slashed dates, a ``source`` column of domains); for a chunk of a large table, what
    :func:`table_facts` found over the whole file, so that every chunk decides alike (one chunk
    alone could decide otherwise than the next): a chunk of JSON Lines is given the file's
    ``columns`` its rows lack, empty, as in the whole file. The first chunk's notes say what was
    decided.
    """
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1).reset_index(drop=True)
    lacking = [c for c in (facts or {}).get("columns", []) if c not in frame.columns]
    if lacking:
        frame = frame.reindex(columns=[*frame.columns, *lacking])
    mapping, missing = resolve_columns(frame.columns, columns)
    # a named column may be absent only from a table already in corpus form for that column
    unfilled = [c for c in missing if columns[c] not in frame.columns]
    one_column = len(frame.columns) == 1 and kind in ("csv", "tsv")  # a file problem, not a mapping one
    if unfilled and not one_column:
        raise ColumnNotFound(f"columns={{{unfilled[0]!r}: {columns[unfilled[0]]!r}}}: the {kind} table has no "
                             f"column {unfilled[0]!r} (columns found: {list(frame.columns)})")
    body_col = next((c for c, t in mapping.items() if t == "text"), None)
    if body_col is None:
        hint = "; only one column was found: is the delimiter one of , ; tab |?" if one_column else ""
        raise RejectedFile(f"{kind} table has no 'text' column (columns found: {[str(c) for c in frame.columns]}); "
                           "pass columns={'your_column': 'text', ...}" + hint)
    notes = []
    mapping.update(_outlet_names_column(frame, mapping, notes, facts=facts, first=first_row == 1))
    renamed = {c: t for c, t in mapping.items() if c != t}
    if renamed and first_row == 1:
        how = "columns=" if set(renamed) <= set(columns or {}) else "recognised names"
        notes.append("columns read as " + ", ".join(f"{c}→{t}" for c, t in renamed.items()) + f" ({how})")
    if "language" in frame.columns:   # computed at ingest; a given label is compared with it (corpus._language_notes)
        frame["_given_language"] = frame["language"]
    frame = frame.drop(columns=[c for c in frame.columns if c in _COMPUTED or (c in TABLE_TARGETS and c not in mapping)])
    frame = frame.rename(columns=mapping)
    if "published" in frame:
        parts = _slashed_parts(frame["published"])
        evidence = _slashed_evidence(parts) if facts is None else facts.get("dates")
        if evidence is None:   # a chunk of a table whose first rows had no slashed date: none was scanned
            order = "unscanned" if len(parts) else ""
        else:
            order = _date_order(evidence)
        if order == "month first":
            frame["published"] = _month_first_dates(frame["published"], parts)
        if order in _DATE_ORDER_NOTES and (first_row == 1 or order == "unscanned"):
            notes.append(_DATE_ORDER_NOTES[order])
    records, skipped, undated, future = [], [], [], []
    latest = future_limit()
    for i, row in enumerate(frame.to_dict("records")):
        body = row.pop("text", None)
        if not isinstance(body, str) or not body.strip():
            skipped.append(i + first_row)
            continue
        row["body"] = body
        row["title"] = row.get("title") if isinstance(row.get("title"), str) and row["title"].strip() else None
        raw = row.get("published")
        row["published"] = to_timestamp(raw)
        if row["published"] is None and not _blank(raw):
            undated.append(f"{i + first_row} ({str(raw)[:30]!r})")
        elif row["published"] is not None and row["published"] > latest:   # no article is published in the future
            future.append(f"{i + first_row} ({row['published'].date()})")
            row["published"] = None
        tags = row.get("tags")
        row["tags"] = _split_tags(tags) if isinstance(tags, str) else schema._as_list(tags)
        records.append(row)
    if skipped:
        notes.append(f"{len(skipped)} row(s) without text skipped (rows {skipped[:10]})")
    if undated:
        notes.append(f"{len(undated)} row(s) kept without a date: their date could not be read or lies outside "
                     f"{YEARS[0]}-{YEARS[1]} (rows {', '.join(undated[:10])})")
    if future:
        notes.append(f"{len(future)} row(s) dated after today: the date was dropped, kept without a date "
                     f"(rows {', '.join(future[:10])})")
    if not records and first_row == 1:
        raise RejectedFile(f"{kind} table has no row with text")
    return records, notes


#: columns that may name the outlet, by its name or its domain (not in column_aliases.csv: a name
#: is no domain); read as the outlet only when their values are domains
OUTLET_NAME_COLUMNS = ("source", "media_name", "publisher", "site", "website", "source_name")
#: a domain: labels separated by dots, the last one letters (so 1.5 or 10.0.0.1 is none)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,}/?$", re.I)


def _outlet_names_column(frame: pd.DataFrame, mapping: dict, notes: list, facts: dict | None = None,
                         first: bool = True) -> dict:
    """A table without an outlet column may name its outlets in a column like ``source``: read it
    as ``outlet`` when at least 90 % of its values are domains (text), also when there is a URL
    column (the outlet then comes from the column, not from the URL's host: a mirror's or an
    aggregator's URL names another site); else say in the notes why it was not read (the outlet
    column must hold domains), unless a URL column gives the outlets. ``facts`` (a chunk of a
    large table): the column's values over the whole file (:func:`table_facts`) decide, and only
    the first chunk says so."""
    column = _outlet_name_candidate(frame.columns, mapping)
    if column is None:
        return {}
    evidence = _domain_evidence(frame[column]) if facts is None else facts.get("outlet", {}).get(column)
    if evidence is None:      # not scanned (the pre-scan could not read the part of the file with it): not read
        return {}
    present, texts, domains, example = evidence
    if texts and texts == present and domains >= 0.9 * texts:
        return {column: "outlet"}
    if first and "url" not in mapping.values():
        notes.append(f"column {column!r} not read as the outlet: its values are not domains (e.g. {example!r}); "
                     "the outlet column must hold domains (news.am), or give a url column" if present
                     else f"column {column!r} is empty: no outlet read")
    return {}


def _outlet_name_candidate(found, mapping: dict) -> str | None:
    """The first column of :data:`OUTLET_NAME_COLUMNS` (any case) a table has, unless it has an
    outlet column already."""
    if "outlet" in mapping.values():
        return None
    lower = {str(c).lower(): c for c in found if c not in mapping}
    return next((lower[name] for name in OUTLET_NAME_COLUMNS if name in lower), None)


def _domain_evidence(values: pd.Series) -> tuple[int, int, int, str]:
    """(values present, of which non-empty text, of which domains, an example) of a column;
    the counts of several parts of a file add up.

    >>> _domain_evidence(pd.Series(["news.am", " apa.az ", "", None, 3]))
    (4, 2, 2, 'news.am')
    """
    present = values.dropna()
    texts = present.map(lambda v: v.strip() if isinstance(v, str) else None).dropna()
    texts = texts[texts != ""]
    example = (texts.iloc[0] if len(texts) else str(present.iloc[0]) if len(present) else "")[:30]
    return len(present), len(texts), int(texts.str.match(_DOMAIN).sum()) if len(texts) else 0, example


_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(.*)$")
#: what the report says of a table's slashed dates, by the order :func:`_month_first_dates` found
#: (``unscanned``: a chunk of a large table whose first rows had none, so the file was not scanned)
_DATE_ORDER_NOTES = {
    "month first": "dates read month first (MM/DD/YYYY): some have a second number above 12 and none a first one",
    "ambiguous": "dates like 08/06/2023 read day first (DD/MM/YYYY): no date of the column shows the order; "
                 "check them if the export is American",
    "unscanned": "slashed dates (08/06/2023) read day first: the table is read in chunks and its first rows had "
                 "no slashed date, so the order of the file's dates was not checked",
}


def _slashed_parts(values: pd.Series) -> pd.DataFrame:
    """The ``NN/NN/YYYY`` dates of a column, split (columns 0-3: first number, second number,
    year, the rest), indexed like ``values``; empty when the column has none (timestamps already,
    a Parquet datetime column, numbers or nothing)."""
    texts = values[values.map(lambda v: isinstance(v, str))].astype(object)
    if texts.empty:
        return pd.DataFrame(columns=range(4))
    parts = texts.str.extract(_SLASHED)
    return parts[parts[0].notna()]


def _slashed_evidence(parts: pd.DataFrame) -> tuple[bool, bool, bool]:
    """(some slashed date, some first number above 12, some second number above 12) from
    :func:`_slashed_parts`; the evidence of several parts of a file combines with ``or``.

    >>> _slashed_evidence(_slashed_parts(pd.Series(["06/25/2023", "2023-07-01", None])))
    (True, False, True)
    """
    if parts.empty:
        return False, False, False
    return True, bool((pd.to_numeric(parts[0]) > 12).any()), bool((pd.to_numeric(parts[1]) > 12).any())


def _date_order(evidence: tuple[bool, bool, bool]) -> str:
    """The order of a column's slashed dates from :func:`_slashed_evidence`: ``"month first"``
    (some second number above 12 and no first one), ``"day first"`` (some first number above
    12), ``"ambiguous"`` (every slashed date could be either: read day first) or ``""`` (none)."""
    slashed, first_big, second_big = evidence
    if not slashed:
        return ""
    if first_big:
        return "day first"
    return "month first" if second_big else "ambiguous"


def _month_first_dates(values: pd.Series, parts: pd.DataFrame) -> pd.Series:
    """``values`` with their slashed dates (:func:`_slashed_parts`) rewritten ``YYYY-MM-DD``,
    read month first (``06/25/2023``); a column whose order is not month first is left as it is,
    read day first by :func:`toolkit.dates.parse_date`."""
    if parts.empty:   # e.g. a chunk of numbers (epoch times) in a file whose other chunks are slashed
        return values
    out = values.copy()
    out.loc[parts.index] = parts[2] + "-" + parts[0].str.zfill(2) + "-" + parts[1].str.zfill(2) + parts[3]
    return out


def _blank(value) -> bool:
    """No value at all: None, NaN/NaT or an empty string (a date column left empty is no error)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _delimiter(text: str, default: str) -> str:
    """The table's delimiter among , ; tab | (pandas' own sniffing may pick a letter)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def _read_json_records(text: str) -> pd.DataFrame:
    """JSON Lines, a JSON array of articles, one pretty-printed article object, or an object
    holding one list of articles (``{"articles": [...]}``)."""
    stripped = text.strip()
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError:   # JSON Lines, parsed as the chunks of a large file are (or a parse error)
        return pd.DataFrame(_json_objects(text))
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        document = lists[0] if len(lists) == 1 and not any(k in document for k in ("text", "body")) else [document]
    if not isinstance(document, list) or not all(isinstance(x, dict) for x in document):
        raise ValueError("the JSON holds no article objects (expected objects with a 'text' field)")
    return pd.DataFrame(document)


HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_PAGE_MB = 64
#: fewer words than this in text-like lines (five words or more, not a link) is "no article"
MIN_PROSE_WORDS = 12
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "pre", "table", "tr", "section", "article", "header", "footer", "figure", "figcaption",
               "dd", "dt", "hr"}
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(?:\[.*?\]\s*)?>)",
                          re.S | re.I)
_ROOT_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_PROLOG_ITEM_BYTES = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|(?P<doctype><!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*"
                                rb"(?:\[.*?\]\s*)?>))", re.S | re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DATE_CLASS = re.compile(r"date|time|publish|byline|posted|meta", re.I)


# ---------------------------------------------------------------- recognising files

def _head_text(data: bytes, size: int = 4096) -> str:
    """The first bytes as text, enough to see tags (UTF-16 aware; other encodings as Latin-1)."""
    head = data[:size]
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(name, "ignore")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", "ignore")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")


def xml_root(data: bytes) -> str | None:
    """Name of the root element when the file starts with markup (after prolog), else ``None``.

    Examples
    --------
    >>> xml_root(b'<?xml version="1.0"?><!-- c --><rss version="2.0"><channel/></rss>')
    'rss'
    >>> xml_root("Заголовок\\n\\nтекст".encode()) is None
    True
    """
    text = _head_text(data, 16384).lstrip("\ufeff")
    pos = 0
    while True:  # skip the prolog item by item (anchored: linear time on any input)
        item = _PROLOG_ITEM.match(text, pos)
        if item is None or item.end() == pos:
            break
        pos = item.end()
    match = _ROOT_TAG.match(text, pos)
    return match.group(1).lower() if match else None


def _is_mhtml(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".mhtml", ".mht"):
        return True
    head = data[:2048].lower()
    return head.lstrip().startswith((b"from:", b"mime-version:", b"snapshot-content-location:",
                                     b"subject:", b"date:")) and b"multipart/related" in head


def recognise_feed(path: Path, data: bytes) -> bool:
    """A feed (RSS/Atom root element), or XML that is not a web page (rejected with a reason)."""
    root = xml_root(data)
    if root is None:
        return False
    if root in _FEED_ROOTS:
        return True
    if root in ("html", "head", "body") or path.suffix.lower() in HTML_SUFFIXES:
        return False
    declared_xml = _head_text(data, 64).lstrip().startswith("<?xml")
    return declared_xml or path.suffix.lower() in FEED_SUFFIXES


def recognise_html(path: Path, data: bytes) -> bool:
    """A saved web page: HTML markup at the start or in the first 2 KB, MHTML, or an HTML name."""
    if path.suffix.lower() in HTML_SUFFIXES or _is_mhtml(path, data):
        return True
    head = _head_text(data, 2048).lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head or "<body" in head


# ---------------------------------------------------------------- small helpers

def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content), paragraphs separated by a blank line.

    Examples
    --------
    >>> html_to_text("<p>Первый абзац.</p><p>Второй <b>абзац</b>.<br>Строка</p>")
    'Первый абзац.\\n\\nВторой абзац.\\n\\nСтрока'
    >>> html_to_text("AT&amp;T и &laquo;кавычки&raquo;")
    'AT&T и «кавычки»'
    """
    if not isinstance(fragment, str) or not fragment.strip():
        return ""
    if "<" not in fragment:  # plain text: blank lines separate paragraphs, line breaks are spaces
        return _tidy(html_lib.unescape(fragment).replace("\r", ""))
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(html_lib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = _PARA + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = _PARA + (el.text or "")
    paragraphs = (" ".join(p.split()) for p in root.text_content().split(_PARA))
    return "\n\n".join(p for p in paragraphs if p)


_PARA = "\u2029"  # paragraph mark while flattening HTML (source line breaks are only spaces)


def _tidy(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n[^\S\n]*\n\s*", text))
    return "\n\n".join(p for p in paragraphs if p)


def _absolute(url, base=None):
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if re.match(r"^https?://", url, re.I):
        return url
    if base and re.match(r"^https?://", base, re.I):
        return urljoin(base, url)
    return None


# ---------------------------------------------------------------- feeds

def _utf8_xml(data: bytes) -> bytes:
    """UTF-16/32 feeds re-encoded as UTF-8 (so that the DOCTYPE scan below sees them)."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            break
    else:
        if data[:2] == b"<\x00":
            name = "utf-16-le"
        elif data[:2] == b"\x00<":
            name = "utf-16-be"
        else:
            return data
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise RejectedFile(f"feed starts like {name} text but is not valid {name}: {exc.reason}") from None
    text = re.sub(r"^(\ufeff?\s*<\?xml[^>]*encoding\s*=\s*[\"'])[\w.:-]+", r"\1utf-8", text.lstrip("\ufeff"))
    return text.encode("utf-8")


def strip_doctype(data: bytes) -> tuple[bytes, list[str]]:
    """Remove the DOCTYPE (with its internal subset) of an XML document.

    Feeds need no DTD. Removing it means no entity it declares, external (``SYSTEM``/``PUBLIC``:
    a file or URL) or internal (entity-expansion bombs), can be expanded. Raises ``RejectedFile``
    when an entity declaration survives (a DOCTYPE too odd to remove safely).

    Examples
    --------
    >>> strip_doctype(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    (b'<?xml version="1.0"?><r>&x;</r>', ['DOCTYPE declaring entities (external: SYSTEM/PUBLIC) removed: entities in feeds are never resolved'])
    """
    notes: list[str] = []
    pos = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    while True:  # walk the prolog item by item (anchored: linear time on any input)
        item = _PROLOG_ITEM_BYTES.match(data, pos)
        if item is None or item.end() == pos:
            break
        if item.group("doctype") is None:
            pos = item.end()
            continue
        declared = item.group("doctype")
        if re.search(rb"<!ENTITY", declared, re.I):
            external = re.search(rb"<!ENTITY[^>]*\b(?:SYSTEM|PUBLIC)\b", declared, re.I)
            notes.append("DOCTYPE declaring entities " + ("(external: SYSTEM/PUBLIC) " if external else "")
                         + "removed: entities in feeds are never resolved")
        data = data[:item.start("doctype")] + data[item.end():]
        pos = item.start("doctype")
    root = re.compile(rb"<[A-Za-z_]").search(data, pos)
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data[pos: root.start() if root else len(data)], re.I):
        raise RejectedFile("XML declares entities in a way the toolkit does not read safely "
                        "(a DOCTYPE it could not remove); remove the DOCTYPE to load this feed")
    return data, notes


def read_feed(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    """Read an RSS/Atom feed: one record per entry with text; notes on skipped entries."""
    import feedparser

    root = xml_root(data)
    if root not in _FEED_ROOTS:
        raise RejectedFile(f"XML file that is not an RSS or Atom feed (root element <{root}>); "
                        "only feeds and web pages are read")
    data, notes = strip_doctype(_utf8_xml(data))
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        notes.append(f"feed is not well-formed XML ({type(exc).__name__}: {str(exc)[:120]}); read leniently")
    entries = parsed.get("entries") or []
    if not entries:
        raise RejectedFile("feed has no entries (no <item> or <entry> could be read)")
    feed_link = _absolute(parsed.feed.get("link"))
    outlet = normalise_outlet(feed_link)
    if outlet is None:
        notes.append("feed has no site link: outlet taken from each entry's link")
    records, no_text, no_date, bad_dates, summaries, failed, future = [], [], [], [], [], [], []
    for number, entry in enumerate(entries, 1):
        try:
            record, kind = _entry_record(entry, outlet, feed_link)
        except Exception as exc:  # one odd entry must not cost the others
            failed.append(f"{number} ({type(exc).__name__}: {str(exc)[:80]})")
            continue
        if record is None:
            no_text.append(number)
            continue
        if record["published"] is not None and record["published"] > future_limit():
            future.append(f"{number} ({record['published'].date()})")
            record["published"] = None
        elif record["published"] is None:
            raw = _raw_date(entry)
            (bad_dates if raw else no_date).append(f"{number} ({raw!r})" if raw else number)
        if kind == "summary":
            summaries.append(number)
        records.append(record)
    if no_text:
        notes.append(f"{len(no_text)} entr{'y' if len(no_text) == 1 else 'ies'} without text skipped "
                     f"(entries {no_text[:10]})")
    if failed:
        notes.append(f"{len(failed)} unreadable entr{'y' if len(failed) == 1 else 'ies'} skipped: "
                     + ", ".join(failed[:5]))
    if bad_dates:
        notes.append(f"date not understood in entries {', '.join(map(str, bad_dates[:5]))}")
    if no_date:
        notes.append(f"no date in entries {no_date[:10]}")
    if future:
        notes.append(f"dated after today in entries {', '.join(future[:10])}: the dates were dropped, "
                     "kept without a date")
    if summaries:
        notes.append(f"{len(summaries)} of {len(entries)} entries give only a summary, not the full "
                     "article text")
    if not records:
        raise RejectedFile(f"feed has no entry with text ({len(entries)} entries read)")
    return records, notes


def _raw_date(entry):
    return dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")


def _entry_record(entry, outlet, feed_link) -> tuple[dict | None, str]:
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    body = max((html_to_text(c) for c in contents), key=len, default="")
    kind = "content"
    if not body:
        body = html_to_text(entry.get("summary", "") or entry.get("description", ""))
        kind = "summary"
    if not body:
        return None, kind
    stamp = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict access: no feedparser key aliasing (deprecated)
        if value:
            stamp = pd.Timestamp(calendar.timegm(value), unit="s", tz="UTC")
            break
    if stamp is None:
        stamp = to_timestamp(_raw_date(entry))
    link = _absolute(entry.get("link"), feed_link)
    title = html_to_text(entry.get("title", "")) or None
    tags = [t.get("term") for t in entry.get("tags", []) or [] if t.get("term")]
    return {"body": body, "title": title, "outlet": outlet or normalise_outlet(link), "published": stamp,
            "tags": [str(t).strip() for t in tags if str(t).strip()], "url": link,
            "author": entry.get("author") or None}, kind


# ---------------------------------------------------------------- web pages

def _sidecar(path: Path) -> dict:
    """The fetch record :func:`toolkit.collect_urls` writes beside a page (``.<stem>.json``)."""
    side = path.with_name(f".{path.stem}.json")
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _mhtml_page(data: bytes) -> tuple[bytes, str | None, str | None]:
    """The HTML part of an MHTML archive, its charset and the page's address."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    url = message.get("Snapshot-Content-Location")
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset(), url or part.get("Content-Location")
    raise RejectedFile("MHTML archive without an HTML part")


def _decode_page(data: bytes, hint: str | None) -> tuple[str, list[str]]:
    """Text of a page: byte-order mark, the charset of the HTTP/MIME header (``hint``), the
    page's own declaration, then the toolkit's guess (the order browsers follow)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4000]:
        try:
            return decode_bytes(data)
        except (UnreadableFile, UnicodeDecodeError) as exc:
            raise RejectedFile(str(exc)) from None
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    tried = []
    for name in (hint, declared.group(1).decode("ascii", "ignore") if declared else None):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name), []
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        text, notes = decode_bytes(data)
    except (UnreadableFile, UnicodeDecodeError):  # decode_bytes may raise the latter on odd bytes
        # mixed encodings: keep what is UTF-8, mark the rest
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, [f"page mixes encodings: {bad} undecodable byte sequence(s) replaced by \ufffd"]
    if tried:
        notes = [f"declared charset {tried[-1]!r} does not fit the bytes; " + "; ".join(notes or ["decoded as utf-8"])]
    return text, notes


def _link_texts(tree) -> set[str]:
    return {" ".join(a.text_content().split()) for a in tree.iter("a")} - {""}


def _prose_words(body: str, links: set[str]) -> int:
    """Words in lines that read like text: not a link's text and at least five words long."""
    words = 0
    for line in body.split("\n"):
        line = " ".join(line.split())
        n = len(line.split())
        if n >= 5 and line not in links:
            words += n
    return words


def _page_date_fallback(tree):
    """A date in an element whose class or itemprop says date/time/byline (e.g. '26 сентября 2023')."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        marker = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"))))
        if not marker or not _DATE_CLASS.search(marker):
            continue
        for candidate in (el.get("datetime"), el.get("content"), el.text_content()):
            if not candidate:
                continue
            for piece in [candidate] + re.split(r"[,|•·—–]\s*", candidate):
                stamp = to_timestamp(piece)
                if stamp is not None:
                    return stamp
    return None


@contextmanager
def _quiet(*names):
    """Silence libraries' log messages: what matters goes to the ingest report instead."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def read_html(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    """Read one saved web page: main text, title, date, author, canonical URL (trafilatura)."""
    with _quiet("trafilatura", "htmldate", "courlan", "justext"):
        return _read_html(data, path)


def _read_html(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    import lxml.html
    import trafilatura

    if len(data) > MAX_PAGE_MB * 2**20:
        raise RejectedFile(f"page too large ({len(data) / 2**20:.1f} MB > {MAX_PAGE_MB} MB)")
    if not data.strip():
        raise RejectedFile("empty file")
    notes: list[str] = []
    sidecar = _sidecar(path)
    charset = None
    page_url = None
    if _is_mhtml(path, data) and not recognise_plain_html(data):
        data, charset, page_url = _mhtml_page(data)
    if charset is None:
        match = re.search(r"charset=([\w.:-]+)", str(sidecar.get("content_type") or ""), re.I)
        charset = match.group(1) if match else None
    text, more = _decode_page(data, charset)
    notes += more
    text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    saved_from = _SAVED_FROM.search(text[:4096])
    fallback_url = (_absolute(page_url) or (saved_from and _absolute(saved_from.group(1)))
                    or _absolute(sidecar.get("final_url")) or _absolute(sidecar.get("url")))
    try:
        tree = lxml.html.fromstring(text)
    except Exception:  # lxml refuses documents it cannot make a tree of
        raise RejectedFile("not readable as HTML (no element could be parsed)") from None
    links = _link_texts(tree)
    doc, body, found_any = None, "", False
    # trafilatura's balanced setting first; its recall setting only when that finds no article
    for favour_recall in (False, True):
        doc = trafilatura.bare_extraction(
            text, url=fallback_url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, favor_recall=favour_recall,
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S%z"})
        body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        found_any = found_any or bool(body)
        if body and _prose_words(body, links) >= MIN_PROSE_WORDS:
            if favour_recall:
                notes.append("main text found only with trafilatura's recall setting; check it")
            break
    else:
        if found_any:
            raise RejectedFile("no article body: the page holds only menus, links or short lines "
                            "(no paragraph of text found)")
        raise RejectedFile("no article body: no text found in the page")
    title = (getattr(doc, "title", None) or "").strip() or None
    if title is None:
        found = tree.find(".//title")
        title = " ".join(found.text_content().split()) if found is not None else None
        title = title or None
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()]
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]  # the headline repeated as the first line of the text
    url = _absolute(getattr(doc, "url", None), fallback_url) or fallback_url
    if url is None:
        notes.append("no address in the page (canonical link): outlet unknown")
    published = to_timestamp(getattr(doc, "date", None)) or _page_date_fallback(tree)
    if published is None:
        notes.append("no date found in the page")
    published = _not_after_today(published, notes)
    tags = getattr(doc, "tags", None) or []
    tags = [piece for tag in ([tags] if isinstance(tags, str) else tags)
            for piece in re.split(r"\s*[,;]\s*", str(tag))]
    author = (getattr(doc, "author", None) or "").strip() or None
    record = {"body": "\n\n".join(lines), "title": title, "outlet": normalise_outlet(url),
              "published": published, "tags": [t.strip() for t in tags if t and t.strip()],
              "url": url, "author": author}
    return [record], notes


def recognise_plain_html(data: bytes) -> bool:
    head = _head_text(data, 2048).lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


# ---------------------------------------------------------------- large tables, in chunks

#: tables larger than this are read in chunks of rows (streaming ingest), not at once
CHUNKED_TABLE_MB = 4


def iter_table_chunks(path, columns: dict | None = None, chunk_rows: int = 5000):
    """Read a JSON Lines, CSV/TSV or Parquet table ``chunk_rows`` rows at a time; yield
    ``(records, notes)`` per chunk (memory holds one chunk). Raises :class:`RejectedFile` when
    the table cannot be read at all; a chunk that cannot be read ends the table with a note.

    Examples
    --------
    >>> for records, notes in iter_table_chunks("big_export.jsonl"):     # doctest: +SKIP
    ...     print(len(records))
    """
    for chunk in table_chunks(path, columns, chunk_rows):
        yield chunk.read()


@dataclass
class TableChunk:
    """``chunk_rows`` rows of a large table, not yet turned into records (:meth:`read`, which a
    worker process can do): a DataFrame (CSV/TSV, Parquet) or the raw lines of JSON Lines.

    Attributes
    ----------
    kind : str
        ``jsonl``, ``csv``, ``tsv`` or ``parquet``.
    columns : dict or None
        The ``columns=`` mapping of :func:`table_records`.
    first_row : int
        The chunk's first row in the table (from 1), for the notes.
    data : DataFrame or bytes
        The rows (JSON Lines: the bytes of its lines, decoded and parsed by :meth:`read`).
    notes : list of str
        Notes on reading the rows so far (decoding).
    facts : dict
        What the whole file's columns show (:func:`table_facts`), so that every chunk reads its
        slashed dates and its ``source`` column alike (and, JSON Lines, has the file's columns).
    """

    kind: str
    columns: dict | None
    first_row: int
    data: pd.DataFrame | bytes
    notes: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def read(self) -> tuple[list[dict], list[str]]:
        """``(records, notes)`` of the chunk; raises :class:`RejectedFile` (or ``ValueError``
        for JSON that does not parse) like :func:`iter_table_chunks`."""
        try:
            frame, notes = _jsonl_frame(self.data) if self.kind == "jsonl" else (self.data, self.notes)
        except ValueError as error:   # its line numbers count from the chunk's first line
            raise ValueError(f"{error}, counting lines from the part that starts at row {self.first_row}") from None
        records, more = table_records(frame, self.kind, self.columns, first_row=self.first_row, facts=self.facts)
        if self.first_row == 1 and not records and len(frame):
            raise RejectedFile(f"{self.kind} table has no row with text in its first {len(frame)} rows")
        return records, notes + more


def table_chunks(path, columns: dict | None = None, chunk_rows: int = 5000):
    """The chunks of :func:`iter_table_chunks` as :class:`TableChunk` objects, unread: the
    caller (a process pool) reads them. JSON Lines are only split into lines here (and decoded
    to count their rows); parsing them is :meth:`TableChunk.read`'s work."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    kind = file_kind(path, head)
    first_row, facts = 1, None
    if kind == "jsonl":
        for block in _jsonl_blocks(path, chunk_rows):
            if facts is None:
                facts = table_facts(path, kind, head, block, columns)
            yield TableChunk(kind, columns, first_row, block, facts=facts)
            rows = _jsonl_rows(block)
            if rows is None:
                return  # undecodable: reading this chunk fails with the reason, which ends the table
            first_row += rows
        return
    for frame, notes in _frames(path, kind, head, chunk_rows):
        if facts is None:
            facts = table_facts(path, kind, head, frame, columns)
        yield TableChunk(kind, columns, first_row, frame, notes, facts)
        first_row += len(frame)


def _jsonl_blocks(path: Path, rows: int):
    """The bytes of ``rows`` lines at a time of a JSON Lines file."""
    with open(path, "rb") as fh:
        while lines := [line for _, line in zip(range(rows), fh)]:
            yield b"".join(lines)


#: rows per piece when :func:`table_facts` scans a large table's columns
SCAN_ROWS = 50_000


def table_facts(path, kind: str, head: bytes, first, columns: dict | None = None) -> dict:
    """What a large table's columns show over the whole file, so that its chunks all read alike:
    ``dates``, the :func:`_slashed_evidence` of the date column (the order of ``NN/NN/YYYY``
    dates), ``outlet``, the :func:`_domain_evidence` of a ``source``-like column, and (JSON
    Lines, whose rows need not have the same keys) ``columns``, the file's columns: those of the
    first chunk, then the keys first met in later rows that decide how rows are read
    (:func:`_open_keys`: a date, outlet or ``source`` key while the first chunk has none, a
    ``columns=`` name), in the order met. Every chunk is read with these columns, as the whole
    file would be.

    ``first`` is the first chunk (a DataFrame, or JSON Lines bytes). The rest of the file is
    read only when the first chunk leaves something open: a slashed date or a ``source``-like
    column to scan (only those columns are read; JSON Lines parsed in full), or (JSON Lines) a
    key it lacks that later rows may have (searched for in the text, without parsing, in one
    pass with the scan: :func:`_jsonl_scan`). A table with ISO dates and an outlet column costs
    nothing. A part that cannot be read ends the scan (reading that chunk reports it); what was
    scanned decides.

    >>> table_facts("big.csv", "csv", b"", pd.DataFrame({"text": ["a"], "date": ["2023-06-25"]}))
    {}
    """
    if isinstance(first, bytes):
        try:
            first, _ = _jsonl_frame(first)
        except (ValueError, UnicodeDecodeError):
            return {}
    first = first.set_axis([str(c) for c in first.columns], axis=1)
    late, evidence = _jsonl_scan(Path(path), first, columns) if kind == "jsonl" else ([], {})
    scan = _columns_to_scan(first, late, columns)
    if scan and kind != "jsonl":
        try:
            for piece in _column_frames(Path(path), kind, head, list(scan)):
                evidence = _with_evidence(evidence, scan, piece)
        except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError):
            pass   # the chunk that cannot be read is reported when it is read
    facts = {"columns": [*first.columns, *late]} if kind == "jsonl" else {}
    for column, what in scan.items():
        if what == "dates":
            facts["dates"] = evidence.get(column, (False, False, False))
        else:
            facts["outlet"] = {column: evidence.get(column, (0, 0, 0, ""))}
    return facts


def _columns_to_scan(first: pd.DataFrame, late: list[str], columns: dict | None) -> dict[str, str]:
    """The columns of a large table whose values over the whole file decide how its rows are
    read, ``{column: "dates" or "outlet"}``: the date column when the first chunk shows a slashed
    date in it or has not got it (a JSON Lines key first met later, in ``late``), and a
    ``source``-like column (:func:`_outlet_name_candidate`)."""
    found = [*first.columns, *late]
    mapping, _ = resolve_columns(found, columns)
    date_column = next((c for c, t in mapping.items() if t == "published"), None)
    outlet_column = _outlet_name_candidate(found, mapping)
    scan = {}
    if date_column is not None and (date_column in late or len(_slashed_parts(first[date_column]))):
        scan[date_column] = "dates"
    if outlet_column is not None:
        scan[outlet_column] = "outlet"
    return scan


def _with_evidence(evidence: dict, scan: dict[str, str], piece: pd.DataFrame) -> dict:
    """``evidence`` ({column: evidence}) with what ``piece``, some rows of a table, adds of the
    columns ``scan`` (:func:`_columns_to_scan`): :func:`_slashed_evidence` of a date column,
    :func:`_domain_evidence` of an outlet one."""
    evidence = dict(evidence)
    for column, what in scan.items():
        if column not in piece:
            continue
        if what == "dates":
            more = _slashed_evidence(_slashed_parts(piece[column]))
            evidence[column] = tuple(a or b for a, b in zip(evidence.get(column, (False, False, False)), more))
        else:
            more, so_far = _domain_evidence(piece[column]), evidence.get(column, (0, 0, 0, ""))
            evidence[column] = (*(a + b for a, b in zip(so_far[:3], more[:3])), so_far[3] or more[3])
    return evidence


def _open_keys(found: list[str], columns: dict | None) -> tuple[set[str], set[str]]:
    """The keys that, first met in a JSON Lines table after its first chunk (columns ``found``),
    would change how its rows are read, as ``(names, exact)``: lower-case names of the date
    column while the first chunk has none (``published`` and its common names), of the outlet
    column, the url column and ``source``-like columns while it has no outlet column, and the ``columns=``
    names it lacks (compared exactly). A common name of another column (``headline`` from row
    6,000 on) reads alike in the chunks with it and without it. Not looked for, as every file
    would have to be read twice: a second name of a column the first chunk has (``published``
    from row 6,000 on, the first rows having ``date``: the chunks read ``date``, the whole file
    ``published``).

    >>> sorted(_open_keys(["text", "date", "outlet"], {"lede": "title"})[1])
    ['lede']
    """
    mapping, missing = resolve_columns(found, columns)
    names: set[str] = set()
    # a url gives the outlet too: looked for when the first chunk has neither
    for target in ("published", "outlet") + (("url",) if "outlet" not in mapping.values() else ()):
        if target not in mapping.values():
            names |= {target, *(name for name, column in column_aliases().items() if column == target)}
    if "outlet" not in mapping.values():
        names |= set(OUTLET_NAME_COLUMNS)
    return names - {c.lower() for c in found}, set(missing)


def _jsonl_scan(path: Path, first: pd.DataFrame, columns: dict | None) -> tuple[list[str], dict]:
    """One pass over a large JSON Lines file for :func:`table_facts`, when its first chunk
    (``first``) leaves something open: the :func:`_open_keys` met in the file (in the order met)
    and the evidence of the columns to scan (:func:`_with_evidence`). Rows are parsed only from
    the first block with a column to scan on; before, the text is only searched for the open keys
    (a key is the name in quotes before a colon; its line is parsed to tell it from a text that
    quotes it), and the pass ends when none is left to look for."""
    names, exact = _open_keys(list(first.columns), columns)
    late: list[str] = []
    scan = _columns_to_scan(first, late, columns)
    evidence: dict = {}
    if not (names or exact or scan):
        return late, evidence
    try:
        for block in _jsonl_blocks(path, SCAN_ROWS):
            rows = _json_objects(decode_bytes(block)[0]) if scan else None
            met = _keys_in_rows(rows, names, exact) if rows is not None else _keys_in_text(block, names, exact)
            if met:
                late += met
                names -= {key.lower() for key in met}
                exact -= set(met)
                scan = _columns_to_scan(first, late, columns)
            if scan:
                rows = _json_objects(decode_bytes(block)[0]) if rows is None else rows
                evidence = _with_evidence(evidence, scan, pd.DataFrame([{c: r[c] for c in scan if c in r} for r in rows]))
            elif not (names or exact):
                break
    except (ValueError, OSError, UnicodeDecodeError):
        pass   # the chunk that cannot be read is reported when it is read
    return late, evidence


def _keys_in_rows(rows: list[dict], names: set[str], exact: set[str]) -> list[str]:
    """The keys of JSON objects ``rows`` that are among ``names`` (lower case) or ``exact``, in
    the order first met."""
    met: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in met and (key in exact or key.lower() in names):
                met[key] = None
    return list(met)


def _keys_in_text(data: bytes, names: set[str], exact: set[str]) -> list[str]:
    """:func:`_keys_in_rows` of some JSON Lines without parsing them: only a line where a name is
    found in quotes before a colon (any case; also written with ``\\u`` escapes) is parsed, to
    tell a key from a text that quotes one. The bytes are searched as they are (common names are
    ASCII, the same bytes in UTF-8, cp1251 ...; a ``columns=`` name is looked for in UTF-8);
    UTF-16 (NUL bytes) is decoded first.

    >>> _keys_in_text(b'{"text": "say \\\\"Source\\\\": x"}\\n{"text": "b", "Source": "apa.az"}', {"source"}, set())
    ['Source']
    """
    text = decode_bytes(data)[0] if b"\x00" in data else data
    newline = "\n" if isinstance(text, str) else b"\n"
    names, exact, met = set(names), set(exact), []
    position = 0
    while names or exact:
        spellings = {s for name in names | exact for s in (name, json.dumps(name)[1:-1])}
        pattern = '"(?:' + "|".join(map(re.escape, sorted(spellings))) + r')"\s*:'
        found = re.compile(pattern if isinstance(text, str) else pattern.encode(), re.I).search(text, position)
        if found is None:
            break
        start, end = text.rfind(newline, 0, found.start()) + 1, text.find(newline, found.end())
        position = len(text) if end < 0 else end
        line = text[start:position]
        try:
            row = json.loads(line if isinstance(line, str) else decode_bytes(line)[0])
        except ValueError:
            continue   # reading its chunk reports it
        new = _keys_in_rows([row], names, exact) if isinstance(row, dict) else []
        met += new
        names -= {k.lower() for k in new}
        exact -= set(new)
    return met


def _column_frames(path: Path, kind: str, head: bytes, names: list[str]):
    """The columns ``names`` of a large CSV/TSV or Parquet table, :data:`SCAN_ROWS` rows at a time."""
    for frame, _ in _frames(path, kind, head, SCAN_ROWS, usecols=names):
        yield frame


def _jsonl_frame(block: bytes) -> tuple[pd.DataFrame, list[str]]:
    """The JSON objects of some JSON Lines as a DataFrame (other JSON values are skipped), and
    the decoding notes."""
    text, notes = decode_bytes(block)
    return pd.DataFrame(_json_objects(text)), notes


def _json_objects(text: str) -> list[dict]:
    """The JSON objects of JSON Lines text, one a line (other JSON values are skipped): the one
    parse of a small file read whole and of a large one's chunks, so that both read a value alike
    (``pandas.read_json`` would turn a ``date`` column's 08/06/2023 into 6 August, and "007" into 7).

    >>> _json_objects('{"text": "a", "date": "08/06/2023"}\\n[1, 2]\\n\\n{"id": "007"}')
    [{'text': 'a', 'date': '08/06/2023'}, {'id': '007'}]
    """
    rows = []
    for number, line in enumerate(text.split("\n"), 1):   # not splitlines: a text may hold U+2028
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:   # name the line of the text, not "line 1" of the one line parsed
                raise ValueError(f"line {number} is not JSON: {error.msg} (column {error.colno})") from None
    return [row for row in rows if isinstance(row, dict)]


def _jsonl_rows(block: bytes) -> int | None:
    """The rows :func:`_jsonl_frame` gives when the block parses (a JSON value is an object
    exactly when its line starts with ``{``), without parsing it; None when it does not decode."""
    try:
        text, _ = decode_bytes(block)
    except Exception:  # noqa: BLE001 - TableChunk.read raises it again, with the reason, where it is reported
        return None
    return sum(1 for line in text.split("\n") if line.strip()[:1] == "{")


def _frames(path: Path, kind: str, head: bytes, chunk_rows: int, usecols: list[str] | None = None):
    """``(frame, notes)`` of ``chunk_rows`` rows at a time of a CSV/TSV or Parquet table (only the
    columns ``usecols`` when given)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=usecols):
            yield batch.to_pandas(), []
    elif kind in ("csv", "tsv"):
        text, notes = decode_bytes(head[: head.rfind(b"\n") + 1] or head)
        sep = _delimiter(text, "\t" if kind == "tsv" else ",")
        encoding = notes[0].removeprefix("decoded as ").split(" ")[0] if notes and notes[0].startswith("decoded as") else "utf-8"
        reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, chunksize=chunk_rows,
                             encoding=encoding, encoding_errors="replace", usecols=usecols)
        for frame in reader:
            yield frame, notes
            notes = []
    else:
        raise RejectedFile(f"not a table ({kind}): cannot be read in chunks")


# ---------------------------------------------------------------- choosing the reader

def file_kind(path, data: bytes) -> str:
    """The reader for a file: ``parquet``, ``jsonl``, ``csv``, ``tsv``, ``feed``, ``html`` or ``seed``.

    Content first (Parquet magic, JSON), then the name; feeds before pages (an XHTML page is not
    a feed, but a feed saved as ``.html`` is still a feed); anything else is the seed layout.

    Examples
    --------
    >>> file_kind(Path("a.txt"), b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    'feed'
    >>> file_kind(Path("a.txt"), "Заголовок, текст".encode())
    'seed'
    """
    path = Path(path)
    if data[:4] == b"PAR1":
        return "parquet"
    suffix = _TABLE_SUFFIXES.get(path.suffix.lower())
    if suffix:
        return suffix
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\"") and path.suffix.lower() in ("", ".txt", ".jsonl"):
        return "jsonl"
    if recognise_feed(path, data):
        return "feed"
    if recognise_html(path, data):
        return "html"
    return "seed"


def read_file(path, data: bytes | None = None, *, columns: dict | None = None,
              max_text_mb: float = 10) -> tuple[list[dict], list[str]]:
    """Read one input file into article records; return ``(records, notes)``.

    Parameters
    ----------
    path : str or Path
        The file (its name helps tell the format; the bytes are read from it unless ``data``).
    data : bytes, optional
        The file's bytes, when already read.
    columns : dict, optional
        Table column names -> corpus columns (see :func:`resolve_columns`).
    max_text_mb : float
        Largest seed-layout file accepted.

    Raises
    ------
    RejectedFile
        The file cannot be used; the message says why.

    Examples
    --------
    >>> records, notes = read_file("seeds/000_d6f8f0bef7d1a4d3.txt")       # doctest: +SKIP
    >>> records[0]["outlet"]                                                # doctest: +SKIP
    'ru.tsn.ua'
    """
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RejectedFile(f"cannot read the file: {exc.strerror or exc}") from None
    kind = file_kind(path, data)
    if kind == "seed":
        return _read_seed_file(data, max_text_mb)
    if kind == "feed":
        return read_feed(data, path)
    if kind == "html":
        return read_html(data, path)
    return _read_table_file(data, kind, columns)
