"""Near-duplicate detection: which article is a reprint of an earlier one.

Reads article texts (with their publication order), returns for each article the position of
an earlier near-identical one, or -1. Two methods with the same meaning (containment of word
5-grams, see :func:`find_near_duplicates`): ``exact`` (all pairs sharing a 5-gram; memory and
time grow with the square of the corpus) and ``minhash`` (MinHash signatures with
locality-sensitive hashing, Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive
Datasets*, ch. 3: linear in the corpus, memory :data:`NUM_PERM` x 4 bytes per article).
"""
from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd

#: MinHash permutations per article; LSH bands x rows per band = NUM_PERM
NUM_PERM, BANDS, ROWS = 64, 32, 2
#: candidates compared per article and band (the nearest earlier members of its bucket)
MAX_CANDIDATES = 8
# fixed seeds: signatures are comparable across runs, processes and machines
_MASKS = np.random.RandomState(20231007).randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"(?u)\b\w+\b")
_EMPTY = np.iinfo(np.uint32).max
_GRAM_BASE = np.uint64(0x100000001B3)  # FNV-1's 64-bit prime: the base that combines word hashes


def shingle_hashes(text: str, shingle: int = 5) -> np.ndarray:
    """A 64-bit hash of each distinct word ``shingle``-gram of the lower-cased text (stable
    everywhere): each word's CRC-32, combined along the gram as a polynomial with numpy.

    Examples
    --------
    >>> len(shingle_hashes("one two three four five six"))
    2
    """
    words = _WORD.findall(text.lower()) if isinstance(text, str) else []
    n = len(words) - shingle + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    grams = codes[:n].copy()
    with np.errstate(over="ignore"):
        for k in range(1, shingle):
            grams = grams * _GRAM_BASE + codes[k:k + n]
    return np.unique(grams)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (Steele, Lea & Flood 2014): one hash per mask, close to a random
    permutation, as MinHash needs (a linear a*x+b hash of 32-bit values is far from min-wise)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def minhash_signatures(texts, shingle: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (``len(texts)`` x :data:`NUM_PERM`, uint32) and shingle counts.

    Examples
    --------
    >>> sig, sizes = minhash_signatures(["one two three four five six", "one two three four five six"])
    >>> bool((sig[0] == sig[1]).all()), sizes.tolist()
    (True, [2, 2])
    """
    texts = list(texts)
    signatures = np.full((len(texts), NUM_PERM), _EMPTY, dtype=np.uint32)
    sizes = np.zeros(len(texts), dtype=np.int32)
    for i, text in enumerate(texts):
        hashes = shingle_hashes(text, shingle)
        sizes[i] = len(hashes)
        if len(hashes):
            signatures[i] = (_mix(hashes[None, :] ^ _MASKS[:, None]).min(axis=1) >> np.uint64(32)).astype(np.uint32)
    return signatures, sizes


def lsh_near_duplicates(signatures: np.ndarray, sizes: np.ndarray, rank: np.ndarray,
                        threshold: float = 0.6, min_shingles: int = 3) -> np.ndarray:
    """For each article the position of an earlier (lower ``rank``) near-duplicate, or -1.

    Candidates are articles that agree on all rows of at least one LSH band; a candidate is
    accepted when the containment estimated from the signatures' Jaccard similarity J and the
    shingle counts, ``J (|A| + |B|) / ((1 + J) min(|A|, |B|))``, reaches ``threshold``. Per band,
    an article is compared with at most :data:`MAX_CANDIDATES` earlier members of its bucket.
    """
    n = len(sizes)
    best = np.full(n, -1, dtype=np.int64)
    best_rank = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    if n < 2:
        return best
    rank = np.asarray(rank, dtype=np.int64)
    usable = sizes >= min_shingles
    for band in range(BANDS):
        rows = signatures[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
        key = rows[:, 0]
        for r in range(1, ROWS):
            key = key * np.uint64(1_000_003) ^ rows[:, r]
        key = np.where(usable, key, np.arange(n, dtype=np.uint64) | np.uint64(1 << 63))
        order = np.lexsort((rank, key))
        sorted_key = key[order]
        for k in range(1, MAX_CANDIDATES + 1):
            if k >= n:
                break
            same = np.flatnonzero(sorted_key[k:] == sorted_key[:-k])
            if not len(same):
                break
            later, earlier = order[same + k], order[same]
            estimate = (signatures[later] == signatures[earlier]).mean(axis=1)
            small = np.minimum(sizes[later], sizes[earlier]).astype(float)
            containment = estimate * (sizes[later] + sizes[earlier]) / ((1 + estimate) * small)
            hit = containment >= threshold
            later, earlier = later[hit], earlier[hit]
            better = rank[earlier] < best_rank[later]
            # several hits for one article: keep the earliest (np.minimum.at is order-free)
            np.minimum.at(best_rank, later[better], rank[earlier[better]])
            winners = best_rank[later] == rank[earlier]
            best[later[winners]] = earlier[winners]
    return best


def exact_near_duplicates(texts, rank: np.ndarray, threshold: float = 0.6, shingle: int = 5,
                          min_shingles: int = 3) -> np.ndarray:
    """The exact method (every pair sharing a shingle): same result type as :func:`lsh_near_duplicates`."""
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = [t if isinstance(t, str) else "" for t in texts]
    n = len(texts)
    best = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return best
    vectorizer = HashingVectorizer(analyzer="word", ngram_range=(shingle, shingle), binary=True,
                                   norm=None, alternate_sign=False, n_features=2**22,
                                   token_pattern=r"(?u)\b\w+\b")
    matrix = vectorizer.transform([t.lower() for t in texts]).tocsr()
    sizes = matrix.sum(axis=1).A1
    overlap = (matrix @ matrix.T).tocoo()
    rank = np.asarray(rank)
    i, j, shared = overlap.row, overlap.col, overlap.data
    smaller = np.minimum(sizes[i], sizes[j])
    # pairs (i later, j earlier) with enough shingles and containment; for each i the earliest j
    keep = (rank[j] < rank[i]) & (smaller >= min_shingles)
    i, j, shared, smaller = i[keep], j[keep], shared[keep], smaller[keep]
    hit = shared / smaller >= threshold
    i, j = i[hit], j[hit]
    order = np.lexsort((rank[j], i))
    i, j = i[order], j[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = i[1:] != i[:-1]
    best[i[first]] = j[first]
    return best


def roots(best: np.ndarray) -> np.ndarray:
    """Follow chains (a copy of a copy) to the original, so every copy names the first one."""
    out = best.copy()
    for i in np.flatnonzero(out >= 0):
        j, seen = out[i], 0
        while best[j] >= 0 and seen < len(best):
            j, seen = best[j], seen + 1
        out[i] = j
    return out


def publication_rank(published: pd.Series, doc_ids: pd.Series) -> np.ndarray:
    """Rank of each article in "earlier" order: published first, undated last, ties by doc_id."""
    frame = pd.DataFrame({"undated": published.isna().to_numpy(), "published": published.to_numpy(),
                          "doc_id": doc_ids.astype(str).to_numpy(), "pos": np.arange(len(doc_ids))})
    order = frame.sort_values(["undated", "published", "doc_id"], kind="stable")["pos"].to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank
