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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ._data import read_table
from .morphology import lemmatizer_for, normalize_form
from .units import segment
from .stats import bootstrap_mean_ci
from .tokens import WORD

LEXICON_LANGUAGES = ("ru", "uk")
NEGATION_SCALAR = -0.74   # VADER's constant, so that negation means the same in every language
ALPHA = 15                # VADER's normalisation constant: score = s / sqrt(s^2 + ALPHA)
SCALE = 4.0               # our lexicon scores are in [-1, 1], VADER's valences in [-4, 4]
SENTIMENT_COLUMNS = ["doc_id", "segment_id", "language", "score", "positive", "negative", "n_matched"]

_LEXICONS: dict[str, dict[str, float]] = {}


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
    """
    rows: dict[str, float] = {}
    text = Path(path).read_text(encoding="utf-8")
    if fmt == "tsv":
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            try:
                rows[normalize_form(parts[0].strip().lower())] = float(parts[1])
            except (IndexError, ValueError):
                continue  # the header row, or a malformed line
        peak = max((abs(v) for v in rows.values()), default=1.0)
        if peak > 1:
            rows = {k: v / peak for k, v in rows.items()}
    elif fmt == "rusentilex":
        polarity = {"positive": 1.0, "negative": -1.0, "neutral": 0.0, "positive/negative": 0.0}
        for line in text.splitlines():
            if not line.strip() or line.startswith("!") or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) >= 4 and parts[3] in polarity and polarity[parts[3]] != 0.0:
                if " " not in parts[2]:
                    rows[normalize_form(parts[2].lower())] = polarity[parts[3]]
    else:
        raise ValueError(f"fmt must be 'tsv' or 'rusentilex', not {fmt!r}")
    return rows


def lexicon(language: str) -> dict[str, float]:
    """The lexicon in use for ``language`` (packaged, or set by :func:`use_lexicon`)."""
    if language not in _LEXICONS:
        from ._data import data_path

        path = data_path("lexicons", f"sentiment_{language}.tsv")
        _LEXICONS[language] = load_lexicon(path) if path.exists() else {}
    return _LEXICONS[language]


def use_lexicon(language: str, path_or_mapping, *, fmt: str = "tsv") -> None:
    """Swap in another lexicon for ``language`` (a file in a format of :func:`load_lexicon`,
    or a ``{lemma: score}`` dict). ``use_lexicon("ru", None)`` restores the packaged one."""
    if path_or_mapping is None:
        _LEXICONS.pop(language, None)
    elif isinstance(path_or_mapping, dict):
        _LEXICONS[language] = {normalize_form(k.lower()): float(v) for k, v in path_or_mapping.items()}
    else:
        _LEXICONS[language] = load_lexicon(path_or_mapping, fmt=fmt)


@lru_cache(maxsize=None)
def _negators(language: str) -> dict[str, int]:
    table = read_table("lexicons/negators.csv")
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


def score_text(text: str, language: str) -> dict:
    """Tone of one text: ``score`` in [-1, 1], ``positive`` and ``negative`` (summed valences
    on the [0, 1]-per-word scale), ``n_matched`` (lexicon words found).

    Examples
    --------
    >>> score_text("Это катастрофа.", "ru")["score"] < 0 < score_text("Это не катастрофа.", "ru")["score"]
    True
    """
    if language in LEXICON_LANGUAGES:
        words = [normalize_form(w.lower()) for w in WORD.findall(text)]
        lemma_of = lemmatizer_for(language)
        lex, negators = lexicon(language), _negators(language)
        positive = negative = 0.0
        matched = 0
        last_negator = -100
        reach = 0
        for i, word in enumerate(words):
            if word in negators:
                last_negator, reach = i, negators[word]
                continue
            value = lex.get(lemma_of(word))
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
    if language == "en":
        analyzer = _vader()
        polarity = analyzer.polarity_scores(text)
        words = [w.lower() for w in WORD.findall(text)]
        valences = [analyzer.lexicon[w] / SCALE for w in words if w in analyzer.lexicon]
        matched = len(valences)
        return {"score": polarity["compound"] if matched else np.nan,
                "positive": float(sum(v for v in valences if v > 0)),
                "negative": float(-sum(v for v in valences if v < 0)), "n_matched": matched}
    return {"score": np.nan, "positive": 0.0, "negative": 0.0, "n_matched": 0}


def _as_units(corpus_or_segments: pd.DataFrame, unit: str) -> pd.DataFrame:
    if "segment_id" in corpus_or_segments:
        return corpus_or_segments
    if unit == "article":
        return corpus_or_segments.assign(segment_id=pd.array([pd.NA] * len(corpus_or_segments), dtype="Int64"))
    return segment(corpus_or_segments, unit)


def sentiment(corpus_or_segments: pd.DataFrame, *, unit: str = "sentence") -> pd.DataFrame:
    """Tone of every unit.

    Parameters
    ----------
    corpus_or_segments : corpus (segmented into ``unit`` first) or segments (used as they are).
    unit : ``"sentence"``, ``"paragraph"`` or ``"article"``.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``score`` (in [-1, 1]; missing when no
    lexicon word occurs or the language has no lexicon), ``positive``, ``negative``,
    ``n_matched``, plus ``outlet``, ``outlet_country``, ``published`` when present.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Переговоры прошли успешно."]})
    >>> float(sentiment(df)["score"].iloc[0]) > 0
    True
    """
    units = _as_units(corpus_or_segments, unit)
    languages = units["language"].astype("string").fillna("und") if "language" in units \
        else pd.Series("und", index=units.index)
    scores = [score_text(t if isinstance(t, str) else "", lang) for t, lang in zip(units["text"], languages)]
    out = pd.DataFrame(scores, index=units.index, columns=["score", "positive", "negative", "n_matched"])
    out.insert(0, "language", languages.to_numpy())
    out.insert(0, "segment_id", units["segment_id"].to_numpy())
    out.insert(0, "doc_id", units["doc_id"].to_numpy())
    for col in ("outlet", "outlet_country", "published"):
        if col in units:
            out[col] = units[col].to_numpy()
    return out.reset_index(drop=True).astype({"segment_id": "Int64", "n_matched": "int64"})


def actor_sentiment(corpus: pd.DataFrame, *, window: str = "sentence") -> pd.DataFrame:
    """Tone of the text around each actor: per article and actor, the mean score of the
    ``window`` units (sentences or paragraphs) that mention the actor.

    Returns
    -------
    DataFrame ``doc_id``, ``actor``, ``score`` (mean over scored mentioning units),
    ``n_mentions`` (mentions of the actor in the article), plus ``outlet``,
    ``outlet_country``, ``language``, ``published`` when present.
    """
    from .mentions import actors

    units = _as_units(corpus, window)
    mentions = actors(units, kind="actor")
    tones = sentiment(units)
    keys = ["doc_id", "segment_id"]
    joined = mentions[keys + ["actor"]].merge(tones[keys + ["score"]], on=keys, how="left")
    per_unit = joined.groupby(["doc_id", "segment_id", "actor"], observed=True).agg(
        mentions=("actor", "size"), score=("score", "first")).reset_index()
    table = per_unit.groupby(["doc_id", "actor"], observed=True).agg(
        score=("score", "mean"), n_mentions=("mentions", "sum")).reset_index()
    meta_cols = [c for c in ("outlet", "outlet_country", "language", "published") if c in corpus]
    if meta_cols:
        table = table.merge(corpus[["doc_id"] + meta_cols].drop_duplicates("doc_id"), on="doc_id", how="left")
    table["actor"] = table["actor"].astype(str)
    return table


def tone_by(table: pd.DataFrame, by, *, value: str = "score", ci: float = 0.95, n_boot: int = 1000,
            random_state: int = 0) -> pd.DataFrame:
    """Mean of ``value`` per group with a bootstrap interval over the table's rows (articles).

    ``by`` is a column or list, e.g. ``["actor", "outlet_country"]`` on :func:`actor_sentiment`
    output. Returns the ``by`` columns, ``mean``, ``ci_low``, ``ci_high``, ``n``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = table.dropna(subset=[value])
    rows = []
    for name, part in data.groupby(keys, observed=True, sort=True):
        name = name if isinstance(name, tuple) else (name,)
        mean, low, high = bootstrap_mean_ci(part[value].to_numpy(), ci=ci, n_boot=n_boot, random_state=random_state)
        rows.append((*name, float(mean), float(low), float(high), len(part)))
    return pd.DataFrame(rows, columns=keys + ["mean", "ci_low", "ci_high", "n"])
