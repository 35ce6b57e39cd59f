"""Sourcing stage: who an article quotes or re-reports, sentence by sentence.

Reads a corpus DataFrame, returns one row per attributed source (``doc_id``, ``source``,
``kind``, ``verb``, ``sentence``). Cues live in ``lexicons/source_cues.csv`` (nouns that name a
source, with its kind) and ``lexicons/speech_verbs.csv`` (verbs and phrases of attribution);
re-reported outlets come from :func:`toolkit.citations.cited_sources`; named actors from the
gazetteer.
"""
from __future__ import annotations

import re
import pandas as pd

from .citations import cited_sources
from .languages import profile
from .matching import cached_matcher
from .mentions import find_mentions
from .resources import load_resource, with_resources
from .schema import label_missing_groups
from .tokens import WORD
from .units import _sentence_spans, carry, unit_of, make_units

KINDS = ("media", "official", "anonymous", "expert", "other")
SOURCE_COLUMNS = ["doc_id", "segment_id", "language", "source", "kind", "verb", "sentence", "actor"]
_ANONYMOUS_MARKERS = {"анонимный", "анонимного", "анонимным", "неназванный", "неназванного", "anonymous",
                      "unnamed", "анонімний", "анонімного", "неназваний", "senior"}
_PREPOSITIONS = {"на", "в", "во", "к", "с", "по", "о", "об", "против", "для", "из", "от", "за", "между", "у",
                 "до", "і", "та", "й", "проти", "від", "між", "on", "in", "to", "against", "with", "from",
                 "for", "of", "between", "at", "by"}
_BEFORE, _AFTER = 6, 3  # how far (in words) a source may stand before / after the attribution verb
_LOCATIVE = {"в", "во", "у", "in"}
_COMPLEMENTISERS = {"что", "чтобы", "будто", "що", "щоб", "that", "whether"}


def _cue_entries(table: pd.DataFrame, language: str):
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["kind"]))


def _verb_entries(table: pd.DataFrame, language: str):
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["term"]))


def _matchers(language: str, cues=None, verbs=None):
    lemmas = profile(language).morphology == "pymorphy3"
    return (cached_matcher(load_resource("source_cues", cues), language, lemmas, _cue_entries),
            cached_matcher(load_resource("speech_verbs", verbs), language, lemmas, _verb_entries))


def _word_index(text: str):
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    return spans, (lambda offset: next((i for i, (a, b) in enumerate(spans) if a <= offset < b), len(spans)))


def sentence_sources(sentence: str, language: str, *, cues=None, verbs=None,
                     gazetteer=None) -> list[tuple[str, str, str | None, str | None]]:
    """Sources attributed in one sentence: ``(source, kind, verb, actor)``.

    ``cues``, ``verbs``, ``gazetteer``: None for the packaged dictionaries, or a user's file /
    Resource (see :func:`sources`).

    Examples
    --------
    >>> sentence_sources("По словам дипломата, встреча прошла в Стамбуле.", "ru")
    [('дипломата', 'anonymous', 'По словам', None)]
    """
    found: list[tuple[str, str, str | None, str | None]] = []
    for outlet in cited_sources(sentence):
        found.append((outlet, "media", None, None))
    cues, verbs = _matchers(language, cues, verbs)
    verb_hits = verbs.find(sentence)
    if not verb_hits:
        return found
    verb_text = verb_hits[0][1]
    spans, word_at = _word_index(sentence)
    words = [sentence[a:b] for a, b in spans]
    lowered = [w.lower() for w in words]
    verb_words = [(word_at(s), word_at(e - 1)) for _, _, s, e in verb_hits]
    actors_at = [(word_at(start), word_at(end - 1), actor)
                 for actor, kind, _, start, end in find_mentions(sentence, language, gazetteer) if kind == "actor"]

    def inverted(last: int, a: int) -> bool:
        """The verb opens a clause after a comma (", сообщило РБК"): its subject follows it, so a
        word before that comma is not its source. Two commas between them close an inserted phrase
        instead ("Байрамов, отвечая на вопрос, заявил"): the word before is the subject."""
        between = sentence[spans[last][1]:spans[a][0]]
        return between.count(",") == 1 and between.rstrip().endswith(",")

    def attributed(first: int, last: int, institution: bool = False) -> bool:
        """Near a verb, not the object of a preposition, not inside the reported clause."""
        for a, b in verb_words:
            if first == b + 1:
                return True  # "по словам дипломата", "сказал чиновник"
            before = lowered[max(0, first - 2):first]
            ahead = 0 < a - last <= _BEFORE and not inverted(last, a)
            if institution and before[-1:] and before[-1] in _LOCATIVE and ahead:
                return True  # "В Госдепе отказались комментировать", "У МЗС заявили"
            if any(w in _PREPOSITIONS for w in before):
                continue
            if ahead:
                return True
            if 0 < first - b <= _AFTER and not _COMPLEMENTISERS & set(lowered[b + 1:first]):
                return True
        return False

    taken: list[tuple[int, int, int]] = []  # (first word, last word, index in found)
    previous_end = -10
    cited = {f[0].split()[0] for f in found if f[1] == "media" and f[0].split()}
    for kind, mention, start, end in cues.find(sentence):
        first, last = word_at(start), word_at(end - 1)
        adjacent = first - previous_end <= 1
        previous_end = max(previous_end, last)
        if any(a <= first <= b for a, b, _ in taken):
            continue  # inside a source already taken ("пресс-секретарь [президента] Дмитрий Песков")
        if kind == "media" and (adjacent or any(mention in f[0] for f in found)):
            continue  # "собеседник издания": the outlet is the quoted person's, not a source
        if kind == "media" and last + 1 < len(words) and words[last + 1] in cited:
            continue  # "агентство Azertag": the outlet, already found, named with its kind
        if not attributed(first, last, institution=kind == "official") and not (adjacent and taken):
            continue
        source, end_word, actor = mention, last, None
        if kind == "person_unnamed":
            before = set(lowered[max(0, first - 2):first])
            # a name belongs to the noun only before the verb ("Чиновник рассказал Politico": no name)
            stop = min([a for a, b in verb_words if a > last] + [len(words), last + 4])
            outlets = {w for f in found if f[1] == "media" for w in f[0].split()}
            near = [(a, b, who) for a, b, who in actors_at if last < a < stop]
            named = max(near, key=lambda m: m[1]) if near else None  # the full title + name run
            name_at = next((j for j in range(last + 1, stop) if words[j][:1].isupper() and words[j] not in outlets), None)
            if before & _ANONYMOUS_MARKERS:
                kind = "anonymous"
            elif named is not None:  # "Президент Европейского совета Шарль Мишель"
                source = sentence[spans[first][0]:spans[named[1]][1]]
                kind, end_word, actor = "official", named[1], named[2]
            elif name_at is not None:
                run_end = name_at
                while run_end + 1 < stop and run_end + 1 <= name_at + 3 and words[run_end + 1][:1].isupper():
                    run_end += 1
                source = sentence[spans[first][0]:spans[run_end][1]]
                kind, end_word = "official", run_end
            else:
                kind = "anonymous"
        if adjacent and taken and taken[-1][1] == first - 1:
            continue  # a second noun of the same source ("анонимный собеседник издания")
        taken.append((first, end_word, len(found)))
        found.append((source, kind, verb_text, actor))
    for first, last, actor in actors_at:
        at = next((k for k, (a, b, _) in enumerate(taken) if a <= first <= b + 1 or a - 1 <= last <= b), None)
        if at is not None:  # the cue already names this source ("Госдепе США"): note the actor
            a, b, owner = taken[at]
            source, kind, verb, known = found[owner]
            if last > b:  # the name runs on past it ("Армении Никол Пашинян"): the source does too
                source = sentence[spans[a][0]:spans[last][1]]
                taken[at] = (a, last, owner)
                known = actor if known is None or first > b else known
            found[owner] = (source, kind, verb, known or actor)
            continue
        mention = sentence[spans[first][0]:spans[last][1]]
        if not mention[:1].isupper():
            continue
        if attributed(first, last):
            taken.append((first, last, len(found)))
            found.append((mention, "official", verb_text, actor))
    return found


