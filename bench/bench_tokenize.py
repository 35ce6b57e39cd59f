"""Benchmark of the tokenizer on Russian news text: tokens per second and peak memory.

The corpus is built by resampling (with replacement, seed 0) the Russian articles of
../shared/corpus/dev_corpus.jsonl when present, else the bundled seeds, until it holds
--tokens word tokens. The naive baseline, measured in the same run, calls pymorphy3 once per
token with no cache (the way most tutorials do); the toolkit caches word forms.

    .venv/bin/python bench/bench_tokenize.py [--tokens 2000000]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import toolkit  # noqa: E402
from toolkit.tokens import WORD, tokenize  # noqa: E402


def russian_texts() -> list[str]:
    dev = ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl"
    if dev.exists():
        rows = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines()]
        texts = [r["text"] for r in rows if r["language"] == "ru"]
        return texts, f"{len(texts)} Russian articles of {dev}"
    corpus = toolkit.ingest(ROOT / "seeds").corpus
    texts = corpus.loc[corpus["language"] == "ru", "text"].tolist()
    return texts, f"{len(texts)} Russian articles of seeds/"


def build(texts, n_tokens: int) -> pd.DataFrame:
    rng = random.Random(0)
    docs, total = [], 0
    while total < n_tokens:
        text = rng.choice(texts)
        docs.append(text)
        total += len(WORD.findall(text))
    return pd.DataFrame({"text": docs, "language": "ru"}), total


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=2_000_000)
    parser.add_argument("--naive-tokens", type=int, default=30_000)
    args = parser.parse_args()
    texts, source = russian_texts()
    frame, total = build(texts, args.tokens)
    print(f"corpus: {len(frame)} documents, {total:,} word tokens, resampled from {source}")

    import pymorphy3
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    words = [w for t in frame["text"] for w in WORD.findall(t)][: args.naive_tokens]
    start = time.perf_counter()
    _ = [morph.parse(w)[0].normal_form for w in words]
    naive = len(words) / (time.perf_counter() - start)
    print(f"naive baseline (pymorphy3 per token, no cache): {naive:>12,.0f} tokens/s  ({len(words):,} tokens)")

    start = time.perf_counter()
    tokenize(frame)
    seconds = time.perf_counter() - start
    one = total / seconds
    print(f"toolkit.tokenize, 1 process (cold cache):       {one:>12,.0f} tokens/s  "
          f"({seconds:.1f} s, {one / naive:.0f}x baseline)")

    start = time.perf_counter()
    tokenize(frame, n_jobs=2)
    seconds = time.perf_counter() - start
    two = total / seconds
    print(f"toolkit.tokenize, n_jobs=2:                     {two:>12,.0f} tokens/s  ({seconds:.1f} s)")
    print(f"peak memory (this process): {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
