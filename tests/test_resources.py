"""Tests for toolkit.resources: lexicons and models as immutable, hashed objects passed as arguments.

The lexicon files written to tmp_path and all texts are INVENTED for these tests.
"""
from __future__ import annotations

import hashlib
import json
import math
import warnings

import pandas as pd
import pytest

import toolkit
from toolkit import matching
from toolkit.framing import frames, naming
from toolkit.mentions import actors
from toolkit.resources import (KINDS, Resource, load_resource, read_resources_log, registry, registry_problems,
                               resources_manifest)
from toolkit.sourcing import sources
from toolkit.tone import score_text, sentiment, use_lexicon

RU = "Гуманитарная помощь прибыла в Степанакерт."  # invented


def one(text, language="ru", doc_id="a"):
    return pd.DataFrame({"doc_id": [doc_id], "language": [language], "text": [text]})


def test_registry_matches_the_files():
    # a lexicon edited without a version bump fails here, naming the row to update
    assert registry_problems() == []


def test_every_registry_row_loads_with_the_file_hash():
    for row in registry().itertuples(index=False):
        resource = load_resource(row.kind, language=row.language or None, name=row.name)
        assert (resource.kind, resource.name, resource.version) == (row.kind, row.name, row.version)
        if not row.path.startswith("pkg:"):
            assert resource.sha256 == row.sha256
        assert resource.kind in KINDS


def test_resource_is_frozen_and_hands_out_copies():
    frames_resource = load_resource("frames")
    with pytest.raises(AttributeError):
        frames_resource.sha256 = "0" * 64
    table = frames_resource.table()
    table.loc[:, "term"] = "changed"
    assert (frames_resource.table()["term"] != "changed").all()
    with pytest.raises(TypeError):
        frames_resource.mapping()["x"] = 1.0


def test_user_file_is_hashed_and_named(tmp_path):
    path = tmp_path / "my_frames.csv"
    content = "# invented frame dictionary\nframe,lang,term\nrelief,ru,гуманитарный помощь\n"
    path.write_text(content, encoding="utf-8")
    resource = load_resource("frames", path)
    assert resource.name == "my_frames.csv" and resource.version == "user"
    assert resource.sha256 == hashlib.sha256(content.encode("utf-8")).hexdigest()


def test_frames_with_a_user_lexicon(tmp_path):
    path = tmp_path / "my_frames.csv"
    path.write_text("# invented\nframe,lang,term\nrelief,ru,гуманитарный помощь\nrelief,ru,прибыть\n",
                    encoding="utf-8")
    out = frames(one(RU), lexicon=str(path), per=None)
    assert out["relief"].tolist() == [2]
    assert "humanitarian" not in out
    assert out.attrs["resources"][0]["name"] == "my_frames.csv"


def test_matcher_cache_is_keyed_by_content_not_name(tmp_path):
    # two files with the same name and different terms must not share a compiled matcher
    first, second = tmp_path / "a" / "frames.csv", tmp_path / "b" / "frames.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("frame,lang,term\nx,ru,помощь\n", encoding="utf-8")
    second.write_text("frame,lang,term\nx,ru,прибыть\nx,ru,степанакерт\n", encoding="utf-8")
    assert frames(one(RU), lexicon=first, per=None)["x"].tolist() == [1]
    assert frames(one(RU), lexicon=second, per=None)["x"].tolist() == [2]


def test_missing_columns_and_missing_file_are_clear(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("frame,term\nx,помощь\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing \['lang'\]"):
        load_resource("frames", bad)
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        frames(one(RU), lexicon=tmp_path / "nowhere.csv")
    with pytest.raises(ValueError, match="kind must be one of"):
        load_resource("framez")


def test_sentiment_lexicon_argument_for_a_language_without_scorer():
    # Azerbaijani has no packaged scorer; a user's lexicon scores it (0.1's use_lexicon ignored it)
    text = "Danışıqlar uğurlu oldu."  # invented
    assert sentiment(one(text, "az"))["score"].isna().all()
    out = sentiment(one(text, "az"), lexicon={"uğurlu": 0.8})
    assert out["n_matched"].tolist() == [1] and out["score"].iloc[0] > 0
    per_language = sentiment(one(text, "az"), lexicon={"az": {"uğurlu": 0.8}})
    assert per_language["score"].tolist() == out["score"].tolist()
    assert "in-memory lexicon" in {r["name"] for r in out.attrs["resources"]}


def test_sentiment_records_the_lexicons_it_used():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "language": ["ru", "en"],
                           "text": ["Это катастрофа.", "This is a disaster."]})  # invented
    names = {(r["kind"], r["name"]) for r in sentiment(corpus).attrs["resources"]}
    assert names == {("sentiment", "sentiment_ru"), ("sentiment", "vader"), ("negators", "negators")}


