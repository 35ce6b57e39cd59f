"""Sentiment stage: evaluative tone of sentences (or any units), and tone around each actor.

Reads a corpus or segments DataFrame, returns tidy tables of scores. Russian and Ukrainian use
the team's lexicons (``lexicons/sentiment_ru.tsv``, ``sentiment_uk.tsv``: lemma and polarity in
[-1, 1]) with negation (``lexicons/negators.csv``); English uses VADER (Hutto & Gilbert 2014)
through nltk with the lexicon file shipped inside the ``vaderSentiment`` package. Other
languages get no score (``n_matched`` 0, ``score`` missing) rather than a wrong one.
"""
from __future__ import annotations

import math
import os
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from .languages import codes, profile
from .morphology import lemmatizer_for, normalize_form
from .resources import Resource, _sentiment_from_bytes, load_resource, with_resources
from .stats import bootstrap_mean_ci
from .tokens import WORD
from .units import carry, segment, unit_of, make_units

#: languages with a packaged lexicon scorer (``sentiment`` = ``lexicon`` in toolkit/data/languages.csv)
LEXICON_LANGUAGES = codes(sentiment="lexicon")
NEGATION_SCALAR = -0.74   # VADER's constant, so that negation means the same in every language
ALPHA = 15                # VADER's normalisation constant: score = s / sqrt(s^2 + ALPHA)
SCALE = 4.0               # our lexicon scores are in [-1, 1], VADER's valences in [-4, 4]
SENTIMENT_COLUMNS = ["doc_id", "segment_id", "language", "score", "positive", "negative", "n_matched"]

#: set only by the deprecated use_lexicon(); removed in 0.3.0
_DEPRECATED_DEFAULTS: dict[str, Resource] = {}


def load_lexicon(path, *, fmt: str = "tsv") -> dict[str, float]:
    """Read a sentiment lexicon file into ``{lemma: score}``.

    Parameters
    ----------
    path : file path.
    fmt : ``"tsv"`` — ``word<TAB>score`` lines (``#`` comments and a header row allowed; scores
        beyond [-1, 1] are divided by the largest absolute score); ``"rusentilex"`` —
        RuSentiLex's comma-separated lines ``word, pos, lemma, sentiment, source[, ambiguity]``
        with sentiment ``positive``/``negative`` (mapped to 1 and -1; the lemma column is the
        key; ``neutral`` and ``positive/negative`` entries and multi-word lemmas are skipped).

    To score with a lexicon, pass the file itself: ``sentiment(corpus, lexicon=path)``.
    """
    from pathlib import Path

    if fmt not in ("tsv", "rusentilex"):
        raise ValueError(f"fmt must be 'tsv' or 'rusentilex', not {fmt!r}")
    return _sentiment_from_bytes(Path(path).read_bytes(), fmt)


def sentiment_resource(language: str, source=None) -> Resource | None:
    """The sentiment lexicon for ``language``: ``source`` (a file, dict or Resource) when given;
    else the packaged one of the language's profile (VADER for English); None when the
    language has no scorer."""
    if source is not None:
        return load_resource("sentiment", source, language=language)
    if language in _DEPRECATED_DEFAULTS:
        return _DEPRECATED_DEFAULTS[language]
    if profile(language).sentiment == "none":
        return None
    return load_resource("sentiment", language=language)


def lexicon(language: str, source=None):
    """The ``{lemma: score}`` lexicon used for ``language`` (read-only; empty when none)."""
    resource = sentiment_resource(language, source)
    return resource.mapping() if resource is not None else {}


def use_lexicon(language: str, path_or_mapping, *, fmt: str = "tsv") -> None:
    """Deprecated (removed in 0.3.0): pass the lexicon instead, ``sentiment(corpus, lexicon=path)``.

    Swaps in another lexicon for ``language`` in this process (a file in a format of
    :func:`load_lexicon`, or a ``{lemma: score}`` dict); ``use_lexicon("ru", None)`` restores
    the packaged one. Works for any language (0.1 silently ignored all but ru/uk).
    """
    warnings.warn("use_lexicon() is deprecated: it changes every later call in the process; pass the lexicon "
                  "to the measure instead: sentiment(corpus, lexicon='my.tsv') or lexicon={'ru': 'my.tsv'}",
                  DeprecationWarning, stacklevel=2)
    if path_or_mapping is None:
        _DEPRECATED_DEFAULTS.pop(language, None)
    else:
        _DEPRECATED_DEFAULTS[language] = load_resource("sentiment", path_or_mapping, language=language, fmt=fmt)


