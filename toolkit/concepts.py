"""Concept layer: words of every language mapped to shared, language-neutral concept ids.

Reads a corpus or segments DataFrame (``text``, ``language``), returns how often each concept
occurs in each unit. Concepts are the event vocabulary of ``lexicons/concepts.csv`` (ceasefire,
blockade, offensive, displacement, dissolution, arrest, peace treaty, border delimitation, ...)
plus the actors and places of ``lexicons/gazetteer.csv``; both are data files a scholar edits.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .languages import profile
from .matching import TermMatcher
from .mentions import _gazetteer_entries
from .parallel import forked_map
from .resources import Resource, load_resource, with_resources

CONCEPT_COLUMNS = ["concept", "kind", "lang", "term"]


def concept_resources(lexicon=None, gazetteer=None) -> tuple[Resource, Resource]:
    """The concept lexicon and the gazetteer as :class:`toolkit.resources.Resource` objects
    (None: the packaged ``lexicons/concepts.csv`` / ``lexicons/gazetteer.csv``; else a user's
    file of the same layout or a Resource)."""
    return load_resource("concepts", lexicon), load_resource("gazetteer", gazetteer)


def concept_lexicon(lexicon=None) -> pd.DataFrame:
    """The concept lexicon: one row per term (``concept``, ``kind``, ``lang``, ``term``).

    ``lexicon`` is a CSV path of the same layout (or a Resource); None is the packaged
    ``lexicons/concepts.csv``. ``attrs["resources"]`` records its name, version and SHA-256.

    >>> table = concept_lexicon()
    >>> sorted(table.loc[table["concept"] == "ceasefire", "lang"].unique())[:3]
    ['ar', 'az', 'de']
    """
    resource = load_resource("concepts", lexicon)
    table = resource.table()
    empty = table[(table[CONCEPT_COLUMNS] == "").any(axis=1)]
    if len(empty):
        raise ValueError(f"{resource.path or resource.name}: {len(empty)} rows with an empty field, "
                         f"first at data row {empty.index[0] + 1}")
    table.attrs["resources"] = [resource.to_dict()]
    return table


_MATCHERS: dict[tuple, TermMatcher] = {}


def _matcher(concepts: Resource, gazetteer: Resource, language: str) -> TermMatcher:
    """One matcher per (concept lexicon, gazetteer, language), keyed by the files' SHA-256."""
    key = (concepts.sha256, gazetteer.sha256, language)
    if key not in _MATCHERS:
        table = concept_lexicon(concepts)
        own = table if language not in set(table["lang"]) else table[table["lang"] == language]
        entries = [(term, (concept, kind)) for concept, kind, term in own[["concept", "kind", "term"]].itertuples(index=False)]
        names = gazetteer.table()
        named = _gazetteer_entries(names, language)
        if language not in set(names["lang"]):
            # names of other languages, matched as written: short ones are words here (en "UN" is fr "un")
            named = [entry for entry in named if len(entry[0].rstrip("*")) >= 4]
        _MATCHERS[key] = TermMatcher(entries + named, language,
                                     use_lemmas=profile(language).morphology == "pymorphy3",
                                     script_rules=profile(language).script_rules)
    return _MATCHERS[key]


def find_concepts(text: str, language: str, lexicon=None, gazetteer=None) -> list[tuple[str, str, str, int, int]]:
    """Concepts in one text: ``(concept, kind, mention, start, end)`` in text order.

    A word carrying two concepts (German *Friedensvertrag*: ``peace`` and ``peace_treaty``)
    gives both; an actor name from the gazetteer gives its gazetteer id.

    >>> [c[0] for c in find_concepts("Le cessez-le-feu au Haut-Karabakh", "fr")]
    ['ceasefire', 'nagorno_karabakh']
    """
    matcher = _matcher(*concept_resources(lexicon, gazetteer), language)
    return [(label[0], label[1], mention, start, end)
            for label, mention, start, end in matcher.find(text, overlap="per_label")]


#: concept ids found per (lexicon, gazetteer, language, text): select_k and fit_topics on the same
#: articles (as notebook 02 calls them) match each text once
_FOUND: dict[tuple, tuple] = {}


#: texts matched per task of the forked processes of :func:`concept_matrix`
MATCH_CHUNK = 2000
#: the data of the running :func:`concept_matrix` (resources, texts and languages to match), inherited by its workers
_TO_MATCH: tuple | None = None


