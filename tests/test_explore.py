"""Tests for toolkit.explore: kwic, collocations (LLR / PMI checked by hand) and frequencies.

All texts and token tables below are INVENTED for these tests (no corpus text).
"""
from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from toolkit.explore import collocations, frequencies, kwic

# ------------------------------------------------------------------ kwic

KWIC_DOCS = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "language": ["ru", "ru", "uk"],
    "outlet": ["x", "y", "z"],
    "published": pd.to_datetime(["2023-09-19", "2023-09-20", "2023-09-21"]),
    "text": [  # invented
        "Бои в Карабахе продолжаются, а в Нагорном Карабахе тихо.",
        "Жители Ханкенди (Степанакерта) покидают город. Лачинский коридор закрыт; в Лачинском коридоре пусто!",
        "Бої в Карабасі тривають.",
    ],
})


def _rows(frame):
    return frame[["doc_id", "position", "left", "keyword", "right"]].values.tolist()


def test_kwic_finds_inflected_forms_with_context():
    out = kwic(KWIC_DOCS.iloc[:2], "Карабах", window=2)
    assert _rows(out) == [
        ["a", 2, "Бои в", "Карабахе", "продолжаются, а"],
        ["a", 7, "в Нагорном", "Карабахе", "тихо."],
    ]
    assert out["outlet"].tolist() == ["x", "x"]
    assert out["published"].tolist() == [pd.Timestamp("2023-09-19")] * 2


def test_kwic_query_in_any_case_form():
    assert _rows(kwic(KWIC_DOCS.iloc[:2], "карабаха", window=1)) == [
        ["a", 2, "в", "Карабахе", "продолжаются,"],
        ["a", 7, "Нагорном", "Карабахе", "тихо."],
    ]


def test_kwic_docstring_example():
    df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Бои в Карабахе продолжаются."]})
    assert kwic(df, "Карабах", window=2)[["left", "keyword", "right"]].values.tolist() == [
        ["Бои в", "Карабахе", "продолжаются."]]


def test_kwic_multi_word_query():
    out = kwic(KWIC_DOCS, "Лачинский коридор", window=2)
    assert _rows(out) == [
        ["b", 5, "покидают город.", "Лачинский коридор", "закрыт; в"],
        ["b", 9, "закрыт; в", "Лачинском коридоре", "пусто!"],
    ]
    assert _rows(kwic(KWIC_DOCS, "Нагорный Карабах", window=3)) == [
        ["a", 6, "продолжаются, а в", "Нагорном Карабахе", "тихо."]]


def test_kwic_prefix_query():
    out = kwic(KWIC_DOCS, "Ханкенд*", window=2)
    assert _rows(out) == [["b", 1, "Жители", "Ханкенди", "(Степанакерта) покидают"]]


def test_kwic_ukrainian_locative_via_lemma():
    # uk "Карабасі" is the locative of "Карабах"
    assert _rows(kwic(KWIC_DOCS, "Карабах", window=2).query("doc_id == 'c'")) == [
        ["c", 2, "Бої в", "Карабасі", "тривають."]]


def test_kwic_window_zero_and_large():
    zero = kwic(KWIC_DOCS.iloc[:1], "Карабах", window=0)
    assert zero[["left", "keyword", "right"]].values.tolist() == [["", "Карабахе", ""], ["", "Карабахе", ""]]
    big = kwic(KWIC_DOCS.iloc[:1], "Карабах", window=100)
    assert big[["left", "right"]].values.tolist() == [
        ["Бои в", "продолжаются, а в Нагорном Карабахе тихо."],
        ["Бои в Карабахе продолжаются, а в Нагорном", "тихо."],
    ]


def test_kwic_keeps_closing_punctuation_after_the_last_word():
    # invented; the right context ends with the closing quote AND the full stop
    df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Он сказал о «Карабахе»."]})
    assert kwic(df, "Карабах", window=2)[["left", "keyword", "right"]].values.tolist() == [
        ["сказал о «", "Карабахе", "»."]]


