"""One article read twice is added once; a reprint by another outlet stays, marked duplicate_of.

Fixtures are small invented articles written for these tests (none is a real news text).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from toolkit import dedup
from toolkit.corpus import IngestError, ingest, load_corpus

SHARED_CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"

# Invented articles of one outlet (English), distinct enough not to be near-duplicates.
INVENTED = [
    {"id": "a1", "title": "Convoy reaches the corridor checkpoint",
     "paragraphs": ["A convoy of twelve lorries carrying flour and medicine reached the checkpoint on Tuesday.",
                    "Drivers waited nine hours before the guards let the first vehicle pass towards the valley.",
                    "Local officials said the cargo would be shared among four villages before the weekend."]},
    {"id": "a2", "title": "Talks in the capital end without a statement",
     "paragraphs": ["Two delegations met for six hours in a guarded hotel near the river embankment.",
                    "Neither side published a statement, and reporters were kept outside the conference hall.",
                    "A diplomat who asked not to be named said another round could follow next month."]},
    {"id": "a3", "title": "School reopens after the winter repairs",
     "paragraphs": ["The village school reopened its doors after builders replaced the roof and the windows.",
                    "Forty pupils returned to classrooms that had been closed since the heavy November storms.",
                    "Parents thanked the volunteers who carried timber up the mountain road by hand."]},
]
OUTLET, DATE = "news.example", "2023-09-19"


def _seed_file(article: dict, outlet: str = OUTLET, date: str | None = DATE) -> str:
    """The invented article in the aggregator's seed layout (paragraphs on one line each)."""
    lines = [article["title"], "", article["title"], f"фото показано с : {outlet}"]
    if date:
        lines += ["", f"{date} 12:00"]
    lines += ["", " ".join(article["paragraphs"]), "", "Подробнее читайте на ...", "", "convoy test"]
    return "\n".join(lines)


def _jsonl_row(article: dict, outlet: str = OUTLET, date: str | None = DATE) -> dict:
    """The same invented article as an export row: URL and extra fields, no title, blank lines."""
    return {"id": article["id"], "url": f"https://www.{outlet}/news/{article['id']}?utm_source=feed",
            "outlet": outlet, "published": date, "title": None, "event": "other",
            "text": "\n\n".join(article["paragraphs"])}


def _write_two_layouts(folder: Path) -> tuple[Path, list[Path]]:
    table = folder / "export.jsonl"
    table.write_text("\n".join(json.dumps(_jsonl_row(a)) for a in INVENTED), encoding="utf-8")
    (folder / "seeds").mkdir()
    seeds = []
    for number, article in enumerate(INVENTED):
        seeds.append(folder / "seeds" / f"{number:03d}_{article['id']}.txt")
        seeds[-1].write_text(_seed_file(article), encoding="utf-8")
    return table, seeds


def _ingest(paths, streaming: bool, tmp_path: Path, **kw):
    """The corpus and report of an in-memory or a streaming ingest (same rules)."""
    if not streaming:
        result = ingest(paths, n_jobs=1, **kw)
        return result.corpus, result.report
    result = ingest(paths, out=tmp_path / "dataset", n_jobs=1, **kw)
    return load_corpus(tmp_path / "dataset"), result.report


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("seeds_first", [False, True])
def test_two_layouts_of_one_export_count_once(tmp_path, streaming, seeds_first):
    table, seeds = _write_two_layouts(tmp_path)
    paths = [tmp_path / "seeds", table] if seeds_first else [table, tmp_path / "seeds"]
    corpus, report = _ingest(paths, streaming, tmp_path)
    assert len(corpus) == 3
    # the export rows have more metadata (url, id, event): they are kept, whatever the order
    assert set(corpus["source_file"]) == {str(table)}
    assert corpus["duplicate_of"].isna().all()
    rows = report.set_index("file")
    assert rows.loc[str(table), "n_articles"] == 3 and rows.loc[str(table), "status"] == "loaded"
    kept = dict(zip(corpus["url"].str.extract(r"/news/(a\d)")[0], corpus["doc_id"]))
    for seed, article in zip(seeds, INVENTED):
        row = rows.loc[str(seed)]
        assert row["status"] == "duplicate" and row["n_articles"] == 0
        assert row["reason"] == f"same article as {table} (doc_id {kept[article['id']]}), read twice: not added"
    # every input article is accounted for: added, or named as read twice
    assert rows["n_articles"].sum() + rows["reason"].str.contains("read twice").sum() == 6


