"""Partitioned corpus datasets and the streaming ingest (issue 14)."""
from __future__ import annotations

import json
import random

import pandas as pd
import pytest

import toolkit
from toolkit import readers
from toolkit.cli import main as cli_main
from toolkit.snapshot import dataset_manifest, is_dataset, iter_partitions, read_snapshot, save_corpus


def _seed(title: str, outlet: str, body: str) -> str:
    # invented article in the seed layout, written for these tests
    return (f"{title}\n\n{title}\nфото показано с : {outlet}\n\n2023-10-7 11:22\n\n{body}\n\n"
            f"Подробнее читайте на {outlet}\n\nкарабах")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    rng = random.Random(7)  # invented bodies: random words of a made-up vocabulary, one reprint planted
    vocabulary = [f"слово{i}" for i in range(2000)]
    bodies = [" ".join(rng.choice(vocabulary) for _ in range(40)) + "." for _ in range(23)]
    for i, body in enumerate(bodies):
        (folder / f"{i:02d}.txt").write_text(_seed(f"Заголовок {i}", f"example-news{i % 3}.am", body), encoding="utf-8")
    (folder / "repeat.txt").write_text(_seed("Заголовок 3", "example-news0.am", bodies[3]), encoding="utf-8")
    (folder / "reprint.txt").write_text(_seed("Перепечатка", "example-copy.az", bodies[5] + " Конец."), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_streaming_ingest_equals_in_memory(folder, tmp_path, n_jobs):
    memory = toolkit.ingest(folder)
    streamed = toolkit.ingest(folder, out=tmp_path / "ds", n_jobs=n_jobs, rows_per_part=10)
    assert streamed.corpus is None and is_dataset(streamed.dataset)
    corpus = toolkit.load_corpus(streamed.dataset)
    pd.testing.assert_frame_equal(corpus, memory.corpus)  # same rows, order, dtypes, duplicate marks
    pd.testing.assert_frame_equal(streamed.report, memory.report)
    manifest = dataset_manifest(streamed.dataset)
    assert [p["rows"] for p in manifest["parts"]] == [10, 10, 4]
    assert manifest["rows"] == 24 == len(corpus)
    assert manifest["country_coverage"] == "24 of 24 articles placed in a country: domain 24"
    assert pd.read_csv(streamed.dataset / "report.csv")["status"].tolist() == memory.report["status"].astype(str).tolist()
    status = dict(zip(memory.report["file"], memory.report["status"]))
    assert status[str(folder / "repeat.txt")] == "duplicate" and status[str(folder / "reprint.txt")] == "duplicate"


def test_partitions_read_one_at_a_time(folder, tmp_path):
    result = toolkit.ingest(folder, out=tmp_path / "ds", n_jobs=1, rows_per_part=7)
    parts = list(iter_partitions(result.dataset))
    assert [len(p) for p in parts] == [7, 7, 7, 3]
    toolkit.validate_corpus(parts[0])
    assert list(iter_partitions(result.dataset, columns=["doc_id"]))[0].columns.tolist() == ["doc_id"]


def test_save_corpus_to_a_folder_round_trip(folder, tmp_path):
    corpus = toolkit.ingest(folder).corpus
    path = save_corpus(corpus, tmp_path / "saved_dir/", rows_per_part=5)
    assert is_dataset(path) and len(dataset_manifest(path)["parts"]) == 5
    pd.testing.assert_frame_equal(read_snapshot(path), corpus)


def test_large_table_read_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.corpus.CHUNKED_TABLE_MB", 0)  # every table counts as large
    rows = [{"headline": f"Заголовок {i}", "body": f"Текст новости номер {i} о переговорах.", "date": "2023-10-07"}
            for i in range(25)] + [{"headline": "Пустая", "body": "", "date": "2023-10-07"}]
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    chunks = list(readers.iter_table_chunks(path, chunk_rows=10))
    assert [len(records) for records, _ in chunks] == [10, 10, 5]
    streamed = toolkit.ingest(path, out=tmp_path / "ds", n_jobs=1)
    assert streamed.report["n_articles"].tolist() == [25]
    assert "1 row(s) without text skipped (rows [26])" in streamed.report["warnings"].iloc[0]
    assert sorted(toolkit.load_corpus(streamed.dataset)["title"]) == sorted(r["headline"] for r in rows[:25])


def test_cli_streams_into_a_folder(folder, tmp_path, capsys):
    out = tmp_path / "cli_ds"
    assert cli_main(["ingest", str(folder), "--out", f"{out}/", "--jobs", "1"]) == 0
    assert "(partitioned dataset)" in capsys.readouterr().out
    assert len(toolkit.load_corpus(out)) == 24


def test_cli_stream_with_nothing_loaded_leaves_no_dataset(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert cli_main(["ingest", str(tmp_path / "in"), "--out", f"{tmp_path / 'ds'}/", "--jobs", "1"]) == 1
    assert not (tmp_path / "ds").exists()
