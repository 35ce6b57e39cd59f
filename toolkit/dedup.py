"""Near-duplicate detection: which article is a reprint of an earlier one.

Reads article texts (with their publication order), returns for each article the position of
an earlier near-identical one, or -1. Two methods with the same meaning (containment of word
5-grams, see :func:`find_near_duplicates`): ``exact`` (all pairs sharing a 5-gram; memory and
time grow with the square of the corpus) and ``minhash`` (MinHash signatures with
locality-sensitive hashing, Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive
Datasets*, ch. 3: linear in the corpus, memory :data:`NUM_PERM` x 4 bytes per article).
"""
from __future__ import annotations

import hashlib
import re
import zlib
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pandas as pd

#: MinHash permutations per article; LSH bands x rows per band = NUM_PERM
NUM_PERM, BANDS, ROWS = 64, 32, 2
#: candidates compared per article and band (the nearest earlier members of its bucket)
MAX_CANDIDATES = 8
# fixed seeds: signatures are comparable across runs, processes and machines
_MASKS = np.random.RandomState(20231007).randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"\w+")  # the same words as \b\w+\b (a maximal run has a boundary at each end), found faster
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
        key = _band_key(signatures, band, usable)
        order = np.lexsort((rank, key))
        sorted_key = key[order]
        for k in range(1, MAX_CANDIDATES + 1):
            if k >= n:
                break
            same = np.flatnonzero(sorted_key[k:] == sorted_key[:-k])
            if not len(same):
                break
            later, earlier = order[same + k], order[same]
            estimate = _agreement(signatures, later, earlier)
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


#: pairs whose signatures are compared at once (bounds the temporary rows: 64 bytes each)
PAIR_BLOCK = 65_536


def _agreement(signatures: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Share of equal signature values of each pair (``first[i]``, ``second[i]``), the MinHash
    estimate of their Jaccard similarity, :data:`PAIR_BLOCK` pairs at a time."""
    out = np.empty(len(first), dtype=np.float64)
    for start in range(0, len(first), PAIR_BLOCK):
        block = slice(start, start + PAIR_BLOCK)
        out[block] = (signatures[first[block]] == signatures[second[block]]).mean(axis=1)
    return out


def _band_key(signatures: np.ndarray, band: int, usable: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """One LSH band's bucket key per article (an unusable article gets a bucket of its own);
    with ``group`` (an integer code per article), only articles of one group share a bucket."""
    rows = signatures[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
    key = rows[:, 0]
    with np.errstate(over="ignore"):
        for r in range(1, ROWS):
            key = key * np.uint64(1_000_003) ^ rows[:, r]
        if group is not None:
            key = key * np.uint64(1_000_003) ^ np.asarray(group).astype(np.uint64)
    return np.where(usable, key, np.arange(len(key), dtype=np.uint64) | np.uint64(1 << 63))


def lsh_candidate_pairs(signatures: np.ndarray, sizes: np.ndarray, group: np.ndarray,
                        min_shingles: int = 3, keep=None) -> np.ndarray:
    """Pairs (k x 2 positions, first < second) of one ``group`` that share an LSH bucket
    (each article with its :data:`MAX_CANDIDATES` nearest bucket members, per band).

    ``keep``: a function of a k x 2 pair array returning a boolean mask, applied to each band's
    pairs as they are found, so that only the pairs the caller will compare are held (with
    boilerplate shared across an outlet's articles, a million articles can have hundreds of
    millions of bucket pairs: gigabytes). Without it, every pair is returned.
    """
    n = len(sizes)
    codes = np.empty(0, dtype=np.int64)
    usable = (sizes >= min_shingles) & (np.asarray(group) >= 0)
    for band in range(BANDS):
        key = _band_key(signatures, band, usable, group)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        found = [codes]
        for k in range(1, min(MAX_CANDIDATES, n - 1) + 1):
            same = np.flatnonzero(sorted_key[k:] == sorted_key[:-k])
            if not len(same):
                break
            pairs = np.sort(np.stack([order[same], order[same + k]], axis=1), axis=1).astype(np.int64)
            if keep is not None:
                pairs = pairs[keep(pairs)]
            found.append(pairs[:, 0] * n + pairs[:, 1])
        codes = np.unique(np.concatenate(found))  # band by band: the repeats never pile up
    return np.stack([codes // n, codes % n], axis=1) if n else np.empty((0, 2), dtype=np.int64)


def shingle_matrix(texts, shingle: int = 5):
    """Binary sparse matrix (articles x hashed word ``shingle``-grams) of the lower-cased texts."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(analyzer="word", ngram_range=(shingle, shingle), binary=True,
                                   norm=None, alternate_sign=False, n_features=2**22,
                                   token_pattern=r"(?u)\b\w+\b")
    return vectorizer.transform([t.lower() if isinstance(t, str) else "" for t in texts]).tocsr()


