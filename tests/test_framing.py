"""Tests for toolkit.framing: frame dictionaries and contested naming (naming index, AUC).

All sentences below are INVENTED for these tests (no corpus text). The integration test at the
end reads the shared development corpus when it is present and is skipped otherwise.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit._data import read_table
from toolkit.framing import (frame_names, frames, naming, naming_auc, naming_baseline, naming_mentions,
                             naming_pairs)

SHARED_CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"


def frame_terms(frame, language):
    table = read_table("lexicons/frames.csv")
    return set(table.loc[(table["frame"] == frame) & (table["lang"] == language), "term"])


def corpus_of(*texts, language=None):
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    if language is not None:
        frame["language"] = language
    return frame


# ------------------------------------------------------------------ frames

# Invented sentence. Hand count with the terms of frames.csv:
#   humanitarian: "Гуманитарная помощь" (гуманитарный помощь, once although гуманитарный and помощь are
#                 terms too), "больницу" (больница)                                   -> 2
#   military:     "артиллерия", "обстреливала" (обстреливать), "позиции" (позиция)     -> 3
#   diplomacy:    "министр иностранных дел" (министр иностранный дело), "встречу" (встреча) -> 2
#   14 words in all.
RU_SENTENCE = ("Гуманитарная помощь доставлена в больницу, а артиллерия обстреливала позиции; "
               "министр иностранных дел провел встречу.")
RU_COUNTS = {"humanitarian": 2, "military": 3, "diplomacy": 2}
RU_WORDS = 14


def test_hand_counted_terms_are_in_the_dictionary():
    assert {"гуманитарный помощь", "гуманитарный", "помощь", "больница"} <= frame_terms("humanitarian", "ru")
    assert {"артиллерия", "обстреливать", "позиция"} <= frame_terms("military", "ru")
    assert {"министр иностранный дело", "встреча"} <= frame_terms("diplomacy", "ru")


def test_frames_raw_counts():
    out = frames(corpus_of(RU_SENTENCE, language="ru"), per=None)
    row = out.iloc[0]
    assert row["n_words"] == RU_WORDS
    for frame, count in RU_COUNTS.items():
        assert row[frame] == count, frame
    assert list(out.columns[:4]) == ["doc_id", "segment_id", "language", "n_words"]
    assert set(frame_names()) <= set(out.columns)


def test_frames_per_thousand_words():
    out = frames(corpus_of(RU_SENTENCE, language="ru"), per=1000)
    for frame, count in RU_COUNTS.items():
        assert out.iloc[0][frame] == pytest.approx(count * 1000 / RU_WORDS)  # e.g. 3 * 1000 / 14
    assert out.iloc[0]["military"] == pytest.approx(214.2857142857, abs=1e-6)


def test_phrase_and_word_inside_count_once_per_frame():
    # invented: "мирный договор" and "мирный" and "договор" are all peace_process terms
    assert {"мирный договор", "мирный", "договор"} <= frame_terms("peace_process", "ru")
    out = frames(corpus_of("Это был мирный договор.", language="ru"), per=None)
    assert out.iloc[0]["peace_process"] == 1  # not 3 (phrase + both words)
    out = frames(corpus_of("Мирный договор и еще один договор.", language="ru"), per=None)
    assert out.iloc[0]["peace_process"] == 2  # the phrase, then the second "договор" on its own
    # a term listed in two frames counts in each ("оон": humanitarian and diplomacy)
    out = frames(corpus_of("Выступила ООН.", language="ru"), per=None)
    assert out.iloc[0]["humanitarian"] == 1 and out.iloc[0]["diplomacy"] == 1


def test_english_terms_match_inflected_forms():
    # invented: terms "soldier", "battle", "tank", "shell", "positions" (Snowball stems on both sides)
    assert {"soldier", "battle", "tank", "shell", "positions"} <= frame_terms("military", "en")
    text = "The soldiers fought in battles near the tanks and shelled positions."
    out = frames(corpus_of(text, language="en"), per=None)
    assert out.iloc[0]["military"] == 5
    assert out.iloc[0]["n_words"] == 11


def test_frames_empty_text_and_unknown_language():
    out = frames(corpus_of("", "Ничего особенного.", language=["ru", "xx"]))
    assert out.loc[0, "n_words"] == 0 and pd.isna(out.loc[0, "military"])
    # a language without frame dictionaries is unknown, not "no frames"
    assert out.loc[1, frame_names()].isna().all() and out.loc[1, "n_words"] == 2


# ------------------------------------------------------------------ naming

def naming_rows(pair, side, lang):
    table = naming_pairs()
    return set(table.loc[(table["pair"] == pair) & (table["side"] == side) & (table["lang"] == lang), "term"])


def one_naming(text):
    return naming(corpus_of(text)).iloc[0]


@pytest.mark.parametrize("text, side", [
    ("Колонна въехала в Степанакерт.", "armenian"),       # invented
    ("В Степанакерте было тихо.", "armenian"),            # invented
    ("Колонна въехала в Ханкенди.", "azerbaijani"),       # invented
])
def test_stepanakert_khankendi(text, side):
    assert "Степанакерт*" in naming_rows("stepanakert_khankendi", "armenian", "ru")
    assert "Ханкенди" in naming_rows("stepanakert_khankendi", "azerbaijani", "ru")
    row = one_naming(text)
    other = "azerbaijani" if side == "armenian" else "armenian"
    assert row[side] == 1 and row[other] == 0
    assert row[f"stepanakert_khankendi__{side}"] == 1


def test_naming_index_by_hand():
    # invented article: 2 armenian terms (Степанакерте, Степанакерт), 1 azerbaijani (Ханкенди)
    # naming_index = (2 - 1) / (2 + 1) = 1/3
    row = one_naming("В Степанакерте ждали колонну. Степанакерт, он же Ханкенди, опустел.")
    assert (row["armenian"], row["azerbaijani"], row["quoted"]) == (2, 1, 0)
    assert row["naming_index"] == pytest.approx(1 / 3)


def test_naming_index_missing_without_terms():
    out = naming(corpus_of("Сегодня прошла обычная встреча.", "В Ханкенди тихо."))  # invented
    assert pd.isna(out.loc[0, "naming_index"])
    assert out.loc[0, "armenian"] == 0 and out.loc[0, "azerbaijani"] == 0
    assert out.loc[1, "naming_index"] == -1


def test_naming_corpus_without_any_term():
    # invented: no article of the corpus uses a contested term -> zero counts, missing index (no error)
    out = naming(corpus_of("Сегодня прошла обычная встреча.", "Погода была хорошей."))
    assert out["armenian"].tolist() == [0, 0] and out["azerbaijani"].tolist() == [0, 0]
    assert out["quoted"].tolist() == [0, 0]
    assert out["naming_index"].isna().all()
    assert out["doc_id"].tolist() == ["d0", "d1"]


def test_quoted_term_counts_in_quoted_not_in_sides():
    # check the exact forms of the lexicon first
    terms = naming_rows("offensive_antiterror", "azerbaijani", "ru")
    assert {"антитеррористическ* мероприяти*", "антитеррористическ* мер*"} <= terms
    row = one_naming("В Ханкенди прошли «антитеррористические мероприятия».")  # invented
    assert row["quoted"] == 1
    assert row["azerbaijani"] == 1  # Ханкенди only
    assert row["offensive_antiterror__azerbaijani"] == 0
    assert row["naming_index"] == -1
    # the same words without quotation marks count for the side (once, though two terms overlap)
    row = one_naming("Азербайджан начал антитеррористические мероприятия.")  # invented
    assert row["quoted"] == 0 and row["offensive_antiterror__azerbaijani"] == 1 and row["azerbaijani"] == 1


def test_quoted_flag_in_mentions():
    mentions = naming_mentions(corpus_of("Он назвал это «антитеррористические мероприятия»."))  # invented
    assert mentions["quoted"].tolist() == [True]
    assert mentions["mention"].tolist() == ["антитеррористические мероприятия"]


def test_shushi_and_shusha():
    assert "в Шуши" in naming_rows("shushi_shusha", "armenian", "ru")
    assert "Шуше" in naming_rows("shushi_shusha", "azerbaijani", "ru")
    assert "Шуши" not in naming_rows("shushi_shusha", "armenian", "ru")  # also the genitive of Шуша
    # invented sentences, one corpus (the last one, an ambiguous genitive, is not counted)
    out = naming(corpus_of("Мы были в Шуши.", "Мы были в Шуше.", "Мы приехали из Шуши."))
    assert out[["armenian", "azerbaijani"]].values.tolist() == [[1, 0], [0, 1], [0, 0]]
    assert out["shushi_shusha__armenian"].tolist() == [1, 0, 0]
    assert out["shushi_shusha__azerbaijani"].tolist() == [0, 1, 0]


@pytest.mark.parametrize("text, side", [
    ("Xankəndi şəhərində bayram keçirildi.", "azerbaijani"),   # invented, Azerbaijani
    ("Ստեփանակերտում տոն էր։", "armenian"),                     # invented, Armenian
])
def test_naming_in_azerbaijani_and_armenian_script(text, side):
    assert "Xankəndi*" in naming_rows("stepanakert_khankendi", "azerbaijani", "az")
    assert "Ստեփանակերտ*" in naming_rows("stepanakert_khankendi", "armenian", "hy")
    row = one_naming(text)
    assert row[f"stepanakert_khankendi__{side}"] == 1
    assert row[side] == 1


def test_naming_lexicon_pairs_are_complete():
    table = naming_pairs()
    assert list(table.columns) == ["pair", "side", "lang", "term", "note"]
    assert table["pair"].nunique() == 19
    assert set(table["side"]) == {"armenian", "azerbaijani"}
    assert set(table["lang"]) <= {"ru", "uk", "en", "az", "hy", "tr", "fr", "de"}
    for pair, rows in table.groupby("pair"):
        assert set(rows["side"]) == {"armenian", "azerbaijani"}, pair
        assert {"ru", "uk", "en", "az", "hy"} <= set(rows["lang"]), pair
        # Russian and Ukrainian naming is compared side against side, so both sides need those rows
        for side, part in rows.groupby("side"):
            assert {"ru", "uk", "en"} <= set(part["lang"]), (pair, side)
        assert rows["note"].nunique() == 1, pair
    assert not table.duplicated(["lang", "term"]).any()
    assert (table["term"].str.strip() == table["term"]).all()
    assert not table.loc[table["lang"] == "ru", "term"].str.contains("ё").any()


def test_naming_auc_on_a_hand_built_table():
    from sklearn.metrics import roc_auc_score

    # invented table: four AM-based articles, three AZ-based, one other-country, one AM without terms
    table = pd.DataFrame({
        "doc_id": list("abcdefghi"),
        "outlet": ["am1.example", "am1.example", "am2.example", "am2.example", "az1.example", "az1.example",
                   "az2.example", "ru1.example", "am1.example"],
        "naming_index": pd.array([1.0, 0.5, 1 / 3, -1.0, -1.0, -0.5, 0.5, 0.0, None], dtype="Float64"),
    })
    sides = {"am1.example": "AM", "am2.example": "AM", "az1.example": "AZ", "az2.example": "AZ",
             "ru1.example": "RU"}
    result = naming_auc(table, sides)
    expected = roc_auc_score([1, 1, 1, 1, 0, 0, 0], [1.0, 0.5, 1 / 3, -1.0, -1.0, -0.5, 0.5])
    assert result["auc"] == pytest.approx(expected)
    assert result["n_scored"] == 7 and result["n_articles"] == 8
    assert result["coverage"] == pytest.approx(7 / 8)


def test_naming_auc_one_side_only_is_missing():
    table = pd.DataFrame({"outlet": ["am1.example"], "naming_index": pd.array([1.0], dtype="Float64")})
    result = naming_auc(table, {"am1.example": "AM"})
    assert pd.isna(result["auc"]) and result["n_scored"] == 1


@pytest.mark.skipif(not (SHARED_CORPUS / "dev_seeds").is_dir(),
                    reason="the shared development corpus (../shared/corpus/dev_seeds) is not present")
def test_naming_separates_armenian_and_azerbaijani_outlets_on_dev_corpus():
    import toolkit

    corpus = toolkit.ingest(SHARED_CORPUS / "dev_seeds").corpus
    sides = json.loads((SHARED_CORPUS / "dev_outlet_side.json").read_text(encoding="utf-8"))
    result = naming_auc(naming(corpus), sides)
    assert result["auc"] >= 0.95
    assert result["n_scored"] >= 40
    assert result["coverage"] == pytest.approx(result["n_scored"] / result["n_articles"])
    # the full lexicon must beat the simple place-name regex on both counts
    baseline = naming_auc(naming_baseline(corpus), sides)
    assert result["auc"] > baseline["auc"]
    assert result["n_scored"] > baseline["n_scored"]


def test_naming_baseline_counts_place_names_only():
    # invented: two Armenian-side place names, one Azerbaijani-side, and a word the baseline ignores
    table = naming_baseline(corpus_of("Из Степанакерта в Шуши, а затем в Ханкенди; блокада продолжается."))
    assert table[["armenian", "azerbaijani"]].values.tolist() == [[2, 1]]
    assert float(table["naming_index"].iloc[0]) == pytest.approx(1 / 3)