@lru_cache(maxsize=None)
def _negators(language: str) -> dict[str, int]:
    table = load_resource("negators").table()
    part = table[table["lang"] == language]
    return dict(zip(part["word"], part["window"].astype(int)))


@lru_cache(maxsize=1)
def _vader():
    import nltk
    import vaderSentiment
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    folder = os.path.dirname(vaderSentiment.__file__)
    if folder not in nltk.data.path:  # nltk only opens lexicons under nltk.data.path
        nltk.data.path.append(folder)
    return SentimentIntensityAnalyzer(lexicon_file="file:" + os.path.join(folder, "vader_lexicon.txt"))


def _normalise(total: float) -> float:
    return total / math.sqrt(total * total + ALPHA)


def score_text(text: str, language: str, lexicon=None) -> dict:
    """Tone of one text: ``score`` in [-1, 1], ``positive`` and ``negative`` (summed valences
    on the [0, 1]-per-word scale), ``n_matched`` (lexicon words found).

    ``lexicon``: None for the language's packaged scorer (toolkit/data/languages.csv), or a
    lexicon file / ``{lemma: score}`` dict / Resource, which then scores any language (words
    compared through the language's lemmatiser, or as written).

    Examples
    --------
    >>> score_text("Это катастрофа.", "ru")["score"] < 0 < score_text("Это не катастрофа.", "ru")["score"]
    True
    >>> score_text("Bu fəlakətdir.", "az", lexicon={"fəlakətdir": -0.8})["score"] < 0
    True
    """
    resource = sentiment_resource(language, lexicon)
    if resource is None:
        return {"score": np.nan, "positive": 0.0, "negative": 0.0, "n_matched": 0}
    if resource.fmt == "vader":
        analyzer = _vader()
        words = [w.lower() for w in WORD.findall(text)]
        valences = [analyzer.lexicon[w] / SCALE for w in words if w in analyzer.lexicon]
        matched = len(valences)
        # VADER's own pass (the slow part) only where a lexicon word occurs: else the score is missing
        return {"score": analyzer.polarity_scores(text)["compound"] if matched else np.nan,
                "positive": float(sum(v for v in valences if v > 0)),
                "negative": float(-sum(v for v in valences if v < 0)), "n_matched": matched}
    words = [normalize_form(w.lower()) for w in WORD.findall(text)]
    lemma_of = lemmatizer_for(language)
    lex, negators = resource.mapping(), _negators(language)
    positive = negative = 0.0
    matched = 0
    last_negator = -100
    reach = 0
    for i, word in enumerate(words):
        if word in negators:
            last_negator, reach = i, negators[word]
            continue
        value = lex.get(lemma_of(word))
        if value is None and lemma_of(word) != word:
            value = lex.get(word)  # a user's lexicon may list surface forms
        if value is None:
            continue
        matched += 1
        if i - last_negator <= reach:
            value *= NEGATION_SCALAR
        if value > 0:
            positive += value
        else:
            negative -= value
    score = _normalise(SCALE * (positive - negative)) if matched else np.nan
    return {"score": score, "positive": positive, "negative": negative, "n_matched": matched}


def _lexicon_choice(lexicon, language: str):
    """The user's lexicon argument for one language: one source for all, or a per-language dict."""
    if isinstance(lexicon, dict) and lexicon and not all(isinstance(v, (int, float)) for v in lexicon.values()):
        return lexicon.get(language)  # {"ru": "my_ru.tsv", "az": {...}}
    return lexicon


def _default_unit(corpus_or_units: pd.DataFrame, unit):
    """Sentence units for a corpus unless told otherwise; units already made are used as they are."""
    return unit if unit is not None or "segment_id" in corpus_or_units else "sentence"