def test_in_memory_and_streaming_agree(tmp_path):
    table, _ = _write_two_layouts(tmp_path)
    (tmp_path / "other.txt").write_text(_seed_file(INVENTED[0], outlet="other.example"), encoding="utf-8")
    memory, memory_report = _ingest(tmp_path, False, tmp_path)
    streamed, streamed_report = _ingest(tmp_path, True, tmp_path / "s")
    pd.testing.assert_frame_equal(memory_report, streamed_report)
    key = ["doc_id", "duplicate_of"]
    pd.testing.assert_frame_equal(memory[key].sort_values("doc_id").reset_index(drop=True),
                                  streamed[key].sort_values("doc_id").reset_index(drop=True))


def test_read_twice_raises_with_errors_raise(tmp_path):
    _write_two_layouts(tmp_path)
    with pytest.raises(IngestError, match="read twice"):
        ingest(tmp_path, errors="raise")


@pytest.mark.parametrize("streaming", [False, True])
def test_reprint_by_another_outlet_stays(tmp_path, streaming):
    # one invented story: the original outlet, and a second outlet's word-for-word copy a day later
    (tmp_path / "orig.txt").write_text(_seed_file(INVENTED[1]), encoding="utf-8")
    (tmp_path / "copy.txt").write_text(_seed_file(INVENTED[1], outlet="aggregator.example", date="2023-09-20"),
                                       encoding="utf-8")
    corpus, report = _ingest(tmp_path, streaming, tmp_path)
    assert len(corpus) == 2
    by_outlet = corpus.set_index("outlet")
    assert by_outlet.loc["aggregator.example", "duplicate_of"] == by_outlet.loc[OUTLET, "doc_id"]
    copy_row = report.set_index("file").loc[str(tmp_path / "copy.txt")]
    assert copy_row["n_articles"] == 1 and "near-duplicate of" in copy_row["reason"]


def test_one_outlets_articles_sharing_boilerplate_do_not_merge(tmp_path):
    # two different invented articles of one outlet and day, both ending with the same long footer
    footer = ("Subscribe to our channel for the latest news from the region and follow our reporters "
              "who work in the field every day of the week.")
    for number, article in enumerate(INVENTED[:2]):
        article = dict(article, paragraphs=article["paragraphs"] + [footer])
        (tmp_path / f"{number}.txt").write_text(_seed_file(article), encoding="utf-8")
    corpus = ingest(tmp_path).corpus
    assert len(corpus) == 2


@pytest.mark.parametrize("changed, merged", [
    ({"date": "2023-09-20"}, True),     # a day apart: a UTC time and a local date
    ({"date": "2023-09-25"}, False),    # six days apart: published twice
    ({"date": None}, True),             # one read has no date
    ({"outlet": "other.example"}, False),
])
def test_what_makes_the_same_article(tmp_path, changed, merged):
    (tmp_path / "a.txt").write_text(_seed_file(INVENTED[2]), encoding="utf-8")
    # one sentence added: not an exact repeat (same outlet, title and text), which merges on any date
    updated = dict(INVENTED[2], paragraphs=INVENTED[2]["paragraphs"] + ["Updated at noon."])
    (tmp_path / "b.txt").write_text(_seed_file(updated, **changed), encoding="utf-8")
    corpus = ingest(tmp_path).corpus
    assert len(corpus) == (1 if merged else 2)
    if not merged:
        assert corpus["duplicate_of"].notna().sum() == 1  # kept, marked as today


def test_urls_decide_when_both_have_one(tmp_path):
    # invented rows: one page read twice (tracking parameter, edited text), and one text (a
    # sentence added) on two pages
    # (the edit leaves about 2/3 of the 5-grams: one article only because the URL is the same)
    edited = dict(INVENTED[0], paragraphs=INVENTED[0]["paragraphs"][:2] + [
        "An evening update: the guards closed the road again and the remaining lorries turned back to town."])
    second = dict(INVENTED[1], paragraphs=INVENTED[1]["paragraphs"] + ["Updated at noon."])
    rows = [_jsonl_row(INVENTED[0]), dict(_jsonl_row(edited), url=f"http://{OUTLET}/news/a1/"),
            _jsonl_row(INVENTED[1]), dict(_jsonl_row(second), url=f"https://{OUTLET}/en/news/a2", id="a2en")]
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = ingest(tmp_path)
    assert len(result.corpus) == 3
    assert "read twice" in result.report.loc[0, "warnings"]
    assert result.corpus["duplicate_of"].notna().sum() == 1  # the second page of a2: kept, marked


def test_same_article_can_be_turned_off(tmp_path):
    _write_two_layouts(tmp_path)
    corpus = ingest(tmp_path, same_article=1.1).corpus
    assert len(corpus) == 6 and corpus["duplicate_of"].notna().sum() == 3


