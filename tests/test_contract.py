"""The contract every measure keeps (issue 10): corpus or units in; results keyed by
(``doc_id``, ``segment_id``) with ``language`` and the metadata columns of
``toolkit.schema.META_COLUMNS``; one language rule; ``unit=`` on a corpus is the same as
the measure on ``units(corpus, unit)``; unknown options are a TypeError.

One parametrised suite over every measure, after scikit-learn's ``parametrize_with_checks``.
Measures of one row per unit or per hit (sentiment, frames, naming, actors, actor tone, sources,
kwic, topic shares, concept counts) run through the same checks; the annotator ``tokenize``, the target-level
``targeted_sentiment``, ``TopicModel.transform`` and topic prevalence have their own tests
below, each saying how it follows the contract.
The articles below are INVENTED for this test (no corpus text).
"""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from toolkit.concepts import concept_counts
from toolkit.explore import kwic
from toolkit.framing import naming_baseline, naming_mentions
from toolkit.schema import META_COLUMNS
from toolkit.units import make_units, segment, units

# invented articles: Russian (two paragraphs), English, Ukrainian; each has a frame term, an
# actor, a contested name, an attribution and an evaluative word
RU = ("Азербайджан начал наступление в Ханкенди. Об этом сообщает Politico.\n\n"
      "Гуманитарная помощь прибыла в Степанакерт, заявил представитель ООН. Это катастрофа.")
EN = "Armenia welcomed the peace talks in Stepanakert, according to Reuters. The ceasefire held."
UK = "Азербайджан розпочав наступ у Карабасі, повідомляє Reuters. Гуманітарна допомога не надійшла."

CORPUS = pd.DataFrame({
    "doc_id": ["ru1", "en1", "uk1"],
    "outlet": pd.Categorical(["a.ru", "b.com", "c.ua"]),
    "outlet_name": pd.Categorical(["A", "B", "C"]),
    "outlet_country": pd.Categorical(["RU", "GB", "UA"]),
    "published": pd.to_datetime(["2023-09-19", "2023-09-20", None], utc=True),
    "title": ["t1", "t2", "t3"],
    "language": pd.Categorical(["ru", "en", "uk"]),
    "text": [RU, EN, UK],
})
LANGUAGE = dict(zip(CORPUS["doc_id"], CORPUS["language"].astype(str)))

#: measures returning one row per unit
PER_UNIT = {
    "sentiment": toolkit.sentiment,
    "frames": toolkit.frames,
    "naming": toolkit.naming,
    "naming_baseline": naming_baseline,
}


def topic_shares(frame: pd.DataFrame, **options) -> pd.DataFrame:
    """``fit_topics(...).doc_topics``: one row per unit that has a term in the vocabulary (a unit
    with no term has no topic shares to fit, so it is a per-hit measure here)."""
    return toolkit.fit_topics(frame, 2, random_state=0, **options).doc_topics


#: measures returning one row per hit (several or none per unit)
PER_HIT = {
    "actors": toolkit.actors,
    "actor_sentiment": toolkit.actor_sentiment,
    "topic_shares": topic_shares,
    "concept_counts": concept_counts,
    "sources": toolkit.sources,
    "naming_mentions": naming_mentions,
    "kwic": lambda frame, **options: kwic(frame, "Азербайджан", **options),
}
MEASURES = {**PER_UNIT, **PER_HIT}
#: the unit each measure uses for a corpus when none is given
DEFAULT_UNIT = {"sentiment": "sentence", "sources": "sentence"}


def inputs(kind: str, with_language: bool) -> pd.DataFrame:
    frame = CORPUS if with_language else CORPUS.drop(columns="language")
    if kind == "corpus":
        return frame
    if kind == "units":
        return units(frame, "paragraph")
    return segment(frame, "sentence")  # the worker: every corpus column carried


def expected_units(kind: str, measure: str) -> pd.DataFrame:
    unit = {"corpus": DEFAULT_UNIT.get(measure, "article"), "units": "paragraph", "segments": "sentence"}[kind]
    return units(CORPUS, unit)


