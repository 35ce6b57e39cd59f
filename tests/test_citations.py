"""Tests for toolkit.citations: outlets an article says it re-reports.

All sentences are INVENTED for these tests.
"""
from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("text", [
    "Reuters reported that the talks failed.", "Без ссылок на источники.", "Politico, пишет газета.",
    "Reuters\treports", "A Reuters reporter said nothing.", "AP сообщает.", "Reuterssaid",
])
def test_cue_test_never_hides_a_name_first_match(text):
    # the quick test may only skip texts where the full pattern finds nothing
    if citations._name_first_pattern().search(text):
        assert citations._cue_after_space().search(text)