def test_canonical_url():
    assert dedup.canonical_url("https://www.news.example/a/1/?utm_medium=x&page=2#c") == "news.example/a/1?page=2"
    assert dedup.canonical_url("news.example/amp/a/1") == dedup.canonical_url("https://m.news.example/a/1")
    assert dedup.canonical_url("https://news.example/a/1") != dedup.canonical_url("https://news.example/a/2")
    assert dedup.canonical_url("https://news.example") is None
    assert dedup.canonical_url(None) is None


def _urllib_canonical(url):
    # the reference: every URL read by urllib (urlsplit, parse_qsl, urlencode), as before the fast path
    url = url.strip()
    return dedup._canonical_parsed(url if "//" in url else "//" + url) if url else None


@pytest.mark.parametrize("url", [  # invented URLs
    "https://www.news.example/a/1/?utm_medium=x&page=2#c", "HTTP://M.News.Example/AMP/a/1", "news.example/a/1",
    "https://news.example/?p=674?bench=2", "https://news.example/a?x=1&y=&z&=q&b=2", "https://news.example/a?x=a=b",
    "https://news.example/a?q=one+two&r=%41", "  https://amp.news.example/amp  ", "//www2.news.example/a//b/",
    "https://news.example:8080/a", "https://user@news.example/a", "https://news.example/a\tb", "news.example/a//b",
    "ftp://news.example/a", "https://новости.example/a", "https://news.example/путь?id=7#frag?x",
])
def test_canonical_url_fast_path_agrees_with_urllib(url):
    assert dedup.canonical_url(url) == _urllib_canonical(url)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="hts:/.?#&=+%_~-wWmMaAp1 \tё", max_size=40))
def test_canonical_url_fast_path_agrees_with_urllib_on_generated_urls(url):
    assume(url.strip())
    try:
        expected = _urllib_canonical(url)
    except ValueError:  # urllib refuses it (e.g. a bad port): the fast path must not accept it either
        assert dedup._PLAIN_URL.fullmatch(url.strip() if "//" in url else "//" + url.strip()) is None
        return
    assert dedup.canonical_url(url) == expected


@pytest.mark.skipif(not (SHARED_CORPUS / "dev_corpus.jsonl").exists(), reason="the shared development corpus is absent")
def test_canonical_url_fast_path_agrees_with_urllib_on_the_development_corpus():
    urls = [json.loads(line).get("url") for line in (SHARED_CORPUS / "dev_corpus.jsonl").open(encoding="utf-8")]
    urls = [u for u in urls if isinstance(u, str) and u.strip()]
    assert len(urls) > 100
    assert [dedup.canonical_url(u) for u in urls] == [_urllib_canonical(u) for u in urls]


def test_keep_one_groups_and_richness():
    # 0-1-2 one article (richest: 1), 3-4 another (a tie: the first, 3), 5 alone
    pairs = np.array([[0, 1], [1, 2], [3, 4]])
    assert dedup.keep_one(pairs, 6, np.array([2, 5, 3, 1, 1, 9])).tolist() == [1, -1, 1, -1, 3, -1]


def test_same_article_rules_on_hand_made_keys():
    shingles = {0: np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dtype=np.uint64),
                1: np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 11], dtype=np.uint64),   # 9 of 10 shared
                2: np.array([1, 2, 3, 4, 5, 6, 7, 8, 12, 13], dtype=np.uint64)}  # 8 of 10 shared
    pairs = np.array([[0, 1], [0, 2]])
    same = dedup.same_article(pairs, np.zeros(3, dtype=np.int64), np.array([7, 7, 7]), np.array([-1, 5, 5]),
                              shingles.__getitem__)
    assert same.tolist() == [[0, 1]]
    # different URLs on both: two pages, whatever the text
    assert len(dedup.same_article(pairs[:1], np.array([1, 2, 0]), np.array([7, 7, 7]), np.full(3, -1),
                                  shingles.__getitem__)) == 0


@pytest.mark.skipif(not (SHARED_CORPUS / "dev_corpus.jsonl").is_file() or not (SHARED_CORPUS / "dev_seeds").is_dir(),
                    reason=f"the shared development corpus is absent ({SHARED_CORPUS.resolve()} has no "
                           "dev_corpus.jsonl and dev_seeds/); it lives beside the repository, not in it")
