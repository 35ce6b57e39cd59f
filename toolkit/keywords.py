"""Keyness: which words distinguish one group of texts (an outlet, a country) from another.

Reads a corpus or segments DataFrame (tokenized when needed), returns one row per term with a
signed score (positive: over-used by the target group).

- ``fightin_words``: log-odds ratio with an informative Dirichlet prior, as z-scores (Monroe,
  Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16(4), eq. 22); the prior is the
  pooled counts of both groups times ``prior_scale``.
- ``g2``: Dunning's log-likelihood ratio G² on the 2×2 table (term vs other terms, target vs
  reference), signed, with its chi-squared(1) p-value.
- ``chi2``: Pearson's chi-squared on the same table, signed, with p-value (no continuity correction).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .tokens import best_forms, ensure_tokens, term_form_counts

METHODS = ("fightin_words", "g2", "chi2")


def _counts(tokens) -> pd.Series:
    flat = [t for ts in tokens for t in ts]
    return pd.Series(flat, dtype="object").value_counts() if flat else pd.Series(dtype="int64")


#: terms at each end of the ranking whose written form :func:`keyness` looks up
FORMS = 200


def keyness(corpus: pd.DataFrame, by: str, target, reference=None, method: str = "fightin_words",
            *, min_count: int = 1, prior_scale: float = 1.0) -> pd.DataFrame:
    """Key terms of the ``target`` group against ``reference`` (default: all other groups).

    Parameters
    ----------
    corpus : corpus or segments DataFrame (tokenized with :func:`toolkit.tokenize` if needed).
    by : the grouping column, e.g. ``"outlet_country"``.
    target : value (or list of values) of ``by`` forming the target group.
    reference : value(s) forming the reference group; default every other row.
    method : ``"fightin_words"``, ``"g2"`` or ``"chi2"``.
    min_count : leave out of the result terms with fewer occurrences in both groups together
        (the scores of the other terms do not change).
    prior_scale : Dirichlet prior = pooled counts × ``prior_scale`` (fightin_words only).

    Returns
    -------
    DataFrame ``term``, ``score``, ``n_target``, ``n_reference`` (occurrences of the term in the
    target and reference group; 0.1: ``count_target``, ``count_reference``), ``p`` (g2/chi2;
    missing for fightin_words, whose score is already a z-score), ``form`` (the term as readers
    write it: for a Snowball stem such as ``offens`` among the :data:`FORMS` highest and lowest
    scored, its most frequent written form in the two groups, ``offensive``; other terms as they
    are), sorted by score, highest first.

    Examples
    --------
    >>> df = pd.DataFrame({"side": ["a", "b"], "tokens": [["x", "x", "y"], ["y", "z"]]})
    >>> keyness(df, "side", "a", method="g2")["term"].tolist()
    ['x', 'y', 'z']
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if by not in corpus:
        raise ValueError(f"by={by!r} is not a column of the corpus")
    frame = ensure_tokens(corpus)
    targets = target if isinstance(target, (list, tuple, set)) else [target]
    in_target = frame[by].isin(targets)
    if reference is None:
        in_reference = ~in_target & frame[by].notna()
    else:
        references = reference if isinstance(reference, (list, tuple, set)) else [reference]
        in_reference = frame[by].isin(references)
    if not in_target.any():
        raise ValueError(f"no rows with {by} in {targets}; values present: {sorted(frame[by].dropna().astype(str).unique())[:20]}")
    if not in_reference.any():
        raise ValueError(f"the reference group is empty for {by}={reference!r}")
    counts = pd.concat([_counts(frame.loc[in_target, "tokens"]).rename("n_target"),
                        _counts(frame.loc[in_reference, "tokens"]).rename("n_reference")], axis=1)
    counts = counts.fillna(0).astype("int64")
    # group sizes and the prior come from every term, so min_count only hides rows
    n_t, n_r = float(counts["n_target"].sum()), float(counts["n_reference"].sum())
    alpha0 = float(counts.to_numpy().sum()) * prior_scale
    counts = counts[counts.sum(axis=1) >= min_count]
    a = counts["n_target"].to_numpy(dtype=float)
    b = counts["n_reference"].to_numpy(dtype=float)
    p = np.full(len(a), np.nan)
    if method == "fightin_words":
        alpha = (a + b) * prior_scale
        delta = (np.log((a + alpha) / (n_t + alpha0 - a - alpha))
                 - np.log((b + alpha) / (n_r + alpha0 - b - alpha)))
        variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
        score = delta / np.sqrt(variance)
    else:
        c, d = n_t - a, n_r - b
        total = n_t + n_r
        observed = np.stack([a, b, c, d])
        expected = np.stack([n_t * (a + b), n_r * (a + b), n_t * (c + d), n_r * (c + d)]) / total
        sign = np.sign(a / n_t - b / n_r)
        if method == "g2":
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
            statistic = 2 * terms.sum(axis=0)
        else:
            statistic = ((observed - expected) ** 2 / expected).sum(axis=0)
        from scipy.stats import chi2   # imported here: SciPy's statistics take a second to import

        p = chi2.sf(statistic, df=1)
        score = sign * statistic
    terms = counts.index.astype(str)
    # written forms for the terms a reader sees (the FORMS highest and lowest scored): counting the
    # forms of every term is a pass over every token, twice the cost of keyness itself
    ends = np.argsort(-np.asarray(score, dtype=float), kind="stable")
    visible = terms[np.unique(np.concatenate([ends[:FORMS], ends[-FORMS:]]))] if len(ends) else terms
    shown = best_forms(term_form_counts(frame[in_target | in_reference], visible))
    out = pd.DataFrame({"term": terms, "score": score,
                        "n_target": counts["n_target"].to_numpy(),
                        "n_reference": counts["n_reference"].to_numpy(), "p": p,
                        "form": [shown.get(term, term) for term in terms]})
    return out.sort_values(["score", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def name_terms(mentions: pd.DataFrame, actor_ids=None) -> pd.DataFrame:
    """The terms that name the actors: each matched mention (``toolkit.actors`` output: its
    ``mention`` text and ``language``) tokenized as the texts are (lemmas, phrases joined).

    Units chosen because they mention an actor (:func:`toolkit.mentions.mentioning`) hold its
    names by construction, so those names top their key words without saying anything about
    how the actor is written about; leave them out of a key-word figure with this table.

    Parameters
    ----------
    mentions : one row per mention, with ``actor``, ``mention`` and ``language``.
    actor_ids : the actors whose names are wanted (default: every actor in ``mentions``).

    Returns
    -------
    DataFrame ``actor``, ``term``: one row per actor and distinct term, sorted.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["x"], "mention": ["Xland Republic"], "language": ["en"]})
    >>> name_terms(m)["term"].tolist()   # English: Snowball stems, as in the tokens
    ['republ', 'xland']
    """
    from .tokens import tokenize

    for column in ("actor", "mention", "language"):
        if column not in mentions:
            raise ValueError(f"mentions needs a {column!r} column (toolkit.actors output); columns: {list(mentions.columns)}")
    wanted = mentions if actor_ids is None else mentions[mentions["actor"].astype(str).isin(list(actor_ids))]
    names = wanted[["actor", "mention", "language"]].astype("string").drop_duplicates().reset_index(drop=True)
    if names.empty:
        return pd.DataFrame({"actor": pd.Series(dtype="string"), "term": pd.Series(dtype="string")})
    tokens = tokenize(pd.DataFrame({"doc_id": [str(i) for i in range(len(names))], "text": names["mention"],
                                    "language": names["language"]}))
    rows = {(actor, term) for actor, terms in zip(names["actor"], tokens["tokens"]) for term in terms}
    return pd.DataFrame(sorted(rows), columns=["actor", "term"]).astype("string")
