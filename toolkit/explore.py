"""Exploration: keyword in context, collocations and frequencies — the first look at a corpus.

Reads a corpus or segments DataFrame (tokenized or not), returns tidy tables.
"""
from __future__ import annotations

import re

import pandas as pd

from .languages import profile
from .morphology import lemmatizer_for, normalize_form
from .resources import load_resource, with_resources
from .schema import label_missing_groups
from .matching import MATCH_WORD
from .tokens import CJK_CHARACTER, WORD, ensure_tokens
from .units import carry, make_units

_TRAILING_PUNCT = re.compile(r"[^\w\s]*")


def _query_tests(query: str, language: str) -> list:
    """Per-word tests ``(lower_form, lemma) -> bool`` of ``query`` for texts in ``language``.

    A word matches its surface form, and its lemma in languages with a lemmatiser (pymorphy3);
    never a stem: an English stem would make "France" match "francs". ``*`` ends a prefix.
    """
    lemmatised = profile(language).morphology == "pymorphy3"
    lemma_of = lemmatizer_for(language) if lemmatised else None
    tests = []
    for word in _query_words(query):
        lower = normalize_form(word.lower())
        if lower.endswith("*"):
            tests.append(lambda form, lemma, p=lower[:-1]: form.startswith(p))
        elif lemmatised:
            tests.append(lambda form, lemma, w=lower, t=lemma_of(lower): form == w or lemma == t)
        else:
            tests.append(lambda form, lemma, w=lower: form == w or (form.endswith("'s") and form[:-2] == w))
    return tests


def _query_words(query: str) -> list[str]:
    """The words of a query: split on spaces, and Chinese or Japanese characters one word each (as
    :data:`toolkit.matching.MATCH_WORD` splits texts written in them).

    >>> _query_words("亚美尼亚 TASS Ханкенд*")
    ['亚', '美', '尼', '亚', 'TASS', 'Ханкенд*']
    """
    return [part for word in query.split()
            for part in (MATCH_WORD.findall(word) if CJK_CHARACTER.search(word) and not word.endswith("*") else [word])]


class _QueryWords:
    """The words (as written) that pass each word test of a query in one language, learned once per
    distinct word: a text's words are then tested by set lookups, not folded and lemmatised again."""

    def __init__(self, query: str, language: str):
        self._tests = _query_tests(query, language)
        self._lemma_of = lemmatizer_for(language) if profile(language).morphology == "pymorphy3" else None
        self._seen: set[str] = set()
        self._passing: list[set[str]] = [set() for _ in self._tests]

    def passing(self, words: list[str]) -> list[set[str]]:
        """Per word test of the query, the set of known words that pass it (after learning ``words``)."""
        new = set(words) - self._seen
        for word in new:
            lower = normalize_form(word.lower())
            lemma = self._lemma_of(lower) if self._lemma_of is not None else lower
            for test, passed in zip(self._tests, self._passing):
                if test(lower, lemma):
                    passed.add(word)
        self._seen |= new
        return self._passing


