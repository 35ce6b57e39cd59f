"""Known answers for the tables behind the paper figures: articles_per, corpus_summary,
frame_profile, naming_by_outlet, source_profile, mentioning.

Every table below is INVENTED for this test; the expected values are counted by hand.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.framing import frame_profile, naming_by_outlet
from toolkit.mentions import mentioning
from toolkit.overview import articles_per, corpus_summary
from toolkit.schema import conform
from toolkit.sourcing import source_profile


@pytest.fixture
def corpus():
    # five invented articles: outlet a.am twice (one undated), b.az twice (one a near-duplicate), c.ru once
    frame = pd.DataFrame({
        "doc_id": ["1", "2", "3", "4", "5"],
        "outlet": ["a.am", "a.am", "b.az", "b.az", "c.ru"],
        "outlet_name": ["A", "A", None, None, "C"],
        "outlet_country": ["AM", "AM", "AZ", "AZ", None],
        "published": ["2023-09-19", None, "2023-09-20", "2023-10-02", "2023-10-03"],
        "language": ["hy", "hy", "az", "az", "ru"],
        "text": ["x"] * 5,
        "duplicate_of": [None, None, None, "3", None],
    })
    return conform(frame)


def test_articles_per_outlet(corpus):
    out = articles_per(corpus, "outlet")
    assert out.columns.tolist() == ["outlet", "n_articles", "share"]
    assert out.values.tolist() == [["a.am", 2, 0.4], ["b.az", 2, 0.4], ["c.ru", 1, 0.2]]


def test_articles_per_country_keeps_the_unplaced_group(corpus):
    out = articles_per(corpus, "outlet_country")
    counts = dict(zip(out["outlet_country"], out["n_articles"]))
    assert counts == {"AM": 2, "AZ": 2, "unknown": 1}   # the unplaced article is a group named so, not NaN
    assert out["share"].sum() == pytest.approx(1.0)


def test_articles_per_without_duplicates_and_without_groups(corpus):
    out = articles_per(corpus, "outlet", include_duplicates=False)
    assert dict(zip(out["outlet"], out["n_articles"])) == {"a.am": 2, "b.az": 1, "c.ru": 1}
    assert out["share"].tolist() == [0.5, 0.25, 0.25]
    assert articles_per(corpus, None).values.tolist() == [[5, 1.0]]


def test_articles_per_month_leaves_out_undated(corpus):
    out = articles_per(corpus, None, freq="M")
    assert [p.strftime("%Y-%m-%d") for p in out["period"]] == ["2023-09-01", "2023-10-01"]
    assert out["n_articles"].tolist() == [2, 2]
    assert out["share"].tolist() == [0.5, 0.5]  # of the four dated articles


def test_articles_per_unknown_column(corpus):
    with pytest.raises(ValueError, match="by='country'"):
        articles_per(corpus, "country")


def test_corpus_summary(corpus):
    facts = dict(zip(*corpus_summary(corpus).T.values))
    assert facts == {"articles": "5", "outlets": "3", "languages": "3", "outlet countries": "2",
                     "articles placed in a country": "4 of 5 articles placed in a country; 1 without a country",
                     "first published": "2023-09-19", "last published": "2023-10-03",
                     "undated articles": "1", "marked near-duplicates": "1", "outlets not in the registry": "1"}


def test_frame_profile_means_over_scored_units_and_min_units():
    scores = pd.DataFrame({
        "doc_id": list("abcde"), "segment_id": [0] * 5, "language": ["ru", "ru", "ru", "uk", "az"],
        "n_words": [10, 20, 30, 40, 50],
        "military": [2.0, 4.0, np.nan, 1.0, 0.0], "humanitarian": [0.0, 1.0, np.nan, 3.0, 0.0],
        "outlet_country": ["RU", "RU", "RU", "UA", "AZ"],
    })
    out = frame_profile(scores, by="outlet_country")
    # RU: the unit without scores (c) is not a zero; mean of a and b
    assert out.loc["RU"].tolist() == [3.0, 0.5]
    assert out.loc["UA"].tolist() == [1.0, 3.0]
    assert out.columns.tolist() == ["military", "humanitarian"]
    assert sorted(frame_profile(scores, by="outlet_country", min_units=2).index) == ["RU"]


def test_naming_by_outlet():
    table = pd.DataFrame({
        "doc_id": list("abcdef"),
        "outlet": ["x.am", "x.am", "x.am", "y.az", "y.az", "z.ru"],
        "outlet_country": ["AM", "AM", "AM", "AZ", "AZ", "RU"],
        "naming_index": pd.array([1.0, 0.5, None, -1.0, -0.5, None], dtype="Float64"),
    })
    out = naming_by_outlet(table).set_index("outlet")
    assert out.loc["x.am", ["mean", "n_scored", "n_articles"]].tolist() == [0.75, 2, 3]
    assert out.loc["y.az", ["mean", "n_scored", "n_articles"]].tolist() == [-0.75, 2, 2]
    assert "z.ru" not in out.index  # no scored article
    assert out["outlet_country"].tolist() == ["AM", "AZ"]


def test_source_profile():
    table = pd.DataFrame({"outlet": ["x", "x", "x", "x", "y"],
                          "kind": ["media", "media", "official", "anonymous", "expert"]})
    out = source_profile(table, by="outlet")
    assert out.columns.tolist() == ["media", "official", "anonymous", "expert", "other", "n_sources"]
    assert out.loc["x"].tolist() == [0.5, 0.25, 0.25, 0.0, 0.0, 4]
    assert out.loc["y"].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0, 1]


def test_mentioning_keeps_units_with_exactly_one_of_the_actors():
    corpus = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "outlet": ["x.ru"],
                           "text": ["Азербайджан заявил о победе. Армения и Азербайджан спорят. "
                                    "Армения промолчала. Погода хорошая."]})  # invented
    out = mentioning(corpus, ["azerbaijan", "armenia"])
    assert out[["segment_id", "context"]].values.tolist() == [[0, "azerbaijan"], [2, "armenia"]]
    assert out["outlet"].tolist() == ["x.ru", "x.ru"]
    assert out["text"].tolist() == ["Азербайджан заявил о победе.", "Армения промолчала."]


def test_articles_per_labels_before_grouping_and_keeps_dtypes(corpus):
    """Review (2026-12-07): the label was set after grouping, so an outlet named "unknown" and a
    missing outlet made two rows, and columns became object. Invented: one of each."""
    frame = corpus.copy()
    frame["outlet"] = frame["outlet"].cat.add_categories(["unknown"])
    frame.loc[0, "outlet"], frame.loc[1, "outlet"] = None, "unknown"
    out = articles_per(frame, "outlet")
    assert out["outlet"].tolist().count("unknown") == 1
    assert dict(zip(out["outlet"], out["n_articles"]))["unknown"] == 2
    assert isinstance(out["outlet"].dtype, pd.CategoricalDtype)
    dated = articles_per(frame.assign(published=frame["published"].where(frame.index > 0)), "published")
    assert dated["published"].isna().sum() == 1 and str(dated["published"].dtype).startswith("datetime64")