def test_kwic_whitespace_is_normalised():
    df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Бои\nв   Карабахе\n\nпродолжаются."]})
    assert kwic(df, "Карабах", window=2)[["left", "right"]].values.tolist() == [["Бои в", "продолжаются."]]


def test_kwic_on_segments_keeps_segment_id():
    from toolkit.units import segment

    seg = segment(KWIC_DOCS.iloc[:2], "sentence")
    out = kwic(seg, "Лачинский коридор", window=1)
    assert list(out.columns[:4]) == ["doc_id", "segment_id", "language", "position"]
    assert out[["doc_id", "segment_id", "position", "keyword"]].values.tolist() == [
        ["b", 1, 0, "Лачинский коридор"], ["b", 1, 4, "Лачинском коридоре"]]


def test_kwic_no_match_gives_empty_frame_with_columns():
    out = kwic(KWIC_DOCS, "Баку")
    assert len(out) == 0
    assert list(out.columns) == ["doc_id", "segment_id", "language", "position", "left", "keyword", "right",
                                 "outlet", "published"]


@pytest.mark.parametrize("query", ["", "   ", None])
def test_kwic_empty_query_raises(query):
    with pytest.raises(ValueError):
        kwic(KWIC_DOCS, query)


# ------------------------------------------------------------------ collocations, by hand

# invented token table (already tokenized, so no lemmatiser is involved)
DOCS = [
    ["лачинский", "коридор", "закрыт", "лачинский", "коридор"],
    ["лачинский", "коридор", "открыт"],
    ["гуманитарный", "груз", "лачинский", "коридор", "груз"],
    ["груз", "закрыт", "коридор"],
]


def _tokens_frame(docs, **columns):
    return pd.DataFrame({"tokens": docs, **columns})


def _hand_counts(docs):
    """Counts the way nltk's BigramCollocationFinder.from_documents does: N = every token of
    every document; a, b = unigram counts; ab = adjacent pairs inside a document only."""
    unigrams = Counter(w for doc in docs for w in doc)
    bigrams = Counter((doc[i], doc[i + 1]) for doc in docs for i in range(len(doc) - 1))
    n_total = sum(unigrams.values())
    return unigrams, bigrams, n_total


def _hand_llr(n_ab, n_a, n_b, n_total):
    """Dunning's G2 = 2 * sum O * ln(O / E) over the 2x2 table (0 * ln 0 = 0)."""
    observed = [
        [n_ab, n_a - n_ab],                          # first = a;   second = b / not b
        [n_b - n_ab, n_total - n_a - n_b + n_ab],    # first != a;  second = b / not b
    ]
    rows = [sum(r) for r in observed]
    cols = [observed[0][j] + observed[1][j] for j in range(2)]
    g2 = 0.0
    for i in range(2):
        for j in range(2):
            o = observed[i][j]
            e = rows[i] * cols[j] / n_total
            if o > 0:
                g2 += o * math.log(o / e)
    return 2 * g2


def _hand_pmi(n_ab, n_a, n_b, n_total):
    return math.log2(n_ab * n_total / (n_a * n_b))


def test_hand_counts_of_the_fixture():
    unigrams, bigrams, n_total = _hand_counts(DOCS)
    assert n_total == 16
    assert unigrams["лачинский"] == 4 and unigrams["коридор"] == 5 and unigrams["груз"] == 3
    assert bigrams[("лачинский", "коридор")] == 4
    # pairs across document boundaries are not counted ("коридор" ends doc 0, "лачинский" starts doc 1)
    assert bigrams[("коридор", "лачинский")] == 0


