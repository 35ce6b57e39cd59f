"""Topic coherence: how often a topic's top terms occur together in the corpus.

Reads token lists and each topic's top terms, returns one score per topic. The three measures
follow Röder, Both & Hinneburg (2015), "Exploring the space of topic coherence measures", and
reproduce gensim's ``CoherenceModel`` (tests compare the values):

- ``u_mass``: boolean document co-occurrence, pairs (w_i, w_j<i), log((P(w_i, w_j) + ε) / P(w_j)).
- ``c_npmi``: boolean sliding windows of 10 tokens, all ordered pairs, normalised PMI.
- ``c_v``: sliding windows of 110 tokens, each word against the whole top-term set, cosine of
  NPMI context vectors.
"""
from __future__ import annotations

import numpy as np

EPSILON = 1e-12
WINDOWS = {"u_mass": None, "c_npmi": 10, "c_v": 110}
MEASURES = tuple(WINDOWS)


def _counts_gensim(texts, vocab: dict[str, int], window: int):
    """Sliding-window counts exactly as gensim 4's WordOccurrenceAccumulator makes them.

    gensim updates the window's word set incrementally and, when the window moves, marks the
    word leaving on the left as absent even if it still occurs inside the window; windows
    with repeated words are therefore under-counted. Kept only to reproduce gensim's numbers.
    """
    size = len(vocab)
    co = np.zeros((size, size), dtype=np.int64)
    n_docs = 0
    for text in texts:
        ids = [vocab.get(t, -1) for t in text]
        n_windows = max(1, len(ids) - window + 1)
        n_docs += n_windows
        if not ids:
            continue
        if len(ids) < window:
            present = sorted({i for i in ids if i >= 0})
            if present:
                co[np.ix_(present, present)] += 1
            continue
        current = set(ids[:window])
        for start in range(n_windows):
            if start:
                current.discard(ids[start - 1])
                current.add(ids[start + window - 1])
            present = sorted(i for i in current if i >= 0)
            if present:
                co[np.ix_(present, present)] += 1
    return co, n_docs


def _counts(texts, vocab: dict[str, int], window: int | None):
    """Occurrence counts (diagonal), co-occurrence counts and number of (virtual) documents.

    A word occurs in a window when any of its positions falls inside it (boolean windows, as
    defined by Röder et al. 2015). A text shorter than the window is one window.
    """
    size = len(vocab)
    co = np.zeros((size, size), dtype=np.int64)
    n_docs = 0
    for text in texts:
        ids = [vocab.get(t, -1) for t in text]
        if window is None:
            present = sorted({i for i in ids if i >= 0})
            n_docs += 1
            if present:
                co[np.ix_(present, present)] += 1
            continue
        n_windows = max(1, len(ids) - window + 1)
        n_docs += n_windows
        positions: dict[int, list[int]] = {}
        for p, i in enumerate(ids):
            if i >= 0:
                positions.setdefault(i, []).append(p)
        if not positions:
            continue
        words = sorted(positions)
        member = np.zeros((len(words), n_windows + 1), dtype=np.int32)
        for row, word in enumerate(words):
            for p in positions[word]:
                # windows s..s+window-1 that contain position p: s in [p-window+1, p]
                first = max(0, p - window + 1) if len(ids) >= window else 0
                last = min(p, n_windows - 1) if len(ids) >= window else 0
                member[row, first] += 1
                member[row, last + 1] -= 1
        inside = (np.cumsum(member, axis=1)[:, :n_windows] > 0).astype(np.int64)
        co[np.ix_(words, words)] += inside @ inside.T
    return co, n_docs


def _npmi(co, n_docs, a, b):
    joint = co[a, b] / n_docs
    pmi = np.log((joint + EPSILON) / ((co[a, a] / n_docs) * (co[b, b] / n_docs)))
    return pmi / -np.log(joint + EPSILON)


def coherence(texts, topics, measure: str = "c_npmi", window: int | None = None,
              gensim_compatible: bool = False) -> np.ndarray:
    """Coherence of each topic.

    Parameters
    ----------
    texts : list of token lists (the corpus the model was fitted on, tokenized the same way).
    topics : list of top-term lists, one per topic (best term first).
    measure : ``"c_npmi"``, ``"c_v"`` or ``"u_mass"``.
    window : sliding window size (default 10 for c_npmi, 110 for c_v; u_mass uses documents).
    gensim_compatible : count sliding windows the way gensim 4 does (see :func:`_counts_gensim`);
        identical results whenever no word repeats within a window.

    Returns
    -------
    numpy array, one value per topic (the mean over the measure's word pairs).

    Examples
    --------
    >>> texts = [["a", "b"], ["a", "b"], ["c"]]
    >>> coherence(texts, [["a", "b"]], "u_mass").round(3).tolist()
    [0.0]
    """
    if measure not in WINDOWS:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    window = WINDOWS[measure] if window is None else window
    vocab = {t: i for i, t in enumerate(dict.fromkeys(t for topic in topics for t in topic))}
    if gensim_compatible and window is not None:
        co, n_docs = _counts_gensim(texts, vocab, window)
    else:
        co, n_docs = _counts(texts, vocab, window)
    scores = []
    for topic in topics:
        ids = [vocab[t] for t in topic]
        if measure == "u_mass":
            pairs = [(ids[i], ids[j]) for i in range(1, len(ids)) for j in range(i)]
            values = [np.log((co[a, b] / n_docs + EPSILON) / (co[b, b] / n_docs)) if co[b, b] else 0.0
                      for a, b in pairs]
        elif measure == "c_npmi":
            values = [_npmi(co, n_docs, a, b) for a in ids for b in ids if a != b]
        else:  # c_v: NPMI context vectors of each word and of the whole set, cosine
            matrix = np.array([[_npmi(co, n_docs, a, b) for b in ids] for a in ids])
            whole = matrix.sum(axis=0)
            values = [float(row @ whole / (np.linalg.norm(row) * np.linalg.norm(whole))) for row in matrix]
        scores.append(float(np.mean(values)) if values else np.nan)
    return np.array(scores)
