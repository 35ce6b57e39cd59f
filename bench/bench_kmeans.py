"""The cross-lingual topic fit after the encoder, in one process and in two (issue 14).

``python bench/bench_kmeans.py SNAPSHOT_FOLDER --k 18`` reads a report's snapshot
(``corpus.parquet`` and its cache ``corpus.parquet.cache``, whose ``embeddings`` and ``tokens``
the report filled: nothing is embedded), builds the units ``fit_topics(method="crosslingual")``
fits, then times each step that follows the encoder with ``n_jobs`` = 1 and = 2 and checks that
both give the same result to the bit:

- the concept matching (``toolkit.concepts.concept_matrix``, memo and matchers cleared before each run);
- the final k-means (``toolkit.kmeans.kmeans``: scikit-learn's ten k-means++ runs; one process
  is ``KMeans(n_init=10)`` itself);

The feature space is saved beside the snapshot (``kmeans_space.npz``) and read on a second run.
Prints one line per step: seconds with one and with two processes, and whether they agree.
Run it under ``flock /work/bench.lock`` and note ``uptime`` beside the numbers.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def units_and_space(folder: Path, k: int):
    """Texts, languages and the cross-lingual feature space of the units fit_topics fits."""
    os.environ["TOOLKIT_CACHE_DIR"] = str(folder / "corpus.parquet.cache")
    import toolkit
    from toolkit import cache
    from toolkit.crosslingual import CrosslingualFeatures
    from toolkit.topics import _prepare, _unit_languages, _unit_texts

    corpus = cache.measure("tokens", toolkit.tokenize, toolkit.load_corpus(folder / "corpus.parquet"))
    units, _, _ = _prepare(corpus, k, "crosslingual", "article", {})
    texts, languages = _unit_texts(units, "article"), _unit_languages(units)
    saved = folder / "kmeans_space.npz"
    if saved.exists():
        with np.load(saved) as npz:
            space = npz["space"]
    else:
        space = CrosslingualFeatures(n_jobs=2).fit_transform(texts, languages)
        np.savez(saved, space=space)
    return texts, languages, space


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("snapshot", type=Path, help="folder holding corpus.parquet and corpus.parquet.cache")
    parser.add_argument("--k", type=int, default=18)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", nargs="+", default=["concepts", "kmeans"])
    args = parser.parse_args()
    import toolkit.concepts as concepts
    from toolkit.kmeans import kmeans

    texts, languages, space = units_and_space(args.snapshot, args.k)
    print(f"{len(texts):,} units, {space.shape[1]} dimensions, k = {args.k}", flush=True)
    if "concepts" in args.steps:
        runs = []
        for n_jobs in (1, 2):
            concepts._FOUND.clear()
            concepts._MATCHERS.clear()  # cold word caches in both runs (forked workers inherit warm ones)
            runs.append(timed(concepts.concept_matrix, texts, languages, n_jobs=n_jobs))
        same = (runs[0][0][0] != runs[1][0][0]).nnz == 0 and runs[0][0][1] == runs[1][0][1]
        print(f"concepts: {runs[0][1]:.1f} s one process, {runs[1][1]:.1f} s two; same counts: {same}", flush=True)
    if "kmeans" in args.steps:
        one, one_s = timed(kmeans, space, args.k, args.seed, n_jobs=1)
        two, two_s = timed(kmeans, space, args.k, args.seed, n_jobs=2)
        same = (np.array_equal(one.labels_, two.labels_) and np.array_equal(one.cluster_centers_, two.cluster_centers_)
                and one.inertia_ == two.inertia_)
        print(f"k-means: {one_s:.1f} s one process, {two_s:.1f} s two; same labels, centroids, inertia: {same}",
              flush=True)


if __name__ == "__main__":
    main()