def exact_overlap(texts, shingle: int = 5) -> tuple[np.ndarray, ...]:
    """Every pair of articles sharing a word ``shingle``-gram: ``(sizes, i, j, shared)``, the
    articles' shingle counts and, per pair (both orders), how many shingles they share. Time
    and memory grow with the square of the corpus (the exact method's cost, paid once for the
    same-article rule and the near-duplicates)."""
    texts = list(texts)
    matrix = shingle_matrix(texts, shingle)
    overlap = (matrix @ matrix.T).tocoo()
    off = overlap.row != overlap.col
    return matrix.sum(axis=1).A1, overlap.row[off], overlap.col[off], overlap.data[off]


def overlap_subset(overlap: tuple[np.ndarray, ...], rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`exact_overlap` of the articles at positions ``rows`` only (renumbered 0..)."""
    sizes, i, j, shared = overlap
    new = np.full(len(sizes), -1, dtype=np.int64)
    new[rows] = np.arange(len(rows))
    keep = (new[i] >= 0) & (new[j] >= 0)
    return sizes[rows], new[i[keep]], new[j[keep]], shared[keep]


def overlap_group_pairs(overlap: tuple[np.ndarray, ...], group: np.ndarray, threshold: float,
                        min_shingles: int = 3) -> np.ndarray:
    """Pairs (k x 2 positions, first < second) of one ``group`` (code >= 0) sharing at least
    ``threshold`` of the smaller one's shingles (from :func:`exact_overlap`)."""
    sizes, i, j, shared = overlap
    group = np.asarray(group)
    smaller = np.minimum(sizes[i], sizes[j])
    hit = ((i < j) & (group[i] >= 0) & (group[i] == group[j]) & (smaller >= min_shingles)
           & (shared >= threshold * smaller))
    return np.stack([i[hit], j[hit]], axis=1).astype(np.int64)


def exact_near_duplicates(texts, rank: np.ndarray, threshold: float = 0.6, shingle: int = 5,
                          min_shingles: int = 3, overlap: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
    """The exact method (every pair sharing a shingle): same result type as :func:`lsh_near_duplicates`.
    ``overlap``: the texts' :func:`exact_overlap`, when computed already."""
    texts = list(texts)
    n = len(texts)
    best = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return best
    sizes, i, j, shared = overlap if overlap is not None else exact_overlap(texts, shingle)
    rank = np.asarray(rank)
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


# ---------------------------------------------------------------- one article read twice

#: share of the shorter text's word 5-grams found in the other above which two texts of ONE
#: outlet are the same article read twice (two layouts of one export, a table merged twice).
#: 0.9, not the 0.6 of a reprint: a re-read differs only by layout (paragraph breaks, a
#: header line taken into the body, a cut end), while an outlet's two articles on one story
#: share quotes and boilerplate but seldom 90% of their word 5-grams.
SAME_ARTICLE = 0.9
#: the same share for two records with one canonical URL: an updated page keeps most of its
#: words, while a URL column filled wrongly (a search page, one link copied down a column)
#: joins texts that share almost nothing, and those must not be merged (nothing lost silently)
SAME_URL_ARTICLE = 0.5
#: two publication dates further apart than this (days) are two publications, not one
#: article read twice (one day of slack: a UTC timestamp and a local date may differ by one)
DATE_SLACK_DAYS = 1
_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|yclid|mc_cid|mc_eid|ref|from)$", re.I)


def canonical_url(url) -> str | None:
    """The URL without what does not name the page: scheme, ``www.``/``m.``, ``amp`` path
    parts, fragment, tracking parameters (``utm_*``, ``fbclid`` ...), a trailing slash.
    ``None`` for a missing URL or a site's home page (which names no article).

    Examples
    --------
    >>> canonical_url("https://www.example.am/news/1/?utm_source=x#top")
    'example.am/news/1'
    >>> canonical_url("http://m.example.am/amp/news/1") == canonical_url("example.am/news/1")
    True
    >>> canonical_url("https://example.am/") is None
    True
    """
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    url = url if "//" in url else "//" + url
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return _canonical_parsed(url)
    host, path, query = plain.groups()
    pairs = [pair.split("=") for pair in (query or "").split("&") if pair]
    if any(len(pair) > 2 for pair in pairs):
        return _canonical_parsed(url)  # "=" inside a value: urlencode quotes it
    # what parse_qsl keeps of such a query (a pair with a name and a non-empty value), which
    # urlencode writes back unchanged: every character is one it never quotes
    pairs = [(k, v) for k, v in (pair for pair in pairs if len(pair) == 2) if v]
    return _canonical_parts(host.lower(), path, pairs, plain=True)


#: a URL whose parts urllib would return unchanged: http(s) or no scheme, a host name of
#: letters, digits, dots and hyphens, a path without whitespace, a query of characters that
#: urlencode never quotes (and no "+" or "%" that parse_qsl would decode), any fragment
_PLAIN_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?:)?//([A-Za-z0-9.-]+)((?:/[^?#\s]*)?)(?:\?([A-Za-z0-9_.~=&-]*))?(?:#.*)?")


def _canonical_parsed(url: str) -> str | None:
    """:func:`canonical_url` of any URL (``//`` added when it has none), read by urllib."""
    parts = urlsplit(url)
    return _canonical_parts((parts.hostname or "").lower(), parts.path, parse_qsl(parts.query))


