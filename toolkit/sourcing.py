"""Sourcing stage: who an article quotes or re-reports, sentence by sentence.

Reads a corpus DataFrame, returns one row per attributed source (``doc_id``, ``source``,
``kind``, ``verb``, ``sentence``). Cues live in ``lexicons/source_cues.csv`` (nouns that name a
source, with its kind) and ``lexicons/speech_verbs.csv`` (verbs and phrases of attribution);
re-reported outlets come from :func:`toolkit.citations.cited_sources`; named actors from the
gazetteer.
"""
from __future__ import annotations

import re
from functools import partial

import pandas as pd

from ._data import read_table
from .mentions import find_mentions
from .citations import cited_sources
from .matching import cached_matcher
from .morphology import MORPH_LANGUAGES
from .units import segment
from .tokens import WORD

KINDS = ("media", "official", "anonymous", "expert", "other")
SOURCE_COLUMNS = ["doc_id", "source", "kind", "verb", "sentence", "actor"]
_ANONYMOUS_MARKERS = {"анонимный", "анонимного", "анонимным", "неназванный", "неназванного", "anonymous",
                      "unnamed", "анонімний", "анонімного", "неназваний", "senior"}
_PREPOSITIONS = {"на", "в", "во", "к", "с", "по", "о", "об", "против", "для", "из", "от", "за", "между", "у",
                 "до", "і", "та", "й", "проти", "від", "між", "on", "in", "to", "against", "with", "from",
                 "for", "of", "between", "at", "by"}
_BEFORE, _AFTER = 6, 3  # how far (in words) a source may stand before / after the attribution verb
_LOCATIVE = {"в", "во", "у", "in"}
_COMPLEMENTISERS = {"что", "чтобы", "будто", "що", "щоб", "that", "whether"}


def _entries(path: str, language: str, with_kind: bool):
    table = read_table(path)
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["kind"] if with_kind else part["term"]))


def _matchers(language: str):
    lemmas = language in MORPH_LANGUAGES
    cues = cached_matcher("source_cues", language, lemmas,
                          partial(_entries, "lexicons/source_cues.csv", language, True))
    verbs = cached_matcher("speech_verbs", language, lemmas,
                           partial(_entries, "lexicons/speech_verbs.csv", language, False))
    return cues, verbs


def _word_index(text: str):
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    return spans, (lambda offset: next((i for i, (a, b) in enumerate(spans) if a <= offset < b), len(spans)))


def sentence_sources(sentence: str, language: str) -> list[tuple[str, str, str | None, str | None]]:
    """Sources attributed in one sentence: ``(source, kind, verb, actor)``.

    Examples
    --------
    >>> sentence_sources("По словам дипломата, встреча прошла в Стамбуле.", "ru")
    [('дипломата', 'anonymous', 'По словам', None)]
    """
    found: list[tuple[str, str, str | None, str | None]] = []
    for outlet in cited_sources(sentence):
        found.append((outlet, "media", None, None))
    cues, verbs = _matchers(language)
    verb_hits = verbs.find(sentence)
    if not verb_hits:
        return found
    verb_text = verb_hits[0][1]
    spans, word_at = _word_index(sentence)
    words = [sentence[a:b] for a, b in spans]
    lowered = [w.lower() for w in words]
    verb_words = [(word_at(s), word_at(e - 1)) for _, _, s, e in verb_hits]
    actors_at = [(word_at(start), word_at(end - 1), actor)
                 for actor, kind, _, start, end in find_mentions(sentence, language) if kind == "actor"]

    def attributed(first: int, last: int, institution: bool = False) -> bool:
        """Near a verb, not the object of a preposition, not inside the reported clause."""
        for a, b in verb_words:
            if first == b + 1:
                return True  # "по словам дипломата", "сказал чиновник"
            before = lowered[max(0, first - 2):first]
            if institution and before[-1:] and before[-1] in _LOCATIVE and 0 < a - last <= _BEFORE:
                return True  # "В Госдепе отказались комментировать", "У МЗС заявили"
            if any(w in _PREPOSITIONS for w in before):
                continue
            if 0 < a - last <= _BEFORE:
                return True
            if 0 < first - b <= _AFTER and not _COMPLEMENTISERS & set(lowered[b + 1:first]):
                return True
        return False

    taken: list[tuple[int, int, int]] = []  # (first word, last word, index in found)
    previous_end = -10
    for kind, mention, start, end in cues.find(sentence):
        first, last = word_at(start), word_at(end - 1)
        adjacent = first - previous_end <= 1
        previous_end = last
        if kind == "media" and (adjacent or any(mention in f[0] for f in found)):
            continue  # "собеседник издания": the outlet is the quoted person's, not a source
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
        owner = next((i for a, b, i in taken if a <= first <= b + 1 or a - 1 <= last <= b), None)
        if owner is not None:  # the cue already names this source ("Госдепе США"): note the actor
            source, kind, verb, known = found[owner]
            found[owner] = (source, kind, verb, known or actor)
            continue
        mention = sentence[spans[first][0]:spans[last][1]]
        if not mention[:1].isupper():
            continue
        if attributed(first, last):
            taken.append((first, last, len(found)))
            found.append((mention, "official", verb_text, actor))
    return found


def sources(corpus: pd.DataFrame) -> pd.DataFrame:
    """Who each article quotes or re-reports.

    Returns
    -------
    DataFrame ``doc_id``, ``source`` (as written: ``Politico``, ``дипломата``, ``Госдепе``),
    ``kind`` (media, official, anonymous, expert, other), ``verb`` (the attribution cue of
    the sentence), ``sentence``, ``actor`` (gazetteer id when the source is a known actor),
    plus ``outlet`` and ``outlet_country`` when present.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Об этом сообщает Politico."]})
    >>> sources(df)[["source", "kind"]].values.tolist()
    [['Politico', 'media']]
    """
    sentences = segment(corpus, "sentence")
    languages = sentences["language"].astype("string").fillna("und") if "language" in sentences \
        else pd.Series("und", index=sentences.index)
    rows = []
    for doc_id, text, language in zip(sentences["doc_id"], sentences["text"], languages):
        for source, kind, verb, actor in sentence_sources(str(text), language):
            rows.append((doc_id, source, kind, verb, str(text), actor))
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    out["kind"] = out["kind"].astype(pd.CategoricalDtype(KINDS))
    for col in ("outlet", "outlet_country"):
        if col in corpus:
            out[col] = out["doc_id"].map(corpus.drop_duplicates("doc_id").set_index("doc_id")[col])
    return out


def source_profile(source_table: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Share of each source kind per group (wide: rows ``by`` values, columns the kinds; rows sum
    to 1), with the number of attributed sources in ``n``."""
    counts = pd.crosstab(source_table[by], source_table["kind"]).reindex(columns=list(KINDS), fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    shares["n"] = counts.sum(axis=1)
    shares.columns.name = None
    return shares
