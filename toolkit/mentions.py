"""Actor and place mentions: the gazetteer (``lexicons/gazetteer.csv``) matched in texts.

Reads a corpus or segments DataFrame, returns one row per mention (``doc_id``, ``segment_id``,
``actor``, ``kind``, ``mention``, ``start``, ``end``). Inflected forms are found through lemmas
(ru/uk), explicit surface forms in the gazetteer (for the lemmatiser's blind spots, e.g.
Ukrainian ``Карабасі``), and ``*`` prefixes (agglutinative az/hy/tr suffixes: ``Qarabağ*``).
"""
from __future__ import annotations

from functools import partial

import pandas as pd

from ._data import read_table
from .matching import cached_matcher
from .morphology import MORPH_LANGUAGES

MENTION_COLUMNS = ["doc_id", "segment_id", "actor", "kind", "mention", "start", "end"]
_CARRIED = ("outlet", "outlet_country", "published", "language")


def gazetteer() -> pd.DataFrame:
    """The actor/place gazetteer: one row per name (``id``, ``kind``, ``lang``, ``name``)."""
    return read_table("lexicons/gazetteer.csv")


def _gazetteer_entries(language: str):
    """Names written for texts in ``language`` (all names for a language the gazetteer lacks)."""
    table = gazetteer()
    if language in set(table["lang"]):
        table = table[table["lang"] == language]
    return [(name, (entry_id, kind)) for entry_id, kind, name in table[["id", "kind", "name"]].itertuples(index=False)]


def find_mentions(text: str, language: str) -> list[tuple[str, str, str, int, int]]:
    """Mentions in one text: ``(actor_id, kind, mention, start, end)``; where names overlap
    the longest wins (``власти Нагорного Карабаха`` is the authorities, not the region).

    Examples
    --------
    >>> [m[0] for m in find_mentions("Переговоры о Нагорном Карабахе в Баку", "ru")]
    ['nagorno_karabakh', 'azerbaijan', 'baku']
    """
    # lemmas for ru/uk; elsewhere names match as written (an English stem would make
    # "francs" France), with '*' prefixes for agglutinative suffixes
    matcher = cached_matcher("gazetteer", language, language in MORPH_LANGUAGES,
                             partial(_gazetteer_entries, language))
    return [(label[0], label[1], mention, start, end) for label, mention, start, end in matcher.find(text)]


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
    positions = []
    for position, ((_, row), language) in enumerate(zip(corpus_or_segments.iterrows(), languages)):
        text = row["text"] if isinstance(row["text"], str) else ""
        for entry_id, entry_kind, mention, start, end in find_mentions(text, language):
            if kind is not None and entry_kind != kind:
                continue
            rows.append([row["doc_id"], row["segment_id"] if has_segments else pd.NA, entry_id, entry_kind,
                         mention, start, end])
            positions.append(position)
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out = out.astype({"doc_id": "string", "segment_id": "Int64", "actor": "category", "kind": "category",
                      "mention": "string", "start": "int64", "end": "int64"})
    # carry the unit's columns by position, keeping their dtypes (an all-missing date stays UTC)
    meta = corpus_or_segments[carried].iloc[positions].reset_index(drop=True)
    return pd.concat([out, meta], axis=1)


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


def mentioning(corpus_or_segments: pd.DataFrame, actor_ids, *, unit: str = "sentence") -> pd.DataFrame:
    """Units that mention exactly one of ``actor_ids``, with that id in a ``context`` column.

    Useful to compare the words used around two actors, e.g.
    ``keyness(mentioning(corpus, ["azerbaijan", "armenia"]), by="context", target="azerbaijan")``.
    """
    from .units import segment

    units = corpus_or_segments if "segment_id" in corpus_or_segments else segment(corpus_or_segments, unit)
    wanted = list(actor_ids)
    hits = actors(units)
    hits = hits[hits["actor"].astype(str).isin(wanted)]
    per_unit = hits.groupby(["doc_id", "segment_id"], observed=True)["actor"].agg(lambda a: set(map(str, a)))
    single = per_unit[per_unit.map(len) == 1].map(lambda s: next(iter(s))).rename("context").reset_index()
    return units.merge(single, on=["doc_id", "segment_id"], how="inner")
