"""Actor and place mentions: the gazetteer (``lexicons/gazetteer.csv``) matched in texts.

Reads a corpus or segments DataFrame, returns one row per mention (``doc_id``, ``segment_id``,
``actor``, ``kind``, ``mention``, ``start``, ``end``). Inflected forms are found through lemmas
(ru/uk), explicit surface forms in the gazetteer (for the lemmatiser's blind spots, e.g.
Ukrainian ``Карабасі``), and ``*`` prefixes (agglutinative az/hy/tr suffixes: ``Qarabağ*``).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ._data import read_table
from .morphology import lemmatizer_for, normalize_form
from .tokenize import WORD

MENTION_COLUMNS = ["doc_id", "segment_id", "actor", "kind", "mention", "start", "end"]
_CARRIED = ("outlet", "outlet_country", "published", "language")


def gazetteer() -> pd.DataFrame:
    """The actor/place gazetteer: one row per name (``id``, ``kind``, ``lang``, ``name``)."""
    return read_table("lexicons/gazetteer.csv")


@lru_cache(maxsize=None)
def _index(language: str):
    """Names compiled for texts in ``language``: first-word keys -> [(word tests, id, kind)]."""
    lemma_of = lemmatizer_for(language)
    by_key: dict[str, list] = {}
    by_prefix: dict[str, list] = {}
    seen = set()
    for entry_id, kind, name in gazetteer()[["id", "kind", "name"]].itertuples(index=False):
        parts = name.split()
        tests = []
        for part in parts:
            lower = normalize_form(part.lower())
            if lower.endswith("*"):
                tests.append(("prefix", lower[:-1]))
            else:
                forms = WORD.findall(lower)
                if len(forms) != 1:  # punctuation-only or odd entries cannot match words
                    tests = None
                    break
                tests.append(("word", forms[0], lemma_of(forms[0])))
        if not tests:
            continue
        key = (tuple(tests), entry_id)
        if key in seen:
            continue
        seen.add(key)
        item = (tuple(tests), entry_id, kind)
        first = tests[0]
        if first[0] == "prefix":
            by_prefix.setdefault(first[1][:2], []).append(item)
        else:
            by_key.setdefault(first[1], []).append(item)
            if first[2] != first[1]:
                by_key.setdefault(first[2], []).append(item)
    return by_key, by_prefix


def _word_matches(test, lower: str, lemma: str) -> bool:
    if test[0] == "prefix":
        return lower.startswith(test[1])
    return lower == test[1] or lemma == test[2]


def find_mentions(text: str, language: str) -> list[tuple[str, str, str, int, int]]:
    """Mentions in one text: ``(actor_id, kind, mention, start, end)``, longest name first.

    Examples
    --------
    >>> [m[0] for m in find_mentions("Переговоры о Нагорном Карабахе в Баку", "ru")]   # doctest: +SKIP
    ['nagorno_karabakh', 'azerbaijan', 'baku']
    """
    by_key, by_prefix = _index(language)
    lemma_of = lemmatizer_for(language)
    spans = [(m.start(), m.end(), normalize_form(m.group().lower())) for m in WORD.finditer(text)]
    lemmas = [lemma_of(s[2]) for s in spans]
    found = []
    i, n = 0, len(spans)
    while i < n:
        lower, lemma = spans[i][2], lemmas[i]
        candidates = by_key.get(lower, []) + (by_key.get(lemma, []) if lemma != lower else []) \
            + by_prefix.get(lower[:2], [])
        best_len, best = 0, []
        for tests, entry_id, kind in candidates:
            k = len(tests)
            if k < best_len or i + k > n:
                continue
            if all(_word_matches(t, spans[i + j][2], lemmas[i + j]) for j, t in enumerate(tests)):
                if k > best_len:
                    best_len, best = k, []
                if (entry_id, kind) not in best:
                    best.append((entry_id, kind))
        if best_len:
            start, end = spans[i][0], spans[i + best_len - 1][1]
            found.extend((entry_id, kind, text[start:end], start, end) for entry_id, kind in best)
            i += best_len
        else:
            i += 1
    return found


def actors(corpus_or_segments: pd.DataFrame, *, kind: str | None = None) -> pd.DataFrame:
    """Every mention of a gazetteer actor or place.

    Parameters
    ----------
    corpus_or_segments : DataFrame with ``doc_id``, ``text`` and ``language`` (segments from
        :func:`toolkit.segment` keep their ``segment_id``).
    kind : ``"actor"`` or ``"place"`` to keep one kind only.

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (missing for whole articles), ``actor`` (the
    gazetteer id), ``kind``, ``mention`` (surface form as written), ``start``/``end``
    (character offsets in the unit's ``text``), and ``outlet``, ``outlet_country``,
    ``published``, ``language`` when present.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["uk"], "text": ["Бої в Нагірному Карабасі"]})
    >>> actors(df)[["actor", "mention"]].values.tolist()                       # doctest: +SKIP
    [['nagorno_karabakh', 'Нагірному Карабасі']]
    """
    if kind not in (None, "actor", "place"):
        raise ValueError(f"kind must be 'actor', 'place' or None, not {kind!r}")
    languages = corpus_or_segments["language"].astype("string").fillna("und") if "language" in corpus_or_segments \
        else pd.Series("und", index=corpus_or_segments.index)
    rows = []
    carried = [c for c in _CARRIED if c in corpus_or_segments]
    has_segments = "segment_id" in corpus_or_segments
    for (_, row), language in zip(corpus_or_segments.iterrows(), languages):
        text = row["text"] if isinstance(row["text"], str) else ""
        for entry_id, entry_kind, mention, start, end in find_mentions(text, language):
            if kind is not None and entry_kind != kind:
                continue
            record = [row["doc_id"], row["segment_id"] if has_segments else pd.NA, entry_id, entry_kind,
                      mention, start, end] + [row[c] for c in carried]
            rows.append(record)
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS + carried)
    out = out.astype({"doc_id": "string", "segment_id": "Int64", "actor": "category", "kind": "category",
                      "mention": "string", "start": "int64", "end": "int64"})
    for col in carried:
        out[col] = out[col].astype(corpus_or_segments[col].dtype)
    return out


def actor_counts(mentions: pd.DataFrame, by="doc_id", kind: str | None = "actor") -> pd.DataFrame:
    """Mentions per unit (or group) and actor, wide: one row per ``by`` value, one column per id.

    ``mentions`` is the output of :func:`actors`.

    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "actor": ["usa", "eu", "usa"], "kind": ["actor"] * 3})
    >>> actor_counts(m).to_dict("index")
    {'a': {'eu': 1, 'usa': 1}, 'b': {'eu': 0, 'usa': 1}}
    """
    data = mentions if kind is None else mentions[mentions["kind"] == kind]
    table = pd.crosstab(data[by], data["actor"].astype(str))
    table.columns.name = None
    return table
