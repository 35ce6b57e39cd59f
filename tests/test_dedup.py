"""Near-duplicates: MinHash LSH agrees with the exact method on planted reprints (issue 14)."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import dedup
from toolkit.corpus import find_near_duplicates


def _invented_articles(n: int, seed: int = 0) -> list[str]:
    # invented texts written for the test: random words from a made-up vocabulary, so that
    # unrelated articles share almost no 5-gram
    rng = random.Random(seed)
    vocabulary = [f"слово{i}" for i in range(3000)]
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(60, 200))) for _ in range(n)]


def test_signature_agreement_estimates_jaccard():
    words = [f"w{i}" for i in range(400)]
    a, b = " ".join(words[:300]), " ".join(words[100:400])
    signatures, sizes = dedup.minhash_signatures([a, b])
    truth = 196 / (296 + 296 - 196)  # shared 5-grams / union, counted by hand
    assert sizes.tolist() == [296, 296]
    assert abs((signatures[0] == signatures[1]).mean() - truth) < 0.15


def test_minhash_finds_planted_reprints_like_exact():
    originals = _invented_articles(200)
    rng = random.Random(1)
    copies = []
    for text in originals[:60]:  # 60 reprints: cut to 70-100 %, 2 % of words replaced
        words = text.split()
        words = words[: int(len(words) * rng.uniform(0.7, 1.0))]
        copies.append(" ".join(w if rng.random() > 0.02 else "замена" for w in words))
    texts = originals + copies
    corpus = pd.DataFrame({"doc_id": [f"{i:04d}" for i in range(len(texts))],
                           "published": pd.NaT, "text": texts})
    exact = find_near_duplicates(corpus, threshold=0.6, method="exact")
    minhash = find_near_duplicates(corpus, threshold=0.6, method="minhash")
    planted = {f"{200 + i:04d}": f"{i:04d}" for i in range(60)}
    marked_exact = dict(zip(corpus["doc_id"][exact.notna()], exact.dropna()))
    marked_minhash = dict(zip(corpus["doc_id"][minhash.notna()], minhash.dropna()))
    assert marked_exact == planted
    agree = sum(marked_minhash.get(k) == v for k, v in planted.items())
    assert agree >= 57 and len(marked_minhash) <= 61  # recall >= 95 %, at most one false mark


def test_earliest_published_is_the_original():
    text = " ".join(f"w{i}" for i in range(50))
    corpus = pd.DataFrame({"doc_id": ["late", "early", "undated"], "text": [text] * 3,
                           "published": pd.to_datetime(["2023-10-02", "2023-10-01", None], utc=True)})
    for method in ("exact", "minhash"):
        assert find_near_duplicates(corpus, 0.6, method=method).tolist() == ["early", None, "early"]


def test_roots_follow_chains():
    assert dedup.roots(np.array([-1, 0, 1, -1])).tolist() == [-1, 0, 0, -1]


def test_method_validated():
    with pytest.raises(ValueError, match="method"):
        find_near_duplicates(pd.DataFrame({"doc_id": ["a"], "text": ["x"], "published": [pd.NaT]}), method="fast")


def _bucket_pairs_by_hand(signatures, sizes, group, min_shingles=3):
    # the definition, pair by pair: per band, the usable articles of one group with equal band
    # values form a bucket; in position order, each member is paired with the next
    # MAX_CANDIDATES members
    found = set()
    for band in range(dedup.BANDS):
        buckets = {}
        for i in range(len(sizes)):
            if sizes[i] >= min_shingles and group[i] >= 0:
                value = tuple(signatures[i, band * dedup.ROWS:(band + 1) * dedup.ROWS]) + (group[i],)
                buckets.setdefault(value, []).append(i)
        for members in buckets.values():
            for a, first in enumerate(members):
                for second in members[a + 1:a + 1 + dedup.MAX_CANDIDATES]:
                    found.add((first, second))
    return sorted(found)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 80), st.integers(0, 10_000))
def test_lsh_candidate_pairs_are_the_bucket_pairs(n, seed):
    # invented signatures over a tiny alphabet, so that buckets are large (more members than
    # MAX_CANDIDATES) and bands collide; some articles too short, some with no group
    rng = np.random.default_rng(seed)
    signatures = rng.integers(0, 2, size=(n, dedup.NUM_PERM)).astype(np.uint32)
    sizes = rng.integers(1, 8, size=n)
    group = rng.choice([-1, 0, 0, 0, 1], size=n)
    expected = _bucket_pairs_by_hand(signatures, sizes, group)
    found = dedup.lsh_candidate_pairs(signatures, sizes, group)
    assert found.shape == (len(expected), 2) and found.dtype == np.int64
    assert [tuple(p) for p in found.tolist()] == expected
    # keep: only the pairs it accepts, band by band (here: both positions even)
    kept = dedup.lsh_candidate_pairs(signatures, sizes, group, keep=lambda p: (p % 2 == 0).all(axis=1))
    assert [tuple(p) for p in kept.tolist()] == [p for p in expected if p[0] % 2 == 0 and p[1] % 2 == 0]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab Я1_-'.\u0301\u00a0ğə\n"), max_size=50))
def test_shingle_words_are_the_word_boundary_runs(text):
    # the reference: the word pattern the shingles were built with before (\b\w+\b)
    import re

    assert dedup._WORD.findall(text) == re.findall(r"(?u)\b\w+\b", text)
