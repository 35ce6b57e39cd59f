"""Tests for toolkit.schema: the corpus DataFrame's columns, dtypes and checks.

The two-row corpus below is INVENTED for the tests.
"""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit import CORPUS_COLUMNS, describe_schema, validate_corpus
from toolkit.schema import conform, empty_corpus


@pytest.fixture
def corpus() -> pd.DataFrame:
    return conform(pd.DataFrame({
        "doc_id": ["0123456789abcdef", "fedcba9876543210"],
        "outlet": ["example.com", None],
        "title": ["Invented headline", "Выдуманный заголовок"],
        "published": ["2023-09-19T10:00:00+03:00", None],
        "language": ["en", "ru"],
        "text": ["Invented text.", "Выдуманный текст."],
        "tags": [["talks"], []],
        "cited_sources": [[], ["Politico"]],
        "duplicate_of": [None, "0123456789abcdef"],
    }))


def test_valid_corpus_passes_unchanged(corpus):
    assert validate_corpus(corpus) is corpus


def test_conform_dtypes_and_order(corpus):
    assert list(corpus.columns) == list(CORPUS_COLUMNS)
    assert {c: str(corpus[c].dtype) for c in corpus} == {c: d for c, (d, _) in CORPUS_COLUMNS.items()}
    assert corpus.loc[0, "published"] == pd.Timestamp("2023-09-19 07:00", tz="UTC")
    assert pd.isna(corpus.loc[1, "published"])


def test_conform_keeps_extra_columns_last():
    out = conform(pd.DataFrame({"extra": [1], "text": ["t"], "doc_id": ["a"]}))
    assert list(out.columns) == list(CORPUS_COLUMNS) + ["extra"]


def test_conform_does_not_modify_input():
    frame = pd.DataFrame({"title": ["A"], "tags": ["one"]})
    before = frame.copy()
    conform(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_conform_list_columns():
    out = conform(pd.DataFrame({"tags": [["a", "b"], None, "single", ("x", "y")], "text": list("abcd")}))
    assert out["tags"].tolist() == [["a", "b"], [], ["single"], ["x", "y"]]


def test_empty_corpus_is_valid():
    empty = empty_corpus()
    assert len(empty) == 0
    validate_corpus(empty)


@pytest.mark.parametrize("column", list(CORPUS_COLUMNS))
def test_missing_column_rejected(corpus, column):
    with pytest.raises(ValueError, match=f"missing column '{column}'"):
        validate_corpus(corpus.drop(columns=column))


def test_duplicate_doc_id_rejected(corpus):
    corpus.loc[1, "doc_id"] = corpus.loc[0, "doc_id"]
    corpus.loc[1, "duplicate_of"] = None
    with pytest.raises(ValueError, match="doc_id not unique") as info:
        validate_corpus(corpus)
    assert "0123456789abcdef" in str(info.value)


def test_missing_doc_id_rejected(corpus):
    corpus.loc[0, "doc_id"] = None
    corpus.loc[1, "duplicate_of"] = None
    with pytest.raises(ValueError, match="doc_id has missing values"):
        validate_corpus(corpus)


@pytest.mark.parametrize("column,wrong", [
    ("published", lambda s: s.astype("string")),
    ("outlet", lambda s: s.astype("object")),
    ("language", lambda s: s.astype("string")),
    ("title", lambda s: s.astype("category")),
    ("text", lambda s: s.astype("category")),
])
def test_wrong_dtype_rejected(corpus, column, wrong):
    corpus[column] = wrong(corpus[column])
    with pytest.raises(ValueError, match=f"column '{column}' has dtype .*expected"):
        validate_corpus(corpus)


def test_naive_datetime_rejected(corpus):
    corpus["published"] = corpus["published"].dt.tz_localize(None)
    with pytest.raises(ValueError, match="'published'.*datetime64\\[ns, UTC\\]"):
        validate_corpus(corpus)


@pytest.mark.parametrize("column", ["tags", "cited_sources"])
def test_list_column_must_hold_lists_of_str(corpus, column):
    corpus[column] = pd.Series(["not a list", ["ok"]], dtype="object")
    with pytest.raises(ValueError, match=f"'{column}' must hold lists of str"):
        validate_corpus(corpus)
    corpus[column] = pd.Series([[1], ["ok"]], dtype="object")
    with pytest.raises(ValueError, match=f"'{column}' must hold lists of str"):
        validate_corpus(corpus)


def test_dangling_duplicate_of_rejected(corpus):
    corpus.loc[1, "duplicate_of"] = "ffffffffffffffff"
    with pytest.raises(ValueError, match="duplicate_of points to unknown doc_id.*ffffffffffffffff"):
        validate_corpus(corpus)


def test_all_problems_reported_together(corpus):
    broken = corpus.drop(columns=["text", "url"])
    with pytest.raises(ValueError) as info:
        validate_corpus(broken)
    assert "'text'" in str(info.value) and "'url'" in str(info.value)


def test_describe_schema():
    table = describe_schema()
    assert list(table.columns) == ["column", "dtype", "meaning"]
    assert table["column"].tolist()[:len(CORPUS_COLUMNS)] == list(CORPUS_COLUMNS)
    assert {"raw_text", "author"} <= set(table["column"])
