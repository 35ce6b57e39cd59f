"""Tests for toolkit.segment: articles -> paragraphs / sentences with offsets and metadata.

All texts below are INVENTED short news-like sentences written for these tests.
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.units import LEVELS, segment

# invented article: three paragraphs, the second spans two lines, the third is indented
ARTICLE = (
    "Переговоры прошли в г. Брюсселе 5 октября. Стороны, т.е. Баку и Ереван, договорились о встрече.\n"
    "\n"
    "Второй абзац начинается здесь. Он короткий!\n"
    "Продолжение абзаца на новой строке.\n"
    "\n"
    "\n"
    "  Третий абзац с отступом.  "
)
SHORT = "Одно предложение без точки"  # invented


@pytest.fixture()
def corpus():
    return pd.DataFrame({
        "doc_id": ["d1", "d2"],
        "text": [ARTICLE, SHORT],
        "outlet": ["outlet_a", "outlet_b"],
        "outlet_country": ["RU", "UA"],
        "published": pd.to_datetime(["2023-09-19", "2023-09-20"]),
        "language": ["ru", "ru"],
    })


def _check_offsets(corpus: pd.DataFrame, segments: pd.DataFrame):
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    for row in segments.itertuples(index=False):
        source = texts[row.doc_id]
        assert 0 <= row.start < row.end <= len(source)
        assert source[row.start:row.end].strip() == row.text


# ------------------------------------------------------------------ paragraphs

def test_paragraphs_text_and_ids(corpus):
    seg = segment(corpus, "paragraph")
    assert seg["doc_id"].tolist() == ["d1", "d1", "d1", "d2"]
    assert seg["segment_id"].tolist() == [0, 1, 2, 0]
    assert seg["text"].tolist() == [
        "Переговоры прошли в г. Брюсселе 5 октября. Стороны, т.е. Баку и Ереван, договорились о встрече.",
        "Второй абзац начинается здесь. Он короткий!\nПродолжение абзаца на новой строке.",
        "Третий абзац с отступом.",
        "Одно предложение без точки",
    ]


def test_paragraph_offsets(corpus):
    seg = segment(corpus, "paragraph")
    _check_offsets(corpus, seg)
    first = seg.iloc[0]
    assert (first["start"], first["end"]) == (0, ARTICLE.index("\n"))
    second = seg.iloc[1]
    assert second["start"] == ARTICLE.index("Второй")
    assert second["end"] == ARTICLE.index("строке.") + len("строке.")


def test_default_level_is_paragraph(corpus):
    pd.testing.assert_frame_equal(segment(corpus), segment(corpus, "paragraph"))


def test_single_newline_does_not_split_a_paragraph():
    corpus = pd.DataFrame({"doc_id": ["x"], "text": ["Строка один\nстрока два\n\nНовый абзац"]})  # invented
    assert segment(corpus)["text"].tolist() == ["Строка один\nстрока два", "Новый абзац"]


def test_blank_line_with_spaces_splits_paragraphs():
    corpus = pd.DataFrame({"doc_id": ["x"], "text": ["Первый абзац.\n   \nВторой абзац."]})  # invented
    seg = segment(corpus)
    assert seg["text"].tolist() == ["Первый абзац.", "Второй абзац."]
    _check_offsets(corpus, seg)


def test_windows_line_endings():
    text = "Первый абзац.\r\n\r\nВторой абзац."  # invented
    corpus = pd.DataFrame({"doc_id": ["x"], "text": [text]})
    seg = segment(corpus)
    assert seg["text"].tolist() == ["Первый абзац.", "Второй абзац."]
    _check_offsets(corpus, seg)


# ------------------------------------------------------------------ sentences

def test_sentences_text_and_ids(corpus):
    seg = segment(corpus, "sentence")
    assert seg["doc_id"].tolist() == ["d1"] * 6 + ["d2"]
    assert seg["segment_id"].tolist() == [0, 1, 2, 3, 4, 5, 0]
    assert seg["text"].tolist() == [
        "Переговоры прошли в г. Брюсселе 5 октября.",
        "Стороны, т.е. Баку и Ереван, договорились о встрече.",
        "Второй абзац начинается здесь.",
        "Он короткий!",
        "Продолжение абзаца на новой строке.",
        "Третий абзац с отступом.",
        "Одно предложение без точки",
    ]


def test_sentence_offsets(corpus):
    seg = segment(corpus, "sentence")
    _check_offsets(corpus, seg)
    second = seg.iloc[1]
    assert second["start"] == ARTICLE.index("Стороны")
    assert second["end"] == ARTICLE.index("встрече.") + len("встрече.")
    # sentences are in text order and do not overlap
    d1 = seg[seg["doc_id"] == "d1"]
    assert (d1["start"].iloc[1:].to_numpy() >= d1["end"].iloc[:-1].to_numpy()).all()


@pytest.mark.parametrize("text,expected", [
    # invented sentences with abbreviations that must not end a sentence
    ("В сентябре 2023 г. Азербайджан провел операцию. Жители уехали.",
     ["В сентябре 2023 г. Азербайджан провел операцию.", "Жители уехали."]),
    ("Стороны договорились, т.е. Баку и Ереван согласились. Потом все разошлись.",
     ["Стороны договорились, т.е. Баку и Ереван согласились.", "Потом все разошлись."]),
    ("Встреча прошла в г. Москве. Итоги подведут позже.",
     ["Встреча прошла в г. Москве.", "Итоги подведут позже."]),
    ("Он сказал: «Мы уходим». Затем ушел.", ["Он сказал: «Мы уходим».", "Затем ушел."]),
])
def test_abbreviations_do_not_split_sentences(text, expected):
    corpus = pd.DataFrame({"doc_id": ["x"], "text": [text]})
    seg = segment(corpus, "sentence")
    assert seg["text"].tolist() == expected
    _check_offsets(corpus, seg)


def test_sentence_never_crosses_paragraph_break():
    corpus = pd.DataFrame({"doc_id": ["x"], "text": ["Заголовок без точки\n\nТекст статьи."]})  # invented
    assert segment(corpus, "sentence")["text"].tolist() == ["Заголовок без точки", "Текст статьи."]


# ------------------------------------------------------------------ columns, dtypes, metadata

@pytest.mark.parametrize("level", LEVELS)
def test_columns_and_metadata_are_carried(corpus, level):
    seg = segment(corpus, level)
    assert list(seg.columns[:5]) == ["doc_id", "segment_id", "text", "start", "end"]
    for col in ("outlet", "outlet_country", "published", "language"):
        assert col in seg.columns
    d1 = seg[seg["doc_id"] == "d1"]
    assert set(d1["outlet"]) == {"outlet_a"}
    assert set(d1["published"]) == {pd.Timestamp("2023-09-19")}
    assert seg.loc[seg["doc_id"] == "d2", "outlet_country"].tolist() == ["UA"]
    assert seg["published"].dtype == corpus["published"].dtype
    assert str(seg["segment_id"].dtype) == "Int64"
    assert str(seg["start"].dtype) == "Int64" and str(seg["end"].dtype) == "Int64"
    assert seg.index.tolist() == list(range(len(seg)))


def test_raw_text_is_not_carried():
    corpus = pd.DataFrame({"doc_id": ["x"], "text": ["Абзац."], "raw_text": ["<p>Абзац.</p>"]})  # invented
    seg = segment(corpus)
    assert "raw_text" not in seg.columns
    assert seg["text"].tolist() == ["Абзац."]


def test_non_default_index_keeps_rows_aligned():
    corpus = pd.DataFrame({"doc_id": ["b", "a"], "text": ["Второй документ.", "Первый документ."],
                           "outlet": ["ob", "oa"]}, index=[42, 7])  # invented
    seg = segment(corpus)
    assert seg[["doc_id", "text", "outlet"]].values.tolist() == [
        ["b", "Второй документ.", "ob"], ["a", "Первый документ.", "oa"]]


def test_empty_and_missing_texts_give_no_segments():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["", None, "  \n\n  "]})
    for level in LEVELS:
        assert len(segment(corpus, level)) == 0


def test_empty_corpus():
    corpus = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})
    seg = segment(corpus, "sentence")
    assert len(seg) == 0
    assert list(seg.columns) == ["doc_id", "segment_id", "text", "start", "end"]


# ------------------------------------------------------------------ errors

def test_invalid_level_names_allowed_values(corpus):
    with pytest.raises(ValueError) as info:
        segment(corpus, "word")
    message = str(info.value)
    assert "paragraph" in message and "sentence" in message and "word" in message


def test_missing_columns_raise(corpus):
    with pytest.raises(ValueError):
        segment(corpus.drop(columns=["doc_id"]))
    with pytest.raises(ValueError):
        segment(corpus.drop(columns=["text"]))


# ------------------------------------------------------------------ property

_sentence = st.sampled_from([
    # invented sentences
    "Бои продолжаются.", "Жители уехали из города!", "Что будет дальше?",
    "В 2023 г. прошли переговоры.", "Стороны, т.е. Баку и Ереван, молчат.", "Fighting resumed.",
])
_paragraph = st.lists(_sentence, min_size=1, max_size=3).map(" ".join)
_article = st.tuples(
    st.lists(_paragraph, min_size=0, max_size=4),
    st.sampled_from(["\n\n", "\n\n\n", "\n  \n", "\r\n\r\n"]),
    st.sampled_from(["", " ", "  ", "\n"]),
).map(lambda t: t[2] + t[1].join(t[0]) + t[2])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_article, level=st.sampled_from(LEVELS))
def test_offsets_property(text, level):
    corpus = pd.DataFrame({"doc_id": ["x"], "text": [text]})
    seg = segment(corpus, level)
    _check_offsets(corpus, seg)
    assert seg["segment_id"].tolist() == list(range(len(seg)))
    assert all(t.strip() == t and t for t in seg["text"])
    # nothing but whitespace (and, for sentences, nothing at all) is lost between segments
    if level == "paragraph":
        assert "".join(seg["text"]).replace("\n", "").replace("\r", "").replace(" ", "") == \
            text.replace("\n", "").replace("\r", "").replace(" ", "")


# ------------------------------------------------------------------ units(): the contract table

def test_units_article_convention_and_columns(corpus):
    from toolkit.schema import META_COLUMNS
    from toolkit.units import units

    out = units(corpus.assign(title=["t1", "t2"]))
    assert out.columns.tolist() == ["doc_id", "segment_id", "text", "language", "start", "end",
                                    "outlet", "outlet_country", "published"]
    assert out["segment_id"].tolist() == [0, 0]  # a whole article is segment 0
    assert out[["start", "end"]].values.tolist() == [[0, len(ARTICLE)], [0, len(SHORT)]]
    assert out.attrs["unit"] == "article"
    assert set(out.columns) - {"doc_id", "segment_id", "text", "language", "start", "end"} <= set(META_COLUMNS)


def test_units_sentences_carry_metadata_and_keep(corpus):
    from toolkit.units import units

    out = units(corpus.assign(event=["war", "peace"]), "sentence", keep=["event"])
    assert out["doc_id"].tolist() == ["d1"] * 6 + ["d2"]
    assert out["segment_id"].tolist() == [0, 1, 2, 3, 4, 5, 0]
    assert out["event"].tolist() == ["war"] * 6 + ["peace"]
    assert (out.loc[out["doc_id"] == "d2", "outlet_country"] == "UA").all()
    _check_offsets(corpus, out)
    # keeping a column the units carry anyway (a metadata column, a key) does not repeat it
    again = units(corpus, "sentence", keep=["outlet_country", "doc_id", "outlet_country"])
    assert again.columns.is_unique and list(again.columns) == list(units(corpus, "sentence").columns)


def test_units_of_units_are_used_as_given_and_mismatch_is_an_error(corpus):
    from toolkit.units import units

    paragraphs = units(corpus, "paragraph")
    again = units(paragraphs)
    assert again[["doc_id", "segment_id", "text"]].equals(paragraphs[["doc_id", "segment_id", "text"]])
    assert units(paragraphs, "paragraph").attrs["unit"] == "paragraph"
    with pytest.raises(ValueError, match="these are paragraph units"):
        units(paragraphs, "sentence")
    with pytest.raises(ValueError, match="unit must be one of"):
        units(corpus, "word")
    with pytest.raises(ValueError, match="keep="):
        units(corpus, keep=["event"])


def test_units_apply_the_language_rule():
    from toolkit.units import units

    corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Переговоры в Баку продолжаются. Стороны молчат."]})  # invented
    assert units(corpus, "sentence")["language"].astype(str).tolist() == ["ru", "ru"]


def test_segment_level_keyword_is_deprecated(corpus):
    with pytest.warns(DeprecationWarning, match="segment\\(level=...\\) is deprecated"):
        old = segment(corpus, level="sentence")
    pd.testing.assert_frame_equal(old, segment(corpus, "sentence"))
    with pytest.raises(TypeError, match="both level="):
        segment(corpus, "sentence", level="sentence")
