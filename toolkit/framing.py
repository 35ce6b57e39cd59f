"""Framing stage: which frames each unit uses, and which side's vocabulary it names things with.

Reads a corpus or segments DataFrame, returns per-unit tables: frame scores from the
dictionaries in ``lexicons/frames.csv`` and contested-naming counts from ``lexicons/naming.csv``,
with the naming index. Both dictionaries are plain CSV files a scholar edits without code.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .languages import profile
from .matching import cached_matcher
from .resources import load_resource, with_resources
from .tokens import WORD
from .units import carry, units as make_units

SIDES = ("armenian", "azerbaijani")
_QUOTED = re.compile(r"«[^«»\n]{1,400}»|“[^“”\n]{1,400}”|„[^„“”\n]{1,400}[“”]|\"[^\"\n]{1,400}\"|‘[^‘’\n]{1,400}’"
                     r"|(?<!\w)'[^'\n]{1,120}'(?!\w)")


# ------------------------------------------------------------------------------ frames
def frame_names(lexicon=None) -> list[str]:
    """The frames of the frame dictionary (``lexicons/frames.csv`` by default) in file order."""
    return list(dict.fromkeys(load_resource("frames", lexicon).table()["frame"]))


def _frame_entries(table: pd.DataFrame, language: str):
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["frame"]))


def _frame_matcher(language: str, resource=None):
    # ru/uk terms are lemmas, en terms are stemmed like the text; others match as written
    resource = load_resource("frames", resource)
    return cached_matcher(resource, language, profile(language).uses_lemmas, _frame_entries)


def frames(corpus_or_units: pd.DataFrame, *, unit: str | None = None, per: int | None = 1000,
           lexicon=None) -> pd.DataFrame:
    """Frame scores per unit.

    Each frame's dictionary term found in a unit counts once per occurrence (a phrase and a word
    inside it count once, longest first).

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.units` (used as they are).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    per : scores are matches per ``per`` words (1000 by default: comparable across long and
        short texts); ``None`` gives raw counts.
    lexicon : None for the packaged ``lexicons/frames.csv``, or a user's file with the columns
        ``frame, lang, term`` (or a :class:`toolkit.resources.Resource` / DataFrame).

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``n_words``, one column per frame
    (``conflict``, ``human_interest``, ..., ``terrorism_separatism``), then the metadata columns
    (:data:`toolkit.schema.META_COLUMNS`). Units in a language without frame dictionaries get
    missing scores (not zeros). ``attrs["resources"]`` names the dictionary used.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Гуманитарная помощь и прекращение огня."]})
    >>> frames(df, per=None)[["humanitarian", "peace_process", "military"]].values.tolist()
    [[1, 1, 0]]
    """
    resource = load_resource("frames", lexicon)
    table = resource.table()
    names = list(dict.fromkeys(table["frame"]))
    covered = set(table["lang"])
    frame = make_units(corpus_or_units, unit)
    rows = []
    for text, language in zip(frame["text"].fillna(""), frame["language"].astype(str)):
        n_words = len(WORD.findall(text))
        if language not in covered:  # no dictionary for this language: unknown, not zero
            rows.append({"n_words": n_words, **dict.fromkeys(names, np.nan)})
            continue
        counts = dict.fromkeys(names, 0)
        for name, _, _, _ in _frame_matcher(language, resource).find(text, overlap="per_label"):
            counts[name] += 1
        if per is not None:
            counts = {k: (v * per / n_words if n_words else np.nan) for k, v in counts.items()}
        rows.append({"n_words": n_words, **counts})
    values = pd.DataFrame(rows, columns=["n_words", *names])
    return with_resources(carry(frame, values), resource)


# ------------------------------------------------------------------------------ naming
def naming_pairs(pairs=None) -> pd.DataFrame:
    """The naming lexicon: one row per term (``pair``, ``side``, ``lang``, ``term``, ``note``).

    ``pairs``: None for the packaged ``lexicons/naming.csv``, or a user's file / Resource."""
    return load_resource("naming", pairs).table()


def _naming_entries(table: pd.DataFrame, language: str):
    return list(zip(table["term"], zip(table["pair"], table["side"])))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def naming_mentions(corpus_or_units: pd.DataFrame, *, unit: str | None = None, pairs=None) -> pd.DataFrame:
    """Every contested-naming term in the texts, counted on surface forms (not lemmas: the
    Russian lemmatiser turns Шуши into шуша).

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``pair``, ``side``, ``mention``,
    ``start``, ``end`` (offsets in the unit's text), ``quoted`` (True when the term stands
    inside quotation marks: «антитеррористические мероприятия» — the outlet quotes the term
    rather than using it), then the metadata columns.
    """
    resource = load_resource("naming", pairs)
    frame = make_units(corpus_or_units, unit)
    values, positions = _naming_hits(frame, resource)
    return with_resources(carry(frame, values, positions), resource)


def _naming_hits(frame: pd.DataFrame, resource):
    """Naming terms in each unit of ``frame``: a table of hits and the unit position of each."""
    matcher = cached_matcher(resource, "any", False, _naming_entries)
    rows, positions = [], []
    for position, text in enumerate(frame["text"].fillna("")):
        quoted = _quoted_spans(text)
        for (pair, side), mention, start, end in matcher.find(text, overlap="per_label"):
            # quoted when any quotation overlaps the term: «антитеррористические» мероприятия
            inside = any(a < end and start < b for a, b in quoted)
            rows.append((pair, side, mention, start, end, inside))
            positions.append(position)
    values = pd.DataFrame(rows, columns=["pair", "side", "mention", "start", "end", "quoted"])
    return values.astype({"quoted": bool, "start": "int64", "end": "int64"}), positions


def naming(corpus_or_units: pd.DataFrame, *, unit: str | None = None, pairs=None) -> pd.DataFrame:
    """Contested naming per unit, and the naming index.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.units` (used as they are: each
        segment gets its own counts).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    pairs : None for the packaged ``lexicons/naming.csv``, or a user's file with the columns
        ``pair, side, lang, term`` (or a :class:`toolkit.resources.Resource`).

    Returns
    -------
    DataFrame, one row per unit: ``doc_id``, ``segment_id``, ``language``; one count column per
    pair and side (``stepanakert_khankendi__armenian``, ``stepanakert_khankendi__azerbaijani``,
    ...; quoted uses not included); ``armenian``, ``azerbaijani`` (totals of unquoted uses),
    ``quoted`` (uses inside quotation marks, either side); ``naming_index`` = (armenian -
    azerbaijani) / (armenian + azerbaijani) in [-1, 1], positive toward the Armenian-side
    vocabulary, missing when the unit uses no contested term; then the metadata columns.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"],
    ...                    "text": ["В Ханкенди прошли «антитеррористические мероприятия»."]})
    >>> naming(df)[["armenian", "azerbaijani", "quoted", "naming_index"]].values.tolist()
    [[0, 1, 1, -1.0]]
    """
    resource = load_resource("naming", pairs)
    frame = make_units(corpus_or_units, unit)
    hits, positions = _naming_hits(frame, resource)
    mentions = hits.assign(_unit=positions)
    pair_names = list(dict.fromkeys(resource.table()["pair"]))
    columns = [f"{p}__{s}" for p in pair_names for s in SIDES]
    used = mentions[~mentions["quoted"]]
    units_index = pd.RangeIndex(len(frame))
    counts = pd.crosstab(used["_unit"], used["pair"] + "__" + used["side"]) if len(used) else pd.DataFrame()
    counts = counts.reindex(index=units_index, columns=columns, fill_value=0).fillna(0).astype("int64")
    counts.columns.name = None
    for side in SIDES:
        counts[side] = used[used["side"] == side].groupby("_unit").size().reindex(units_index).fillna(0) \
            .astype("int64").to_numpy()
    counts["quoted"] = mentions[mentions["quoted"]].groupby("_unit").size().reindex(units_index).fillna(0) \
        .astype("int64").to_numpy()
    total = counts["armenian"] + counts["azerbaijani"]
    counts["naming_index"] = ((counts["armenian"] - counts["azerbaijani"]) / total.where(total > 0)).astype("Float64")
    return with_resources(carry(frame, counts), resource)


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
    table = load_resource("naming_baseline").table()
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
