"""Tests for toolkit.languages: the per-language profile table and the language rule.

All texts are INVENTED for these tests.
"""
from __future__ import annotations

import io

import pandas as pd
import pytest

from toolkit import morphology, tone
from toolkit.language import _detector
from toolkit.languages import codes, coverage, profile, profiles, resolve_languages
from toolkit.units import segment


def test_profile_rows():
    assert (profile("ru").morphology, profile("ru").sentiment, profile("ru").stopwords) == ("pymorphy3", "lexicon",
                                                                                          "ru.txt")
    assert (profile("en").morphology, profile("en").stemmer, profile("en").sentiment) == ("snowball", "english",
                                                                                         "vader")
    assert profile("az").morphology == "surface" and profile("az").sentiment == "none"
    assert profile("hy").sentence_ends == "։"


def test_old_constants_come_from_the_table():
    assert morphology.MORPH_LANGUAGES == codes(morphology="pymorphy3") == ("ru", "uk")
    assert morphology.STEM_LANGUAGES["en"] == "english" and morphology.STEM_LANGUAGES["fr"] == "french"
    # Snowball's Armenian, Turkish, Arabic and Persian stemmers overstem (languages.csv): not used
    assert not {"hy", "tr", "ar", "fa", "ru", "az"} & set(morphology.STEM_LANGUAGES)
    assert morphology.APOSTROPHE_RULES == {"fr": "elision", "it": "elision", "ca": "elision", "tr": "suffix",
                                           "az": "suffix"}
    # simplemma dictionary lemmas where no stemmer is set; Croatian reads Serbo-Croatian's; Arabic,
    # Lithuanian, Indonesian and Azerbaijani (no dictionary) get none (languages.csv says why)
    assert morphology.LEMMA_DICTIONARIES["hy"] == "hy" and morphology.LEMMA_DICTIONARIES["hr"] == "hbs"
    assert {"hy", "ka", "tr", "bg"} <= set(morphology.LEMMA_DICTIONARIES)
    assert not {"ar", "lt", "id", "he", "fa", "ru", "en"} & set(morphology.LEMMA_DICTIONARIES)
    # Azerbaijani reads Turkish's dictionary through a letter map
    assert morphology.LEMMA_DICTIONARIES["az"] == "tr" and "ə".translate(morphology.LEMMA_LETTERS["az"]) == "e"
    assert not set(morphology.LEMMA_DICTIONARIES) & set(morphology.STEM_LANGUAGES)
    assert tone.LEXICON_LANGUAGES == ("ru", "uk")
    # targeted tone's languages too (issue 10: one profile table instead of scattered constants)
    from toolkit import targeted

    assert targeted.MODEL_LANGUAGES == codes(targeted="model") == ("ru",)
    assert targeted.LEXICON_LANGUAGES == codes(targeted=("model", "lexicon")) == ("ru", "uk", "en")
    assert profile("az").targeted == "none" and profile("xx").targeted == "none"


def test_detection_candidates_are_the_detect_column(monkeypatch):
    import lingua

    seen = []
    monkeypatch.setattr(lingua.LanguageDetectorBuilder, "from_iso_codes_639_1",
                        classmethod(lambda cls, *iso: seen.extend(iso) or cls.from_all_languages()))
    _detector.cache_clear()
    try:
        _detector()
    finally:
        _detector.cache_clear()
    assert {code.name.lower() for code in seen} == set(codes(detect=True))
    assert len(codes(detect=True)) >= 30


def test_coverage_is_read_from_the_dictionaries():
    assert {"ru", "uk", "en", "az", "hy"} <= coverage()["frames"]
    assert "ka" not in coverage()["frames"]
    assert "frames" in profile("az").lexicons and "source_cues" not in profile("az").lexicons
    table = profiles().set_index("code")
    assert "naming" in table.loc["hy", "lexicons"].split()


def test_unknown_language_gets_a_surface_profile_with_every_sentence_end():
    unknown = profile("xx")
    assert unknown.morphology == "surface" and unknown.sentiment == "none" and unknown.stopwords is None
    assert "։" in unknown.sentence_ends and "。" in unknown.sentence_ends


def test_sentence_ends_follow_the_language():
    # the Armenian full stop splits Armenian text; the same character in a Russian row does not
    text = "Առաջին նախադասություն։ Երկրորդ նախադասություն։"  # invented
    hy = segment(pd.DataFrame({"doc_id": ["a"], "language": ["hy"], "text": [text]}), "sentence")
    ru = segment(pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": [text]}), "sentence")
    assert len(hy) == 2 and len(ru) == 1


# ------------------------------------------------------------------ the language rule

def test_rule_uses_the_column():
    frame = pd.DataFrame({"text": ["Бои в Карабахе продолжаются уже неделю."], "language": ["uk"]})
    assert resolve_languages(frame).tolist() == ["uk"]  # the column wins, even against the text


def test_rule_detects_without_a_column_and_fills_missing_values():
    frame = pd.DataFrame({"doc_id": ["a", "b"],
                          "text": ["Бои в Карабахе продолжаются уже неделю.",
                                   "Fighting in Karabakh has continued for a week."]})
    assert resolve_languages(frame).tolist() == ["ru", "en"]
    partly = frame.assign(language=["uk", None])
    assert resolve_languages(partly).tolist() == ["uk", "en"]


def test_rule_detects_per_article_for_segments():
    # one short sentence alone is hard to tell; the article's sentences together are not
    frame = pd.DataFrame({"doc_id": ["a", "a"], "segment_id": [0, 1],
                          "text": ["Да.", "Переговоры в Баку продолжаются уже неделю без перерыва."]})
    assert resolve_languages(frame).tolist() == ["ru", "ru"]


def test_rule_raises_when_nothing_can_be_told():
    with pytest.raises(ValueError, match="add a 'language' column"):
        resolve_languages(pd.DataFrame({"text": ["12 345", "67"]}))
    with pytest.raises(ValueError, match="'text' column"):
        resolve_languages(pd.DataFrame({"body": ["x"]}))


def test_rule_warns_about_some_undetermined_units():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Бои в Карабахе продолжаются уже неделю.", "12 345"]})
    with pytest.warns(UserWarning, match="1 of 2 units could not be detected"):
        assert resolve_languages(frame).tolist() == ["ru", "und"]


@pytest.mark.parametrize("row,message", [
    ("hy,Armenian,1,surface,,,none,none,0,,,xx,,", "simplemma's dictionaries"),       # no such dictionary
    ("hy,Armenian,1,surface,,,none,none,0,armenian,,hy,,", "no stemmer"),             # both a stemmer and lemmas
    ("hy,Armenian,1,snowball,,,none,none,0,armenian,,hy,,", "morphology surface"),    # dictionaries on lemmas
    ("az,Azerbaijani,1,surface,,,none,none,0,,,tr,ə=e,", "letter>letter"),           # not a letter map
    ("az,Azerbaijani,1,surface,,,none,none,0,,,,ə>e,", "with a lemmas dictionary"),   # a map without a dictionary
])
def test_a_lemmas_column_that_cannot_work_is_refused(monkeypatch, row, message):
    from toolkit import languages

    header = ("code,name,detect,morphology,stopwords,sentence_ends,sentiment,targeted,script_rules,stemmer,"
              "apostrophe,lemmas,lemma_letters,prefixes")
    table = pd.read_csv(io.StringIO(header + "\n" + row), dtype=str, keep_default_na=False)
    monkeypatch.setattr(languages, "read_table", lambda path: table.copy())
    languages._profiles.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            languages._profiles()
    finally:
        monkeypatch.undo()
        languages._profiles.cache_clear()
