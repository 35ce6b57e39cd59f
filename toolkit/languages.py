"""Language profiles and the language rule: how each language is treated, decided in one place.

Reads ``toolkit/data/languages.csv`` (one row per language: morphology, stopwords, sentence ends,
sentiment scorer) and the dictionaries' ``lang`` columns; returns :class:`LanguageProfile`
objects and, for a DataFrame of units, one language code per row (:func:`resolve_languages`).

The language rule, used by every stage: a unit's language is its ``language`` column; where
that column is absent (or a value is missing) it is detected from the text
(:func:`toolkit.language.detect_language`); when no unit's language can be told, a
``ValueError`` says so instead of every measure silently scoring nothing.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ._data import read_table

UNDETERMINED = "und"
MORPHOLOGIES = ("pymorphy3", "snowball", "surface")
SCORERS = ("lexicon", "vader", "none")
TARGETED = ("model", "lexicon", "none")
APOSTROPHES = ("elision", "suffix", "")
#: dictionaries whose ``lang`` column decides which languages they cover (kind -> column)
_COVERAGE_KINDS = {"frames": "lang", "naming": "lang", "gazetteer": "lang", "source_cues": "lang",
                   "speech_verbs": "lang", "phrases": "lang", "negators": "lang"}


@dataclass(frozen=True)
class LanguageProfile:
    """How the toolkit treats one language (a row of ``toolkit/data/languages.csv``).

    Attributes
    ----------
    code, name : ISO 639-1 code and English name.
    detect : whether language detection considers this language.
    morphology : how dictionaries compare words: ``"pymorphy3"`` (lemmas), ``"snowball"`` (stems)
        or ``"surface"`` (lower case).
    stemmer : the Snowball algorithm that stems the language's tokens (and, with morphology
        ``"snowball"``, its dictionaries' words), or None: tokens are lower-cased forms.
    stopwords : file name under ``toolkit/lexicons/stopwords/`` or None.
    sentence_ends : extra sentence-final characters (Armenian ``։``, CJK ``。``).
    sentiment : ``"lexicon"``, ``"vader"`` or ``"none"``.
    targeted : default method of :func:`toolkit.targeted_sentiment`: ``"model"``, ``"lexicon"`` or ``"none"``.
    script_rules : whether dictionaries are matched with the script rules of
        :class:`toolkit.matching.TermMatcher` (Arabic-script folding and proclitics, a Chinese or
        Japanese character a word, French/Italian elision).
    apostrophe : what an apostrophe inside a token marks: ``"elision"`` (``l'Arménie`` ->
        ``arménie``), ``"suffix"`` (Turkish ``Karabağ'da`` -> ``karabağ``) or None (kept whole).
    lemmas : for a language without a stemmer, the simplemma dictionary (its language code,
        ``"hbs"`` for Croatian, ``"tr"`` for Azerbaijani) whose lemmas are the language's tokens
        (Armenian ``Ղարաբաղում`` -> ``ղարաբաղ``), or None. Dictionaries are still matched on surface forms.
    lemma_letters : for a language read through a related language's dictionary, its letters as
        written there (``"ə>e x>h q>k"``); a lemma is then taken only as the word's beginning
        followed by the language's endings (``lexicons/name_suffixes.csv``). None otherwise.
    prefixes : what a token loses at its start, tried in order, when at least 3 letters remain
        (Arabic ``ال``, ``وال`` ...: ``الأرمن`` -> ``أرمن``); empty for most languages.

    Examples
    --------
    >>> profile("ru").morphology, profile("en").stemmer, profile("hy").sentence_ends
    ('pymorphy3', 'english', '։')
    >>> profile("fr").morphology, profile("fr").stemmer      # stemmed tokens, dictionaries on surface forms
    ('surface', 'french')
    >>> profile("hy").morphology, profile("hy").lemmas    # dictionary lemmas as tokens, dictionaries on surface forms
    ('surface', 'hy')
    >>> profile("xx").morphology                       # unknown codes: surface forms, no scorer
    'surface'
    """

    code: str
    name: str
    detect: bool
    morphology: str
    stemmer: str | None
    stopwords: str | None
    sentence_ends: str
    sentiment: str
    targeted: str = "none"
    script_rules: bool = False
    apostrophe: str | None = None
    lemmas: str | None = None
    lemma_letters: str | None = None
    prefixes: tuple[str, ...] = ()

    @property
    def uses_lemmas(self) -> bool:
        """True when words are compared through lemmas or stems (not surface forms)."""
        return self.morphology != "surface"

    @property
    def lexicons(self) -> tuple[str, ...]:
        """The packaged dictionaries with entries for this language (read from the files)."""
        return tuple(kind for kind, codes in coverage().items() if self.code in codes)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, LanguageProfile]:
    import snowballstemmer

    table = read_table("data/languages.csv")
    out = {}
    for row in table.itertuples(index=False):
        if row.stemmer and row.stemmer not in snowballstemmer.algorithms():
            raise ValueError(f"toolkit/data/languages.csv, language {row.code!r}: no Snowball stemmer "
                             f"{row.stemmer!r}; snowballstemmer has {', '.join(snowballstemmer.algorithms())}")
        if row.lemmas and (row.stemmer or row.morphology != "surface" or row.lemmas not in lemma_dictionaries()):
            raise ValueError(f"toolkit/data/languages.csv, language {row.code!r}: lemmas {row.lemmas!r} must be "
                             f"one of simplemma's dictionaries ({', '.join(lemma_dictionaries())}), for a language "
                             f"with morphology surface and no stemmer")
        pairs = row.lemma_letters.split()
        if pairs and (not row.lemmas or not all(len(pair) == 3 and pair[1] == ">" for pair in pairs)):
            raise ValueError(f"toolkit/data/languages.csv, language {row.code!r}: lemma_letters {row.lemma_letters!r} "
                             f"must be letter>letter pairs, for a language with a lemmas dictionary")
        if (row.morphology not in MORPHOLOGIES or row.sentiment not in SCORERS or row.targeted not in TARGETED
                or row.apostrophe not in APOSTROPHES or (row.morphology == "snowball") > bool(row.stemmer)):
            raise ValueError(f"toolkit/data/languages.csv, language {row.code!r}: morphology must be one of "
                             f"{MORPHOLOGIES} (snowball with a stemmer), sentiment one of {SCORERS}, targeted "
                             f"one of {TARGETED} and apostrophe one of {APOSTROPHES}")
        out[row.code] = LanguageProfile(code=row.code, name=row.name, detect=row.detect == "1",
                                        morphology=row.morphology, stemmer=row.stemmer or None,
                                        stopwords=row.stopwords or None, sentence_ends=row.sentence_ends,
                                        sentiment=row.sentiment, targeted=row.targeted,
                                        script_rules=row.script_rules == "1", apostrophe=row.apostrophe or None,
                                        lemmas=row.lemmas or None, lemma_letters=row.lemma_letters or None,
                                        prefixes=tuple(row.prefixes.split()))
    return out


@lru_cache(maxsize=1)
def lemma_dictionaries() -> tuple[str, ...]:
    """The language codes of simplemma's dictionaries (what the ``lemmas`` column may name).

    >>> "hy" in lemma_dictionaries(), "az" in lemma_dictionaries()
    (True, False)
    """
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError as error:   # not installed, or a 1.x release without the low-memory store
        raise ImportError("toolkit/data/languages.csv names simplemma dictionaries (column lemmas): "
                          "install simplemma>=2.0 (pip install 'simplemma>=2.0,<3')") from error

    return tuple(sorted(SUPPORTED_LANGUAGES))


def profile(code: str) -> LanguageProfile:
    """The profile of ``code``; a language not in the table gets surface forms, no stopwords,
    no sentiment scorer, and every listed sentence end (so a text of unknown language still splits)."""
    known = _profiles()
    if code in known:
        return known[code]
    ends = "".join(dict.fromkeys("".join(p.sentence_ends for p in known.values())))
    return LanguageProfile(code=str(code), name=str(code), detect=False, morphology="surface", stemmer=None,
                           stopwords=None, sentence_ends=ends, sentiment="none")


def profiles() -> pd.DataFrame:
    """Every profile as a table (one row per language), with the dictionaries covering it.

    Examples
    --------
    >>> profiles().set_index("code").loc["uk", ["morphology", "sentiment"]].tolist()
    ['pymorphy3', 'lexicon']
    """
    rows = [{**p.__dict__, "lexicons": " ".join(p.lexicons)} for p in _profiles().values()]
    return pd.DataFrame(rows)


def codes(*, morphology: str | None = None, sentiment: str | None = None, detect: bool | None = None,
          targeted=None) -> tuple:
    """Language codes of the table, optionally only those with a given morphology / scorer /
    targeted-tone method (``targeted``: one method or a tuple of them).

    >>> codes(morphology="pymorphy3")
    ('ru', 'uk')
    >>> codes(targeted=("model", "lexicon"))
    ('ru', 'uk', 'en')
    """
    targeted = (targeted,) if isinstance(targeted, str) else targeted
    return tuple(p.code for p in _profiles().values()
                 if (morphology is None or p.morphology == morphology)
                 and (sentiment is None or p.sentiment == sentiment)
                 and (detect is None or p.detect == detect)
                 and (targeted is None or p.targeted in targeted))


@lru_cache(maxsize=1)
def coverage() -> dict[str, frozenset]:
    """Packaged dictionary kind -> the language codes it has entries for."""
    from .resources import load_resource

    return {kind: frozenset(load_resource(kind).table()[column]) for kind, column in _COVERAGE_KINDS.items()}


def sentence_end_pattern(code: str) -> re.Pattern | None:
    """A regular expression matching the extra sentence ends of ``code`` (None when it has none)."""
    ends = profile(code).sentence_ends
    return re.compile(f"(?<=[{re.escape(ends)}])\\s*") if ends else None


def resolve_languages(frame: pd.DataFrame, *, text: str = "text", group: str | None = "doc_id") -> pd.Series:
    """The language rule: one code per row of ``frame``.

    The ``language`` column where present and not missing; else detected from ``text``
    (per ``group``, e.g. all segments of an article together, which is more reliable than
    one sentence at a time); else ``ValueError`` when no row's language can be told. Rows
    left undetermined (``'und'``) among others are counted in a warning: they get no
    language-specific measure.

    Examples
    --------
    >>> resolve_languages(pd.DataFrame({"text": ["Переговоры в Баку продолжаются уже неделю."]})).tolist()
    ['ru']
    >>> resolve_languages(pd.DataFrame({"text": ["x"], "language": ["uk"]})).tolist()
    ['uk']
    """
    if text not in frame:
        raise ValueError(f"the language rule needs a {text!r} column; columns: {list(frame.columns)}")
    given = frame["language"].astype("string") if "language" in frame else pd.Series(pd.NA, index=frame.index,
                                                                                    dtype="string")
    given = given.mask(given.str.strip() == "")
    missing = given.isna()
    if not missing.any():
        return given.astype(str)
    from .language import detect_language

    texts = frame.loc[missing, text].fillna("").astype(str)
    if group is not None and group in frame:
        keys = frame.loc[missing, group]
        joined = texts.groupby(keys.to_numpy(), sort=False).agg(lambda t: " ".join(t)[:3000])
        detected = keys.map({k: detect_language(v) for k, v in joined.items()})
    else:
        detected = texts.map(detect_language)
    out = given.astype(object)
    out[missing] = detected.to_numpy()
    has_text = frame[text].fillna("").astype(str).str.strip() != ""
    unknown = (out == UNDETERMINED) & missing & has_text
    if has_text.any() and (out[has_text] == UNDETERMINED).all():
        raise ValueError(f"could not tell the language of any of the {int(has_text.sum())} texts: add a "
                         "'language' column with ISO 639-1 codes (e.g. corpus.assign(language='ru'))")
    if unknown.any():
        warnings.warn(f"the language of {int(unknown.sum())} of {len(frame)} units could not be detected ('und'): "
                      "they get no language-specific measure; add a 'language' column to set it", stacklevel=3)
    return out.astype(str)