def test_llr_against_hand_computation():
    out = collocations(_tokens_frame(DOCS), measure="llr", min_count=1, n=None)
    unigrams, bigrams, n_total = _hand_counts(DOCS)
    assert len(out) == len(bigrams)
    for row in out.itertuples():
        n_ab = bigrams[(row.first, row.second)]
        assert row.n_occurrences == n_ab
        expected = _hand_llr(n_ab, unigrams[row.first], unigrams[row.second], n_total)
        assert row.score == pytest.approx(expected, rel=1e-9, abs=1e-9), (row.first, row.second)
    top = out.iloc[0]
    assert (top["first"], top["second"], top["n_occurrences"]) == ("лачинский", "коридор", 4)
    # a value worked out on paper: O = [[4, 0], [1, 11]], N = 16, rows (4, 12), cols (5, 11)
    paper = 2 * (4 * math.log(4 / (4 * 5 / 16)) + 1 * math.log(1 / (12 * 5 / 16))
                 + 11 * math.log(11 / (12 * 11 / 16)))
    assert top["score"] == pytest.approx(paper, rel=1e-9)


def test_pmi_against_hand_computation():
    out = collocations(_tokens_frame(DOCS), measure="pmi", min_count=1, n=None)
    unigrams, bigrams, n_total = _hand_counts(DOCS)
    for row in out.itertuples():
        expected = _hand_pmi(bigrams[(row.first, row.second)], unigrams[row.first], unigrams[row.second], n_total)
        assert row.score == pytest.approx(expected, rel=1e-12), (row.first, row.second)
    scores = dict(zip(zip(out["first"], out["second"]), out["score"]))
    assert scores[("лачинский", "коридор")] == pytest.approx(math.log2(4 * 16 / (4 * 5)))
    assert scores[("гуманитарный", "груз")] == pytest.approx(math.log2(1 * 16 / (1 * 3)))


def test_collocations_sorted_best_first_and_min_count_and_n():
    out = collocations(_tokens_frame(DOCS), measure="llr", min_count=1, n=None)
    assert out["score"].is_monotonic_decreasing
    assert list(out.columns) == ["first", "second", "n_occurrences", "score"]
    at_least_two = collocations(_tokens_frame(DOCS), measure="pmi", min_count=2, n=None)
    assert at_least_two[["first", "second", "n_occurrences"]].values.tolist() == [["лачинский", "коридор", 4]]
    assert len(collocations(_tokens_frame(DOCS), measure="llr", min_count=1, n=3)) == 3


def test_collocations_by_group_against_hand_computation():
    groups = ["p", "p", "q", "q"]
    out = collocations(_tokens_frame(DOCS, country=groups), by="country", measure="pmi", min_count=1, n=None)
    assert list(out.columns) == ["country", "first", "second", "n_occurrences", "score"]
    assert list(dict.fromkeys(out["country"])) == ["p", "q"]
    for name in ("p", "q"):
        part_docs = [d for d, g in zip(DOCS, groups) if g == name]
        unigrams, bigrams, n_total = _hand_counts(part_docs)
        part = out[out["country"] == name]
        assert len(part) == len(bigrams)
        for row in part.itertuples():
            expected = _hand_pmi(bigrams[(row.first, row.second)], unigrams[row.first], unigrams[row.second],
                                 n_total)
            assert row.score == pytest.approx(expected, rel=1e-12)


def test_collocations_window_does_not_cross_documents():
    docs = [["a", "b"], ["c", "d"]]
    out = collocations(_tokens_frame(docs), measure="pmi", min_count=1, n=None, window=3)
    assert sorted(zip(out["first"], out["second"])) == [("a", "b"), ("c", "d")]


def test_collocations_unknown_measure():
    with pytest.raises(ValueError):
        collocations(_tokens_frame(DOCS), measure="dice")


def test_collocations_tokenizes_raw_text():
    df = pd.DataFrame({"language": ["ru"] * 3, "text": [  # invented
        "Лачинский коридор закрыт.", "Лачинский коридор открыт.", "Гуманитарный груз ждет."]})
    out = collocations(df, min_count=1, n=None)
    # the phrase is merged by the tokenizer, so it is one token and not a pair
    assert ("лачинский", "коридор") not in set(zip(out["first"], out["second"]))
    assert ("лачинский_коридор", "закрытый") in set(zip(out["first"], out["second"]))


