"""The measure cache: partitioned results equal the direct call, a second call reads the cache,
keys change with parameters, files and content, and a Dask cluster gives the same tables."""
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit import cache
from toolkit.cache import frame_digest, measure, partitions

# invented articles written for these tests (not from any outlet)
TEXTS = [
    ("ru", "Азербайджан начал наступление в Карабахе. Армения призвала к переговорам."),
    ("ru", "Гуманитарный груз прошёл по Лачинскому коридору.\n\nБеженцы прибыли в Горис."),
    ("en", "Armenia and Azerbaijan signed a peace agreement in Washington, officials said."),
    ("en", "Refugees from Karabakh arrived in Goris after the offensive."),
    ("ru", "Премьер-министр Армении заявил, что мирный договор готов."),
]


@pytest.fixture
def corpus():
    return pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(TEXTS))],
        "outlet": pd.Categorical(["a.am", "b.az", "c.com", "c.com", "a.am"]),
        "language": pd.Categorical([lang for lang, _ in TEXTS]),
        "text": pd.array([text for _, text in TEXTS], dtype="string"),
    })


class Counting:
    """A measure that counts its calls: one row per article with its number of characters.
    The calls are counted in a file, because measure() may call it in forked worker processes."""

    def __init__(self):
        handle, self.log = tempfile.mkstemp(prefix="toolkit-test-calls-")
        os.close(handle)
        self.__qualname__ = "Counting"

    @property
    def calls(self) -> int:
        return len(Path(self.log).read_text())

    def __call__(self, frame, *, scale=1):
        with open(self.log, "a") as log:
            log.write("x")
        return pd.DataFrame({"doc_id": frame["doc_id"], "chars": frame["text"].str.len() * scale})


def test_partitions_cover_the_corpus_in_order(corpus):
    parts = partitions(corpus, rows=2)
    assert [p.rows for p in parts] == [2, 2, 1]
    assert pd.concat([p.load() for p in parts])["doc_id"].tolist() == corpus["doc_id"].tolist()
    # the key is the content: the same rows give the same key, other rows another
    assert parts[0].key == partitions(corpus.iloc[:2], rows=2)[0].key
    assert parts[0].key != parts[1].key


@pytest.mark.parametrize("rows", [1, 2, 5])
def test_measure_equals_the_direct_call_whatever_the_partitions(corpus, rows):
    direct = toolkit.frames(corpus)
    partitioned = measure("frames", toolkit.frames, corpus, partition_rows=rows)
    pd.testing.assert_frame_equal(partitioned, cache._round_trip(direct))
    tokens = measure("tokens", toolkit.tokenize, corpus, partition_rows=rows)
    assert tokens["tokens"].tolist() == toolkit.tokenize(corpus)["tokens"].tolist()
    assert isinstance(tokens["tokens"][0], list)


def test_second_call_reads_the_cache(corpus, tmp_path):
    func = Counting()
    first = measure("chars", func, corpus, cache=tmp_path, partition_rows=2)
    assert func.calls == 3                      # three partitions computed
    second = measure("chars", func, corpus, cache=tmp_path, partition_rows=2)
    assert func.calls == 3                      # nothing recomputed
    pd.testing.assert_frame_equal(first, second)
    assert first["chars"].tolist() == [len(t) for _, t in TEXTS]
    assert len(list((tmp_path / "chars").glob("*.parquet"))) == 3
    assert not list(tmp_path.rglob("*.tmp"))    # atomic writes leave no temporary file


def test_only_changed_partitions_are_recomputed(corpus, tmp_path):
    func = Counting()
    measure("chars", func, corpus, cache=tmp_path, partition_rows=2)
    edited = corpus.copy()
    edited.loc[4, "text"] = "Другой текст."
    result = measure("chars", func, edited, cache=tmp_path, partition_rows=2)
    assert func.calls == 4                      # only the last partition is new
    assert result["chars"].tolist()[-1] == len("Другой текст.")


