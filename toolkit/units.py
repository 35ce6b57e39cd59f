"""Segmentation stage: articles -> paragraphs or sentences, metadata carried along.

Reads a corpus DataFrame, returns one row per segment with ``doc_id``, ``segment_id``,
``text``, ``start``, ``end`` and the corpus' metadata columns.
"""
from __future__ import annotations

import re

import pandas as pd

LEVELS = ("paragraph", "sentence")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PARAGRAPH.finditer(text):
        body = m.group()
        if body.strip():  # offsets of the stripped paragraph, so that offsets inside it add up
            lead = len(body) - len(body.lstrip())
            spans.append((m.start() + lead, m.start() + len(body.rstrip())))
    return spans


# sentence ends razdel does not know: Armenian full stop, CJK full stops, Arabic question mark
_OTHER_ENDS = re.compile(r"(?<=[։。！？؟])\s*")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    from razdel import sentenize

    spans = []
    for start, end in _paragraph_spans(text):  # a sentence never crosses a paragraph break
        for piece in sentenize(text[start:end]):
            a, b = start + piece.start, start + piece.stop
            cuts = [m.end() for m in _OTHER_ENDS.finditer(text, a, b) if m.end() < b]
            for left, right in zip([a] + cuts, cuts + [b]):
                chunk = text[left:right]
                if chunk.strip():
                    lead = len(chunk) - len(chunk.lstrip())
                    spans.append((left + lead, left + len(chunk.rstrip())))
    return spans


def segment(corpus: pd.DataFrame, level: str = "paragraph") -> pd.DataFrame:
    """Split every article into paragraphs or sentences.

    Parameters
    ----------
    corpus : corpus DataFrame (needs ``doc_id`` and ``text``).
    level : ``"paragraph"`` (blank-line separated) or ``"sentence"`` (razdel's sentence
        splitter, which knows Russian abbreviations and also serves the other languages).

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (0, 1, ... within the article), ``text`` (the
    segment), ``start``/``end`` (character offsets in the article's text) and every other
    column of ``corpus`` (outlet, published, language, ...), so that grouping by outlet works
    at the segment level too.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Первый абзац. Ещё.\\n\\nВторой."]})
    >>> segment(corpus, "sentence")[["segment_id", "text"]].values.tolist()
    [[0, 'Первый абзац.'], [1, 'Ещё.'], [2, 'Второй.']]
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if "text" not in corpus or "doc_id" not in corpus:
        raise ValueError("segment() needs a corpus with 'doc_id' and 'text' columns")
    spans_of = _paragraph_spans if level == "paragraph" else _sentence_spans
    rows, texts, starts, ends, ids = [], [], [], [], []
    for position, text in enumerate(corpus["text"].fillna("").astype(str)):
        for n, (start, end) in enumerate(spans_of(text)):
            rows.append(position)
            ids.append(n)
            texts.append(text[start:end].strip())
            starts.append(start)
            ends.append(end)
    # article-level tokens would be wrong for every segment: tokenize the segments instead
    dropped = ["text"] + [c for c in ("raw_text", "tokens", "forms") if c in corpus]
    meta = corpus.drop(columns=dropped).iloc[rows].reset_index(drop=True)
    out = pd.DataFrame({"doc_id": meta.pop("doc_id"), "segment_id": pd.array(ids, dtype="Int64"),
                        "text": pd.array(texts, dtype="string"),
                        "start": pd.array(starts, dtype="Int64"), "end": pd.array(ends, dtype="Int64")})
    return pd.concat([out, meta], axis=1)
