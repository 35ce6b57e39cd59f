"""Framing stage: which frames each unit uses, and which side's vocabulary it names things with.

Reads a corpus or segments DataFrame, returns per-unit tables: frame scores from the
dictionaries in ``lexicons/frames.csv`` and contested-naming counts from ``lexicons/naming.csv``,
with the naming index. Both dictionaries are plain CSV files a scholar edits without code.
"""
from __future__ import annotations

import re
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from ._data import read_table
from .matching import cached_matcher
from .morphology import MORPH_LANGUAGES, STEM_LANGUAGES
from .tokens import WORD

SIDES = ("armenian", "azerbaijani")
_QUOTED = re.compile(r"«[^«»\n]{1,400}»|“[^“”\n]{1,400}”|„[^„“”\n]{1,400}[“”]|\"[^\"\n]{1,400}\"|‘[^‘’\n]{1,400}’"
                     r"|(?<!\w)'[^'\n]{1,120}'(?!\w)")
_CARRIED = ("outlet", "outlet_name", "outlet_country", "language", "published")


# ------------------------------------------------------------------------------ frames
def frame_names() -> list[str]:
    """The frames of ``lexicons/frames.csv`` in file order."""
    return list(dict.fromkeys(read_table("lexicons/frames.csv")["frame"]))


def _frame_entries(language: str):
    table = read_table("lexicons/frames.csv")
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["frame"]))


def _frame_matcher(language: str):
    # ru/uk terms are lemmas, en terms are stemmed like the text; others match as written
    use_lemmas = language in MORPH_LANGUAGES or language in STEM_LANGUAGES
    return cached_matcher("frames", language, use_lemmas, partial(_frame_entries, language))


def frames(corpus_or_segments: pd.DataFrame, *, per: int | None = 1000) -> pd.DataFrame:
    """Frame scores per unit.

    Each frame's dictionary term found in a unit counts once per occurrence (a phrase and a word
    inside it count once, longest first).

    Parameters
    ----------
    corpus_or_segments : DataFrame with ``doc_id``, ``text``, ``language`` (and ``segment_id``).
    per : scores are matches per ``per`` words (1000 by default: comparable across long and
        short texts); ``None`` gives raw counts.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id`` (if given), ``n_words``, one column per frame
    (``conflict``, ``human_interest``, ..., ``terrorism_separatism``), plus ``outlet``,
    ``outlet_country``, ``language``, ``published`` when present. Units in a language without
    frame dictionaries get missing scores (not zeros).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Гуманитарная помощь и прекращение огня."]})
    >>> frames(df, per=None)[["humanitarian", "military"]].values.tolist()      # doctest: +SKIP
    [[1, 1]]
    """
    names = frame_names()
    covered = set(read_table("lexicons/frames.csv")["lang"])
    languages = _languages(corpus_or_segments)
    rows = []
    for text, language in zip(corpus_or_segments["text"], languages):
        text = text if isinstance(text, str) else ""
        if language not in covered:  # no dictionary for this language: unknown, not zero
            rows.append({"n_words": len(WORD.findall(text)), **dict.fromkeys(names, np.nan)})
            continue
        counts = dict.fromkeys(names, 0)
        for frame, _, _, _ in _frame_matcher(language).find(text, overlap="per_label"):
            counts[frame] += 1
        n_words = len(WORD.findall(text))
        if per is not None:
            counts = {k: (v * per / n_words if n_words else np.nan) for k, v in counts.items()}
        rows.append({"n_words": n_words, **counts})
    out = pd.DataFrame(rows, index=corpus_or_segments.index)
    return _with_keys(corpus_or_segments, out)


def _languages(frame: pd.DataFrame) -> pd.Series:
    if "language" in frame:
        return frame["language"].astype("string").fillna("und")
    return pd.Series("und", index=frame.index)


