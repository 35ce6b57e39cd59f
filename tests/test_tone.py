"""Tests for toolkit.sentiment: lexicon scoring with negation (ru/uk), VADER (en), actor tone.

All sentences below are INVENTED for these tests (no corpus text); the lexicon files written to
tmp_path are invented too.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit._data import read_table
from toolkit.tone import (NEGATION_SCALAR, SENTIMENT_COLUMNS, actor_sentiment, lexicon, load_lexicon,
                               score_text, sentiment, tone_by, use_lexicon)


@pytest.fixture
def restore_lexicons():
    """Put the packaged lexicons back whatever a test swapped in."""
    yield
    use_lexicon("ru", None)
    use_lexicon("uk", None)


def one_frame(text, language, doc_id="a"):
    return pd.DataFrame({"doc_id": [doc_id], "language": [language], "text": [text]})


# ------------------------------------------------------------------ Russian and Ukrainian lexicons

def test_russian_negative_word():
    value = lexicon("ru")["катастрофа"]
    assert value < 0
    result = score_text("Это катастрофа.", "ru")  # invented
    assert result["score"] < 0
    assert result["n_matched"] >= 1
    assert result["negative"] == pytest.approx(-value) and result["positive"] == 0


@pytest.mark.parametrize("language, plain_text, negated_text", [
    ("ru", "Это катастрофа.", "Это не катастрофа."),   # invented
    ("uk", "Це катастрофа.", "Це не катастрофа."),     # invented
])
def test_negation_flips_sign(language, plain_text, negated_text):
    value = lexicon(language)["катастрофа"]
    plain = score_text(plain_text, language)
    negated = score_text(negated_text, language)
    assert plain["score"] < 0 < negated["score"]
    assert plain["n_matched"] == negated["n_matched"] == 1
    assert plain["negative"] == pytest.approx(-value)
    # -0.8 x -0.74 = +0.592 goes to the positive sum
    assert negated["positive"] == pytest.approx(value * NEGATION_SCALAR)
    assert negated["negative"] == 0
    assert NEGATION_SCALAR == -0.74


def test_russian_negation_of_a_positive_word():
    value = lexicon("ru")["помощь"]
    assert value > 0
    plain = score_text("Это помощь.", "ru")         # invented
    negated = score_text("Это не помощь.", "ru")    # invented
    assert plain["score"] > 0 > negated["score"]
    assert negated["negative"] == pytest.approx(-value * NEGATION_SCALAR)
    assert negated["positive"] == 0


def test_russian_negation_window_is_two_words():
    value = lexicon("ru")["катастрофа"]
    # invented: "катастрофа" is the 2nd word after "не" -> negated; the 3rd -> not negated
    within = score_text("Это не была катастрофа.", "ru")
    beyond = score_text("Это не была большая катастрофа.", "ru")
    assert within["positive"] == pytest.approx(value * NEGATION_SCALAR)
    assert "большой" not in lexicon("ru") and "быть" not in lexicon("ru")
    assert beyond["negative"] == pytest.approx(-value) and beyond["positive"] == 0


def test_inflected_forms_are_lemmatised():
    # invented: genitive and plural forms find the lemma of the lexicon
    assert score_text("Они избежали катастрофы.", "ru")["n_matched"] >= 1
    assert score_text("Вони уникнули катастрофи.", "uk")["n_matched"] >= 1


@pytest.mark.parametrize("text, language", [
    ("Xankəndidə böyük faciə baş verdi.", "az"),   # invented
    ("Ստեփանակերտում մեծ ողբերգություն է։", "hy"),  # invented
])
def test_languages_without_lexicon_get_no_score(text, language):
    result = score_text(text, language)
    assert math.isnan(result["score"])
    assert result["n_matched"] == 0


# ------------------------------------------------------------------ English via VADER

def test_english_known_answer_by_hand():
    # "great" 3.1 and "success" 2.7 in vader_lexicon.txt; no booster, negation or capitals:
    # compound = 5.8 / sqrt(5.8^2 + 15) = 0.8316 (Hutto & Gilbert 2014, eq. for the normalised sum)
    result = score_text("The talks were a great success.", "en")  # invented
    assert result["score"] == pytest.approx(5.8 / math.sqrt(5.8 ** 2 + 15), abs=1e-4)
    assert result["n_matched"] == 2 and result["positive"] == pytest.approx((3.1 + 2.7) / 4)


@pytest.mark.parametrize("text", [
    "The talks were a great success and both sides welcomed the agreement.",  # invented
    "The shelling killed civilians and destroyed the hospital.",             # invented
    "The talks were not a success.",                                         # invented
])
def test_english_agrees_with_the_reference_implementation(text):
    # the vaderSentiment package's own implementation (not nltk's port, which the toolkit uses)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    expected = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    result = score_text(text, "en")
    assert result["n_matched"] >= 1
    assert result["score"] == pytest.approx(expected, abs=1e-4)


def test_english_signs():
    assert score_text("The talks were a great success.", "en")["score"] > 0   # invented
    assert score_text("The shelling killed civilians.", "en")["score"] < 0    # invented


# ------------------------------------------------------------------ sentiment() table

def test_sentiment_per_sentence():
    corpus = one_frame("Это катастрофа. Переговоры прошли успешно.", "ru")  # invented
    out = sentiment(corpus, unit="sentence")
    assert len(out) == 2
    assert list(out.columns[:len(SENTIMENT_COLUMNS)]) == SENTIMENT_COLUMNS
    assert out["segment_id"].tolist() == [0, 1]
    assert out["doc_id"].tolist() == ["a", "a"]
    assert out["score"].iloc[0] < 0 < out["score"].iloc[1]
    assert (out["n_matched"] >= 1).all()


def test_sentiment_article_unit_and_unscored_language():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "language": ["ru", "az"],
                           "text": ["Это катастрофа. Переговоры прошли успешно.",   # invented
                                    "Danışıqlar uğurla keçdi."]})                    # invented
    out = sentiment(corpus, unit="article")
    assert len(out) == 2
    assert out["segment_id"].tolist() == [0, 0]  # segment_id 0 = the whole article (schema.UNIT_COLUMNS)
    assert out["n_matched"].tolist()[1] == 0 and pd.isna(out["score"].iloc[1])


# The lexicon's own Russian words, with negators mixed in, as wild input.
RU_WORDS = sorted(lexicon("ru"))
RU_NEGATORS = ["не", "ни", "без", "нет"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(RU_WORDS), min_size=1, max_size=25),
       st.lists(st.sampled_from(RU_NEGATORS), max_size=4))
def test_score_is_within_minus_one_and_one(words, negators):
    text = " ".join(negators + words)
    result = score_text(text, "ru")
    assert result["n_matched"] >= 1
    assert -1.0 <= result["score"] <= 1.0
    assert result["positive"] >= 0 and result["negative"] >= 0


# ------------------------------------------------------------------ swapping and loading lexicons

def test_use_lexicon_dict_and_restore(restore_lexicons):
    text = "Это катастрофа."  # invented
    packaged = score_text(text, "ru")["score"]
    use_lexicon("ru", {"Катастрофа": 0.9})  # keys are lower-cased
    swapped = score_text(text, "ru")
    assert swapped["score"] > 0 and swapped["positive"] == pytest.approx(0.9)
    assert score_text("Переговоры прошли успешно.", "ru")["n_matched"] == 0  # not in the new lexicon
    use_lexicon("ru", None)
    assert score_text(text, "ru")["score"] == pytest.approx(packaged)


def test_use_lexicon_from_file(tmp_path, restore_lexicons):
    path = tmp_path / "mini_uk.tsv"
    path.write_text("# invented lexicon\nlemma\tscore\nкатастрофа\t0.5\n", encoding="utf-8")
    use_lexicon("uk", path)
    assert score_text("Це катастрофа.", "uk")["score"] > 0  # invented


def test_load_lexicon_tsv(tmp_path):
    # invented file: comments, a header row, a malformed line, ё, and scores beyond [-1, 1]
    path = tmp_path / "lexicon.tsv"
    path.write_text("# my lexicon\n# columns: word, score\nword\tscore\n"
                    "ужас\t-4\nРадость\t2\nёлка\t1\nбез оценки\n\n", encoding="utf-8")
    rows = load_lexicon(path)
    # the largest absolute score is 4: every score is divided by 4
    assert rows == {"ужас": -1.0, "радость": 0.5, "елка": 0.25}


def test_load_lexicon_tsv_within_range_is_unchanged(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("lemma\tscore\nмир\t0.6\nугроза\t-0.7\n", encoding="utf-8")  # invented
    assert load_lexicon(path) == {"мир": 0.6, "угроза": -0.7}


def test_load_lexicon_rusentilex(tmp_path):
    # invented lines in RuSentiLex's layout: word, pos, lemma, sentiment, source[, ambiguity]
    path = tmp_path / "rusentilex.txt"
    path.write_text(
        "! invented sample in the RuSentiLex layout\n"
        "ужасного, Adj, ужасный, negative, opinion\n"
        "радостью, Noun, радость, positive, feeling\n"
        "твёрдый, Adj, твёрдый, positive, opinion, amb\n"
        "стол, Noun, стол, neutral, fact\n"
        "спорный, Adj, спорный, positive/negative, opinion\n",
        encoding="utf-8")
    rows = load_lexicon(path, fmt="rusentilex")
    assert rows["ужасный"] == -1.0
    assert rows["радость"] == 1.0
    assert rows["твердый"] == 1.0  # ё folded to е
    assert rows.get("стол", 0.0) == 0.0 and rows.get("спорный", 0.0) == 0.0
    assert "ужасного" not in rows  # the lemma column is the key


def test_load_lexicon_unknown_format(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("мир\t0.6\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_lexicon(path, fmt="csv")


# ------------------------------------------------------------------ the packaged lexicon files

def _overridden_lemmas(language):
    table = read_table("lexicons/lemma_overrides.csv")
    part = table[table["lang"] == language]
    return set(part["lemma"]) | set(part["form"])


@pytest.mark.parametrize("language, minimum", [("ru", 2000), ("uk", 1500)])
def test_lexicon_entries_are_their_own_lemmas(language, minimum):
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang=language)
    table = read_table(f"lexicons/sentiment_{language}.tsv", sep="\t")
    assert list(table.columns) == ["lemma", "score"]
    assert len(table) >= minimum
    assert not table["lemma"].duplicated().any()
    scores = table["score"].astype(float)
    assert scores.between(-1, 1).all() and (scores != 0).all()
    allowed = _overridden_lemmas(language)
    wrong = [w for w in table["lemma"]
             if morph.parse(w)[0].normal_form.replace("ё", "е") != w and w not in allowed]
    assert wrong == []
    assert not table["lemma"].str.contains("ё").any()


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_frame_terms_are_lemmas(language):
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang=language)
    frames = read_table("lexicons/frames.csv")
    words = sorted({w for term in frames.loc[frames["lang"] == language, "term"] for w in term.split()})
    assert words
    allowed = _overridden_lemmas(language)
    wrong = [w for w in words if morph.parse(w)[0].normal_form.replace("ё", "е") != w and w not in allowed]
    assert wrong == []


def test_loaded_lexicon_sizes():
    assert len(lexicon("ru")) >= 2000
    assert len(lexicon("uk")) >= 1500


# ------------------------------------------------------------------ tone around actors

# Invented articles: in each, one clearly negative sentence about Azerbaijan and one positive one about
# Armenia (doc "a" names Azerbaijan twice in its sentence).
ACTOR_CORPUS = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "language": ["ru", "ru", "ru"],
    "outlet": ["one.example", "two.example", "three.example"],
    "text": [
        "Азербайджан обстрелял село, погибли люди, и Азербайджан отверг обвинения в убийствах. "
        "Армения приветствовала помощь и поблагодарила партнеров за поддержку.",
        "Армения искренне поблагодарила партнеров за помощь.",
        "Азербайджан обвинили в жестоком насилии. Армения выразила благодарность за поддержку.",
    ],
})


def test_actor_sentiment_signs_and_mentions():
    table = actor_sentiment(ACTOR_CORPUS.iloc[:1], method="sentence")
    by_actor = table.set_index("actor")
    assert by_actor.loc["azerbaijan", "score"] < 0 < by_actor.loc["armenia", "score"]
    assert by_actor.loc["azerbaijan", "n_mentions"] == 2
    assert by_actor.loc["armenia", "n_mentions"] == 1
    assert {"doc_id", "actor", "score", "n_mentions", "outlet", "language"} <= set(table.columns)


def test_actor_score_is_the_sentence_score():
    table = actor_sentiment(ACTOR_CORPUS.iloc[:1], method="sentence").set_index("actor")
    sentences = sentiment(ACTOR_CORPUS.iloc[:1])
    assert table.loc["azerbaijan", "score"] == pytest.approx(sentences["score"].iloc[0])
    assert table.loc["armenia", "score"] == pytest.approx(sentences["score"].iloc[1])


def test_tone_by_actor():
    table = actor_sentiment(ACTOR_CORPUS, method="sentence")
    tone = tone_by(table, "actor")
    assert list(tone.columns) == ["actor", "mean", "ci_low", "ci_high", "n_scored"]
    tone = tone.set_index("actor")
    assert tone.loc["armenia", "n_scored"] == 3 and tone.loc["azerbaijan", "n_scored"] == 2
    for actor in ("armenia", "azerbaijan"):
        expected = table.loc[table["actor"] == actor, "score"].mean()
        assert tone.loc[actor, "mean"] == pytest.approx(expected)
        assert tone.loc[actor, "ci_low"] <= tone.loc[actor, "mean"] <= tone.loc[actor, "ci_high"]
    assert tone.loc["azerbaijan", "mean"] < 0 < tone.loc["armenia", "mean"]


# Invented: one sentence, two actors with opposite roles ("X accused Y"), and a second article
# where Armenia is thanked. The targeted default must tell the actors apart within a sentence.
ACCUSATION = pd.DataFrame({
    "doc_id": ["x", "y"], "language": ["ru", "ru"], "outlet": ["one.example", "two.example"],
    "text": ["Азербайджан обвинил Армению в обстреле. Переговоры продолжатся.",
             "Франция поблагодарила Армению за помощь беженцам."],
})


def test_actor_sentiment_is_targeted_by_default():
    table = actor_sentiment(ACCUSATION).set_index(["doc_id", "actor"])
    assert table.loc[("x", "armenia"), "score"] < table.loc[("x", "azerbaijan"), "score"]
    assert table.loc[("x", "armenia"), "n_negative"] == 1 and table.loc[("x", "azerbaijan"), "n_negative"] == 0
    assert table.loc[("y", "armenia"), "n_positive"] == 1
    assert (table["n_mentions"] == 1).all() and (table["n_scored"] == 1).all()
    assert {"outlet", "language", "n_scored", "n_negative", "n_positive"} <= set(table.columns)
    # the 0.1 behaviour gives both actors of the sentence the same score
    old = actor_sentiment(ACCUSATION, method="sentence").set_index(["doc_id", "actor"])
    assert old.loc[("x", "armenia"), "score"] == old.loc[("x", "azerbaijan"), "score"]


def test_actor_sentiment_checks_its_options():
    with pytest.raises(ValueError, match="method"):
        actor_sentiment(ACCUSATION, method="vader")
    with pytest.raises(ValueError, match="sentence"):
        actor_sentiment(ACCUSATION, window="paragraph")


def test_tone_by_single_row_has_no_interval():
    table = pd.DataFrame({"actor": ["armenia", "azerbaijan", "azerbaijan"], "score": [0.5, -0.2, np.nan]})
    tone = tone_by(table, "actor").set_index("actor")
    assert tone.loc["azerbaijan", "n_scored"] == 1  # the missing score is dropped
    assert tone.loc["azerbaijan", "mean"] == pytest.approx(-0.2)
    assert np.isnan(tone.loc["azerbaijan", "ci_low"]) and np.isnan(tone.loc["azerbaijan", "ci_high"])


def test_actor_sentiment_says_which_method_scored_each_row_and_scoring_methods_counts_them():
    """Russian mentions are scored by the model, English ones by the lexicon, Azerbaijani ones
    not at all. Hand-counted on INVENTED sentences (language given per article, so the test does
    not rest on detection). ("mixed" needs a unit whose sentences carry different languages,
    which units made by the toolkit do not: a sentence takes its article's language.)"""
    from toolkit.tone import scoring_methods

    corpus = pd.DataFrame({"doc_id": ["r", "e", "a"], "language": ["ru", "en", "az"],
                           "outlet_country": ["RU", "AM", "AZ"],
                           "text": ["Азербайджан обвинил Армению в обстреле. Россия призвала к миру.",
                                    "Azerbaijan accused Armenia of shelling.",
                                    "Azərbaycan Ermənistanı ittiham etdi."]})
    table = actor_sentiment(corpus)
    methods = {doc: set(part["method"].dropna()) for doc, part in table.groupby("doc_id")}
    assert methods == {"a": set(), "e": {"lexicon"}, "r": {"model"}}
    assert table.loc[table["doc_id"] == "a", "n_scored"].eq(0).all()
    shares = scoring_methods(table, "outlet_country")
    assert shares.values.tolist() == [["AM", "lexicon", 2, 1.0], ["RU", "model", 3, 1.0]]
    sentence = actor_sentiment(corpus, method="sentence")
    assert set(sentence.loc[sentence["n_scored"] > 0, "method"]) == {"sentence"}
