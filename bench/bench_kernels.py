"""CPU per article of the report's compute kernels, each measured on its own in one process.

The stages of the report's measures (concept matching, sentence tone, actor tone, frames, naming,
sources, actors, the sentence encoder) are run on a slice of a snapshot after a warm-up on the
articles before it, as the second and later partitions of a report meet them (lexicons loaded,
matchers compiled, the lemma cache filled by earlier articles); prints CPU milliseconds per article
(user + system of the process and its children) and, for ``select_k``'s 30 k-means fits on
2,000 articles with the embeddings cached, CPU seconds. The snapshot is one of
``bench/bench_scale.py``'s generated corpora (never commit them):

    .venv/bin/python bench/bench_kernels.py SNAPSHOT [--warm 1000] [--rows 2000] [--embed 400]
                                            [--stages concepts sentiment ...]

To compare two versions of the toolkit, run it once with ``PYTHONPATH`` pointing at each checkout.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STAGES = ("concepts", "sentiment", "actor_sentiment", "frames", "naming", "naming_baseline", "sources", "actors",
          "embedding", "select_k")


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot")
    parser.add_argument("--warm", type=int, default=1000, help="articles run first, not timed")
    parser.add_argument("--rows", type=int, default=2000, help="articles timed (after the warm-up ones)")
    parser.add_argument("--embed", type=int, default=400, help="articles embedded (no cache; the slowest stage)")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    args = parser.parse_args(argv)

    import toolkit
    from toolkit import concepts
    from toolkit.embeddings import _encoder, embed_texts
    from toolkit.framing import frames, naming, naming_baseline
    from toolkit.sourcing import sources
    from toolkit.tone import actor_sentiment, sentiment
    from toolkit.topics import _unit_texts, select_k

    corpus = toolkit.load_corpus(args.snapshot)
    warm = corpus.iloc[:args.warm].reset_index(drop=True)
    part = corpus.iloc[args.warm:args.warm + args.rows].reset_index(drop=True)
    kernels = {"concepts": lambda f: concepts.concept_matrix(f["text"], f["language"].astype(str)),
               "sentiment": lambda f: sentiment(f, unit="sentence"),
               "actor_sentiment": lambda f: actor_sentiment(f, n_jobs=1),
               "frames": frames, "naming": naming, "naming_baseline": naming_baseline, "sources": sources,
               "actors": toolkit.actors}
    results = {}
    for name in args.stages:
        if name in kernels:
            kernels[name](warm)
            concepts._FOUND.clear()   # the concept matches of the warm-up are not reused
            started = cpu_seconds()
            kernels[name](part)
            results[name] = 1000 * (cpu_seconds() - started) / len(part)
            print(f"{name:<18} {results[name]:8.2f} CPU-ms an article", flush=True)
        elif name == "embedding":
            texts = _unit_texts(part.iloc[:args.embed], "article")
            _encoder().encode([""])
            started = cpu_seconds()
            embed_texts(texts, cache_dir=False, n_jobs=1)
            results[name] = 1000 * (cpu_seconds() - started) / len(texts)
            print(f"{name:<18} {results[name]:8.2f} CPU-ms an article ({len(texts)} articles)", flush=True)
        else:
            tokens = toolkit.tokenize(corpus.iloc[:2000].reset_index(drop=True))
            options = dict(ks=list(range(2, 21, 2)), unit="article", method="crosslingual", seeds=(0, 1, 2), n_jobs=1)
            with tempfile.TemporaryDirectory(prefix="bench-kernels-") as folder:
                select_k(tokens, cache_dir=folder, **options)          # embeds the 2,000 articles
                started = cpu_seconds()
                select_k(tokens, cache_dir=folder, **options)
                results[name] = cpu_seconds() - started
            print(f"{'select_k':<18} {results[name]:8.1f} CPU-s for 30 fits on 2,000 articles (embeddings cached)",
                  flush=True)
    return results


if __name__ == "__main__":
    main()
