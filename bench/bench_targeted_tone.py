"""Benchmark of targeted tone: every actor mention of 10,000 articles scored toward its actor.

The articles are built by resampling (with replacement, seed 0) the articles of
../shared/corpus/dev_corpus.jsonl when present, else the bundled seeds; each copy gets a unique
number appended to every paragraph, so that no sentence is served from a cache of an earlier
copy (word forms still repeat, as they do in any real corpus). Prints the seconds for sentence
splitting + mention finding and for ``targeted_sentiment`` (``method="auto"``) separately, the
number of mentions and the mentions per second.

    .venv/bin/python bench/bench_targeted_tone.py [--articles 10000]
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


def source_articles():
    import pandas as pd

    import toolkit

    dev = ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl"
    if dev.exists():
        rows = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines()]
        return pd.DataFrame({"text": [r["text"] for r in rows], "language": [r["language"] for r in rows]}), str(dev)
    corpus = toolkit.ingest(ROOT / "seeds").corpus
    return corpus[["text", "language"]], "seeds/"


def build(n: int, seed: int = 0):
    import pandas as pd

    source, label = source_articles()
    rng = random.Random(seed)
    picks = [rng.randrange(len(source)) for _ in range(n)]
    texts = ["\n\n".join(f"{p} ({copy})" for p in source["text"].iloc[i].split("\n\n"))
             for copy, i in enumerate(picks)]
    corpus = pd.DataFrame({"doc_id": [f"d{copy}" for copy in range(n)], "text": texts,
                           "language": source["language"].iloc[picks].to_numpy()})
    return corpus, label


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args(argv)
    import toolkit
    from toolkit.targeted import targeted_sentiment

    corpus, label = build(args.articles)
    started = time.perf_counter()
    sentences = toolkit.segment(corpus, "sentence")
    mentions = toolkit.actors(sentences, kind="actor")
    frame = mentions[["doc_id", "segment_id", "start", "end"]].merge(
        sentences[["doc_id", "segment_id", "text", "language"]], on=["doc_id", "segment_id"])
    find_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scored = targeted_sentiment(frame)
    tone_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_language = scored.groupby("language", observed=True)["score"].agg(["size", "count"])
    print(f"{args.articles} articles resampled from {label}")
    print(f"sentences + actor mentions: {find_seconds:.1f} s ({len(sentences)} sentences, {len(frame)} mentions)")
    print(f"targeted_sentiment: {tone_seconds:.1f} s, {len(frame) / max(tone_seconds, 1e-9):.0f} mentions/s, "
          f"{int(scored['score'].notna().sum())} scored; peak RSS {peak_mb:.0f} MB")
    print("mentions (size) and scored (count) by language:")
    print(by_language.sort_values("size", ascending=False).head(8).to_string())


if __name__ == "__main__":
    main()
