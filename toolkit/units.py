"""Units stage: articles -> units of analysis (whole articles, paragraphs or sentences).

Reads a corpus (or units already made), returns one row per unit with ``doc_id``,
``segment_id``, ``text``, ``language``, ``start``, ``end`` and the metadata columns of
:data:`toolkit.schema.META_COLUMNS`: the one table every measure works on and keys its result by.
"""
from __future__ import annotations

import re

import pandas as pd

from .languages import resolve_languages, sentence_end_pattern
from .options import renamed_option
from .schema import META_COLUMNS, UNIT_KEYS

UNITS = ("article", "paragraph", "sentence")
LEVELS = ("paragraph", "sentence")  # what segment() splits into (kept for old callers)
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


def _paragraph_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    spans = []
    for m in _PARAGRAPH.finditer(text):
        body = m.group()
        if body.strip():  # offsets of the stripped paragraph, so that offsets inside it add up
            lead = len(body) - len(body.lstrip())
            spans.append((m.start() + lead, m.start() + len(body.rstrip())))
    return spans


def _sentence_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    from razdel import sentenize

    # sentence ends razdel does not know (Armenian full stop, CJK full stops, Arabic question
    # mark) come from the language's profile; an unknown language gets all of them
    other_ends = sentence_end_pattern(language or "und")
    spans = []
    for start, end in _paragraph_spans(text):  # a sentence never crosses a paragraph break
        for piece in sentenize(text[start:end]):
            a, b = start + piece.start, start + piece.stop
            cuts = [m.end() for m in other_ends.finditer(text, a, b) if m.end() < b] if other_ends else []
            for left, right in zip([a] + cuts, cuts + [b]):
                chunk = text[left:right]
                if chunk.strip():
                    lead = len(chunk) - len(chunk.lstrip())
                    spans.append((left + lead, left + len(chunk.rstrip())))
    return spans


def _article_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    return [(0, len(text))]


_SPANS = {"article": _article_spans, "paragraph": _paragraph_spans, "sentence": _sentence_spans}


