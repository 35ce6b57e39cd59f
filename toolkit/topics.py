"""Topic modelling stage: tokens -> LDA or NMF topics, their quality, and their prevalence.

Reads a corpus or segments DataFrame, returns a :class:`TopicModel` whose tables (terms,
document-topic shares, prevalence by group and period) are tidy DataFrames; :func:`select_k`
compares numbers of topics by coherence and stability across seeds.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from .coherence import coherence as _coherence
from .units import segment
from .stats import bootstrap_mean_ci
from .tokens import pretokenized, tokenize

METHODS = ("lda", "nmf")
UNITS = ("article", "paragraph", "sentence")
_UNIT_META = ["doc_id", "segment_id", "title", "outlet", "outlet_name", "outlet_country", "language", "published"]
FORMAT_VERSION = 1


def _units(corpus_or_segments: pd.DataFrame, unit: str) -> pd.DataFrame:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    frame = corpus_or_segments
    if "segment_id" not in frame:
        if unit == "article":
            frame = frame.assign(segment_id=pd.array([pd.NA] * len(frame), dtype="Int64"))
        else:  # article-level tokens must not be copied onto each paragraph: tokenize the segments
            frame = segment(frame.drop(columns=[c for c in ("tokens", "forms") if c in frame]), unit)
    return frame if "tokens" in frame else tokenize(frame)


def _vectorizer_options(n_units: int, options: dict) -> dict:
    # defaults that suit both a handful of paragraphs and tens of thousands of articles
    defaults = {"min_df": 1 if n_units < 50 else 2, "max_df": 1.0 if n_units < 20 else 0.9}
    known = {"min_df", "max_df", "max_features", "vocabulary"}
    chosen = {**defaults, **{k: v for k, v in options.items() if k in known}}
    return chosen


class TopicModel:
    """A fitted topic model with its tables. Create it with :func:`fit_topics`.

    Attributes
    ----------
    terms : DataFrame ``topic``, ``rank``, ``term``, ``weight`` (the topic's term distribution,
        summing to 1 over the vocabulary; rank 0 is the top term), top 30 terms per topic.
    doc_topics : DataFrame, one row per unit: ``doc_id``, ``segment_id``, ``topic_0`` ...
        ``topic_{k-1}`` (shares summing to 1).
    dominant : DataFrame ``doc_id``, ``segment_id``, ``topic``, ``share`` (the largest share).
    labels : list of str, one per topic; editable (defaults to the top three terms).
    units : DataFrame of unit metadata (doc_id, segment_id, title, outlet, ...).
    """

    def __init__(self, *, method, k, random_state, unit, vocabulary, topic_term, doc_topic, units,
                 tokens, labels=None, info=None):
        self.method = method
        self.k = k
        self.random_state = random_state
        self.unit = unit
        self.vocabulary = list(vocabulary)
        self.topic_term = np.asarray(topic_term, dtype=float)
        self.doc_topic = np.asarray(doc_topic, dtype=float)
        self.units = units.reset_index(drop=True)
        self.tokens = list(tokens)
        self.info = dict(info or {})
        self._labels = list(labels) if labels is not None else [
            " · ".join(self.top_term_lists(3)[t]) for t in range(k)]

    # ------------------------------------------------------------------ tables
    @property
    def labels(self) -> list[str]:
        return self._labels

    @labels.setter
    def labels(self, values):
        values = list(values)
        if len(values) != self.k:
            raise ValueError(f"labels needs {self.k} names (one per topic), got {len(values)}")
        self._labels = [str(v) for v in values]

    @property
    def topic_columns(self) -> list[str]:
        return [f"topic_{t}" for t in range(self.k)]

    def top_term_lists(self, n: int = 10) -> list[list[str]]:
        """Top ``n`` terms of each topic, as lists."""
        order = np.argsort(-self.topic_term, axis=1, kind="stable")[:, :n]
        return [[self.vocabulary[i] for i in row] for row in order]

    @property
    def terms(self) -> pd.DataFrame:
        n = min(30, len(self.vocabulary))
        order = np.argsort(-self.topic_term, axis=1, kind="stable")[:, :n]
        rows = [(t, r, self.vocabulary[i], float(self.topic_term[t, i]))
                for t in range(self.k) for r, i in enumerate(order[t])]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """One row per topic: ``topic``, ``label``, ``terms`` (the top ``n``, comma-separated)."""
        lists = self.top_term_lists(n)
        return pd.DataFrame({"topic": range(self.k), "label": self.labels,
                             "terms": [", ".join(ts) for ts in lists]})

    @property
    def doc_topics(self) -> pd.DataFrame:
        shares = pd.DataFrame(self.doc_topic, columns=self.topic_columns)
        return pd.concat([self.units[["doc_id", "segment_id"]], shares], axis=1)

    @property
    def dominant(self) -> pd.DataFrame:
        best = self.doc_topic.argmax(axis=1)
        return self.units[["doc_id", "segment_id"]].assign(
            topic=best, label=[self.labels[t] for t in best], share=self.doc_topic.max(axis=1))

    # ------------------------------------------------------------------ quality
    def coherence(self, measure: str = "c_npmi", n: int = 10) -> pd.DataFrame:
        """Coherence of each topic's top ``n`` terms on the model's own tokens.

        Returns a DataFrame ``topic``, ``label``, ``coherence``; its ``attrs["mean"]`` holds
        the mean over topics (also :meth:`mean_coherence`).
        """
        scores = _coherence(self.tokens, self.top_term_lists(n), measure)
        table = pd.DataFrame({"topic": range(self.k), "label": self.labels, "coherence": scores})
        table.attrs["mean"] = float(np.nanmean(scores))
        table.attrs["measure"] = measure
        return table

    def mean_coherence(self, measure: str = "c_npmi", n: int = 10) -> float:
        """Mean coherence over topics (see :meth:`coherence`)."""
        return self.coherence(measure, n).attrs["mean"]

    # ------------------------------------------------------------------ prevalence
    def prevalence(self, by: str | None = "outlet_country", freq: str | None = None, ci: float = 0.95,
                   n_boot: int = 1000) -> pd.DataFrame:
        """Mean topic share per group (and period), with bootstrap confidence intervals.

        Units are first averaged per article, then articles are resampled within each group
        (a cluster bootstrap: paragraphs of one article are not independent).

        Parameters
        ----------
        by : unit metadata column (``outlet``, ``outlet_country``, ``language``, ...) or None.
        freq : pandas period alias (``"D"``, ``"W"``, ``"M"``) to split by period of ``published``.
        ci : interval coverage; ``n_boot`` resamples (seeded with the model's random_state).

        Returns
        -------
        DataFrame with ``by`` (and ``period``), ``topic``, ``label``, ``share``, ``ci_low``,
        ``ci_high``, ``n_articles``.
        """
        per_doc = self._per_article()
        keys = []
        if by is not None:
            if by not in per_doc:
                raise ValueError(f"by={by!r} is not a unit column; choose from {list(self.units.columns)}")
            keys.append(by)
        if freq is not None:
            if "published" not in per_doc:
                raise ValueError("prevalence(freq=...) needs a 'published' column in the units")
            per_doc = per_doc[per_doc["published"].notna()]
            per_doc = per_doc.assign(period=per_doc["published"].dt.tz_convert(None).dt.to_period(freq)
                                     .dt.start_time.dt.tz_localize("UTC"))
            keys.append("period")
        groups = [((), per_doc)] if not keys else per_doc.groupby(keys, observed=True, sort=True)
        rows = []
        for name, part in groups:
            name = name if isinstance(name, tuple) else (name,)
            mean, low, high = bootstrap_mean_ci(part[self.topic_columns].to_numpy(), ci=ci, n_boot=n_boot,
                                                random_state=self.random_state)
            for t in range(self.k):
                rows.append((*name, t, self.labels[t], mean[t], low[t], high[t], len(part)))
        return pd.DataFrame(rows, columns=keys + ["topic", "label", "share", "ci_low", "ci_high", "n_articles"])

    def _per_article(self) -> pd.DataFrame:
        shares = pd.DataFrame(self.doc_topic, columns=self.topic_columns)
        frame = pd.concat([self.units.reset_index(drop=True), shares], axis=1)
        meta = [c for c in self.units.columns if c not in ("segment_id",)]
        first = frame.groupby("doc_id", sort=False)[[c for c in meta if c != "doc_id"]].first()
        means = frame.groupby("doc_id", sort=False)[self.topic_columns].mean()
        return first.join(means).reset_index()

    def representative(self, topic: int, n: int = 5) -> pd.DataFrame:
        """The ``n`` units with the highest share of ``topic``, with title, outlet and an excerpt."""
        if not 0 <= topic < self.k:
            raise ValueError(f"topic must be between 0 and {self.k - 1}, not {topic!r}")
        order = np.argsort(-self.doc_topic[:, topic], kind="stable")[:n]
        cols = [c for c in ("doc_id", "segment_id", "title", "outlet", "published", "excerpt") if c in self.units]
        return self.units.iloc[order][cols].assign(share=self.doc_topic[order, topic]).reset_index(drop=True)

    # ------------------------------------------------------------------ persistence
    def save(self, path) -> Path:
        """Save to a folder: ``model.json`` (settings, vocabulary, labels), ``arrays.npz``
        (topic-term and unit-topic matrices) and ``units.parquet`` (unit metadata and tokens).
        Open formats only: loading runs no code (no pickle)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"format_version": FORMAT_VERSION, "method": self.method, "k": self.k,
                "random_state": self.random_state, "unit": self.unit, "labels": self.labels,
                "vocabulary": self.vocabulary, "info": self.info,
                "resources": self.units.attrs.get("resources", [])}  # word lists the tokens came from (sha256)
        meta["info"] = _finite(meta["info"])  # strict JSON has no NaN: missing values are null
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str,
                                                      allow_nan=False), encoding="utf-8")
        np.savez(folder / "arrays.npz", topic_term=self.topic_term, doc_topic=self.doc_topic)
        self.units.assign(tokens=self.tokens).to_parquet(folder / "units.parquet", index=False)
        return folder

    @classmethod
    def load(cls, path) -> "TopicModel":
        """Load a model saved by :meth:`save`."""
        folder = Path(path)
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{folder}: unsupported topic model format {meta.get('format_version')!r}")
        with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
            topic_term, doc_topic = arrays["topic_term"], arrays["doc_topic"]
        units = pd.read_parquet(folder / "units.parquet")
        units.attrs["resources"] = meta.get("resources", [])
        tokens = [list(t) for t in units.pop("tokens")]
        return cls(method=meta["method"], k=meta["k"], random_state=meta["random_state"], unit=meta["unit"],
                   vocabulary=meta["vocabulary"], topic_term=topic_term, doc_topic=doc_topic, units=units,
                   tokens=tokens, labels=meta["labels"], info=meta.get("info"))

    def __repr__(self) -> str:
        return (f"TopicModel(method={self.method!r}, k={self.k}, unit={self.unit!r}, "
                f"units={len(self.units)}, vocabulary={len(self.vocabulary)})")


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


