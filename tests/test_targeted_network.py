"""The attention network tried for the targeted-tone model (``scripts/train_targeted_tone.py``,
``experiment --only "attention network"``; not shipped, docs/targeted_tone.md): its inputs, its
forward pass against hand-computed values, its gradients against finite differences, and that
training learns where to look."""
from __future__ import annotations

import importlib.util
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest


@lru_cache(maxsize=1)
def _recipe():
    path = Path(__file__).parents[1] / "scripts" / "train_targeted_tone.py"
    spec = importlib.util.spec_from_file_location("train_targeted_tone_net", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


recipe = _recipe()
AttentionNetwork, pad_inputs, token_inputs = recipe.AttentionNetwork, recipe.pad_inputs, recipe.token_inputs
DIM, POSITIONS, MAX_TOKENS = recipe.TOKEN_DIM, recipe.NET_POSITIONS, recipe.NET_MAX_TOKENS
NEG, POS, IS_HEAD, IS_CHILD = 448 + 300 + 1, 448 + 300, 448 + 300 + 2, 448 + 300 + 3   # columns of token_inputs


def _zero_network(units: int = 4, heads: int = 1) -> dict:
    positions = 2 * POSITIONS + 2
    return {"W": np.zeros((heads, units, DIM)), "U": np.zeros((heads, units, DIM)),
            "P": np.zeros((heads, positions, units)), "b": np.zeros((heads, units)), "q": np.zeros((heads, units)),
            "V": np.zeros((3, (heads + 2) * DIM)), "v0": np.zeros(3)}


def _row(polarities, target: int, head: int, child: int | None = None):
    """Invented token inputs: token i carries polarity[i] (negative values in the negative column)."""
    X = np.zeros((len(polarities), DIM))
    for i, value in enumerate(polarities):
        X[i, POS if value > 0 else NEG] = abs(value)
    X[head, IS_HEAD] = 1.0
    if child is not None:
        X[child, IS_CHILD] = 1.0
    positions = np.array([POSITIONS + (i - target) if i != target else 2 * POSITIONS + 1
                          for i in range(len(polarities))])
    return X, positions, X[target].copy(), X[head].copy()


def test_token_inputs_of_a_parsed_sentence():
    """"Азербайджан обвинил [Армению] в обстреле.": six tokens; the target's head is the verb of
    accusing, which carries the lexicon's negative polarity; positions count words from the target."""
    X, positions, t, h = token_inputs("Азербайджан обвинил Армению в обстреле.", 20, 27)
    assert X.shape == (6, DIM)
    assert positions.tolist() == [8, 9, 21, 11, 12, 13]
    assert X[:, IS_HEAD].tolist() == [0, 1, 0, 0, 0, 0]
    assert X[1, NEG] > 0 and X[4, NEG] > 0 and X[2, NEG] == 0 and X[:, POS].sum() == 0
    for first, last in ((0, 256), (256, 384), (384, 448)):       # each layer of a state unit length
        np.testing.assert_allclose(np.linalg.norm(X[:, first:last], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[:, 448:748], axis=1), [1, 1, 1, 1, 1, 0])   # navec: words, not "." 
    np.testing.assert_array_equal(t, X[2])
    np.testing.assert_array_equal(h, X[1])


def test_token_inputs_keep_the_tokens_around_the_target_of_a_long_sentence():
    words = ["слово"] * 150
    words[60] = "Армения"
    text = " ".join(words)
    start = text.index("Армения")
    X, positions, _, _ = token_inputs(text, start, start + len("Армения"))
    assert len(X) == MAX_TOKENS
    assert (positions == 2 * POSITIONS + 1).sum() == 1   # the target is kept
    assert positions.tolist().index(2 * POSITIONS + 1) == MAX_TOKENS // 2


def test_uniform_attention_averages_the_tokens():
    """With q = 0 every score is 0: the pooled vector is the mean row, and the logits are V's
    hand-picked columns of it: logit(negative) = 2 x mean negative polarity = 2 x (0.8 + 0.4) / 4."""
    params = _zero_network()
    params["V"][0, NEG] = 2.0
    params["V"][2, DIM + POS] = 1.0          # positive: the target's own positive polarity
    network = AttentionNetwork(params)
    row = _row([-0.8, 0.0, -0.4, 0.0], target=1, head=0)
    logits, _ = network.forward(*pad_inputs([row]))
    np.testing.assert_allclose(logits, [[0.6, 0.0, 0.0]])
    expected = np.exp([0.6, 0.0, 0.0]) / np.exp([0.6, 0.0, 0.0]).sum()
    np.testing.assert_allclose(network.predict_proba([row]), [expected])


def test_learned_attention_reads_the_head_not_the_other_words():
    """A score that rewards the ``is_head`` flag puts (almost) all weight on the head: the head's
    negative polarity (0.9) is read, the far positive word (1.0) is not, whatever the padding."""
    params = _zero_network(units=1)
    params["W"][0, 0, IS_HEAD] = 5.0         # tanh(5) = 0.9999
    params["q"][0, 0] = 40.0                 # the head's score is 40 higher than any other token's
    params["V"][0, NEG] = 1.0
    params["V"][2, POS] = 1.0
    network = AttentionNetwork(params)
    row = _row([0.0, -0.9, 0.0, 0.0, 1.0], target=0, head=1)
    short = _row([0.2, -0.9], target=0, head=1)
    logits, _ = network.forward(*pad_inputs([row, short]))
    np.testing.assert_allclose(logits[:, 0], [0.9, 0.9], atol=1e-9)
    np.testing.assert_allclose(logits[:, 2], [0.0, 0.0], atol=1e-9)
    # padded together or alone, a row gets the same probabilities
    np.testing.assert_allclose(network.predict_proba([short]), network.predict_proba([row, short])[1:], atol=1e-12)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    network = recipe.init_network(seed=1, units=5, heads=2)
    network.params["V"] = rng.normal(0, 0.1, network.params["V"].shape)
    rows = []
    for n in (4, 7, 5):
        X = rng.normal(size=(n, DIM))
        rows.append((X, rng.integers(0, 2 * POSITIONS + 2, n), X[:2].mean(axis=0), X[n - 1]))
    batch, classes, weights = pad_inputs(rows), np.array([0, 2, 1]), np.array([1.5, 0.5, 1.0])
    _, grads = recipe.network_gradients(network, batch, classes, weights, l2=1e-2)
    for name, value in network.params.items():
        for _ in range(3):
            index = tuple(int(rng.integers(0, size)) for size in value.shape)
            old = value[index]
            value[index] = old + 1e-6
            up, _ = recipe.network_gradients(network, batch, classes, weights, l2=1e-2)
            value[index] = old - 1e-6
            down, _ = recipe.network_gradients(network, batch, classes, weights, l2=1e-2)
            value[index] = old
            assert math.isclose(grads[name][index], (up - down) / 2e-6, rel_tol=1e-4, abs_tol=1e-9), (name, index)


def test_training_learns_where_to_look_and_repeats():
    """Invented rows whose label is the sign of the polarity of the target's dependent, while
    another word carries the opposite polarity: averaging the words cancels them out, and the
    target's and head's own rows carry none, so only attention to the dependent can tell the
    label. The trained network gets most held-out rows right, and two trainings with the same
    seed give the same weights to the bit."""
    rng = np.random.default_rng(0)
    rows, y = [], []
    for k in range(300):
        label = (-1, 0, 1)[k % 3]
        n = int(rng.integers(5, 9))
        polarity = [0.0] * n
        child, other = (int(i) for i in rng.choice(np.arange(2, n), size=2, replace=False))
        polarity[child] = 0.8 * label
        polarity[other] = -0.8 * label
        rows.append(_row(polarity, target=0, head=1, child=child))
        y.append(label)
    y = np.array(y)
    network = recipe.train_network(rows[:240], y[:240], epochs=30)
    predicted = np.array([-1, 0, 1])[network.predict_proba(rows[240:]).argmax(axis=1)]
    assert (predicted == y[240:]).mean() >= 0.9
    uniform = AttentionNetwork({**network.params, "q": np.zeros_like(network.params["q"])})
    guessed = np.array([-1, 0, 1])[uniform.predict_proba(rows[240:]).argmax(axis=1)]
    assert (guessed == y[240:]).mean() < 0.7          # the same weights without attention
    again = recipe.train_network(rows[:240], y[:240], epochs=30)
    for name in network.params:
        np.testing.assert_array_equal(network.params[name], again.params[name])


def test_missing_parameters_are_refused():
    with pytest.raises(ValueError, match="missing"):
        AttentionNetwork({"W": np.zeros((1, 2, DIM))})


def test_best_mix_finds_the_share_that_fixes_the_errors():
    """Hand-made probabilities: the linear model swaps the polarity of rows 0-1, the network of
    rows 2-3, each sure of its right answers; no class weights repair either alone, and only the
    half-and-half average gets every row right (at 0.4 rows 0 and 1 pull the weights apart)."""
    y = np.array([-1, 1, -1, 1])
    linear = np.array([[0.1, 0.2, 0.7], [0.7, 0.2, 0.1], [0.8, 0.2, 0.0], [0.0, 0.2, 0.8]])
    network = np.array([[0.8, 0.2, 0.0], [0.0, 0.2, 0.8], [0.1, 0.2, 0.7], [0.7, 0.2, 0.1]])
    mix, weights, score = recipe.best_mix(linear, network, y)
    assert mix == 0.5 and score == 1.0
    assert recipe.best_weights(linear, y)[1] < 1.0 and recipe.best_weights(network, y)[1] < 1.0
    assert recipe.best_weights(0.6 * linear + 0.4 * network, y)[1] < 1.0


def test_outer_folds_score_each_fold_once_with_what_the_fold_chose():
    """Invented labels: 10 sentences with two targets each, one negative and one positive, in 5
    grouped folds. A fold that returns the true classes scores 1.0 everywhere, one that swaps
    negative and positive 0.0; each fold fits on the other 16 rows; the choices come back per fold."""
    y = np.array([-1, 1] * 10)
    groups, rows = np.repeat([f"s{i}" for i in range(10)], 2), np.arange(20)

    def truth(fit_rows, apply_rows, swap=False):
        classes = -y[apply_rows] if swap else y[apply_rows]
        return np.eye(3)[np.searchsorted([-1, 0, 1], classes)], (1.0, 1.0, 1.0), {"n_fit": len(fit_rows)}

    scores, predictions, chosen = recipe.outer_folds(y, groups, rows, truth)
    assert scores.tolist() == [1.0] * 5 and predictions.tolist() == y.tolist()
    assert [c["n_fit"] for c in chosen] == [16] * 5
    swapped, _, _ = recipe.outer_folds(y, groups, rows, lambda f, a: truth(f, a, swap=True))
    assert swapped.tolist() == [0.0] * 5