def _with_keys(source: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    keys = ["doc_id"] + (["segment_id"] if "segment_id" in source else [])
    carried = [c for c in _CARRIED if c in source]
    return pd.concat([source[keys], values, source[carried]], axis=1).reset_index(drop=True)


# ------------------------------------------------------------------------------ naming
@lru_cache(maxsize=1)
def naming_pairs() -> pd.DataFrame:
    """The naming lexicon: one row per term (``pair``, ``side``, ``lang``, ``term``, ``note``)."""
    return read_table("lexicons/naming.csv")


def _naming_entries():
    table = naming_pairs()
    return list(zip(table["term"], zip(table["pair"], table["side"])))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def naming_mentions(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every contested-naming term in the texts, counted on surface forms (not lemmas: the
    Russian lemmatiser turns Шуши into шуша).

    Returns
    -------
    DataFrame ``doc_id``, ``pair``, ``side``, ``mention``, ``start``, ``end``, ``quoted``
    (True when the term stands inside quotation marks: «антитеррористические мероприятия» —
    the outlet quotes the term rather than using it).
    """
    matcher = cached_matcher("naming", "any", False, _naming_entries)
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        text = text if isinstance(text, str) else ""
        quoted = _quoted_spans(text)
        for (pair, side), mention, start, end in matcher.find(text, overlap="per_label"):
            # quoted when any quotation overlaps the term: «антитеррористические» мероприятия
            inside = any(a < end and start < b for a, b in quoted)
            rows.append((doc_id, pair, side, mention, start, end, inside))
    out = pd.DataFrame(rows, columns=["doc_id", "pair", "side", "mention", "start", "end", "quoted"])
    return out.astype({"quoted": bool, "start": "int64", "end": "int64"})


def naming(corpus: pd.DataFrame) -> pd.DataFrame:
    """Contested naming per article, and the naming index.

    Returns
    -------
    DataFrame, one row per article: ``doc_id``; one count column per pair and side
    (``stepanakert_khankendi__armenian``, ``stepanakert_khankendi__azerbaijani``, ...; quoted
    uses not included); ``armenian``, ``azerbaijani`` (totals of unquoted uses), ``quoted``
    (uses inside quotation marks, either side); ``naming_index`` = (armenian - azerbaijani) /
    (armenian + azerbaijani) in [-1, 1], positive toward the Armenian-side vocabulary, missing
    when the article uses no contested term; plus outlet columns when present.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "text": ["В Ханкенди прошли «антитеррористические мероприятия»."]})
    >>> naming(df)[["armenian", "azerbaijani", "quoted", "naming_index"]].values.tolist()
    [[0, 1, 1, -1.0]]
    """
    mentions = naming_mentions(corpus)
    pairs = list(dict.fromkeys(naming_pairs()["pair"]))
    columns = [f"{p}__{s}" for p in pairs for s in SIDES]
    used = mentions[~mentions["quoted"]]
    counts = pd.crosstab(used["doc_id"], used["pair"] + "__" + used["side"]) if len(used) else pd.DataFrame()
    counts = counts.reindex(index=corpus["doc_id"], columns=columns, fill_value=0).fillna(0).astype("int64")
    counts.columns.name = None
    out = counts.reset_index(drop=True)
    out.insert(0, "doc_id", corpus["doc_id"].to_numpy())
    for side in SIDES:
        out[side] = used[used["side"] == side].groupby("doc_id").size().reindex(corpus["doc_id"]).fillna(0) \
            .astype("int64").to_numpy()
    out["quoted"] = mentions[mentions["quoted"]].groupby("doc_id").size().reindex(corpus["doc_id"]).fillna(0) \
        .astype("int64").to_numpy()
    total = out["armenian"] + out["azerbaijani"]
    out["naming_index"] = ((out["armenian"] - out["azerbaijani"]) / total.where(total > 0)).astype("Float64")
    for col in _CARRIED:
        if col in corpus:
            out[col] = corpus[col].to_numpy()
    return out


def naming_auc(table: pd.DataFrame, sides: dict[str, str], *, positive: str = "AM", negative: str = "AZ") -> dict:
    """How well the naming index separates outlets of two sides (e.g. Armenian vs Azerbaijani).

    Parameters
    ----------
    table : :func:`naming` output (needs ``outlet``).
    sides : outlet domain -> side code (e.g. ``{"azatutyun.am": "AM", "apa.az": "AZ"}``).

    Returns
    -------
    dict with ``auc`` (ROC AUC of ``naming_index`` for ``positive`` vs ``negative`` outlets'
    articles; 0.5 = no separation, 1 = perfect), ``n_scored`` (articles of the two sides with
    any contested term), ``n_articles`` (articles of the two sides), ``coverage``.
    """
    from sklearn.metrics import roc_auc_score

    side = table["outlet"].astype(str).map(sides)
    relevant = table[side.isin([positive, negative])]
    scored = relevant[relevant["naming_index"].notna()]
    labels = (side.loc[scored.index] == positive).astype(int)
    auc = float(roc_auc_score(labels, scored["naming_index"].astype(float))) if labels.nunique() == 2 else float("nan")
    return {"auc": auc, "n_scored": int(len(scored)), "n_articles": int(len(relevant)),
            "coverage": float(len(scored) / len(relevant)) if len(relevant) else float("nan")}


def frame_profile(frame_scores: pd.DataFrame, by: str = "outlet_country", min_units: int = 1) -> pd.DataFrame:
    """Mean frame score per group (wide: one row per group, one column per frame), over the
    units with scores; groups with fewer than ``min_units`` scored units are left out.

    ``frame_scores`` is :func:`frames` output.
    """
    names = [f for f in frame_names() if f in frame_scores]
    scored = frame_scores[frame_scores[names].notna().any(axis=1)]
    sizes = scored.groupby(by, observed=True).size()
    keep = sizes[sizes >= min_units].index
    return scored[scored[by].isin(keep)].groupby(by, observed=True)[names].mean()


def naming_by_outlet(table: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: mean ``naming_index`` over its articles that use any contested term,
    ``n_scored``, ``n_articles`` and ``outlet_country``; outlets with no scored article are left out."""
    grouped = table.groupby("outlet", observed=True)
    out = pd.DataFrame({"naming_index": grouped["naming_index"].mean().astype(float),
                        "n_scored": grouped["naming_index"].count(),
                        "n_articles": grouped.size()})
    if "outlet_country" in table:
        out["outlet_country"] = grouped["outlet_country"].first().astype("string")
    return out[out["n_scored"] > 0].reset_index()


def naming_baseline(corpus: pd.DataFrame) -> pd.DataFrame:
    """The naming index from a simple regular-expression list (``lexicons/naming_baseline.csv``):
    the yardstick the full lexicon is compared with. Same columns as :func:`naming`'s totals:
    ``doc_id``, ``armenian``, ``azerbaijani``, ``naming_index`` (+ ``outlet`` when present)."""
    table = read_table("lexicons/naming_baseline.csv")
    patterns = {side: re.compile("|".join(f"(?:{p})" for p in table.loc[table["side"] == side, "pattern"]), re.I)
                for side in SIDES}
    texts = corpus["text"].fillna("").astype(str)
    out = pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy()})
    for side in SIDES:
        out[side] = [len(patterns[side].findall(t)) for t in texts]
    total = out["armenian"] + out["azerbaijani"]
    out["naming_index"] = ((out["armenian"] - out["azerbaijani"]) / total.where(total > 0)).astype("Float64")
    if "outlet" in corpus:
        out["outlet"] = corpus["outlet"].to_numpy()
    return out