def sentiment(corpus_or_units: pd.DataFrame, *, unit: str | None = None, lexicon=None) -> pd.DataFrame:
    """Tone of every unit.

    Parameters
    ----------
    corpus_or_units : a corpus (split into ``unit`` first), or units from :func:`toolkit.make_units`
        (used as they are).
    unit : ``"sentence"`` (default for a corpus: the lexicons and VADER score sentences),
        ``"paragraph"`` or ``"article"``.
    lexicon : None for each language's packaged scorer (ru/uk lexicons, VADER for en, none
        elsewhere); a lexicon (file ``lemma<TAB>score``, ``{lemma: score}`` dict or Resource)
        used for every language; or ``{"ru": "my_ru.tsv", "az": "my_az.tsv"}`` per language.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``score`` (in [-1, 1]; missing when no
    lexicon word occurs or the language has no lexicon), ``positive``, ``negative``,
    ``n_matched``, then the metadata columns (:data:`toolkit.schema.META_COLUMNS`).
    ``attrs["resources"]`` names every lexicon used.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Переговоры прошли успешно."]})
    >>> float(sentiment(df)["score"].iloc[0]) > 0
    True
    """
    frame = make_units(corpus_or_units, _default_unit(corpus_or_units, unit))
    used: dict[str, Resource | None] = {}
    scores = []
    for text, language in zip(frame["text"].fillna(""), frame["language"].astype(str)):
        if language not in used:
            used[language] = sentiment_resource(language, _lexicon_choice(lexicon, language))
        scores.append(score_text(text, language, used[language]) if used[language] is not None
                      else score_text("", "und"))
    values = pd.DataFrame(scores, columns=["score", "positive", "negative", "n_matched"])
    out = carry(frame, values).astype({"segment_id": "Int64", "n_matched": "int64"})
    resources = [r for r in used.values() if r is not None]
    if any(r.fmt != "vader" for r in resources):
        resources.append(load_resource("negators"))
    return with_resources(out, *resources)


def _sentences_within(frame: pd.DataFrame) -> pd.DataFrame:
    """Sentence units of every unit of ``frame``; ``doc_id`` is the unit's row number in
    ``frame`` (as a string) and offsets are within the unit's text. Sentence units are their own."""
    numbered = frame[["text", "language"]].assign(doc_id=[str(i) for i in range(len(frame))])
    if unit_of(frame) == "sentence":
        out = numbered.assign(segment_id=pd.array([0] * len(frame), dtype="Int64"))
        out.attrs["unit"] = "sentence"
        return out
    return segment(numbered, "sentence")


def actor_sentiment(corpus_or_units: pd.DataFrame, *, unit: str | None = None, window: str | None = None,
                    method: str = "auto", lexicon=None, gazetteer=None, n_jobs: int = 1) -> pd.DataFrame:
    """Tone toward each actor: per unit (article by default) and actor, the mean targeted tone
    of its mentions.

    Every gazetteer actor mention (:func:`toolkit.actors`) is scored in its sentence by
    :func:`toolkit.targeted_sentiment`, i.e. toward that actor, not toward the sentence:
    in "Азербайджан обвинил Армению в обстреле" Armenia is evaluated negatively, Azerbaijan
    not. The mentions' tones are then averaged per unit.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : the units the result is keyed by: ``"article"`` (default for a corpus: one row per
        article and actor, ``segment_id`` 0), ``"paragraph"`` or ``"sentence"``. Mentions are
        always scored in their sentence, whatever the unit.
    window : deprecated (0.1: the text scored around a mention). Every mention is now scored in
        its sentence; ``window="sentence"`` is accepted with a ``DeprecationWarning`` and
        changes nothing, other values raise ``ValueError``.
    method : ``"auto"`` (default), ``"model"`` or ``"lexicon"`` — passed to
        :func:`toolkit.targeted_sentiment`; ``"sentence"`` — the 0.1 behaviour: the lexicon
        score of the whole sentence around the mention (the same for every actor in it), with
        ``lexicon`` as in :func:`sentiment`.
    gazetteer : as in :func:`toolkit.actors`.
    n_jobs : processes of :func:`toolkit.targeted_sentiment` (the result does not depend on it).

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``actor``, ``score`` (mean over scored
    mentions, in [-1, 1]), ``n_mentions`` (mentions of the actor in the unit), ``n_scored``,
    ``n_negative``, ``n_positive`` (mentions labelled -1 / +1; 0 for ``method="sentence"``),
    ``method`` (what scored the mentions: ``"model"``, ``"lexicon"``, ``"sentence"``; ``"mixed"``
    for a unit whose sentences were scored by more than one, possible only with units of your own
    whose sentences carry different languages; missing when none was scored: see
    :func:`scoring_methods`), then the metadata columns (:data:`toolkit.schema.META_COLUMNS`); one row per unit and actor
    mentioned in it, in unit order. ``attrs["resources"]`` lists the gazetteer, lexicons and models.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Азербайджан обвинил Армению в обстреле."]})
    >>> actor_sentiment(df)[["segment_id", "actor", "n_negative"]].values.tolist()
    [[0, 'armenia', 1], [0, 'azerbaijan', 0]]
    """
    from .mentions import actors
    from .targeted import METHODS, targeted_sentiment

    if method != "sentence" and method not in METHODS:
        raise ValueError(f"method must be 'sentence' or one of {METHODS}, not {method!r}")
    if window is not None:
        if window != "sentence":
            raise ValueError(f"window={window!r}: every mention is scored in its sentence (window is deprecated; "
                             "unit= says which units the result is keyed by)")
        warnings.warn("actor_sentiment(window=...) is deprecated and will be removed in 0.3.0: every mention is "
                      "scored in its sentence; unit= says which units the result is keyed by",
                      DeprecationWarning, stacklevel=2)
    if method != "sentence" and lexicon is not None:
        raise ValueError("lexicon= applies to method='sentence'; the targeted methods use the packaged lexicons "
                         "their model and threshold were tuned with")
    frame = make_units(corpus_or_units, unit)
    sentences = _sentences_within(frame)
    mentions = actors(sentences, kind="actor", gazetteer=gazetteer)
    keys = ["doc_id", "segment_id"]
    if method == "sentence":
        tones = sentiment(sentences, lexicon=lexicon)
        joined = mentions[keys + ["actor"]].merge(tones[keys + ["score"]], on=keys, how="left")
        joined["label"] = pd.array([pd.NA] * len(joined), dtype="Int64")
        joined["method"] = pd.array(np.where(joined["score"].notna(), "sentence", None), dtype="string")
    else:
        located = mentions[keys + ["actor", "start", "end"]].merge(sentences[keys + ["text", "language"]], on=keys,
                                                                   how="left")
        tones = joined = targeted_sentiment(located, method=method, n_jobs=n_jobs)
    table = joined.assign(row=joined["doc_id"].astype(int), negative=joined["label"].eq(-1).fillna(False).astype(int),
                          positive=joined["label"].eq(1).fillna(False).astype(int)).groupby(
        ["row", "actor"], observed=True, sort=True).agg(
        score=("score", "mean"), n_mentions=("actor", "size"), n_scored=("score", "count"),
        n_negative=("negative", "sum"), n_positive=("positive", "sum"),
        method=("method", "first"), n_methods=("method", "nunique")).reset_index()
    table["method"] = table["method"].astype("string").mask(table.pop("n_methods") > 1, "mixed")
    values = table.drop(columns="row").astype({"actor": str, "score": float})
    out = carry(frame, values, table["row"])
    out.attrs["resources"] = mentions.attrs.get("resources", []) + tones.attrs.get("resources", [])
    return out