def assert_keyed_like(out: pd.DataFrame, made: pd.DataFrame, *, per_unit: bool) -> None:
    """``out`` is keyed by (doc_id, segment_id) of the units ``made``, with the language by the
    rule and the metadata columns of those units, in schema order, last."""
    assert list(out.columns[:3]) == ["doc_id", "segment_id", "language"]
    assert str(out["segment_id"].dtype) == "Int64" and out["segment_id"].notna().all()
    # the one list of metadata columns, after the measure's own columns, in schema order
    meta = [c for c in out.columns if c in META_COLUMNS]
    assert meta == [c for c in META_COLUMNS if c in CORPUS]
    assert list(out.columns[-len(meta):]) == meta
    assert "title" not in out  # not a carried column
    assert len(out) > 0, "the invented corpus has something for every measure"
    unit_keys = set(zip(made["doc_id"], made["segment_id"]))
    keys = list(zip(out["doc_id"], out["segment_id"]))
    assert set(keys) <= unit_keys
    if per_unit:
        assert keys == list(zip(made["doc_id"], made["segment_id"]))  # one row per unit, in order
    # language by the rule: the column, or detection when it is absent; the same either way
    assert out["language"].astype(str).tolist() == [LANGUAGE[d] for d in out["doc_id"]]
    merged = out.merge(made[["doc_id", "segment_id", "outlet", "published"]], on=["doc_id", "segment_id"],
                       suffixes=("", "_unit"))
    assert merged["outlet"].astype(str).tolist() == merged["outlet_unit"].astype(str).tolist()
    assert merged["published"].isna().tolist() == merged["published_unit"].isna().tolist()


@pytest.mark.parametrize("with_language", [True, False], ids=["language", "no_language"])
@pytest.mark.parametrize("kind", ["corpus", "units", "segments"])
@pytest.mark.parametrize("name", sorted(MEASURES))
def test_keys_metadata_and_language(name, kind, with_language):
    out = MEASURES[name](inputs(kind, with_language))
    assert_keyed_like(out, expected_units(kind, name), per_unit=name in PER_UNIT)


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_results_do_not_depend_on_whether_language_was_given(name):
    given = MEASURES[name](inputs("corpus", True))
    detected = MEASURES[name](inputs("corpus", False))
    columns = [c for c in given.columns if c != "language"]
    pd.testing.assert_frame_equal(given[columns], detected[columns], check_dtype=False, check_categorical=False)


@pytest.mark.parametrize("unit", ["article", "paragraph", "sentence"])
@pytest.mark.parametrize("name", sorted(MEASURES))
def test_unit_argument_is_the_same_as_units_first(name, unit):
    direct = MEASURES[name](CORPUS, unit=unit)
    via_units = MEASURES[name](units(CORPUS, unit))
    pd.testing.assert_frame_equal(direct, via_units)


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_the_language_rule_refuses_texts_of_no_language(name):
    unknown = pd.DataFrame({"doc_id": ["x"], "text": ["12 345 678"]})
    with pytest.raises(ValueError, match="add a 'language' column"):
        MEASURES[name](unknown)


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_unknown_options_are_a_type_error_naming_them(name):
    with pytest.raises(TypeError, match="unitt"):
        MEASURES[name](CORPUS, unitt="sentence")


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_units_of_another_kind_are_refused(name):
    with pytest.raises(ValueError, match="these are paragraph units"):
        MEASURES[name](units(CORPUS, "paragraph"), unit="sentence")


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_results_list_the_resources_they_used(name):
    # issue 10: results carry the lexicons, word lists and models they used (name, version, SHA-256)
    used = MEASURES[name](CORPUS).attrs.get("resources")
    assert used, name
    assert all(len(r["sha256"]) == 64 and r["version"] for r in used), name


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_input_is_not_modified(name):
    frame = CORPUS.copy()
    MEASURES[name](frame, unit="sentence")
    pd.testing.assert_frame_equal(frame, CORPUS)


def test_naming_counts_each_segment_not_the_article():
    # regression (issue 10): naming(segment(corpus)) gave every segment the article's totals
    per_paragraph = toolkit.naming(CORPUS.iloc[[0]], unit="paragraph")
    # paragraph 0: "наступление" (Armenian-side) and "Ханкенди"; paragraph 1: "Степанакерт"
    assert per_paragraph[["segment_id", "armenian", "azerbaijani"]].values.tolist() == [[0, 1, 1], [1, 1, 0]]
    article = toolkit.naming(CORPUS.iloc[[0]])
    assert article[["segment_id", "armenian", "azerbaijani"]].values.tolist() == [[0, 2, 1]]


def test_sources_keep_the_segment_id():
    # regression (issue 10): sources() re-split into sentences and dropped segment_id
    out = toolkit.sources(units(CORPUS.iloc[[0]], "paragraph"))
    assert out[["segment_id", "source"]].values.tolist() == [[0, "Politico"], [1, "представитель ООН"]]


def test_measures_without_language_column_do_not_silently_score_nothing():
    # regression (issue 10): without a language column frames were all missing and sentiment scored 0 units
    no_language = CORPUS.drop(columns="language")
    assert toolkit.frames(no_language)["humanitarian"].notna().all()
    assert toolkit.sentiment(no_language)["score"].notna().sum() == \
        toolkit.sentiment(CORPUS)["score"].notna().sum() > 0