def test_parameters_and_files_are_part_of_the_key(corpus, tmp_path):
    func = Counting()
    measure("chars", func, corpus, cache=tmp_path, partition_rows=5, scale=1)
    doubled = measure("chars", func, corpus, cache=tmp_path, partition_rows=5, scale=2)
    assert func.calls == 2
    assert doubled["chars"].tolist() == [2 * len(t) for _, t in TEXTS]

    def with_lexicon(frame, *, lexicon):
        return pd.DataFrame({"doc_id": frame["doc_id"], "words": len(open(lexicon).read().split())})

    lexicon = tmp_path / "my_lexicon.txt"
    lexicon.write_text("a b")
    assert measure("lex", with_lexicon, corpus, cache=tmp_path, lexicon=str(lexicon))["words"][0] == 2
    lexicon.write_text("a b c")  # same path, new content: a new key, not the stale table
    assert measure("lex", with_lexicon, corpus, cache=tmp_path, lexicon=str(lexicon))["words"][0] == 3



def test_where_and_how_fast_are_not_part_of_the_key(corpus, tmp_path):
    """cache_dir (e.g. the embedding cache of another output folder) and n_jobs do not change a
    table: a second run that passes other values reads the first run's files."""
    func = Counting()

    def counted(frame, *, cache_dir=None, n_jobs=1):
        return func(frame)

    cache.table("total", counted, corpus, cache=tmp_path, cache_dir=str(tmp_path / "run_a"), n_jobs=1)
    cache.table("total", counted, corpus, cache=tmp_path, cache_dir=str(tmp_path / "run_b"), n_jobs=2)
    measure("chars", counted, corpus, cache=tmp_path, partition_rows=5, cache_dir="a")
    measure("chars", counted, corpus, cache=tmp_path, partition_rows=5, cache_dir="b")
    assert func.calls == 2

def test_table_and_fitted_are_cached(corpus, tmp_path):
    func = Counting()
    summed = lambda frame: func(frame).agg({"chars": "sum"}).to_frame().T  # noqa: E731
    first = cache.table("total", summed, corpus, cache=tmp_path)
    cache.table("total", summed, corpus, cache=tmp_path)
    assert func.calls == 1 and first["chars"][0] == sum(len(t) for _, t in TEXTS)

    segments = toolkit.segment(pd.concat([corpus] * 4, ignore_index=True).assign(
        doc_id=[f"d{i}" for i in range(20)]), "sentence")
    model = cache.fitted("topics", toolkit.fit_topics, segments, cache=tmp_path, k=2, unit="sentence",
                         random_state=0)
    again = cache.fitted("topics", toolkit.fit_topics, segments, cache=tmp_path, k=2, unit="sentence",
                         random_state=0)
    assert again.doc_topic.tolist() == model.doc_topic.tolist()
    assert again.top_term_lists(5) == model.top_term_lists(5)
    assert len([p for p in (tmp_path / "topics").iterdir()]) == 1


def test_a_measure_must_return_a_table(corpus):
    with pytest.raises(TypeError, match="must return a DataFrame"):
        measure("bad", lambda frame: len(frame), corpus)


