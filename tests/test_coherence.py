"""Tests for toolkit.coherence: agreement with gensim's CoherenceModel and hand-computed values.

All token texts below are INVENTED (random draws from made-up word lists, or tiny hand-written
sequences); nothing is taken from the research corpus. gensim is a test-only dependency.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from toolkit.coherence import MEASURES, coherence

gensim = pytest.importorskip("gensim")
from gensim.corpora.dictionary import Dictionary  # noqa: E402
from gensim.models.coherencemodel import CoherenceModel  # noqa: E402

# invented vocabulary (transliterated news-like lemmas)
VOCAB = [f"w{i:02d}" for i in range(24)] + ["shusha", "lachin", "baku", "yerevan", "stepanakert", "ceasefire"]


def gensim_per_topic(texts, topics, measure, window=None):
    """Per-topic coherence from gensim 4's own pipeline (single process)."""
    dictionary = Dictionary(texts)
    corpus = [dictionary.doc2bow(t) for t in texts]
    model = CoherenceModel(topics=topics, texts=texts, corpus=corpus, dictionary=dictionary,
                           coherence=measure, window_size=window, topn=max(len(t) for t in topics),
                           processes=1)
    return np.array(model.get_coherence_per_topic(), dtype=float)


def random_texts(seed, n_texts=18, vocab=VOCAB, max_len=160):
    """Invented texts drawn with replacement: words repeat inside windows. Lengths range from
    empty and shorter-than-10 to longer than the 110-token c_v window."""
    rng = random.Random(seed)
    lengths = [0, 3, 9, 10, 11, 109, 110, 111] + [rng.randint(1, max_len) for _ in range(n_texts - 8)]
    # a skewed draw so that some words are frequent and repeat close together
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    texts = [rng.choices(vocab, weights=weights, k=n) for n in lengths]
    texts.append(list(vocab))  # every word occurs at least once (u_mass divides by P(w*))
    return texts


def random_topics(seed, n_topics=4, size=7, vocab=VOCAB):
    rng = random.Random(1000 + seed)
    return [rng.sample(vocab, size) for _ in range(n_topics)]


# ------------------------------------------------------------------ (a) gensim-compatible counting

@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("measure", MEASURES)
def test_gensim_compatible_equals_gensim_on_texts_with_repeats(measure, seed):
    texts, topics = random_texts(seed), random_topics(seed)
    ours = coherence(texts, topics, measure, gensim_compatible=True)
    theirs = gensim_per_topic(texts, topics, measure)
    assert ours.shape == (len(topics),)
    assert np.isfinite(theirs).all()
    # Same formulas (Röder et al. 2015 as gensim implements them, same ε = 1e-12) and the same
    # window counting, so the numbers agree up to the order in which floats are summed.
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    if measure != "u_mass":
        # guard: these texts do repeat words inside windows, so the textbook (boolean window)
        # counting gives different numbers; otherwise this test would prove nothing about
        # the gensim-compatible path
        assert np.abs(coherence(texts, topics, measure) - ours).max() > 1e-3


def test_gensim_compatible_with_explicit_window_equals_gensim():
    texts, topics = random_texts(7), random_topics(7)
    ours = coherence(texts, topics, "c_npmi", window=4, gensim_compatible=True)
    theirs = gensim_per_topic(texts, topics, "c_npmi", window=4)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


# ------------------------------------------------------------------ (b) no repeats within a window