#: above this many units LDA uses online variational Bayes (Hoffman, Blei & Bach 2010): on the
#: 10,000-article benchmark it was faster than batch and more coherent (bench/bench_topics.py)
ONLINE_ABOVE = 2000
ONLINE_BATCH = 256
ONLINE_UPDATES = 1000  # passes are chosen to make about this many mini-batch updates (2 to 10 passes)


def online_passes(n_units: int, max_iter: int = 10) -> int:
    """Passes over the data for online LDA: about ``ONLINE_UPDATES`` mini-batch updates in all,
    at least 2 and at most ``min(max_iter, 10)`` passes (large corpora converge in fewer passes).

    >>> online_passes(10_000), online_passes(50_000), online_passes(500_000)
    (10, 6, 2)
    """
    batches = max(1, -(-n_units // ONLINE_BATCH))
    return int(min(max(2, -(-ONLINE_UPDATES // batches)), min(max_iter, 10)))


def _fit_matrix(matrix, k, method, random_state, max_iter):
    if method == "lda":
        online = matrix.shape[0] > ONLINE_ABOVE
        model = LatentDirichletAllocation(n_components=k, learning_method="online" if online else "batch",
                                          batch_size=ONLINE_BATCH, random_state=random_state,
                                          max_iter=online_passes(matrix.shape[0], max_iter) if online else max_iter)
        doc_topic = model.fit_transform(matrix)
        perplexity = float(model.perplexity(matrix))
    else:
        weighted = TfidfTransformer(sublinear_tf=True).fit_transform(matrix)
        # NNDSVDar: the SVD start with small random values in its zeros, so that the seed matters
        # and stability across seeds means something (plain NNDSVD(a) is deterministic)
        model = NMF(n_components=k, init="nndsvdar", random_state=random_state, max_iter=max(max_iter, 400))
        doc_topic = model.fit_transform(weighted)
        perplexity = float("nan")
    topic_term = model.components_ / np.clip(model.components_.sum(axis=1, keepdims=True), 1e-12, None)
    sums = doc_topic.sum(axis=1, keepdims=True)
    doc_topic = np.where(sums > 0, doc_topic / np.where(sums > 0, sums, 1), 1.0 / k)
    return topic_term, doc_topic, perplexity


def _prepare(corpus_or_segments, k, method, unit, options):
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"k must be an integer of at least 2, not {k!r}")
    units = _units(corpus_or_segments, unit)
    units = units[units["tokens"].map(len) > 0].reset_index(drop=True)
    if k > len(units):
        raise ValueError(f"k={k} topics cannot be fitted on {len(units)} non-empty units ({unit}s); "
                         f"use fewer topics or a smaller unit (unit='paragraph' or 'sentence')")
    vectorizer = CountVectorizer(analyzer=pretokenized, **_vectorizer_options(len(units), options))
    try:
        matrix = vectorizer.fit_transform(units["tokens"])
    except ValueError as exc:  # e.g. "After pruning, no terms remain"
        raise ValueError(f"no vocabulary left for the topic model ({exc}); lower min_df or raise max_df") from None
    keep = np.asarray(matrix.sum(axis=1)).ravel() > 0
    if not keep.all():
        units, matrix = units[keep].reset_index(drop=True), matrix[keep]
    if k > matrix.shape[0] or k > matrix.shape[1]:
        raise ValueError(f"k={k} topics need at least {k} units and {k} terms; have {matrix.shape[0]} units "
                         f"and {matrix.shape[1]} terms after document-frequency cut-offs")
    return units, matrix, vectorizer


def fit_topics(corpus_or_segments: pd.DataFrame, k: int, *, method: str = "lda", random_state: int = 0,
               unit: str = "article", max_iter: int = 50, **options) -> TopicModel:
    """Fit an LDA or NMF topic model.

    Parameters
    ----------
    corpus_or_segments : corpus DataFrame, or segments from :func:`toolkit.segment` (used as
        units as they are); tokenized with :func:`toolkit.tokenize` when no ``tokens`` column.
    k : number of topics.
    method : ``"lda"`` (sklearn's variational Bayes on counts: batch up to 2,000 units, online
        above, with the passes of :func:`online_passes`) or ``"nmf"`` (on sublinear TF-IDF,
        NNDSVDar initialisation).
    random_state : seed; the same seed gives the same topics.
    unit : ``"article"``, ``"paragraph"`` or ``"sentence"`` (a corpus is segmented first).
    max_iter : iterations of the optimiser.
    **options : vectorizer options ``min_df``, ``max_df``, ``max_features`` (defaults: terms in
        at least 2 units and at most 90 % of them; 1 and 100 % for fewer than 50 / 20 units).

    Examples
    --------
    >>> model = fit_topics(corpus, 5, unit="paragraph")         # doctest: +SKIP
    >>> model.top_terms(8)                                      # doctest: +SKIP
    """
    units, matrix, vectorizer = _prepare(corpus_or_segments, k, method, unit, options)
    started = time.perf_counter()
    topic_term, doc_topic, perplexity = _fit_matrix(matrix, k, method, random_state, max_iter)
    meta = units[[c for c in _UNIT_META if c in units]].copy()
    meta["excerpt"] = units["text"].astype(str).str.slice(0, 240) if "text" in units else ""
    info = {"perplexity": perplexity, "seconds": round(time.perf_counter() - started, 3),
            "n_units": int(matrix.shape[0]), "n_terms": int(matrix.shape[1]),
            "vectorizer": {k_: v for k_, v in vectorizer.get_params().items() if k_ in ("min_df", "max_df", "max_features")}}
    return TopicModel(method=method, k=k, random_state=random_state, unit=unit,
                      vocabulary=vectorizer.get_feature_names_out(), topic_term=topic_term, doc_topic=doc_topic,
                      units=meta, tokens=units["tokens"].tolist(), info=info)


def topic_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of two topic-term matrices after the best one-to-one matching
    of their topics (Hungarian algorithm); 1 means the same topics.

    >>> topic_similarity(np.eye(3), np.eye(3)[[2, 0, 1]])
    1.0
    """
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    sim = an @ bn.T
    rows, cols = linear_sum_assignment(-sim)
    return float(np.clip(sim[rows, cols].mean(), -1.0, 1.0))


def select_k(corpus_or_segments: pd.DataFrame, ks=range(2, 11), *, method: str = "lda", seeds=(0, 1, 2),
             unit: str = "article", measure: str = "c_npmi", max_iter: int = 50, **options) -> pd.DataFrame:
    """Compare numbers of topics: coherence, stability across seeds, perplexity, time.

    Returns
    -------
    DataFrame with ``k``, ``coherence`` (mean ``measure`` over topics, averaged over seeds),
    ``stability`` (mean over seed pairs of :func:`topic_similarity`; 1 = same topics whatever
    the seed), ``perplexity`` (LDA only, mean over seeds) and ``seconds`` (mean fit time).
    """
    seeds, ks = list(seeds), list(ks)
    if not ks:
        raise ValueError("ks must hold at least one number of topics")
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    base_units, matrix, vectorizer = _prepare(corpus_or_segments, max(ks), method, unit, options)
    vocabulary = vectorizer.get_feature_names_out()
    tokens = base_units["tokens"].tolist()
    rows = []
    for k in ks:
        fits, scores, times, perplexities = [], [], [], []
        for seed in seeds:
            started = time.perf_counter()
            topic_term, _, perplexity = _fit_matrix(matrix, k, method, seed, max_iter)
            times.append(time.perf_counter() - started)
            fits.append(topic_term)
            perplexities.append(perplexity)
            top = [[vocabulary[i] for i in row] for row in np.argsort(-topic_term, axis=1, kind="stable")[:, :10]]
            scores.append(np.nanmean(_coherence(tokens, top, measure)))
        pairs = [(i, j) for i in range(len(fits)) for j in range(i + 1, len(fits))]
        stability = float(np.mean([topic_similarity(fits[i], fits[j]) for i, j in pairs])) if pairs else np.nan
        rows.append({"k": k, "coherence": float(np.mean(scores)), "stability": stability,
                     "perplexity": float(np.mean(perplexities)), "seconds": float(np.mean(times))})
    table = pd.DataFrame(rows)
    table.attrs["measure"] = measure
    return table


def default_settings(corpus: pd.DataFrame) -> dict:
    """Sensible starting settings for a corpus of this size.

    Fewer than 30 articles: paragraphs as units (an article is too few documents for a
    model). The candidate ks run from 2 up to a number the units can support.

    >>> default_settings(pd.DataFrame({"text": ["a"] * 5}))["unit"]
    'paragraph'
    """
    unit = "paragraph" if len(corpus) < 30 else "article"
    n_units = len(corpus) if unit == "article" else int(
        corpus["text"].fillna("").astype(str).str.count(r"\n\s*\n").add(1).sum())
    top = max(2, min(20, n_units // 2))
    step = 1 if top <= 10 else 2
    return {"unit": unit, "ks": list(range(2, top + 1, step)), "n_units": n_units}


def choose_k(selection: pd.DataFrame, min_stability: float = 0.6) -> int:
    """The k with the highest coherence among those at least ``min_stability`` stable
    (all ks if none is); ties go to the smaller k.

    >>> choose_k(pd.DataFrame({"k": [2, 3, 4], "coherence": [0.1, 0.3, 0.3], "stability": [0.9, 0.8, 0.9]}))
    3
    """
    stable = selection[selection["stability"].fillna(1.0) >= min_stability]
    pool = stable if len(stable) else selection
    best = pool.sort_values(["coherence", "k"], ascending=[False, True], kind="stable")
    return int(best["k"].iloc[0])