def test_dask_cluster_gives_the_same_tables(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for name, func, params in [("frames", toolkit.frames, {}), ("naming", toolkit.naming, {}),
                                   ("tokens", toolkit.tokenize, {}),
                                   ("sentiment", toolkit.sentiment, {"unit": "sentence"})]:
            local = measure(name, func, corpus, partition_rows=2, **params)
            remote = measure(name, func, corpus, partition_rows=2, scheduler=client, cache=tmp_path, **params)
            assert frame_digest(remote) == frame_digest(local), name
        # the cluster's results were cached: in-process reads them back unchanged
        cached = measure("frames", toolkit.frames, corpus, partition_rows=2, cache=tmp_path)
        assert frame_digest(cached) == frame_digest(measure("frames", toolkit.frames, corpus, partition_rows=2))


def test_unknown_scheduler_is_refused(corpus):
    with pytest.raises(ValueError, match="scheduler must be"):
        measure("frames", toolkit.frames, corpus, scheduler="threads please")


class Scaler:
    """A tiny invented 'model' with save/load and a transform, for the fitted() tests."""

    def __init__(self, factor):
        self.factor = factor

    def save(self, folder):
        (folder / "model.json").write_text(str(self.factor))

    @classmethod
    def load(cls, folder):
        return cls(int((folder / "model.json").read_text()))

    def transform(self, frame):
        return pd.DataFrame({"doc_id": frame["doc_id"], "scaled": frame["text"].str.len() * self.factor})


def fit_scaler(frame, *, factor):
    return Scaler(factor)


def test_a_fitted_models_method_is_keyed_by_the_model(corpus, tmp_path):
    double = cache.fitted("scaler", fit_scaler, corpus, cache=tmp_path, factor=2)
    triple = cache.fitted("scaler", fit_scaler, corpus, cache=tmp_path, factor=3)
    assert isinstance(double, Scaler) and double.cache_key != triple.cache_key
    by_double = measure("scaled", double.transform, corpus, cache=tmp_path)
    by_triple = measure("scaled", triple.transform, corpus, cache=tmp_path)   # not the cached doubles
    assert by_double["scaled"].tolist() == [2 * len(t) for _, t in TEXTS]
    assert by_triple["scaled"].tolist() == [3 * len(t) for _, t in TEXTS]
    # a model made outside the cache is keyed by its content
    assert measure("scaled", Scaler(3).transform, corpus, cache=tmp_path)["scaled"].tolist() == \
        by_triple["scaled"].tolist()


def test_ingest_is_cached_and_follows_the_files(tmp_path):
    # an invented two-article JSONL export, written for this test
    source = tmp_path / "export.jsonl"
    rows = ['{"url": "https://a.am/1", "title": "Переговоры", "published": "2023-09-20", '
            '"text": "Армения и Азербайджан провели переговоры в Брюсселе о мирном договоре."}',
            '{"url": "https://b.az/2", "title": "Peace talks", "published": "2023-09-21", '
            '"text": "Armenia and Azerbaijan held peace talks in Brussels on Thursday."}']
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    store = tmp_path / "cache"
    first = cache.ingested(source, cache=store)
    direct = toolkit.ingest(source)
    assert first.corpus["doc_id"].tolist() == direct.corpus["doc_id"].tolist()
    assert first.report["status"].tolist() == direct.report["status"].tolist() == ["loaded"]
    assert len(list((store / "ingest").iterdir())) == 1
    second = cache.ingested(source, cache=store)
    pd.testing.assert_frame_equal(second.corpus, first.corpus)
    pd.testing.assert_frame_equal(second.report, first.report)
    source.write_text(rows[0] + "\n", encoding="utf-8")          # the file changed: ingested again
    assert len(cache.ingested(source, cache=store).corpus) == 1
    assert len(list((store / "ingest").iterdir())) == 2



def test_a_snapshot_is_read_as_it_is_with_its_ingest_report(tmp_path, monkeypatch):
    """A snapshot is an ingest already done: ingested() reads it and the report written beside
    it, and ingests nothing again."""
    source = tmp_path / "export.jsonl"   # an invented one-article export, written for this test
    source.write_text('{"url": "https://a.am/1", "title": "Переговоры", "published": "2023-09-20", '
                      '"text": "Армения и Азербайджан провели переговоры в Брюсселе."}\n', encoding="utf-8")
    result = toolkit.ingest(source)
    snapshot = toolkit.save_corpus(result.corpus, tmp_path / "corpus.parquet")
    result.report.to_csv(tmp_path / "corpus.report.csv", index=False)   # as `toolkit ingest --out` does

    def refuse(*args, **kwargs):
        raise AssertionError("the snapshot was ingested again")

    monkeypatch.setattr(toolkit.corpus, "ingest", refuse)
    read = cache.ingested(snapshot, cache=tmp_path / "cache")
    pd.testing.assert_frame_equal(read.corpus, toolkit.load_corpus(snapshot))
    assert read.report["file"].tolist() == [str(source)] and read.report["status"].tolist() == ["loaded"]
    (tmp_path / "corpus.report.csv").unlink()
    alone = cache.ingested(snapshot)
    assert alone.report["status"].tolist() == ["loaded"] and alone.report["n_articles"].tolist() == [1]
    assert alone.summary()["files"].tolist() == [1]

def test_tables_read_from_the_cache_still_record_their_resources(corpus, tmp_path, monkeypatch):
    from toolkit import resources

    log = tmp_path / "resources.jsonl"
    measure("frames", toolkit.frames, corpus, cache=tmp_path / "c")          # computed: lexicons loaded
    monkeypatch.setenv("TOOLKIT_RESOURCES_LOG", str(log))                    # unset again after the test
    resources.start_resources_log(log)                                        # a new run, an empty log
    monkeypatch.setattr(resources, "_LOGGED", set())
    cached = measure("frames", toolkit.frames, corpus, cache=tmp_path / "c")  # read back: nothing loaded
    logged = resources.read_resources_log(log)
    assert cached.attrs["resources"] and {e["kind"] for e in logged} >= {e["kind"] for e in cached.attrs["resources"]}
    assert "frames" in {e["kind"] for e in logged}


def test_a_folder_written_meanwhile_under_the_same_key_is_kept(tmp_path):
    """Two writers of one key (a figure's background render and a redraw of the same call): the
    second finds the first's complete folder and keeps it (no error, nothing removed under a
    reader); a folder left without its marker by an interrupted writer is replaced."""
    from toolkit.cache import COMPLETE_MARKER, write_folder

    target = tmp_path / "figures" / "key"
    write_folder(target, lambda folder: (folder / "figure.png").write_bytes(b"first"), {"figure": "a"})
    write_folder(target, lambda folder: (folder / "figure.png").write_bytes(b"second"), {"figure": "b"})
    assert (target / "figure.png").read_bytes() == b"first"
    assert json.loads((target / COMPLETE_MARKER).read_text())["figure"] == "a"
    assert [p.name for p in target.parent.iterdir()] == ["key"]          # no temporary folder left
    half = tmp_path / "figures" / "half"
    half.mkdir()
    (half / "figure.png").write_bytes(b"cut off")
    write_folder(half, lambda folder: (folder / "figure.png").write_bytes(b"whole"), {"figure": "c"})
    assert (half / "figure.png").read_bytes() == b"whole" and (half / COMPLETE_MARKER).exists()


# ------------------------------------------------------------ partitions on both cores, in-process
# invented articles written for this test (not from any outlet): several per language, so that
# eight partitions of three hold every measure's cases (actors, naming pairs, cited sources)
PARALLEL_TEXTS = [
    ("ru", "Азербайджан начал наступление в Нагорном Карабахе. Армения осудила удары по Степанакерту."),
    ("ru", "Как сообщает ТАСС, гуманитарный груз прошёл по Лачинскому коридору. Беженцы прибыли в Горис."),
    ("en", "Armenia and Azerbaijan signed a peace agreement in Washington, officials told Reuters."),
    ("en", "Refugees from Nagorno-Karabakh arrived in Goris after the offensive on Khankendi."),
    ("ru", "Премьер-министр Армении заявил, что мирный договор готов. Баку ответил резкой критикой."),
    ("en", "Russian peacekeepers left Stepanakert; Azerbaijan's army took control of the region."),
    ("ru", "Ханкенди и Степанакерт: одна столица под двумя именами. Россия призвала к спокойствию."),
    ("en", "The European Union welcomed the talks, but Armenia accused Baku of shelling villages."),
    ("ru", "Эксперты говорят, что переговоры в Брюсселе провалились. Азербайджан обвинил Ереван."),
    ("en", "Aliyev said the conflict is over. Pashinyan called for international observers."),
    ("ru", "Блокада Лачинского коридора длилась девять месяцев, сообщает РИА Новости."),
    ("en", "According to the BBC, more than 100,000 people fled Karabakh within a week."),
] * 2


@pytest.fixture
def parallel_corpus():
    n = len(PARALLEL_TEXTS)
    return pd.DataFrame({
        "doc_id": [f"p{i:02d}" for i in range(n)],
        "outlet": pd.Categorical(["a.am", "b.az", "c.com", "d.ru"] * (n // 4)),
        "outlet_country": pd.Categorical(["AM", "AZ", "US", "RU"] * (n // 4)),
        "language": pd.Categorical([lang for lang, _ in PARALLEL_TEXTS]),
        "published": pd.date_range("2023-09-01", periods=n, freq="D", tz="UTC"),
        "title": pd.array([f"title {i}" for i in range(n)], dtype="string"),
        "text": pd.array([text for _, text in PARALLEL_TEXTS], dtype="string"),
    })


def _cached_files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


@pytest.mark.parametrize("name, func, params", [
    ("tokens", toolkit.tokenize, {}),
    ("frames", toolkit.frames, {}),
    ("naming", toolkit.naming, {}),
    ("actors", toolkit.actors, {}),
    ("sources", toolkit.sources, {}),
    ("sentiment", toolkit.sentiment, {"unit": "sentence"}),
])
def test_partitions_in_two_processes_give_the_sequential_tables_and_files(parallel_corpus, tmp_path, name, func,
                                                                          params):
    """jobs=2 computes the eight partitions in two forked processes: the same table (values, dtypes,
    order, attrs) and the same cached files under the same names as one process."""
    one = measure(name, func, parallel_corpus, cache=tmp_path / "one", partition_rows=3, jobs=1, **params)
    two = measure(name, func, parallel_corpus, cache=tmp_path / "two", partition_rows=3, jobs=2, **params)
    pd.testing.assert_frame_equal(two, one)
    assert frame_digest(two) == frame_digest(one) and two.attrs == one.attrs
    files_one, files_two = _cached_files(tmp_path / "one"), _cached_files(tmp_path / "two")
    assert len(files_one) == 8 and files_two == files_one          # same keys, same bytes


def slow_second_then_pid(frame):
    """An invented measure: the second partition finishes last, and each row says which process made it."""
    if frame["doc_id"].iloc[0] == "p03":
        time.sleep(1.0)
    return pd.DataFrame({"doc_id": frame["doc_id"], "pid": os.getpid()})


def test_partitions_run_in_two_processes_and_come_back_in_corpus_order(parallel_corpus):
    table = measure("pid", slow_second_then_pid, parallel_corpus, partition_rows=3, jobs=2)
    assert table["doc_id"].tolist() == parallel_corpus["doc_id"].tolist()   # not in order of completion
    # the first of eight partitions here (the workers inherit its warm caches), the other seven in two workers
    assert set(table["pid"][:3]) == {os.getpid()}
    workers = set(table["pid"][3:])
    assert len(workers) == 2 and os.getpid() not in workers
    pair = measure("pid", slow_second_then_pid, parallel_corpus.iloc[:6], partition_rows=3, jobs=2)
    assert len(set(pair["pid"])) == 2 and os.getpid() not in set(pair["pid"])   # as many partitions as workers
    alone = measure("pid", slow_second_then_pid, parallel_corpus.iloc[:3], partition_rows=3, jobs=2)
    assert set(alone["pid"]) == {os.getpid()}                                # one partition: no fork


def test_the_number_of_processes_is_not_part_of_the_key(parallel_corpus, tmp_path, monkeypatch):
    """A table cached with jobs=2 is read back with jobs=1, with $TOOLKIT_JOBS set, and by a measure
    whose own n_jobs differs: nothing is computed again."""
    func = Counting()
    first = measure("chars", func, parallel_corpus, cache=tmp_path, partition_rows=3, jobs=2)
    assert func.calls == 8
    pd.testing.assert_frame_equal(measure("chars", func, parallel_corpus, cache=tmp_path, partition_rows=3, jobs=1),
                                  first)
    monkeypatch.setenv("TOOLKIT_JOBS", "1")
    measure("chars", func, parallel_corpus, cache=tmp_path, partition_rows=3)
    assert func.calls == 8
    monkeypatch.setenv("TOOLKIT_JOBS", "two")
    with pytest.raises(ValueError, match="TOOLKIT_JOBS must be a positive number"):
        measure("chars", func, parallel_corpus.assign(text=parallel_corpus["text"] + "!"), cache=tmp_path,
                partition_rows=3)
    with pytest.raises(ValueError, match="jobs must be a positive number"):
        measure("chars", func, parallel_corpus, partition_rows=3, jobs=0)


def forks_inside(frame, *, n_jobs=1):
    """An invented measure with its own n_jobs: it reports how many processes its forked_map used."""
    from toolkit.parallel import forked_map

    pids = set(forked_map(_pid_of, range(4), n_jobs))
    return pd.DataFrame({"doc_id": frame["doc_id"], "processes": len(pids)})


def _pid_of(_):
    time.sleep(0.05)
    return os.getpid()


def test_a_measure_with_its_own_n_jobs_does_not_fork_again_inside_a_worker(parallel_corpus):
    assert set(measure("nested", forks_inside, parallel_corpus.iloc[:3], partition_rows=3, n_jobs=2)["processes"]) \
        == {2}                                                  # one partition: the measure forks its own two
    nested = measure("nested", forks_inside, parallel_corpus, partition_rows=3, jobs=2, n_jobs=2)
    assert set(nested["processes"][:3]) == {2}                  # the first partition, here, alone: its own two
    assert set(nested["processes"][3:]) == {1}                  # in a worker: one process, not 2 x 2


def test_partition_keys_are_the_digests_of_the_rows(corpus):
    """Each partition's key is computed from the whole corpus' per-row hashes (each column hashed
    once); it must equal the digest of the partition's own rows, as when it was hashed alone."""
    for rows in (1, 2, 5, 10):
        for part in partitions(corpus, rows=rows):
            start = part.number * rows
            assert part.key == frame_digest(corpus.iloc[start:start + rows].reset_index(drop=True))


def test_the_hash_memo_follows_changed_values(tmp_path, corpus):
    """A column read from Parquet (Arrow strings) is hashed once and its hashes reused, but a
    changed value must change the digest, to that of a frame built afresh with the new value."""
    corpus.to_parquet(tmp_path / "c.parquet")
    read = pd.read_parquet(tmp_path / "c.parquet")
    assert cache._arrow_data(read["text"]) is not None          # the memo applies to this column
    before = frame_digest(read)
    assert frame_digest(read) == before == frame_digest(corpus.assign(text=corpus["text"]))
    read.loc[2, "text"] = "Talks resumed."                       # invented
    changed = corpus.copy()
    changed.loc[2, "text"] = "Talks resumed."
    assert frame_digest(read) != before
    assert frame_digest(read) == frame_digest(changed)
    assert measure("n", Counting(), read, cache=tmp_path / "cache")["chars"][2] == len("Talks resumed.")


def test_lists_are_hashed_as_their_joined_items():
    # the key of a list column is the hash of its items joined by the unit separator, str() of
    # items that are not strings (the fast path must give the same text as the general one)
    assert cache._joined(["a", "b"]) == "a\x1fb" and cache._joined([1, "b"]) == "1\x1fb"
    assert cache._joined("ab") == "ab"
    a = pd.DataFrame({"tokens": [["карабах", "мир"], [1, 2]]})
    b = pd.DataFrame({"tokens": [["карабах", "мир"], ["1", "2"]]})
    assert frame_digest(a) == frame_digest(b)
    assert frame_digest(a) != frame_digest(pd.DataFrame({"tokens": [["карабах"], ["мир", "1", "2"]]}))


def _claim_then_write(path, table, seconds):
    # a second process computing a partition: it claims it, takes its time, writes it, releases it
    import time

    claim = cache._claim(path)
    time.sleep(seconds)
    cache.write_parquet_atomic(table, path)
    claim.unlink()


def test_a_claimed_partition_is_waited_for_not_computed_again(corpus, tmp_path):
    import multiprocessing

    counting = Counting()
    spec = cache._spec("chars", counting, {})
    path = tmp_path / "chars" / f"{cache._digest(spec, partitions(corpus)[0].key)[:40]}.parquet"
    # what the other process writes (distinguishable: scale 2), made without counting a call
    written = pd.DataFrame({"doc_id": corpus["doc_id"], "chars": corpus["text"].str.len() * 2})
    other = multiprocessing.get_context("fork").Process(target=_claim_then_write, args=(path, written, 1.0))
    other.start()
    while not cache._claim_path(path).exists():
        pass
    table = measure("chars", counting, corpus, cache=tmp_path)
    other.join()
    assert counting.calls == 0 and table["chars"].tolist() == written["chars"].tolist()
    assert not cache._claim_path(path).exists()


def test_a_claim_of_an_ended_process_is_ignored(corpus, tmp_path):
    import multiprocessing

    ended = multiprocessing.get_context("fork").Process(target=int)
    ended.start()
    ended.join()
    counting = Counting()
    spec = cache._spec("chars", counting, {})
    path = tmp_path / "chars" / f"{cache._digest(spec, partitions(corpus)[0].key)[:40]}.parquet"
    path.parent.mkdir(parents=True)
    cache._claim_path(path).write_text(json.dumps({"host": cache._host(), "pid": ended.pid}))
    assert not cache.wait_for_claim(path)
    assert measure("chars", counting, corpus, cache=tmp_path)["chars"].tolist() == corpus["text"].str.len().tolist()
    assert counting.calls == 1


def test_a_partition_measured_alone_is_the_corpus_partition(corpus, tmp_path):
    """The report's prefetch measures a corpus one partition at a time: each partition's table
    must land under the key the whole-corpus call looks up (a partition's key is its content)."""
    counting = Counting()
    for part in partitions(corpus, rows=2):
        measure("chars", counting, part.load(), cache=tmp_path, partition_rows=2, jobs=1)
    assert counting.calls == 3
    whole = measure("chars", counting, corpus, cache=tmp_path, partition_rows=2, jobs=1)
    assert counting.calls == 3 and whole["chars"].tolist() == corpus["text"].str.len().tolist()
