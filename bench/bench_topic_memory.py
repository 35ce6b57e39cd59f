"""Peak memory of the cross-lingual topic fit (issue 14: the 10.6 GB spike of the first
100,000-article report).

``python bench/bench_topic_memory.py shares --n 100000 --k 18 --d 578`` times
:func:`toolkit.crosslingual.soft_assignments` (blocks of rows) and the one-shot broadcast it
replaced on N invented unit vectors (normal, seed 0, unit length, rounded to 6 places like the
features) and K invented centroids; prints for each the seconds and the process's peak resident
set (``VmHWM``, set back to the current RSS before each), and whether the two results are
identical. The one-shot version needs about ``n * k * d * 8`` bytes more (7.7 GB here).

``python bench/bench_topic_memory.py fit SNAPSHOT --k 18`` refits notebook 02's topic model
(``fit_topics`` with the notebook's method, unit and seed 0, without ``cache.fitted``) on a
snapshot, reading its tokens and embeddings from the report's cache beside it
(``SNAPSHOT.cache``; a snapshot without that cache is encoded from scratch: hours at 100,000
articles), and prints each step's start and end with the process's RSS and peak RSS, so that a
peak is placed in its step. ``--save FILE.npz`` keeps the topic shares and topic-term weights for
comparison across trees. Writes nothing else.
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


def memory() -> str:
    """This process's resident set and its peak (VmRSS, VmHWM), in MB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(value.split()[0]) // 1024
    return f"rss={values['VmRSS']}MB peak={values['VmHWM']}MB"


def reset_peak() -> None:
    """Set this process's VmHWM back to its current RSS (Linux ``clear_refs`` 5)."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S', time.gmtime())} {message} {memory()}", flush=True)


def one_shot(features: np.ndarray, centroids: np.ndarray, temperature: float) -> np.ndarray:
    """soft_assignments as it was up to eda1774: every (unit, centroid, dimension) difference at once."""
    logits = -((features[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2) / max(float(temperature), 1e-12)
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def shares(args) -> None:
    from toolkit.crosslingual import soft_assignments

    rng = np.random.default_rng(0)
    features = rng.normal(size=(args.n, args.d))
    features = np.round(features / np.linalg.norm(features, axis=1, keepdims=True), 6)
    centroids = rng.normal(size=(args.k, args.d)) / np.sqrt(args.d)
    results = {}
    for name, function in (("blocks", soft_assignments), ("one-shot", one_shot)):
        reset_peak()
        say(f"{name}: start")
        started = time.perf_counter()
        results[name] = function(features, centroids, 0.87)
        say(f"{name}: {time.perf_counter() - started:.1f} s")
    print("identical:", np.array_equal(results["blocks"], results["one-shot"]))


def wrap(owner, name: str) -> None:
    function = getattr(owner, name)

    def logged(*args, **kwargs):
        say(f"start {name}")
        result = function(*args, **kwargs)
        say(f"end {name}")
        return result

    setattr(owner, name, logged)


def fit(args) -> None:
    snapshot = Path(args.snapshot).resolve()
    os.environ.setdefault("TOOLKIT_CACHE_DIR", str(snapshot.with_name(snapshot.name + ".cache")))
    import toolkit
    from toolkit import cache, crosslingual, topics

    say(f"toolkit from {toolkit.__file__}, cache {os.environ['TOOLKIT_CACHE_DIR']}")
    for name in ("_prepare", "_kmeans", "soft_assignments", "_cluster_terms"):
        wrap(topics, name)
    for name in ("_views", "_language_directions", "_finish"):
        wrap(crosslingual.CrosslingualFeatures, name)
    corpus = cache.measure("tokens", toolkit.tokenize, toolkit.load_corpus(snapshot))
    say("corpus and tokens read")
    settings, rule = topics.default_settings(corpus), topics.topic_method(corpus)
    model = topics.fit_topics(corpus, k=args.k, unit=settings["unit"], random_state=0, method=rule["method"])
    say(f"fitted ({rule['method']}, {settings['unit']}s)")
    if args.save:
        np.savez(args.save, doc_topic=np.asarray(model.doc_topic), topic_term=np.asarray(model.topic_term))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("shares", help="soft_assignments alone, blocks against one-shot")
    one.add_argument("--n", type=int, default=100_000)
    one.add_argument("--k", type=int, default=18)
    one.add_argument("--d", type=int, default=578)
    one.set_defaults(run=shares)
    whole = commands.add_parser("fit", help="notebook 02's topic fit on a snapshot, step by step")
    whole.add_argument("snapshot")
    whole.add_argument("--k", type=int, default=18)
    whole.add_argument("--save", default=None)
    whole.set_defaults(run=fit)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
