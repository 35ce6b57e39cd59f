"""Tests for toolkit.keyness: G², chi-squared and Fightin' Words on hand-computed 2x2 tables.

Every corpus below is an INVENTED list of tokens written for these tests (no corpus text).
The expected numbers are worked out by hand in the tests, independently of the module.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from toolkit.keywords import keyness

TOL = 1e-9

# Invented token lists. Target group "t": x x x y (n_t = 4); reference group "r": x y y y y y (n_r = 6).
#
#                 target   reference   row total
#   term x          a=3       b=1          4
#   other terms     c=1       d=5          6
#   column total    n_t=4     n_r=6      N=10
#
# For the term y the table is the same with the rows swapped (a=1, b=5, c=3, d=1).
TWO_GROUPS = pd.DataFrame({
    "side": ["t", "t", "r", "r"],
    "tokens": [["x", "x"], ["x", "y"], ["x", "y", "y"], ["y", "y", "y"]],
})


def score_of(table: pd.DataFrame, term: str) -> float:
    return float(table.loc[table["term"] == term, "score"].iloc[0])


def p_of(table: pd.DataFrame, term: str) -> float:
    return float(table.loc[table["term"] == term, "p"].iloc[0])


def chi2_sf_df1(statistic: float) -> float:
    """Upper tail of chi-squared with 1 degree of freedom: P(Z^2 > s) = erfc(sqrt(s / 2))."""
    return math.erfc(math.sqrt(statistic / 2))


# ------------------------------------------------------------------ G² (Dunning 1993)

def test_g2_by_hand():
    # Expected counts E = row total x column total / N:
    #   E_a = 4*4/10 = 1.6, E_b = 4*6/10 = 2.4, E_c = 6*4/10 = 2.4, E_d = 6*6/10 = 3.6
    # G² = 2 * [3 ln(3/1.6) + 1 ln(1/2.4) + 1 ln(1/2.4) + 5 ln(5/3.6)]
    g2 = 2 * (3 * math.log(3 / 1.6) + 1 * math.log(1 / 2.4) + 1 * math.log(1 / 2.4) + 5 * math.log(5 / 3.6))
    #    = 2 * [1.885835 - 0.875469 - 0.875469 + 1.642503] = 2 * 1.777409 = 3.554818
    assert g2 == pytest.approx(3.554818, abs=1e-6)
    table = keyness(TWO_GROUPS, "side", "t", "r", method="g2")
    # x: relative frequency 3/4 in the target > 1/6 in the reference -> positive
    assert abs(score_of(table, "x") - g2) < TOL
    # y: 1/4 < 5/6 -> the same table with rows swapped, negative sign
    assert abs(score_of(table, "y") + g2) < TOL
    assert abs(p_of(table, "x") - chi2_sf_df1(g2)) < TOL
    assert abs(p_of(table, "y") - chi2_sf_df1(g2)) < TOL
    assert table[["term", "n_target", "n_reference"]].values.tolist() == [["x", 3, 1], ["y", 1, 5]]


def test_g2_zero_cell_contributes_nothing():
    # Invented: target x x (n_t = 2), reference y (n_r = 1), N = 3.
    # Term x: a=2, b=0, c=0, d=1; E_a = 2*2/3, E_b = 2*1/3, E_c = 1*2/3, E_d = 1*1/3.
    # 0 * ln(0/E) is taken as 0, so G² = 2 * [2 ln(2 / (4/3)) + 1 ln(1 / (1/3))] = 2 * (2 ln 1.5 + ln 3)
    corpus = pd.DataFrame({"side": ["t", "r"], "tokens": [["x", "x"], ["y"]]})
    table = keyness(corpus, "side", "t", method="g2")
    g2 = 2 * (2 * math.log(1.5) + math.log(3))
    assert abs(score_of(table, "x") - g2) < TOL
    assert abs(score_of(table, "y") + g2) < TOL
    assert table["score"].notna().all()


# ------------------------------------------------------------------ Pearson chi-squared

def test_chi2_by_hand():
    # sum (O - E)^2 / E = (3-1.6)²/1.6 + (1-2.4)²/2.4 + (1-2.4)²/2.4 + (5-3.6)²/3.6
    #                   = 1.96/1.6 + 1.96/2.4 + 1.96/2.4 + 1.96/3.6
    # shortcut check: N (ad - bc)² / (row1 row2 col1 col2) = 10 * (15 - 1)² / (4*6*4*6) = 1960/576
    chi2 = 1.96 / 1.6 + 1.96 / 2.4 + 1.96 / 2.4 + 1.96 / 3.6
    assert chi2 == pytest.approx(1960 / 576, abs=1e-12)
    table = keyness(TWO_GROUPS, "side", "t", "r", method="chi2")
    assert abs(score_of(table, "x") - chi2) < TOL
    assert abs(score_of(table, "y") + chi2) < TOL
    # p-value: chi-squared(1) upper tail, no continuity correction
    assert abs(p_of(table, "x") - chi2_sf_df1(chi2)) < TOL
    assert p_of(table, "x") == pytest.approx(0.06509, abs=1e-4)


def test_chi2_p_value_matches_scipy():
    from scipy.stats import chi2 as chi2_distribution

    table = keyness(TWO_GROUPS, "side", "t", "r", method="chi2")
    for term in ("x", "y"):
        assert abs(p_of(table, term) - chi2_distribution.sf(abs(score_of(table, term)), df=1)) < TOL


# ------------------------------------------------------------------ Fightin' Words (Monroe et al. 2008)

def test_fightin_words_by_hand():
    # prior alpha_w = pooled count × prior_scale (1): alpha_x = 3+1 = 4, alpha_y = 1+5 = 6, alpha0 = 10
    # x: delta = ln((3+4)/(4+10-3-4)) - ln((1+4)/(6+10-1-4)) = ln(7/7) - ln(5/11) = ln(11/5)
    #    var   = 1/(3+4) + 1/(1+4) = 1/7 + 1/5 = 12/35
    # y: delta = ln((1+6)/(4+10-1-6)) - ln((5+6)/(6+10-5-6)) = ln(7/7) - ln(11/5) = -ln(11/5)
    #    var   = 1/(1+6) + 1/(5+6) = 1/7 + 1/11 = 18/77
    z_x = math.log(11 / 5) / math.sqrt(12 / 35)
    z_y = -math.log(11 / 5) / math.sqrt(18 / 77)
    table = keyness(TWO_GROUPS, "side", "t", "r", method="fightin_words")
    assert abs(score_of(table, "x") - z_x) < TOL
    assert abs(score_of(table, "y") - z_y) < TOL
    assert table["p"].isna().all()  # the score is already a z-score


def test_fightin_words_prior_scale():
    # prior_scale 0.5: alpha_x = 2, alpha_y = 3, alpha0 = 5
    # x: delta = ln((3+2)/(4+5-3-2)) - ln((1+2)/(6+5-1-2)) = ln(5/4) - ln(3/8); var = 1/5 + 1/3
    z_x = (math.log(5 / 4) - math.log(3 / 8)) / math.sqrt(1 / 5 + 1 / 3)
    table = keyness(TWO_GROUPS, "side", "t", "r", method="fightin_words", prior_scale=0.5)
    assert abs(score_of(table, "x") - z_x) < TOL


# ------------------------------------------------------------------ table shape, groups, errors

@pytest.mark.parametrize("method", ["fightin_words", "g2", "chi2"])
def test_sorted_by_score_highest_first(method):
    # Invented: four terms with different balances between the groups.
    corpus = pd.DataFrame({"side": ["t", "r"],
                           "tokens": [["a", "a", "a", "b", "b", "c", "d"], ["a", "b", "c", "c", "d", "d", "d"]]})
    table = keyness(corpus, "side", "t", method=method)
    assert list(table.columns) == ["term", "score", "n_target", "n_reference", "p", "form"]
    assert table["score"].is_monotonic_decreasing
    assert table["term"].iloc[0] == "a" and table["term"].iloc[-1] == "d"


def test_reference_none_uses_all_other_groups():
    # Invented: three groups; the reference "r" + "s" must equal reference=None.
    corpus = pd.DataFrame({"side": ["t", "r", "s", None],
                           "tokens": [["x", "x", "y"], ["y", "z"], ["x", "z", "z"], ["x", "x", "x"]]})
    default = keyness(corpus, "side", "t", method="g2")
    explicit = keyness(corpus, "side", "t", ["r", "s"], method="g2")
    pd.testing.assert_frame_equal(default, explicit)
    counts = dict(zip(default["term"], default["n_reference"]))
    assert counts == {"x": 1, "y": 1, "z": 3}  # the row without a group is in neither group
    only_r = keyness(corpus, "side", "t", "r", method="g2")
    assert dict(zip(only_r["term"], only_r["n_reference"])) == {"x": 0, "y": 1, "z": 1}


def test_list_of_targets():
    corpus = pd.DataFrame({"side": ["t", "u", "r"], "tokens": [["x"], ["x", "y"], ["y", "y"]]})
    table = keyness(corpus, "side", ["t", "u"], method="chi2")
    assert dict(zip(table["term"], table["n_target"])) == {"x": 2, "y": 1}


def test_unknown_method_raises():
    with pytest.raises(ValueError, match="method"):
        keyness(TWO_GROUPS, "side", "t", method="tfidf")


def test_missing_target_raises():
    with pytest.raises(ValueError):
        keyness(TWO_GROUPS, "side", "nowhere")


def test_missing_column_raises():
    with pytest.raises(ValueError):
        keyness(TWO_GROUPS, "outlet", "t")


def test_empty_reference_raises():
    with pytest.raises(ValueError):
        keyness(TWO_GROUPS, "side", "t", "nowhere")


def test_name_terms_are_the_mentions_tokenized_as_the_texts_are():
    # invented mentions, as toolkit.actors gives them: a Russian case form, an English name, another actor
    from toolkit.keywords import name_terms

    mentions = pd.DataFrame({"actor": ["azerbaijan", "armenia", "armenia", "russia"],
                             "mention": ["Азербайджана", "Armenia", "Armenia", "Россией"],
                             "language": ["ru", "en", "en", "ru"]})
    table = name_terms(mentions, ["azerbaijan", "armenia"])
    assert table.values.tolist() == [["armenia", "armenia"], ["azerbaijan", "азербайджан"]]   # lemma, once each
    assert name_terms(mentions)["term"].tolist() == ["armenia", "азербайджан", "россия"]
    with pytest.raises(ValueError, match="mention"):
        name_terms(mentions.drop(columns="mention"))


def test_keyness_shows_stems_as_written():
    """Review sweep (2026-12-07): the key-words figure showed Snowball stems (`offens`, `oper`).
    `form` is the most frequent written form of a stem in the two groups (hand-counted: `offens`
    written "offensive" twice and "offensives" once), terms that are no stems stay as they are.
    INVENTED English sentences."""
    frame = pd.DataFrame({"side": ["a", "a", "b"], "language": ["en", "en", "en"],
                          "text": ["The offensive began. Another offensive.", "Offensives and operations.",
                                   "Talks in Geneva."]})
    table = keyness(frame, "side", "a").set_index("term")
    assert table.loc["offens", "form"] == "offensive"
    assert table.loc["oper", "form"] == "operations"
    assert table.loc["geneva", "form"] == "geneva"
    assert (table["n_target"] + table["n_reference"]).loc["offens"] == 3
