"""Actor and place mentions: the gazetteer (``lexicons/gazetteer.csv``) matched in texts.

Reads a corpus or segments DataFrame, returns one row per mention (``doc_id``, ``segment_id``,
``actor``, ``kind``, ``mention``, ``start``, ``end``). Inflected forms are found through lemmas
(ru/uk), explicit surface forms in the gazetteer (for the lemmatiser's blind spots, e.g.
Ukrainian ``Карабасі``), and ``*`` prefixes (agglutinative az/hy/tr suffixes: ``Qarabağ*``);
Arabic, Persian, Chinese, Japanese, French and Italian texts are matched with the matcher's script
rules (letter folding and proclitics, one word per character, elided articles: ``l'Iran``; the
``script_rules`` column of ``toolkit/data/languages.csv``).
"""
from __future__ import annotations

import pandas as pd

from .matching import MASK, TermMatcher, cached_matcher
from .resources import load_resource, with_resources
from .languages import profile
from .units import carry, make_units

MENTION_COLUMNS = ["doc_id", "segment_id", "language", "actor", "kind", "mention", "start", "end"]

#: values of the gazetteer's optional ``case`` column: any case, or each capitalised word capitalised in the text
CASES = ("", "capital")


def gazetteer(source=None) -> pd.DataFrame:
    """The actor/place gazetteer: one row per name (``id``, ``kind``, ``lang``, ``name``, and ``case``:
    empty or ``capital``). ``kind`` is ``actor``, ``place`` or ``mask`` (a phrase that contains a name
    but names something else, never reported: :data:`toolkit.matching.MASK`).

    ``source``: None for the packaged ``lexicons/gazetteer.csv``, or a user's file / Resource.
    """
    return load_resource("gazetteer", source).table()


def _gazetteer_entries(table: pd.DataFrame, language: str):
    """Names written for texts in ``language`` (all names for a language the gazetteer lacks), as
    :class:`toolkit.matching.TermMatcher` entries ``(name, (id, kind) or MASK, capital)``."""
    if language in set(table["lang"]):
        table = table[table["lang"] == language]
    case = table["case"].fillna("") if "case" in table else pd.Series("", index=table.index)
    unknown = sorted(set(case) - set(CASES))
    if unknown:
        raise ValueError(f"gazetteer column 'case' must be empty or 'capital', not {unknown[0]!r}")
    return [(name, MASK if kind == "mask" else (entry_id, kind), capital == "capital")
            for entry_id, kind, name, capital in zip(table["id"], table["kind"], table["name"], case)]


def find_mentions(text: str, language: str, gazetteer=None) -> list[tuple[str, str, str, int, int]]:
    """Mentions in one text: ``(actor_id, kind, mention, start, end)``; where names overlap
    the longest wins (``власти Нагорного Карабаха`` is the authorities, not the region), and a
    name inside a mask is not a mention (Arabic ``روسيا البيضاء`` is Belarus, not Russia).

    ``gazetteer``: None (the packaged one), a file path or a :class:`toolkit.resources.Resource`.

    Examples
    --------
    >>> [m[0] for m in find_mentions("Переговоры о Нагорном Карабахе в Баку", "ru")]
    ['nagorno_karabakh', 'azerbaijan', 'baku']
    """
    # lemmas for pymorphy3 languages; elsewhere names match as written (an English stem would
    # make "francs" France), with '*' prefixes for agglutinative suffixes
    matcher = _matcher(load_resource("gazetteer", gazetteer), language)
    return [(label[0], label[1], mention, start, end) for label, mention, start, end in matcher.find(text)]


def _matcher(resource, language: str) -> TermMatcher:
    """The gazetteer's matcher for ``language``, built once per gazetteer content (SHA-256)."""
    return cached_matcher(resource, language, profile(language).morphology == "pymorphy3", _gazetteer_entries,
                          script_rules=profile(language).script_rules)   # languages.csv


def actors(corpus_or_units: pd.DataFrame, *, kind: str | None = None, unit: str | None = None,
           gazetteer=None) -> pd.DataFrame:
    """Every mention of a gazetteer actor or place.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` / :func:`toolkit.segment`
        (used as they are).
    kind : ``"actor"`` or ``"place"`` to keep one kind only.
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    gazetteer : None for the packaged gazetteer, or a user's file (columns ``id, kind, lang,
        name``) or :class:`toolkit.resources.Resource`.

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (0 for whole articles), ``language``, ``actor``
    (the gazetteer id), ``kind``, ``mention`` (surface form as written), ``start``/``end``
    (character offsets in the unit's ``text``), then the metadata columns
    (:data:`toolkit.schema.META_COLUMNS`) the input has. ``attrs["resources"]`` names the gazetteer.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["uk"], "text": ["Бої в Нагірному Карабасі"]})
    >>> actors(df)[["actor", "mention"]].values.tolist()
    [['nagorno_karabakh', 'Нагірному Карабасі']]
    """
    if kind not in (None, "actor", "place"):
        raise ValueError(f"kind must be 'actor', 'place' or None, not {kind!r}")
    resource = load_resource("gazetteer", gazetteer)
    frame = make_units(corpus_or_units, unit)
    rows, positions = [], []
    for position, (text, language) in enumerate(zip(frame["text"].fillna(""), frame["language"].astype(str))):
        for entry_id, entry_kind, mention, start, end in find_mentions(text, language, resource):
            if kind is None or entry_kind == kind:
                rows.append((entry_id, entry_kind, mention, start, end))
                positions.append(position)
    values = pd.DataFrame(rows, columns=MENTION_COLUMNS[3:]).astype(
        {"actor": "category", "kind": "category", "mention": "string", "start": "int64", "end": "int64"})
    return with_resources(carry(frame, values, positions), resource)


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
    units = make_units(corpus_or_segments, None if "segment_id" in corpus_or_segments else unit)
    wanted = list(actor_ids)
    hits = actors(units)
    keys = ["doc_id", "segment_id"]
    found = hits[keys].assign(context=hits["actor"].astype(str))
    # each unit's distinct wanted actors (one row each); a unit with exactly one row mentions one
    found = found[found["context"].isin(wanted)].drop_duplicates()
    single = found[found.groupby(keys)["context"].transform("size") == 1]
    single = single.sort_values(keys, kind="stable").reset_index(drop=True)
    return units.merge(single, on=keys, how="inner")