def sources(corpus_or_units: pd.DataFrame, *, unit: str | None = None, cues=None, verbs=None,
            gazetteer=None) -> pd.DataFrame:
    """Who each unit quotes or re-reports.

    Attribution is decided sentence by sentence; with paragraph or article units each unit's
    sentences are examined and the sources keyed by the unit.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : ``"sentence"`` (default for a corpus), ``"paragraph"`` or ``"article"``.
    cues, verbs, gazetteer : None for the packaged ``lexicons/source_cues.csv`` (``lang, term,
        kind``), ``lexicons/speech_verbs.csv`` (``lang, term``) and gazetteer, or a user's file.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``source`` (as written: ``Politico``,
    ``дипломата``, ``Госдепе``), ``kind`` (media, official, anonymous, expert, other), ``verb``
    (the attribution cue of the sentence), ``sentence``, ``actor`` (gazetteer id when the source
    is a known actor), then the metadata columns (:data:`toolkit.schema.META_COLUMNS`).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Об этом сообщает Politico."]})
    >>> sources(df)[["segment_id", "source", "kind"]].values.tolist()
    [[0, 'Politico', 'media']]
    """
    resources = [load_resource("source_cues", cues), load_resource("speech_verbs", verbs),
                 load_resource("gazetteer", gazetteer), load_resource("citation_cues")]
    frame = make_units(corpus_or_units, unit if unit is not None or "segment_id" in corpus_or_units else "sentence")
    split = unit_of(frame) != "sentence"
    rows, positions = [], []
    for position, (text, language) in enumerate(zip(frame["text"].fillna(""), frame["language"].astype(str))):
        pieces = [text[a:b] for a, b in _sentence_spans(text, language)] if split else [text]
        for sentence in pieces:
            for source, kind, verb, actor in sentence_sources(sentence, language, cues=resources[0],
                                                              verbs=resources[1], gazetteer=resources[2]):
                rows.append((source, kind, verb, sentence, actor))
                positions.append(position)
    values = pd.DataFrame(rows, columns=SOURCE_COLUMNS[3:])
    values["kind"] = values["kind"].astype(pd.CategoricalDtype(KINDS))
    return with_resources(carry(frame, values, positions), *resources)


def source_profile(source_table: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Share of each source kind per group (wide: rows ``by`` values, columns the kinds; rows sum
    to 1), with the number of attributed sources in ``n_sources``; sources of articles without a
    ``by`` value form the group ``"unknown"`` (:data:`toolkit.schema.MISSING_GROUP`), so that ``n_sources`` sums to every source."""
    groups = label_missing_groups(source_table[[by]], [by])[by].astype(object)   # not dropped: counted
    counts = pd.crosstab(groups, source_table["kind"]).reindex(columns=list(KINDS), fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    shares["n_sources"] = counts.sum(axis=1)
    shares.columns.name = None
    return shares