def test_use_lexicon_is_a_deprecated_shim_that_still_works():
    try:
        with pytest.warns(DeprecationWarning, match="pass the lexicon"):
            use_lexicon("az", {"fəlakət": -0.9})
        assert score_text("Bu fəlakət idi.", "az")["score"] < 0  # invented
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            use_lexicon("az", None)
    assert score_text("Bu fəlakət idi.", "az")["n_matched"] == 0


def test_naming_and_actors_take_their_resource(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("pair,side,lang,term,strength,note\ncity,armenian,ru,Степанакерт*,0.75,invented\n"
                     "city,azerbaijani,ru,Ханкенди,0.75,invented\n", encoding="utf-8")
    out = naming(one(RU), pairs=pairs)
    # one mention of strength 0.75 (log-odds ln 3) -> index ln 3 / (ln 3 + 2)
    assert out[["city__armenian", "armenian"]].values.tolist() == [[1, 1]]
    assert float(out["naming_index"].iloc[0]) == pytest.approx(math.log(3) / (math.log(3) + 2))
    gazetteer = tmp_path / "gaz.csv"
    gazetteer.write_text("id,kind,lang,name\naid,actor,ru,гуманитарная помощь\n", encoding="utf-8")
    assert actors(one(RU), gazetteer=gazetteer)["actor"].astype(str).tolist() == ["aid"]


def test_sources_take_cue_files(tmp_path):
    verbs = tmp_path / "verbs.csv"
    verbs.write_text("lang,term\nru,поведать\n", encoding="utf-8")
    text = "Дипломат поведал о встрече."  # invented
    assert sources(one(text)).empty  # "поведать" is not a packaged attribution verb
    assert sources(one(text), verbs=verbs)["source"].tolist() == ["Дипломат"]


def test_manifest_entries_and_log(tmp_path, monkeypatch):
    log = tmp_path / "resources.jsonl"
    monkeypatch.setenv("TOOLKIT_RESOURCES_LOG", str(log))
    table = frames(one(RU))
    entries = resources_manifest([table, load_resource("frames")])
    assert [(e["kind"], e["name"]) for e in entries] == [("frames", "frames")]
    assert entries[0]["sha256"] == load_resource("frames").sha256
    logged = read_resources_log(log)
    assert ("frames", load_resource("frames").sha256) in {(e["kind"], e["sha256"]) for e in logged}
    assert all(json.loads(line)["sha256"] for line in log.read_text().splitlines())


def test_top_level_exports():
    assert toolkit.load_resource is load_resource and toolkit.Resource is Resource
    assert isinstance(matching._MATCHERS, dict)


def test_saved_topic_model_records_the_word_lists_it_used(tmp_path):
    # invented sentences; the model is small, what matters is model.json's "resources"
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "language": ["ru"] * 4,
                           "text": ["Переговоры в Брюсселе о мирном договоре.", "Обстрел границы и потери армии.",
                                    "Мирный договор обсудили министры.", "Армия ответила на обстрел границы."]})
    model = toolkit.fit_topics(corpus, k=2, random_state=0)
    folder = model.save(tmp_path / "model")
    saved = {(r["kind"], r["name"]): r["sha256"] for r in json.loads((folder / "model.json").read_text())["resources"]}
    assert saved[("stopwords", "stopwords_ru")] == load_resource("stopwords", language="ru").sha256
    assert ("phrases", "phrases") in saved and ("gazetteer", "gazetteer") in saved
    loaded = toolkit.TopicModel.load(folder)
    assert {(r["kind"], r["name"]) for r in loaded.units.attrs["resources"]} == set(saved)