def texts_without_close_repeats(seed, window, n_texts=15, vocab=VOCAB, max_len=90):
    """Invented texts in which no word occurs twice within ``window`` consecutive tokens
    (words may come back further apart). Boolean windows and gensim's incremental windows
    then count the same thing."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n_texts):
        text = []
        for _ in range(rng.randint(0, max_len)):
            recent = set(text[-(window - 1):]) if window > 1 else set()
            text.append(rng.choice([w for w in vocab if w not in recent]))
        texts.append(text)
    texts.append(list(vocab))
    return texts


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("measure", MEASURES)
def test_default_counting_equals_gensim_without_repeats_in_window(measure, seed):
    if measure == "c_v":
        # window 110 > vocabulary size: every text is a set of distinct words
        rng = random.Random(seed)
        texts = [rng.sample(VOCAB, rng.randint(0, len(VOCAB))) for _ in range(20)] + [list(VOCAB)]
    else:
        texts = texts_without_close_repeats(seed, window=10)  # u_mass ignores windows anyway
    topics = random_topics(seed)
    ours = coherence(texts, topics, measure)  # default: boolean windows
    theirs = gensim_per_topic(texts, topics, measure)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    # and the gensim-compatible counting agrees with the default here
    np.testing.assert_allclose(coherence(texts, topics, measure, gensim_compatible=True), ours,
                               rtol=0, atol=1e-12)


def test_texts_without_close_repeats_really_have_none():
    for text in texts_without_close_repeats(3, window=10):
        for i in range(len(text)):
            assert text[i] not in text[i + 1:i + 10]


# ------------------------------------------------------------------ (c) hand-computed repeat case

# Invented texts; window of 3 tokens.
#   text 1: a b a c d -> windows [a b a], [b a c], [a c d]
#   text 2: c d e     -> exactly one window [c d e]
# Boolean windows (a word is in a window if any of its positions is):
#   a in 3 windows, b in 2, a & b together in 2; N = 4 windows
#   p_a = 3/4, p_b = 2/4, p_ab = 2/4
#   NPMI = log(p_ab / (p_a p_b)) / -log(p_ab) = log(4/3) / log(2) = 0.41503749...
# gensim 4 slides its window incrementally: moving from [a b a] to [b a c] it removes the
# leaving word "a" although another "a" stays inside, then adds "c". So it sees {b, c} and
# {c, d} for windows 2 and 3: a in 1 window, b in 2, a & b in 1, N = 4:
#   p_a = 1/4, p_b = 2/4, p_ab = 1/4 -> NPMI = log(2) / log(4) = 0.5
HAND_TEXTS = [["a", "b", "a", "c", "d"], ["c", "d", "e"]]
HAND_TOPIC = [["a", "b"]]


def test_hand_computed_npmi_with_repeated_word_in_window():
    n = 4
    p_a, p_b, p_ab = 3 / n, 2 / n, 2 / n
    textbook = math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
    assert textbook == pytest.approx(math.log(4 / 3) / math.log(2))
    got = coherence(HAND_TEXTS, HAND_TOPIC, "c_npmi", window=3)
    # c_npmi averages both ordered pairs (a, b) and (b, a): equal by symmetry; ε = 1e-12 only
    assert got[0] == pytest.approx(textbook, abs=1e-9)


def test_gensim_compatible_undercounts_when_leaving_word_repeats():
    gensim_value = math.log((1 / 4) / ((1 / 4) * (2 / 4))) / -math.log(1 / 4)
    assert gensim_value == pytest.approx(0.5)
    compat = coherence(HAND_TEXTS, HAND_TOPIC, "c_npmi", window=3, gensim_compatible=True)
    assert compat[0] == pytest.approx(gensim_value, abs=1e-9)
    assert gensim_per_topic(HAND_TEXTS, HAND_TOPIC, "c_npmi", window=3)[0] == pytest.approx(gensim_value, abs=1e-9)
    default = coherence(HAND_TEXTS, HAND_TOPIC, "c_npmi", window=3)
    assert abs(compat[0] - default[0]) > 0.05


def test_hand_computed_u_mass():
    # invented documents; u_mass pairs (w_i, w_j<i) = (b, a): log((P(a,b) + ε) / P(a))
    texts = [["a", "b"], ["a", "c"], ["a", "b", "b"], ["c"]]
    got = coherence(texts, [["a", "b"]], "u_mass")
    assert got[0] == pytest.approx(math.log((2 / 4) / (3 / 4)), abs=1e-9)


def test_docstring_example():
    texts = [["a", "b"], ["a", "b"], ["c"]]
    assert coherence(texts, [["a", "b"]], "u_mass").round(3).tolist() == [0.0]


def test_unknown_measure_raises():
    with pytest.raises(ValueError, match="measure"):
        coherence([["a", "b"]], [["a", "b"]], "c_uci")


def test_two_chinese_words_that_share_an_edge_character_are_two_terms():
    """Chinese and Japanese are cut into words (jieba, janome), so 美国 'USA' and 国家 'state', which
    share 国, are two words; the character-bigram era took such pairs for one word's fragments and
    dropped one. Invented token lists; NPMI by hand: P(美国) = 2/3, P(国家) = 1/3, P(both) = 1/3:
    NPMI = ln(1/3 / (2/9)) / -ln(1/3) = ln 1.5 / ln 3."""
    import math
    texts = [["美国", "国家"], ["美国"], ["总统"]]
    assert coherence(texts, [["美国", "国家"]], "c_npmi")[0] == pytest.approx(math.log(1.5) / math.log(3), abs=1e-9)