def test_old_keyword_names_still_work_with_a_warning():
    # regression (issue 10): one idea, one name (unit=); the 0.1 names keep working one release
    # actor_sentiment(window="sentence") scored mentions in their sentence, as every mention now is
    # (its result stays per article); unit= says which units the result is keyed by
    with pytest.warns(DeprecationWarning, match=r"actor_sentiment\(window=...\) is deprecated"):
        old = toolkit.actor_sentiment(CORPUS, window="sentence")
    pd.testing.assert_frame_equal(old, toolkit.actor_sentiment(CORPUS))
    with pytest.raises(ValueError, match="scored in its sentence"):
        toolkit.actor_sentiment(CORPUS, window="paragraph")
    with pytest.warns(DeprecationWarning, match=r"segment\(level=...\) is deprecated"):
        toolkit.segment(CORPUS, level="sentence")


def summary_tables() -> dict[str, tuple[pd.DataFrame, set]]:
    """Every table that counts or averages, with the count and mean columns it must have.

    Not listed, and why: ``corpus_summary`` is a list of facts (``fact``, ``value`` as text);
    ``frame_profile`` and ``actor_counts`` are wide tables whose columns are the frames' and
    actors' names; ``select_k`` and ``coherence`` hold scores, not counts or means;
    ``figures.group_table`` is a drawing table whose caller names the count column it reads.
    """
    from toolkit.framing import naming_auc, naming_by_outlet
    from toolkit.overview import articles_per
    from toolkit.sourcing import source_profile
    from toolkit.timeline import over_time
    from toolkit.tone import tone_by

    naming = toolkit.naming(CORPUS)
    model = toolkit.fit_topics(CORPUS, 2, random_state=0)
    sides = {"a.ru": "AM", "b.com": "AZ", "c.ua": "AZ"}  # invented sides of the invented outlets
    return {
        "articles_per": (articles_per(CORPUS.assign(duplicate_of=None), "outlet"), {"n_articles"}),
        "over_time": (over_time(toolkit.frames(CORPUS), "military"), {"mean", "n_scored"}),
        "tone_by": (tone_by(toolkit.sentiment(CORPUS), "outlet", n_boot=50), {"mean", "n_scored"}),
        "naming_by_outlet": (naming_by_outlet(naming), {"mean", "n_scored", "n_articles", "n_mentions"}),
        "naming_auc": (pd.DataFrame([naming_auc(naming, sides, n_boot=20)]),
                       {"n_scored", "n_articles", "n_outlets", "n_outlets_positive", "n_outlets_negative"}),
        "source_profile": (source_profile(toolkit.sources(CORPUS)).reset_index(), {"n_sources"}),
        "frequencies": (toolkit.frequencies(CORPUS, by="outlet"), {"n_occurrences", "n_units"}),
        "collocations": (toolkit.collocations(CORPUS, min_count=1), {"n_occurrences"}),
        "keyness": (toolkit.keyness(CORPUS, by="outlet", target="a.ru"), {"n_target", "n_reference"}),
        "prevalence": (model.prevalence(by="outlet_country", n_boot=50), {"mean", "n_articles"}),
        "concept_counts": (concept_counts(CORPUS), {"n_mentions"}),
        "actor_sentiment": (toolkit.actor_sentiment(CORPUS),
                            {"n_mentions", "n_scored", "n_negative", "n_positive"}),
        "sentiment": (toolkit.sentiment(CORPUS), {"n_matched"}),
        "frames": (toolkit.frames(CORPUS), {"n_words"}),
    }


def test_summary_tables_name_means_and_counts_one_way():
    # regression (issue 10): a mean was `share`, `mean` or `value`; a count `n`, `n_articles`,
    # `n_scored`, `articles` or `count` depending on the table
    from toolkit.schema import RENAMED_RESULT_COLUMNS, RESULT_COLUMNS

    old_names = {"n", "count", "docs", "value", "articles"}
    for name, (table, expected) in summary_tables().items():
        assert len(table) > 0, name
        counts_and_means = {c for c in table.columns if c.startswith("n_") or c == "mean"}
        assert counts_and_means == expected, (name, counts_and_means)
        assert expected <= set(RESULT_COLUMNS), (name, expected - set(RESULT_COLUMNS))
        assert not old_names & set(table.columns), (name, old_names & set(table.columns))
        assert not set(RENAMED_RESULT_COLUMNS.get(name, {})) & set(table.columns), name