def check_unit(unit) -> str:
    """``unit`` if it is one of :data:`UNITS`, else ``ValueError`` naming the allowed values."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    return unit


def segment(corpus: pd.DataFrame, unit: str | None = None, *, level: str | None = None) -> pd.DataFrame:
    """Split every article into paragraphs or sentences (the worker behind :func:`make_units`).

    Parameters
    ----------
    corpus : corpus DataFrame (needs ``doc_id`` and ``text``).
    unit : ``"paragraph"`` (blank-line separated; the default), ``"sentence"`` (razdel's sentence splitter,
        which knows Russian abbreviations and also serves the other languages, plus the extra
        sentence ends of each row's language profile) or ``"article"`` (one unit per article).
    level : deprecated name of ``unit`` (0.1.x); still accepted with a ``DeprecationWarning``.

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (0, 1, ... within the article), ``text`` (the
    segment), ``start``/``end`` (character offsets in the article's text) and every other
    column of ``corpus`` (outlet, published, language, ...), so that grouping by outlet works
    at the segment level too. :func:`make_units` gives the same rows with the contract's columns only.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Первый абзац. Ещё.\\n\\nВторой."]})
    >>> segment(corpus, "sentence")[["segment_id", "text"]].values.tolist()
    [[0, 'Первый абзац.'], [1, 'Ещё.'], [2, 'Второй.']]
    """
    unit = renamed_option("segment", "level", "unit", level, unit) or "paragraph"
    check_unit(unit)
    if "text" not in corpus or "doc_id" not in corpus:
        raise ValueError("segment() needs a corpus with 'doc_id' and 'text' columns")
    spans_of = _SPANS[unit]
    languages = corpus["language"].astype("string").fillna("und").tolist() if "language" in corpus \
        else ["und"] * len(corpus)
    rows, texts, starts, ends, ids = [], [], [], [], []
    for position, (text, language) in enumerate(zip(corpus["text"].fillna("").astype(str), languages)):
        for n, (start, end) in enumerate(spans_of(text, language)):
            rows.append(position)
            ids.append(n)
            texts.append(text[start:end].strip() if unit != "article" else text)
            starts.append(start)
            ends.append(end)
    # article-level tokens would be wrong for every segment: tokenize the segments instead
    dropped = ["text"] + [c for c in ("raw_text", "tokens", "forms") if c in corpus and unit != "article"]
    dropped += [c for c in ("segment_id", "start", "end") if c in corpus]
    meta = corpus.drop(columns=dropped).iloc[rows].reset_index(drop=True)
    out = pd.DataFrame({"doc_id": meta.pop("doc_id"), "segment_id": pd.array(ids, dtype="Int64"),
                        "text": pd.array(texts, dtype="string"),
                        "start": pd.array(starts, dtype="Int64"), "end": pd.array(ends, dtype="Int64")})
    out = pd.concat([out, meta], axis=1)
    out.attrs["unit"] = unit
    return out


def make_units(corpus_or_units: pd.DataFrame, unit: str | None = None, *, keep=()) -> pd.DataFrame:
    """The units of analysis every measure works on: one row per article, paragraph or sentence.

    Public as ``toolkit.make_units``; ``toolkit.units.units`` is the same function (the module
    ``toolkit.units`` keeps its name, so no function shadows it).

    Parameters
    ----------
    corpus_or_units : a corpus (one row per article), or units already made (a DataFrame with
        ``segment_id``, e.g. from :func:`segment` or this function), which are used as they are.
    unit : ``"article"``, ``"paragraph"`` or ``"sentence"``; None = as given (a corpus gives
        articles). Asking units of one kind for another kind is an error, not a silent reuse.
    keep : further columns of the input to carry along (e.g. a user's ``"event"`` label).

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id`` (Int64; 0, 1, ... within the article; **0 for a whole
    article**), ``text``, ``language`` (the language rule of
    :func:`toolkit.languages.resolve_languages`: the column, else detection, else an error),
    ``start``, ``end`` (offsets in the article's text), then the metadata columns of
    :data:`toolkit.schema.META_COLUMNS` the input has (outlet, outlet_name, outlet_country,
    country_source, published), then ``keep``; ``tokens``/``forms`` of units that were not
    re-split. ``attrs["unit"]`` records the unit.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["x.am"], "language": ["ru"],
    ...                        "text": ["Первый абзац. Ещё.\\n\\nВторой."]})
    >>> make_units(corpus, "paragraph")[["doc_id", "segment_id", "text", "outlet"]].values.tolist()
    [['a', 0, 'Первый абзац. Ещё.', 'x.am'], ['a', 1, 'Второй.', 'x.am']]
    >>> make_units(corpus)[["segment_id", "start", "end"]].values.tolist()
    [[0, 0, 27]]
    """
    if unit is not None:
        check_unit(unit)
    frame = corpus_or_units
    if "doc_id" not in frame or "text" not in frame:
        raise ValueError(f"make_units() needs 'doc_id' and 'text' columns; the input has {list(frame.columns)}")
    missing = [c for c in keep if c not in frame]
    if missing:
        raise ValueError(f"keep={list(keep)}: not columns of the input: {missing}")
    if "segment_id" in frame:
        given = frame.attrs.get("unit")
        if unit is not None and given is not None and given != unit:
            raise ValueError(f"these are {given} units; unit={unit!r} needs the corpus (one row per article)")
        out = frame.copy()
        if "start" not in out:
            out["start"] = pd.array([pd.NA] * len(out), dtype="Int64")
            out["end"] = pd.array([pd.NA] * len(out), dtype="Int64")
        made = given or unit
    else:
        made = unit or "article"
        # the language is decided per article before splitting (a sentence is too short to detect)
        article = frame.assign(language=resolve_languages(frame)) if made != "article" else frame
        out = segment(article, made)
    out["language"] = resolve_languages(out).astype("category")
    out["segment_id"] = out["segment_id"].astype("Int64")
    columns = list(UNIT_KEYS) + ["text", "language", "start", "end"]
    columns += [c for c in META_COLUMNS if c in out]
    columns += [c for c in dict.fromkeys(keep) if c not in columns]  # a metadata column kept is not repeated
    columns += [c for c in ("tokens", "forms") if c in out and c not in columns]
    out = out[columns].reset_index(drop=True)
    out["doc_id"] = out["doc_id"].astype("string")
    out["text"] = out["text"].astype("string")
    out.attrs = {"unit": made}
    return out


#: the 0.2 development name of :func:`make_units` (``from toolkit.units import units`` keeps working)
units = make_units


def unit_of(frame: pd.DataFrame) -> str | None:
    """The unit a table was made at (``attrs["unit"]``), or None when unknown."""
    return frame.attrs.get("unit")


def carry(source: pd.DataFrame, values: pd.DataFrame, positions=None) -> pd.DataFrame:
    """A result keyed by (``doc_id``, ``segment_id``) with ``language`` and the metadata columns.

    Parameters
    ----------
    source : the units the values were computed on (from :func:`make_units`).
    values : the measure's columns; one row per unit, or one row per ``positions`` entry.
    positions : for tables with several rows per unit (mentions, sources): the row number in
        ``source`` of each row of ``values``.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["a"], "segment_id": [0], "language": ["ru"], "outlet": ["x.am"], "text": ["…"]})
    >>> carry(u, pd.DataFrame({"score": [0.5]})).columns.tolist()
    ['doc_id', 'segment_id', 'language', 'score', 'outlet']
    """
    rows = source if positions is None else source.iloc[list(positions)]
    rows = rows.reset_index(drop=True)
    keys = rows[[c for c in (*UNIT_KEYS, "language") if c in rows]]
    values = values.drop(columns=[c for c in keys.columns if c in values])
    meta = rows[[c for c in META_COLUMNS if c in rows and c not in values]]
    out = pd.concat([keys, values.reset_index(drop=True), meta], axis=1)
    out.attrs = {"unit": unit_of(source)} if unit_of(source) else {}
    return out

