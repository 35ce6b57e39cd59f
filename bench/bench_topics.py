"""Benchmark of topic fitting: toolkit (scikit-learn LDA) against gensim's LdaMulticore.

The corpus is built by resampling (with replacement, seed 0) the tokenized articles of
../shared/corpus/dev_corpus.jsonl when present, else the bundled seeds' paragraphs, to
--docs documents; both libraries get the same token lists and vocabulary (terms in >= 5
documents and <= 50 % of them). Prints fit seconds, peak memory (measured in a fresh child
process per fit) and the mean NPMI coherence (toolkit.coherence, window 10, top 10 terms)
of each model. gensim is a test-only dependency (pip install gensim).

    .venv/bin/python bench/bench_topics.py [--docs 10000 50000] [--k 20]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def source_tokens() -> tuple[list[list[str]], str]:
    import pandas as pd

    import toolkit

    dev = ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl"
    if dev.exists():
        rows = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines()]
        frame = pd.DataFrame({"text": [r["text"] for r in rows], "language": [r["language"] for r in rows]})
        label = f"{len(rows)} articles of {dev}"
    else:
        frame = toolkit.segment(toolkit.ingest(ROOT / "seeds").corpus, "paragraph")
        label = f"{len(frame)} paragraphs of seeds/"
    tokens = toolkit.tokenize(frame)["tokens"].tolist()
    return [t for t in tokens if t], label


def resample(tokens, n, seed=0):
    rng = random.Random(seed)
    return [rng.choice(tokens) for _ in range(n)]


def fit_toolkit(docs, k, queue):
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from toolkit.tokens import pretokenized
    from toolkit.topics import _fit_matrix

    vectorizer = CountVectorizer(analyzer=pretokenized, min_df=5, max_df=0.5)
    matrix = vectorizer.fit_transform(docs)
    started = time.perf_counter()
    topic_term, _, _ = _fit_matrix(matrix, k, "lda", 0, max_iter=10)
    seconds = time.perf_counter() - started
    vocab = vectorizer.get_feature_names_out()
    top = [[vocab[i] for i in row] for row in np.argsort(-topic_term, axis=1)[:, :10]]
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, top))


def fit_gensim(docs, k, queue):
    from gensim.corpora import Dictionary
    from gensim.models import LdaMulticore

    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=5, no_above=0.5, keep_n=None)
    bow = [dictionary.doc2bow(d) for d in docs]
    started = time.perf_counter()
    model = LdaMulticore(bow, num_topics=k, id2word=dictionary, random_state=0, passes=10, workers=1)
    seconds = time.perf_counter() - started
    top = [[w for w, _ in model.show_topic(t, topn=10)] for t in range(k)]
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, top))


def run(target, docs, k):
    queue = mp.get_context("fork").Queue()
    process = mp.get_context("fork").Process(target=target, args=(docs, k, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--k", type=int, default=20)
    args = parser.parse_args()
    import numpy as np

    from toolkit.coherence import coherence

    tokens, label = source_tokens()
    print(f"documents resampled from {label}; k={args.k}; toolkit with its default passes "
          f"(toolkit.topics.online_passes), gensim with passes=10; one worker each")
    print(f"{'docs':>7} {'library':<24} {'fit s':>8} {'peak MB':>8} {'NPMI':>7}")
    for n in args.docs:
        docs = resample(tokens, n)
        for name, target in (("toolkit (sklearn LDA)", fit_toolkit), ("gensim LdaMulticore", fit_gensim)):
            seconds, peak, top = run(target, docs, args.k)
            npmi = float(np.nanmean(coherence(docs, top, "c_npmi")))
            print(f"{n:>7} {name:<24} {seconds:>8.1f} {peak:>8.0f} {npmi:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
