"""Concept layer: words of every language mapped to shared, language-neutral concept ids.

Reads a corpus or segments DataFrame (``text``, ``language``), returns how often each concept
occurs in each unit. Concepts are the event vocabulary of ``lexicons/concepts.csv`` (ceasefire,
blockade, offensive, displacement, dissolution, arrest, peace treaty, border delimitation, ...)
plus the actors and places of ``lexicons/gazetteer.csv``; both are data files a scholar edits.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ._data import data_path
from .matching import TermMatcher
from .mentions import _gazetteer_entries, gazetteer
from .morphology import MORPH_LANGUAGES

CONCEPT_COLUMNS = ["concept", "kind", "lang", "term"]
DEFAULT_LEXICON = data_path("lexicons", "concepts.csv")


def _lexicon_path(lexicon) -> Path:
    path = Path(DEFAULT_LEXICON if lexicon is None else lexicon)
    if not path.exists():
        raise FileNotFoundError(f"concept lexicon {path} does not exist")
    return path


@lru_cache(maxsize=8)
def _read_lexicon(path: str, digest: str) -> pd.DataFrame:
    table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in CONCEPT_COLUMNS if c not in table]
    if missing:
        raise ValueError(f"{path}: a concept lexicon needs the columns {CONCEPT_COLUMNS}; missing {missing}")
    empty = table[(table[CONCEPT_COLUMNS] == "").any(axis=1)]
    if len(empty):
        raise ValueError(f"{path}: {len(empty)} rows with an empty field, first at data row {empty.index[0] + 1}")
    return table[CONCEPT_COLUMNS]


def concept_lexicon(lexicon=None) -> pd.DataFrame:
    """The concept lexicon: one row per term (``concept``, ``kind``, ``lang``, ``term``).

    ``lexicon`` is a CSV path of the same layout; None is the packaged ``lexicons/concepts.csv``.
    ``attrs["sha256"]`` holds the file's SHA-256, so results can record which revision they used.

    >>> table = concept_lexicon()
    >>> sorted(table.loc[table["concept"] == "ceasefire", "lang"].unique())[:3]
    ['az', 'de', 'en']
    """
    path = _lexicon_path(lexicon)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    table = _read_lexicon(str(path), digest).copy()
    table.attrs["sha256"] = digest
    table.attrs["path"] = str(path)
    return table


@lru_cache(maxsize=64)
def _matcher(path: str, digest: str, language: str) -> TermMatcher:
    table = _read_lexicon(path, digest)
    own = table if language not in set(table["lang"]) else table[table["lang"] == language]
    entries = [(term, (concept, kind)) for concept, kind, term in own[["concept", "kind", "term"]].itertuples(index=False)]
    gazetteer_entries = _gazetteer_entries(language)
    if language not in set(gazetteer()["lang"]):
        # names of other languages, matched as written: short ones are words here (en "UN" is fr "un")
        gazetteer_entries = [(name, label) for name, label in gazetteer_entries if len(name.rstrip("*")) >= 4]
    entries += gazetteer_entries
    return TermMatcher(entries, language, use_lemmas=language in MORPH_LANGUAGES)


def find_concepts(text: str, language: str, lexicon=None) -> list[tuple[str, str, str, int, int]]:
    """Concepts in one text: ``(concept, kind, mention, start, end)`` in text order.

    A word carrying two concepts (German *Friedensvertrag*: ``peace`` and ``peace_treaty``)
    gives both; an actor name from the gazetteer gives its gazetteer id.

    >>> [c[0] for c in find_concepts("Le cessez-le-feu au Haut-Karabakh", "fr")]
    ['ceasefire', 'nagorno_karabakh']
    """
    path = _lexicon_path(lexicon)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    matcher = _matcher(str(path), digest, language)
    return [(label[0], label[1], mention, start, end)
            for label, mention, start, end in matcher.find(text, overlap="per_label")]


def concept_matrix(texts, languages, lexicon=None) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of every concept in every text: a sparse ``(n_texts, n_concepts)`` matrix and
    the concept ids of its columns (sorted)."""
    path = _lexicon_path(lexicon)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    found = []
    for text, language in zip(texts, languages):
        matcher = _matcher(str(path), digest, str(language))
        found.append([label[0] for label, *_ in matcher.find(text if isinstance(text, str) else "",
                                                              overlap="per_label")])
    names = sorted(set(read_ids(lexicon)) | {c for row in found for c in row})
    column = {name: j for j, name in enumerate(names)}
    rows = np.repeat(np.arange(len(found)), [len(r) for r in found])
    cols = np.fromiter((column[c] for r in found for c in r), dtype=np.int64, count=len(rows))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(found), len(names)))
    matrix.sum_duplicates()
    return matrix, names


def read_ids(lexicon=None) -> list[str]:
    """Every concept id of the lexicon and the gazetteer, sorted."""
    return sorted(set(concept_lexicon(lexicon)["concept"]) | set(gazetteer()["id"]))


def concept_counts(corpus_or_segments: pd.DataFrame, *, lexicon=None) -> pd.DataFrame:
    """How often each concept occurs in each unit (long table).

    Parameters
    ----------
    corpus_or_segments : DataFrame with ``doc_id``, ``text`` and ``language`` (segments keep
        their ``segment_id``).
    lexicon : path of a concept CSV (``concept,kind,lang,term``); None: the packaged one.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``concept``, ``count`` (only concepts found).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["de"], "text": ["Waffenruhe in Bergkarabach, Waffenruhe!"]})
    >>> concept_counts(df)[["concept", "count"]].values.tolist()
    [['ceasefire', 2], ['nagorno_karabakh', 1]]
    """
    for column in ("doc_id", "text", "language"):
        if column not in corpus_or_segments:
            raise ValueError(f"concept_counts needs a {column!r} column")
    matrix, names = concept_matrix(corpus_or_segments["text"], corpus_or_segments["language"].astype(str), lexicon)
    coo = matrix.tocoo()
    segment_ids = corpus_or_segments["segment_id"] if "segment_id" in corpus_or_segments else \
        pd.Series(pd.NA, index=corpus_or_segments.index, dtype="Int64")
    out = pd.DataFrame({"doc_id": corpus_or_segments["doc_id"].to_numpy()[coo.row],
                        "segment_id": segment_ids.to_numpy()[coo.row],
                        "concept": np.asarray(names, dtype=object)[coo.col],
                        "count": coo.data.astype("int64")})
    out = out.sort_values(["doc_id", "concept"], kind="stable").reset_index(drop=True)
    return out.astype({"doc_id": "string", "segment_id": "Int64", "concept": "string"})