def _canonical_parts(host: str, path: str, pairs: list[tuple[str, str]], plain: bool = False) -> str | None:
    """:func:`canonical_url` from the URL's lower-cased host, path and query pairs (``plain``:
    of characters that ``urlencode`` writes unchanged)."""
    host = _MOBILE_HOST.sub("", host)
    path = "/".join(p for p in path.split("/") if p and p.lower() != "amp")
    pairs = sorted((k, v) for k, v in pairs if not _TRACKING.match(k))
    query = "&".join(f"{k}={v}" for k, v in pairs) if plain else urlencode(pairs)
    if not host or (not path and not query):
        return None
    return f"{host}/{path}" + (f"?{query}" if query else "")


_MOBILE_HOST = re.compile(r"^(www\d?|m|amp)\.")


def containment(first: np.ndarray, second: np.ndarray) -> float:
    """Share of the smaller of two :func:`shingle_hashes` sets found in the other (0 when empty)."""
    small = min(len(first), len(second))
    return len(np.intersect1d(first, second, assume_unique=True)) / small if small else 0.0


def dates_agree(first_day: int, second_day: int) -> bool:
    """Days since the epoch (``-1``: undated) that do not make two publications."""
    return first_day < 0 or second_day < 0 or abs(first_day - second_day) <= DATE_SLACK_DAYS


def comparable(pairs: np.ndarray, urls: np.ndarray, outlets: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Which candidate ``pairs`` (k x 2 positions) :func:`same_article` reads the texts of: one
    canonical URL, or no two different URLs, one known outlet and days that agree.

    >>> comparable(np.array([[0, 1], [0, 2], [2, 3]]), np.array([7, 7, 8, 0]), np.array([1, 1, 1, 1]),
    ...            np.array([-1, -1, 5, 5])).tolist()
    [True, False, True]
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    urls, outlets, days = np.asarray(urls), np.asarray(outlets), np.asarray(days)
    one_page = (urls[i] != 0) & (urls[i] == urls[j])
    undated = (days[i] < 0) | (days[j] < 0)
    agree = undated | (np.abs(days[i] - days[j]) <= DATE_SLACK_DAYS)
    return one_page | (~((urls[i] != 0) & (urls[j] != 0)) & (outlets[i] >= 0) & (outlets[i] == outlets[j]) & agree)


def same_article(pairs: np.ndarray, urls: np.ndarray, outlets: np.ndarray, days: np.ndarray,
                 shingles, threshold: float = SAME_ARTICLE) -> np.ndarray:
    """The candidate ``pairs`` (k x 2 positions) that are one article read twice.

    Same article: the same :func:`canonical_url` (``urls``: its hash, 0 when missing) and a
    :func:`containment` of the word 5-grams of at least :data:`SAME_URL_ARTICLE`; or, when the
    two do not have different URLs, the same known outlet (``outlets``: a code, -1 when
    unknown), publication days that agree (:func:`dates_agree`) and a containment of at least
    ``threshold``. ``shingles(i)`` gives the 5-gram hashes of position ``i``; it is called only
    for pairs that pass the other tests.
    """
    keep = np.zeros(len(pairs), dtype=bool)
    cache: dict[int, np.ndarray] = {}
    for k in np.flatnonzero(comparable(pairs, urls, outlets, days)):
        i, j = pairs[k]
        one_page = bool(urls[i]) and urls[i] == urls[j]
        for p in (i, j):
            if p not in cache:
                cache[p] = shingles(p)
        keep[k] = containment(cache[i], cache[j]) >= (min(threshold, SAME_URL_ARTICLE) if one_page else threshold)
    return pairs[keep]


def keep_one(pairs: np.ndarray, n: int, richness: np.ndarray) -> np.ndarray:
    """For each of ``n`` positions, the position of the record kept in its place, or -1 when
    it is kept itself: the records joined by ``pairs`` form groups (one article), and each
    group keeps its richest record (most metadata fields), the first one on a tie.

    Examples
    --------
    >>> keep_one(np.array([[0, 2], [2, 3]]), 4, np.array([1, 1, 1, 2])).tolist()
    [3, -1, 3, -1]
    """
    parent = np.arange(n)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups = np.array([find(x) for x in range(n)]) if len(pairs) else parent
    out = np.full(n, -1, dtype=np.int64)
    for root in np.unique(groups[np.bincount(groups, minlength=n)[groups] > 1]):
        members = np.flatnonzero(groups == root)
        best = members[np.argmax(richness[members])]  # argmax: the first on a tie
        out[members[members != best]] = best
    return out


def equal_key_pairs(keys: np.ndarray) -> np.ndarray:
    """Pairs (k x 2 positions, first < second) of consecutive articles with one key (0: none)."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    same = np.flatnonzero((keys[order][1:] == keys[order][:-1]) & (keys[order][1:] != 0))
    return np.sort(np.stack([order[same], order[same + 1]], axis=1), axis=1).astype(np.int64)


def key_hash(value) -> int:
    """A stable 63-bit hash of a string (0 for a missing one): comparable across processes."""
    if not isinstance(value, str) or not value:
        return 0
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little") >> 1 or 1