# ------------------------------------------------------------------ frequencies

FREQ = pd.DataFrame({
    "outlet": ["x", "x", "y"],
    "tokens": [["карабах", "бой", "карабах"], ["карабах", "мир"], ["мир", "мир", "бой", "договор"]],
})


def test_frequencies_per_group():
    out = frequencies(FREQ, by="outlet")
    assert list(out.columns) == ["outlet", "term", "n_occurrences", "n_units", "rel_freq", "per_10k"]
    assert out[["outlet", "term", "n_occurrences", "n_units"]].values.tolist() == [
        ["x", "карабах", 3, 2],
        ["x", "бой", 1, 1],
        ["x", "мир", 1, 1],
        ["y", "мир", 2, 1],
        ["y", "бой", 1, 1],
        ["y", "договор", 1, 1],
    ]
    assert out["rel_freq"].tolist() == pytest.approx([3 / 5, 1 / 5, 1 / 5, 2 / 4, 1 / 4, 1 / 4])
    assert out["per_10k"].tolist() == pytest.approx([6000, 2000, 2000, 5000, 2500, 2500])
    assert out.groupby("outlet")["rel_freq"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_frequencies_missing_group_is_labelled_unknown():
    # an article of an outlet without a known country is its own group, named "unknown" (not NaN)
    df = FREQ.assign(outlet_country=pd.Categorical(["AM", None, "AM"]))
    out = frequencies(df, by="outlet_country")
    assert out[["outlet_country", "term", "n_occurrences"]].values.tolist() == [
        ["AM", "бой", 2], ["AM", "карабах", 2], ["AM", "мир", 2], ["AM", "договор", 1],   # ties by term
        ["unknown", "карабах", 1], ["unknown", "мир", 1],
    ]


def test_frequencies_by_none():
    out = frequencies(FREQ, by=None)
    assert list(out.columns) == ["term", "n_occurrences", "n_units", "rel_freq", "per_10k"]
    assert out[["term", "n_occurrences", "n_units"]].values.tolist() == [
        ["карабах", 3, 2], ["мир", 3, 2], ["бой", 2, 2], ["договор", 1, 1]]
    assert out["rel_freq"].tolist() == pytest.approx([3 / 9, 3 / 9, 2 / 9, 1 / 9])


def test_frequencies_n_per_group():
    out = frequencies(FREQ, by="outlet", n=1)
    assert out[["outlet", "term", "n_occurrences"]].values.tolist() == [["x", "карабах", 3], ["y", "мир", 2]]
    assert frequencies(FREQ, by=None, n=2)["term"].tolist() == ["карабах", "мир"]


def test_frequencies_by_several_columns_and_empty_token_lists():
    df = FREQ.assign(year=[2023, 2024, 2023])
    df.loc[len(df)] = ["x", [], 2023]
    out = frequencies(df, by=["outlet", "year"])
    assert out[["outlet", "year", "term", "n_occurrences"]].values.tolist() == [
        ["x", 2023, "карабах", 2], ["x", 2023, "бой", 1],
        ["x", 2024, "карабах", 1], ["x", 2024, "мир", 1],
        ["y", 2023, "мир", 2], ["y", 2023, "бой", 1], ["y", 2023, "договор", 1],
    ]


def test_frequencies_tokenizes_raw_text():
    df = pd.DataFrame({"outlet": ["x", "x"], "language": ["ru", "ru"],
                       "text": ["Бои в Карабахе.", "Карабах и мир."]})  # invented
    out = frequencies(df)
    assert out[["term", "n_occurrences", "n_units"]].values.tolist()[0] == ["карабах", 2, 2]


def test_kwic_exact_english_query_does_not_match_a_stem():
    # regression (issue 10): "France" matched "francs" through the Snowball stem "franc"
    df = pd.DataFrame({"doc_id": ["a"], "language": ["en"],
                       "text": ["France paid two million francs; France's envoy left."]})  # invented
    assert kwic(df, "France", window=1)["keyword"].tolist() == ["France", "France's"]
    assert kwic(df, "franc*", window=1)["keyword"].tolist() == ["France", "francs", "France's"]


def test_kwic_without_language_column_detects_it():
    # regression (issue 10): without a language column kwic used 'und' and found no inflected form
    df = pd.DataFrame({"doc_id": ["a"], "text": ["Переговоры о Карабахе продолжаются уже вторую неделю."]})  # invented
    assert kwic(df, "Карабах", window=1)["keyword"].tolist() == ["Карабахе"]


def test_frequencies_and_collocations_take_unit():
    # issue 10: one name (unit=) for the unit of analysis in every stage. Invented two-sentence article.
    df = pd.DataFrame({"doc_id": ["a"], "outlet": ["x"], "language": ["ru"],
                       "text": ["Лачинский коридор закрыт. Коридор снова закрыт."]})
    per_article = frequencies(df, by="outlet")
    per_sentence = frequencies(df, by="outlet", unit="sentence")
    counts = {u: t.set_index("term")[["n_occurrences", "n_units"]].to_dict("index") for u, t in
              [("article", per_article), ("sentence", per_sentence)]}
    # "закрытый" occurs twice: in one article, in two sentences
    assert counts["article"]["закрытый"] == {"n_occurrences": 2, "n_units": 1}
    assert counts["sentence"]["закрытый"] == {"n_occurrences": 2, "n_units": 2}
    # across the sentence break "закрытый коридор" is a pair of the article, not of any sentence
    pairs = lambda t: set(zip(t["first"], t["second"]))  # noqa: E731
    assert ("закрытый", "коридор") in pairs(collocations(df, min_count=1, n=None))
    assert ("закрытый", "коридор") not in pairs(collocations(df, min_count=1, n=None, unit="sentence"))
    assert ("коридор", "закрытый") in pairs(collocations(df, min_count=1, n=None, unit="sentence"))
    with pytest.raises(ValueError, match="unit must be one of"):
        frequencies(df, unit="chapter")



# ------------------------------------------------------------------ collocations: counting and top-n

# invented token lists with more than 20 distinct adjacent pairs, some repeated, an empty document
MANY_DOCS = [["переговоры", "в", "брюсселе", "прошли", "без", "итога"], [],
             ["лачинский", "коридор", "закрыт", "лачинский", "коридор", "открыт"],
             ["гуманитарный", "груз", "прошел", "лачинский", "коридор"],
             ["переговоры", "в", "вашингтоне", "прошли", "без", "итога", "снова"],
             ["мирный", "договор", "не", "подписан", "мирный", "договор", "обсуждается"],
             ["граница", "не", "определена", "граница", "обсуждается", "переговоры", "в", "москве"]]


def test_adjacent_counts_equal_nltks_from_documents():
    # reference implementation: nltk's own per-token counting
    from nltk.collocations import BigramCollocationFinder

    from toolkit.explore import _adjacent_finder

    reference = BigramCollocationFinder.from_documents(MANY_DOCS)
    fast = _adjacent_finder(pd.Series(MANY_DOCS, dtype="object"))
    assert dict(fast.word_fd) == dict(reference.word_fd) and dict(fast.ngram_fd) == dict(reference.ngram_fd)
    assert fast.N == reference.N == 39   # 6 + 0 + 6 + 5 + 7 + 7 + 8 tokens
    assert fast.ngram_fd[("лачинский", "коридор")] == 3 and fast.ngram_fd[("итога", "лачинский")] == 0


@pytest.mark.parametrize("measure", ["llr", "pmi"])
def test_top_15_is_the_first_15_rows_of_top_20(measure):
    # notebook 00 shows the first 15 rows of notebook 01's 20 (one table, counted once)
    frame = _tokens_frame(MANY_DOCS)
    every = collocations(frame, measure=measure, min_count=1, n=None)
    assert len(every) > 20
    top_20 = collocations(frame, measure=measure, min_count=1, n=20)
    pd.testing.assert_frame_equal(collocations(frame, measure=measure, min_count=1, n=15), top_20.head(15),
                                  check_exact=True)
    pd.testing.assert_frame_equal(top_20, every.head(20), check_exact=True)
    unigrams, bigrams, n_total = _hand_counts(MANY_DOCS)
    first = top_20.iloc[0]
    hand = (_hand_llr if measure == "llr" else _hand_pmi)(first["n_occurrences"], unigrams[first["first"]],
                                                          unigrams[first["second"]], n_total)
    assert first["score"] == pytest.approx(hand)


# ------------------------------------------------------------------ kwic: a text's matches do not depend on the others

def test_kwic_of_a_corpus_is_the_kwic_of_each_text_in_turn():
    # the query's word tests are learned once per distinct word for a whole call; every text
    # must still get exactly the rows it gets alone (invented texts, two languages)
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "language": ["ru", "en", "ru", "uk"],
                         "text": ["Карабах и снова Карабахе.", "Karabakh and Карабахе, not Karabakhs.",
                                  "Ничего о нем.", "У Карабасі тихо, Карабах спокійний."]})
    whole = kwic(docs, "Карабах", window=1)
    alone = pd.concat([kwic(docs.iloc[[i]], "Карабах", window=1) for i in range(len(docs))], ignore_index=True)
    assert whole[["doc_id", "position", "keyword"]].values.tolist() == \
        alone[["doc_id", "position", "keyword"]].values.tolist() == [
            ["a", 0, "Карабах"], ["a", 3, "Карабахе"], ["d", 1, "Карабасі"], ["d", 3, "Карабах"]]