def test_old_summary_names_work_for_one_release_with_a_warning():
    from toolkit.schema import old_result_names

    table = toolkit.frequencies(CORPUS, by=None)
    with pytest.warns(DeprecationWarning, match=r"0.1 column names of frequencies\(\) are deprecated"):
        old = old_result_names(table, "frequencies")
    assert old[["count", "docs"]].values.tolist() == table[["n_occurrences", "n_units"]].values.tolist()
    with pytest.raises(ValueError, match="no renamed columns"):
        old_result_names(table, "frequency")


def test_modules_are_not_shadowed_by_functions():
    # regression (issue 10): toolkit.tokenize.pretokenized and toolkit.sentiment.use_lexicon raised AttributeError
    import importlib

    for module, attribute in [("tokens", "pretokenized"), ("tone", "use_lexicon"), ("units", "units"),
                              ("mentions", "gazetteer"), ("sourcing", "source_profile"), ("keywords", "keyness")]:
        assert hasattr(importlib.import_module(f"toolkit.{module}"), attribute)
        assert not callable(getattr(toolkit, module, None)), module


# ------------------------------------------------------------------ tokenize: an annotator
# tokenize adds columns to the rows it is given (a corpus stays a corpus, so that frequencies and
# keyness can group by any of its columns); with unit= it makes the units first. Either way the
# keys it was given stay, and the language is the rule's, written into the `language` column.

@pytest.mark.parametrize("with_language", [True, False], ids=["language", "no_language"])
@pytest.mark.parametrize("kind", ["corpus", "units", "segments"])
def test_tokenize_keeps_rows_keys_and_metadata_and_writes_the_language(kind, with_language):
    given = inputs(kind, with_language)
    out = toolkit.tokenize(given)
    pd.testing.assert_frame_equal(out[[c for c in given.columns if c != "language"]],
                                  given[[c for c in given.columns if c != "language"]])
    assert out["language"].astype(str).tolist() == [LANGUAGE[d] for d in out["doc_id"]]
    assert out["tokens"].map(len).gt(0).all()
    # the tokens do not depend on whether the language was given or detected
    assert out["tokens"].tolist() == toolkit.tokenize(inputs(kind, True))["tokens"].tolist()


@pytest.mark.parametrize("unit", ["article", "paragraph", "sentence"])
def test_tokenize_unit_argument_is_the_same_as_units_first(unit):
    direct = toolkit.tokenize(CORPUS, unit=unit)
    pd.testing.assert_frame_equal(direct, toolkit.tokenize(units(CORPUS, unit)))
    assert list(direct.columns[:3]) == ["doc_id", "segment_id", "text"]
    assert [c for c in direct.columns if c in META_COLUMNS] == [c for c in META_COLUMNS if c in CORPUS]
    # article tokens are never copied onto the article's paragraphs
    tokenized = toolkit.tokenize(CORPUS)
    if unit != "article":
        resplit = toolkit.tokenize(tokenized, unit=unit)
        assert resplit["tokens"].tolist() == direct["tokens"].tolist()


def test_tokenize_follows_the_language_rule_and_refuses_typos():
    with pytest.raises(ValueError, match="add a 'language' column"):
        toolkit.tokenize(pd.DataFrame({"doc_id": ["x"], "text": ["12 345 678"]}))
    with pytest.raises(TypeError, match="unitt"):
        toolkit.tokenize(CORPUS, unitt="sentence")
    with pytest.raises(ValueError, match="these are paragraph units"):
        toolkit.tokenize(units(CORPUS, "paragraph"), unit="sentence")


# ------------------------------------------------------------------ targeted_sentiment: target rows
# targeted_sentiment scores rows that mark a target in a text (start, end), e.g. actors() output
# joined with its units' text; it keeps every column it is given (keys, metadata) and applies
# the language rule where the language is not given.

def targets(kind: str, with_language: bool) -> pd.DataFrame:
    frame = inputs(kind, with_language)
    made = make_units(frame)
    mentions = toolkit.actors(frame, kind="actor")
    located = mentions.merge(made[["doc_id", "segment_id", "text"]], on=["doc_id", "segment_id"])
    return located if with_language else located.drop(columns="language")