def test_dev_corpus_folder_in_two_layouts_counts_each_article_once():
    result = ingest(SHARED_CORPUS, n_jobs=1)
    corpus, report = result.corpus, result.report.set_index("file")
    jsonl = str(SHARED_CORPUS / "dev_corpus.jsonl")
    seeds = report[report.index.str.contains("dev_seeds")]
    dev = corpus[corpus["source_file"].str.contains("dev_")]
    # the 166 articles once (the richer export rows) and nothing else: the folder's README.md is
    # reported as documentation, not read, and so is dev_outlet_side.json (outlet sides)
    assert len(dev) == 166 and (dev["source_file"] == jsonl).all() and len(corpus) == 166
    assert report.loc[str(SHARED_CORPUS / "README.md"), "reason"].startswith("not an article")
    assert dev["duplicate_of"].isna().all()
    assert report.loc[str(SHARED_CORPUS / "dev_outlet_side.json"), "reason"].startswith("not an article")
    assert len(seeds) == 166 and (seeds["status"] == "duplicate").all() and seeds["n_articles"].sum() == 0
    # each seed file names the export row it repeats: the row with the same id
    ids = [json.loads(line)["id"] for line in open(jsonl, encoding="utf-8")]
    doc_of = dict(zip(ids, corpus.loc[corpus["source_file"] == jsonl, "doc_id"]))
    for file, reason in seeds["reason"].items():
        article_id = re.search(r"_([0-9a-f]+)\.txt$", file).group(1)
        assert f"doc_id {doc_of[article_id]}" in reason
    # 332 inputs: 166 added + 166 named as repeats
    assert report.loc[jsonl, "n_articles"] + len(seeds) == 332


@pytest.mark.parametrize("streaming", [False, True])
def test_exact_repeat_of_a_record_read_twice_names_the_record_kept(tmp_path, streaming):
    # invented: a seed file, its byte copy (an exact repeat) and the richer export row of it
    table, seeds = _write_two_layouts(tmp_path)
    copy = tmp_path / "seeds" / "zz_copy.txt"
    copy.write_bytes(seeds[0].read_bytes())
    corpus, report = _ingest([seeds[0], copy, table], streaming, tmp_path)
    kept = corpus.loc[corpus["url"].str.contains("/news/a1"), "doc_id"].item()
    rows = report.set_index("file")
    assert rows.loc[str(copy), "reason"] == f"same article as {table} (doc_id {kept}); not added again"
    assert "read twice" in rows.loc[str(seeds[0]), "reason"]


def test_one_url_on_unrelated_texts_does_not_merge(tmp_path):
    # invented rows whose URL column holds one link copied down the column: three different texts
    rows = [dict(_jsonl_row(article), url=f"https://{OUTLET}/search?q=news") for article in INVENTED]
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert len(ingest(tmp_path).corpus) == 3
    # streaming: the texts of pairs of one URL are read back too, not only those of the LSH
    # candidates (unrelated texts are no candidates: it stopped with a KeyError at 100,000 articles)
    streamed = ingest(tmp_path / "t.jsonl", out=tmp_path / "streamed")
    assert (streamed.report["status"] == "loaded").all() and streamed.report["n_articles"].sum() == 3


def test_above_the_exact_limit_minhash_finds_the_same_pairs(tmp_path, monkeypatch):
    # the in-memory path above EXACT_LIMIT finds candidates by MinHash LSH within each outlet
    _write_two_layouts(tmp_path)
    exact = ingest(tmp_path, n_jobs=1)
    monkeypatch.setattr("toolkit.corpus.EXACT_LIMIT", 1)
    lsh = ingest(tmp_path, n_jobs=1)
    assert len(lsh.corpus) == 3
    pd.testing.assert_frame_equal(exact.report, lsh.report)
    pd.testing.assert_frame_equal(exact.corpus, lsh.corpus)


def test_comparable_is_the_rule_same_article_applies_pair_by_pair():
    # reference: the pair-by-pair test same_article applied before reading texts (scalar code)
    rng = np.random.default_rng(0)
    n = 60
    urls = rng.choice([0, 11, 12, 13], size=n)
    outlets = rng.choice([-1, 1, 2], size=n)
    days = rng.choice([-1, 100, 101, 102, 104], size=n)
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)])

    def reference(i, j):
        one_page = bool(urls[i]) and urls[i] == urls[j]
        return one_page or not ((urls[i] and urls[j]) or outlets[i] < 0 or outlets[i] != outlets[j]
                                or not dedup.dates_agree(days[i], days[j]))

    expected = np.array([reference(i, j) for i, j in pairs])
    assert 0 < expected.sum() < len(pairs)
    assert (dedup.comparable(pairs, urls, outlets, days) == expected).all()