def _match_chunk(bounds: tuple[int, int]) -> list[tuple]:
    """The concept ids of the texts ``start:stop`` of the running :func:`concept_matrix`."""
    concepts, names, texts, languages = _TO_MATCH
    return [tuple(label[0] for label, *_ in _matcher(concepts, names, language).find(text, overlap="per_label"))
            for text, language in zip(texts[bounds[0]:bounds[1]], languages[bounds[0]:bounds[1]])]


def concept_matrix(texts, languages, lexicon=None, gazetteer=None, n_jobs: int = 1) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of every concept in every text: a sparse ``(n_texts, n_concepts)`` matrix and
    the concept ids of its columns (every id of the lexicon and the gazetteer, sorted).
    Texts not matched before are matched in ``n_jobs`` forked processes, in chunks of
    ``MATCH_CHUNK`` (the same counts with any ``n_jobs``)."""
    global _TO_MATCH
    concepts, names = concept_resources(lexicon, gazetteer)
    if len(_FOUND) > 200_000:
        _FOUND.clear()
    keys = [(concepts.sha256, names.sha256, str(language), text if isinstance(text, str) else "")
            for text, language in zip(texts, languages)]
    todo = list({key: None for key in keys if key not in _FOUND})  # new texts, each once, in order
    for language in sorted({key[2] for key in todo}):
        _matcher(concepts, names, language)  # built here, inherited by the workers
    _TO_MATCH = (concepts, names, [key[3] for key in todo], [key[2] for key in todo])
    try:
        chunks = [(start, min(start + MATCH_CHUNK, len(todo))) for start in range(0, len(todo), MATCH_CHUNK)]
        for (start, _), matched in zip(chunks, forked_map(_match_chunk, chunks, n_jobs)):
            _FOUND.update(zip(todo[start:start + len(matched)], matched))
    finally:
        _TO_MATCH = None
    found = [_FOUND[key] for key in keys]
    names = sorted(set(read_ids(concepts, names)) | {c for row in found for c in row})
    column = {name: j for j, name in enumerate(names)}
    rows = np.repeat(np.arange(len(found)), [len(r) for r in found])
    cols = np.fromiter((column[c] for r in found for c in r), dtype=np.int64, count=len(rows))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(found), len(names)))
    matrix.sum_duplicates()
    return matrix, names


def read_ids(lexicon=None, gazetteer=None) -> list[str]:
    """Every concept id of the lexicon and the gazetteer (its actors and places, not its masks), sorted."""
    concepts, names = concept_resources(lexicon, gazetteer)
    table = names.table()
    return sorted(set(concepts.table()["concept"]) | set(table.loc[table["kind"] != "mask", "id"]))


def concept_counts(corpus_or_units: pd.DataFrame, *, unit: str | None = None, lexicon=None,
                   gazetteer=None) -> pd.DataFrame:
    """How often each concept occurs in each unit (long table).

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    lexicon : path of a concept CSV (``concept,kind,lang,term``) or Resource; None: the packaged one.
    gazetteer : path of a gazetteer CSV or Resource; None: the packaged one.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``concept``, ``n_mentions`` (occurrences
    of the concept in the unit; 0.1: ``count``), then the metadata columns
    (:data:`toolkit.schema.META_COLUMNS`); only concepts found, in unit order then by concept.
    ``attrs["resources"]`` names the lexicon and gazetteer used.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["de"], "text": ["Waffenruhe in Bergkarabach, Waffenruhe!"]})
    >>> concept_counts(df)[["concept", "n_mentions"]].values.tolist()
    [['ceasefire', 2], ['nagorno_karabakh', 1]]
    """
    from .units import carry, make_units

    frame = make_units(corpus_or_units, unit)
    resources = concept_resources(lexicon, gazetteer)
    matrix, names = concept_matrix(frame["text"], frame["language"].astype(str), *resources)
    coo = matrix.tocoo()
    found = pd.DataFrame({"row": coo.row, "concept": pd.array(np.asarray(names, dtype=object)[coo.col], dtype="string"),
                          "n_mentions": coo.data.astype("int64")})
    found = found.sort_values(["row", "concept"], kind="stable").reset_index(drop=True)
    out = carry(frame, found[["concept", "n_mentions"]], found["row"])
    return with_resources(out, *resources)
