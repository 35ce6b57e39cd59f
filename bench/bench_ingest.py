"""Benchmark of the streaming ingest: wall time, peak memory and articles/s per corpus size.

Generates synthetic JSON Lines corpora (never committed; in a temporary folder): each article
takes the outlet, date and language of a random article of ../shared/corpus/dev_corpus.jsonl
and 4-12 sentences resampled (seed 0) from that language's articles, plus a serial number so
that every article is unique. Each size runs in its own process:
``toolkit.ingest(path, out=DIR, n_jobs=2)``.

    .venv/bin/python bench/bench_ingest.py [--sizes 10000 100000] [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE_END = re.compile(r"(?<=[.!?։])\s+")


def generate(path: Path, n: int, seed: int = 0) -> None:
    rows = [json.loads(line) for line in (ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl").open(encoding="utf-8")]
    pools = defaultdict(list)
    for row in rows:
        pools[row["language"]].extend(s for s in SENTENCE_END.split(row["text"].replace("\n", " ")) if len(s) > 20)
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            base = rng.choice(rows)
            pool = pools[base["language"]] or [base["text"]]
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(4, 12)))
            fh.write(json.dumps({"title": f"{(base['title'] or text[:60])} №{i}", "text": f"{text} ({i})",
                                 "outlet": base["outlet"], "published": base["published"], "url": base["url"]},
                                ensure_ascii=False) + "\n")


def run_one(path: str, out: str, jobs: int) -> None:
    sys.path.insert(0, str(ROOT))
    import toolkit

    start = time.perf_counter()
    result = toolkit.ingest(path, out=out, n_jobs=jobs)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    articles = int(result.report["n_articles"].sum())
    print(json.dumps({"articles": articles, "wall_s": round(wall, 1), "peak_main_mb": round(own),
                      "peak_worker_mb": round(workers), "articles_per_s": round(articles / wall, 1)}))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--run-one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        run_one(*args.run_one, args.jobs)
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"corpus_{size}.jsonl"
            generate(path, size)
            done = subprocess.run([sys.executable, __file__, "--jobs", str(args.jobs), "--run-one", str(path),
                                   str(Path(tmp) / f"ds_{size}")], capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["size"] = size
            results.append(row)
            print(f"{size:>9,} articles: {row['wall_s']} s, {row['articles_per_s']} articles/s, peak memory "
                  f"{row['peak_main_mb']} MB main + {row['peak_worker_mb']} MB largest worker", flush=True)
            path.unlink()
    for a, b in zip(results, results[1:]):
        exponent = math.log(b["wall_s"] / a["wall_s"]) / math.log(b["size"] / a["size"])
        print(f"time exponent {a['size']:,} -> {b['size']:,}: {exponent:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