def scoring_methods(table: pd.DataFrame, by) -> pd.DataFrame:
    """How the scored mentions of each group were scored: per group of ``by`` and ``method`` (of
    :func:`actor_sentiment`), ``n_scored`` (scored mentions) and ``share`` (of the group's scored
    mentions). The model (Russian) and the lexicon (Ukrainian, English) share a scale but not
    their validation: when two groups were scored by different methods, a difference between them
    may be the methods' difference, so compare them within a method too
    (``tone_by(table, [..., "method"])``).

    >>> t = pd.DataFrame({"outlet_country": ["RU", "RU", "AM"], "method": ["model", "lexicon", "lexicon"],
    ...                   "n_scored": [3, 1, 2]})
    >>> scoring_methods(t, "outlet_country").values.tolist()
    [['AM', 'lexicon', 2, 1.0], ['RU', 'lexicon', 1, 0.25], ['RU', 'model', 3, 0.75]]
    """
    keys = [by] if isinstance(by, str) else list(by)
    scored = table[table["n_scored"] > 0]
    counts = scored.groupby(keys + ["method"], observed=True, sort=True)["n_scored"].sum().rename("n_scored").reset_index()
    counts["share"] = counts["n_scored"] / counts.groupby(keys, observed=True)["n_scored"].transform("sum")
    return counts


def tone_by(table: pd.DataFrame, by, *, value: str = "score", ci: float = 0.95, n_boot: int = 1000,
            random_state: int = 0) -> pd.DataFrame:
    """Mean of ``value`` per group with a bootstrap interval over the table's rows (articles).

    ``by`` is a column or list, e.g. ``["actor", "outlet_country"]`` on :func:`actor_sentiment`
    output. Returns the ``by`` columns, ``mean``, ``ci_low``, ``ci_high``, ``n_scored`` (rows with a
    value behind the mean; names as in :data:`toolkit.schema.RESULT_COLUMNS`).
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = table.dropna(subset=[value])
    rows = []
    for name, part in data.groupby(keys, observed=True, sort=True):
        name = name if isinstance(name, tuple) else (name,)
        mean, low, high = bootstrap_mean_ci(part[value].to_numpy(), ci=ci, n_boot=n_boot, random_state=random_state)
        rows.append((*name, float(mean), float(low), float(high), len(part)))
    return pd.DataFrame(rows, columns=keys + ["mean", "ci_low", "ci_high", "n_scored"])