@pytest.mark.parametrize("with_language", [True, False], ids=["language", "no_language"])
@pytest.mark.parametrize("kind", ["corpus", "units", "segments"])
def test_targeted_sentiment_keeps_keys_and_metadata_and_follows_the_language_rule(kind, with_language):
    given = targets(kind, with_language)
    out = toolkit.targeted_sentiment(given)
    pd.testing.assert_frame_equal(out[list(given.columns)], given)
    assert out["language"].astype(str).tolist() == [LANGUAGE[d] for d in out["doc_id"]]
    # ru (model), en and uk (lexicon) are all scored: 0.1 left rows without a language unscored
    assert out["label"].notna().all() and len(out) >= 3
    with_column = toolkit.targeted_sentiment(targets(kind, True))
    assert out["label"].tolist() == with_column["label"].tolist()
    assert out["score"].tolist() == pytest.approx(with_column["score"].tolist())


def test_targeted_sentiment_refuses_texts_of_no_language_and_typos():
    with pytest.raises(ValueError, match="add a 'language' column"):
        toolkit.targeted_sentiment(pd.DataFrame({"text": ["12 345 678"], "start": [0], "end": [2]}))
    with pytest.raises(TypeError, match="methd"):
        toolkit.targeted_sentiment(targets("corpus", True), methd="lexicon")


# ------------------------------------------------------------------ topics: transform and prevalence
# A fitted model infers topic shares of units of its own kind: one row per unit given, keyed and
# carrying metadata like every measure.

MODEL_UNIT = {"corpus": "article", "units": "paragraph", "segments": "sentence"}


@pytest.fixture(scope="module")
def topic_models():
    return {unit: toolkit.fit_topics(CORPUS, 2, unit=unit, random_state=0) for unit in MODEL_UNIT.values()}


@pytest.mark.parametrize("with_language", [True, False], ids=["language", "no_language"])
@pytest.mark.parametrize("kind", ["corpus", "units", "segments"])
def test_topic_transform_follows_the_contract(topic_models, kind, with_language):
    model = topic_models[MODEL_UNIT[kind]]
    out = model.transform(inputs(kind, with_language))
    made = units(CORPUS, MODEL_UNIT[kind])
    assert_keyed_like(out, made, per_unit=True)
    assert out[model.topic_columns].sum(axis=1).to_numpy() == pytest.approx(1.0)
    # for the training units, transform gives the fitted shares (doc_topics), keys and metadata included
    fitted = model.doc_topics
    pd.testing.assert_frame_equal(out.merge(fitted[["doc_id", "segment_id"]]).reset_index(drop=True)
                                  .drop(columns=model.topic_columns).astype({"language": str}),
                                  fitted.drop(columns=model.topic_columns).astype({"language": str}))


def test_topic_transform_refuses_units_of_another_kind(topic_models):
    with pytest.raises(ValueError, match="these are paragraph units"):
        topic_models["sentence"].transform(units(CORPUS, "paragraph"))


def test_whole_articles_are_segment_zero_in_topic_tables(topic_models):
    # regression (issue 10): article-level topic tables had a missing segment_id
    model = topic_models["article"]
    for table in (model.doc_topics, model.dominant, model.transform(CORPUS)):
        assert table["segment_id"].tolist() == [0] * len(table)


@pytest.mark.parametrize("by", [c for c in META_COLUMNS if c in CORPUS and c != "published"] + ["language"])
def test_topic_prevalence_groups_by_every_metadata_column(topic_models, by):
    model = topic_models["paragraph"]
    table = model.prevalence(by=by, n_boot=50)
    assert list(table.columns) == [by, "topic", "label", "mean", "ci_low", "ci_high", "n_articles"]
    # paragraphs are averaged per article first: each group counts its articles
    expected = CORPUS.groupby(by, observed=True).size() if by != "language" else \
        CORPUS.assign(language=CORPUS["language"].astype(str)).groupby(by).size()
    got = table.drop_duplicates(by).set_index(by)["n_articles"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    per_article = model.doc_topics.groupby("doc_id")["topic_0"].mean()
    means = per_article.groupby(CORPUS.set_index("doc_id")[by].astype(str)).mean()
    assert table[table["topic"] == 0].set_index(table[table["topic"] == 0][by].astype(str))["mean"].sort_index() \
        .tolist() == pytest.approx(means.sort_index().tolist())


def test_make_units_is_the_public_unit_function():
    # regression (issue 10): units were reachable only as toolkit.units.units (module and function share a name)
    import inspect

    assert "make_units" in toolkit.__all__ and toolkit.make_units is toolkit.units.units
    assert inspect.ismodule(toolkit.units)
    made = toolkit.make_units(CORPUS, "paragraph")
    assert made[["doc_id", "segment_id"]].values.tolist() == [["ru1", 0], ["ru1", 1], ["en1", 0], ["uk1", 0]]
    assert list(made.columns) == ["doc_id", "segment_id", "text", "language", "start", "end",
                                  *[c for c in META_COLUMNS if c in CORPUS]]