def kwic(corpus_or_units: pd.DataFrame, query: str, window: int = 8, *, unit: str | None = None) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``query`` with ``window`` words each side.

    The query matches surface forms, lemmas in Russian and Ukrainian (``Карабах`` finds
    ``Карабахе``, ``Карабаха``), and ``*`` prefixes (``Ханкенд*``, ``negotiat*``); several
    words match a sequence (``Лачинский коридор``). English words are not stemmed here
    (``France`` does not find ``francs``): use a prefix for inflected forms. In Chinese and
    Japanese, written without spaces, every character is a word (``亚美尼亚`` finds the four
    characters in a row; ``window`` counts characters).

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    query : the word(s) to find.
    window : words of context on each side.
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``: the context
        never crosses the unit.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``position`` (word index in the unit),
    ``left``, ``keyword``, ``right`` (original text, punctuation kept), then the metadata columns.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Бои в Карабахе продолжаются."]})
    >>> kwic(df, "Карабах", window=2)[["left", "keyword", "right"]].values.tolist()
    [['Бои в', 'Карабахе', 'продолжаются.']]
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("query must be a non-empty string, e.g. 'Карабах'")
    frame = make_units(corpus_or_units, unit)
    matchers: dict[str, _QueryWords] = {}
    rows, positions = [], []
    for position, (text, language) in enumerate(zip(frame["text"].fillna(""), frame["language"].astype(str))):
        query_words = matchers.get(language) or matchers.setdefault(language, _QueryWords(query, language))
        rule = MATCH_WORD if CJK_CHARACTER.search(text) else WORD   # Chinese/Japanese: a character a word
        words = rule.findall(text)
        passing = query_words.passing(words)
        if passing[0].isdisjoint(words):
            continue
        k = len(passing)
        spans = [m.span() for m in rule.finditer(text)]
        for i in [i for i, word in enumerate(words[:len(words) - k + 1]) if word in passing[0]]:
            if all(words[i + j] in passing[j] for j in range(1, k)):
                start, end = spans[i][0], spans[i + k - 1][1]
                left_start = spans[max(0, i - window)][0]
                right_end = spans[min(len(spans) - 1, i + k - 1 + window)][1]
                rows.append((i, " ".join(text[left_start:start].split()), text[start:end],
                             " ".join(text[end:_TRAILING_PUNCT.match(text, right_end).end()].split())))
                positions.append(position)
    values = pd.DataFrame(rows, columns=["position", "left", "keyword", "right"])
    # the lemmatiser's domain corrections decide which forms a query finds in ru/uk
    used = [load_resource("lemma_overrides")] if any(profile(lang).morphology == "pymorphy3" for lang in matchers) \
        else []
    return with_resources(carry(frame, values, positions), *used)


#: columns of :func:`collocations` (after ``by``)
COLLOCATION_COLUMNS = ["first", "second", "n_occurrences", "score"]


def collocations(corpus: pd.DataFrame, by: str | None = None, measure: str = "llr", min_count: int = 2,
                 n: int | None = 20, window: int = 2, *, unit: str | None = None) -> pd.DataFrame:
    """Word pairs that occur together more often than chance (nltk's association measures).

    Parameters
    ----------
    corpus : corpus or segments DataFrame; tokenized by :func:`toolkit.tokenize` if needed.
    by : a column to compute collocations per group (e.g. ``"outlet_country"``).
    measure : ``"llr"`` (Dunning's log-likelihood ratio) or ``"pmi"`` (pointwise mutual information).
    min_count : minimum co-occurrences of a pair.
    n : keep the ``n`` best pairs per group (None: all).
    window : 2 for adjacent words; larger for pairs within that many tokens.
    unit : None (the rows as given, tokenized if needed), or ``"article"``, ``"paragraph"``,
        ``"sentence"`` to count in those units (a pair never spans two units).

    Returns
    -------
    DataFrame with ``by`` (if given), ``first``, ``second``, ``n_occurrences`` (co-occurrences of
    the pair; 0.1: ``count``), ``score``, best first.
    """
    from nltk.collocations import BigramAssocMeasures

    measures = {"llr": BigramAssocMeasures.likelihood_ratio, "pmi": BigramAssocMeasures.pmi}
    if measure not in measures:
        raise ValueError(f"measure must be one of {sorted(measures)}, not {measure!r}")
    frame = ensure_tokens(corpus, unit, keep=[by] if by else [])
    groups = [(None, frame)] if by is None else frame.groupby(by, observed=True, sort=True)
    tables = []
    for name, part in groups:
        finder = _adjacent_finder(part["tokens"]) if window == 2 else _windowed_finder(part["tokens"], window)
        finder.apply_freq_filter(min_count)
        scored = finder.score_ngrams(measures[measure])
        table = pd.DataFrame([(a, b, finder.ngram_fd[(a, b)], s) for (a, b), s in scored],
                             columns=COLLOCATION_COLUMNS)
        table = table.sort_values(["score", "first", "second"], ascending=[False, True, True], kind="stable")
        if n is not None:
            table = table.head(n)
        if by is not None:
            table.insert(0, by, name)
        tables.append(table)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COLLOCATION_COLUMNS)