def test_collocations_of_chinese_and_japanese_pair_words():
    """Review (2026-12-07): with character bigrams, 亚美/美尼 (fragments of 亚美尼亚, Armenia) topped
    the collocations. Chinese (jieba) and Japanese (janome) are now cut into words, whose neighbours
    are real pairs. Invented texts; the words written out by hand."""
    texts = ["TASS报道亚美尼亚总理讲话", "TASS报道亚美尼亚总理讲话。", "阿塞拜疆总统访问", "阿塞拜疆总统访问。"]
    df = pd.DataFrame({"doc_id": list("abcd"), "language": ["zh"] * 4, "text": texts})
    pairs = set(zip(*collocations(df, min_count=2, n=None)[["first", "second"]].to_numpy().T))
    assert pairs == {("tass", "报道"), ("报道", "亚美尼亚"), ("亚美尼亚", "总理"), ("总理", "讲话"),
                     ("阿塞拜疆", "总统"), ("总统", "访问")}
    japanese = pd.DataFrame({"doc_id": list("ab"), "language": ["ja"] * 2,
                             "text": ["アルメニアの首相が和平交渉を続けた"] * 2})
    pairs = set(zip(*collocations(japanese, min_count=2, n=None)[["first", "second"]].to_numpy().T))
    # の, が, を, た are particles and auxiliaries, dropped; 続ける is the dictionary form of 続け
    assert pairs == {("アルメニア", "首相"), ("首相", "和平"), ("和平", "交渉"), ("交渉", "続ける")}


def test_kwic_finds_chinese_words_inside_runs_without_spaces():
    """Review (2026-12-07): frequencies list Chinese bigrams, but kwic matched whole clauses and
    found nothing. Invented sentence; the context window counts characters."""
    df = pd.DataFrame({"doc_id": ["a"], "language": ["zh"], "text": ["塔斯社报道，亚美尼亚总理发表讲话。"]})
    hits = kwic(df, "亚美尼亚", window=2)
    assert hits[["left", "keyword", "right"]].values.tolist() == [["报道，", "亚美尼亚", "总理"]]
    assert len(kwic(df, "总理")) == 1 and kwic(df, "总统").empty
