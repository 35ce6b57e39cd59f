"""Near-duplicate detection: MinHash LSH against the exact all-pairs method (issue 14).

Precision and recall of ``method="minhash"`` taking ``method="exact"`` as the truth (pairs
article -> the earlier article it is marked a copy of), on the development corpus as ingested
from ../shared/corpus/dev_seeds, and on the same corpus plus reprints made for the benchmark
(each article copied once with a random share of its end cut off, 0-50 %, and 0-10 % of its words
replaced; seed 0), plus the time of each method.

    .venv/bin/python bench/bench_dedup.py
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import toolkit  # noqa: E402
from toolkit.corpus import find_near_duplicates  # noqa: E402


def reprints(corpus: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for row in corpus.itertuples():
        words = row.text.split()
        keep = words[: max(1, int(len(words) * rng.uniform(0.5, 1.0)))]
        share = rng.uniform(0, 0.1)
        keep = [w if rng.random() > share else rng.choice(words) for w in keep]
        rows.append({"doc_id": f"copy-{row.doc_id}", "published": row.published, "text": " ".join(keep)})
    return pd.concat([corpus[["doc_id", "published", "text"]], pd.DataFrame(rows)], ignore_index=True)


def compare(corpus: pd.DataFrame, label: str) -> None:
    timings, marks = {}, {}
    for method in ("exact", "minhash"):
        start = time.perf_counter()
        found = find_near_duplicates(corpus, threshold=0.6, method=method)
        timings[method] = time.perf_counter() - start
        marks[method] = {(d, o) for d, o in zip(corpus["doc_id"], found) if isinstance(o, str)}
    truth, got = marks["exact"], marks["minhash"]
    hit = len(truth & got)
    precision = hit / len(got) if got else float("nan")
    recall = hit / len(truth) if truth else float("nan")
    print(f"{label}: {len(corpus)} articles; exact marks {len(truth)}, minhash {len(got)}; "
          f"precision {precision:.3f}, recall {recall:.3f}; "
          f"time exact {timings['exact']:.2f} s, minhash {timings['minhash']:.2f} s")


def main() -> int:
    corpus = toolkit.ingest(ROOT.parent / "shared" / "corpus" / "dev_seeds").corpus
    compare(corpus, "development corpus")
    compare(reprints(corpus), "development corpus + one edited reprint per article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