def _adjacent_finder(token_lists):
    """nltk's ``BigramCollocationFinder.from_documents(token_lists)`` (adjacent pairs within a
    document), its word and pair counts made by ``collections.Counter`` instead of nltk's
    per-token loop (five times faster; the same counts, so the same scores)."""
    from collections import Counter
    from itertools import chain, islice

    from nltk.collocations import BigramCollocationFinder
    from nltk.probability import FreqDist

    token_lists = [tokens for tokens in token_lists if len(tokens)]
    words = FreqDist(Counter(chain.from_iterable(token_lists)))
    pairs = FreqDist(Counter(chain.from_iterable(zip(tokens, islice(tokens, 1, None)) for tokens in token_lists)))
    return BigramCollocationFinder(words, pairs, window_size=2)


def _windowed_finder(token_lists, window):
    from nltk.collocations import BigramCollocationFinder

    # a document separator keeps windows from crossing documents
    stream = []
    for tokens in token_lists:
        stream.extend(list(tokens) + [None] * window)
    finder = BigramCollocationFinder.from_words(stream, window_size=window)
    finder.apply_word_filter(lambda w: w is None)
    return finder


def frequencies(corpus: pd.DataFrame, by: str | list | None = "outlet", n: int | None = None, *,
                unit: str | None = None) -> pd.DataFrame:
    """Term counts and relative frequencies per group.

    ``corpus``: a corpus or units (tokenized if needed); ``unit``: None for the rows as given, or
    ``"article"``, ``"paragraph"``, ``"sentence"`` to count in those units (``n_units`` then
    counts them).

    Returns
    -------
    DataFrame with the ``by`` column(s), ``term``, ``n_occurrences`` (occurrences), ``n_units``
    (units containing the term), ``rel_freq`` (occurrences / all tokens of the group) and
    ``per_10k``; sorted by group then occurrences. ``n`` keeps the most frequent terms per group.
    Rows without a group value form the group ``"unknown"`` (:data:`toolkit.schema.MISSING_GROUP`).
    Names as in :data:`toolkit.schema.RESULT_COLUMNS` (0.1: ``count``, ``docs``).

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["x", "x"], "tokens": [["a", "b"], ["a"]]})
    >>> frequencies(df)[["term", "n_occurrences", "rel_freq"]].values.tolist()
    [['a', 2, 0.6666666666666666], ['b', 1, 0.3333333333333333]]
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    frame = ensure_tokens(corpus, unit, keep=keys)
    long = label_missing_groups(frame[keys + ["tokens"]], keys).assign(_unit=range(len(frame)))
    long = long.explode("tokens").dropna(subset=["tokens"]).rename(columns={"tokens": "term"})
    group_keys = keys + ["term"]
    # rows whose group is missing form their own group (NaN) instead of silently vanishing
    counts = long.groupby(group_keys, observed=True, dropna=False).agg(
        n_occurrences=("_unit", "size"), n_units=("_unit", "nunique")).reset_index()
    totals = counts.groupby(keys, observed=True, dropna=False)["n_occurrences"].transform("sum") if keys \
        else counts["n_occurrences"].sum()
    counts["rel_freq"] = counts["n_occurrences"] / totals
    counts["per_10k"] = counts["rel_freq"] * 10_000
    counts = counts.sort_values(keys + ["n_occurrences", "term"], ascending=[True] * len(keys) + [False, True], kind="stable")
    if n is not None:
        counts = counts.groupby(keys, observed=True, dropna=False).head(n) if keys else counts.head(n)
    return counts.reset_index(drop=True)
