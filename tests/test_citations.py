"""Tests for toolkit.citations: outlets an article says it re-reports.

All sentences are INVENTED for these tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit import citations
from toolkit.citations import cited_sources


@pytest.mark.parametrize("text,expected", [
    ("Переговоры продолжатся, Reuters сообщает со ссылкой на дипломатов.", ["Reuters"]),
    ("Talks stalled, Politico,\n  reported on Monday.", ["Politico"]),   # comma and a line break
    ("Об этом сообщает Politico. Reuters пишет о том же.", ["Politico", "Reuters"]),
    ("Reuters and Politico covered the talks.", []),                    # no cue after a name
    ("Reuters сообщаетcя", []),                                         # a cue must end a word
])
def test_cited_sources_name_first(text, expected):
    assert cited_sources(text) == expected


SHARED_CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus" / "dev_corpus.jsonl"


def _whole_text(text):
    # the reference: the name-first pattern run over the whole text, as cited_sources did before
    return [(m.start(), m.end(), m.group("name")) for m in citations._name_first_pattern().finditer(text)]


def _windowed(text):
    return [(m.start(), m.end(), m.group("name")) for m in citations._name_first_matches(text)]


@pytest.mark.parametrize("text", [
    "Reuters reported that the talks failed.", "Без ссылок на источники.", "Politico, пишет газета.",
    "Reuters\treports", "A Reuters reporter said nothing.", "AP сообщает.", "Reuterssaid",
    # a long run of spaces and a comma between name and cue; two cues after one name
    "Politico  ,\n\n     reported it; Reuters reports reported.",
    # overlapping cues and a match that ends inside the next cue's window
    "Reuters according to Reuters reported, Politico writes writes Reuters пишет сообщает",
    # names at the very start and end; a name glued to a word (the lookbehind must see it)
    "BBC reports.xBBC reports BBC", "Reuters Reuters, Reuters reports",
    "Politico" + " " * 200 + ",\n reported",  # a separator longer than any outlet name
])
def test_windowed_name_first_search_agrees_with_the_whole_text_scan(text):
    # all sentences INVENTED for this test
    assert _windowed(text) == _whole_text(text)


def test_windowed_name_first_search_finds_the_longest_names():
    # the window reaches back exactly the longest name's length: the longest names must be found
    for name in citations._name_first_names()[:3]:
        text = f"Talks stalled. {name} ,  reported on Monday."
        assert _windowed(text) == _whole_text(text) != []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Reuters", "Politico", "BBC", "РИА Новости", "reports", "reported",
                                 "пишет", "according to", "сообщает", ",", " ", "  ", "\n", "x", "The",
                                 "Reuters,", "ТАСС", "writes", ".", "по данным"]), max_size=25),
       st.lists(st.sampled_from(["", " ", ",", "\t"]), max_size=25))
def test_windowed_name_first_search_agrees_on_generated_texts(words, gaps):
    text = "".join(w + (gaps[k] if k < len(gaps) else " ") for k, w in enumerate(words))
    assert _windowed(text) == _whole_text(text)


@pytest.mark.skipif(not SHARED_CORPUS.exists(), reason=f"the shared development corpus is absent ({SHARED_CORPUS})")
def test_windowed_name_first_search_agrees_on_the_development_corpus():
    texts = [json.loads(line).get("text") or "" for line in SHARED_CORPUS.open(encoding="utf-8")]
    assert len(texts) > 100
    assert [_windowed(t) for t in texts] == [_whole_text(t) for t in texts]
    assert sum(map(len, map(_whole_text, texts))) > 0  # the corpus does hold name-first citations


def _without_precheck(text, monkeypatch):
    # the reference: cited_sources with every text scanned by both patterns
    with monkeypatch.context() as patched:
        patched.setattr(citations, "_may_cite", lambda text: True)
        return cited_sources(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Reuters", "Politico", "ТАСС", "«Коммерсантъ»", "СООБЩАЕТ", "сообщает", "ПишеТ",
                                 "According To", "REPORTED", "reportS", "по данным", "ПО ДАННЫМ", "Writes", "cItInG",
                                 "quoted by", "За даними", " ", ", ", ". ", "x", "издание"]), max_size=12).map("".join))
@example("СООБЩАЕТ Reuters")  # an upper-case cue: found by the case-insensitive pattern
@example("По Данным ТАСС и Reuters ПишеТ")
def test_texts_without_a_cue_are_skipped_only_when_no_pattern_matches(text):
    # invented word sequences, in several cases (both patterns, one case-insensitive, must agree)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert cited_sources(text) == _without_precheck(text, monkeypatch)


@pytest.mark.skipif(not SHARED_CORPUS.exists(), reason=f"the shared development corpus is absent ({SHARED_CORPUS})")
def test_cue_precheck_changes_nothing_on_the_development_corpus(monkeypatch):
    texts = [json.loads(line).get("text") or "" for line in SHARED_CORPUS.open(encoding="utf-8")]
    skipped = [t for t in texts if not citations._may_cite(t)]
    assert skipped and len(skipped) < len(texts)
    assert [cited_sources(t) for t in texts] == [_without_precheck(t, monkeypatch) for t in texts]
