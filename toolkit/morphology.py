"""Morphology: word form -> lemma, per language, with a cache of word forms.

Russian and Ukrainian go through pymorphy3 (OpenCorpora / LanguageTool-uk dictionaries that
ship with the pip packages); English and the large European languages through their Snowball
stemmers (package ``snowballstemmer``, the Snowball project's own Python build; Porter 2001,
"Snowball: A language for stemming algorithms"); Armenian, Georgian, Turkish and ten more through
the form -> lemma dictionaries of simplemma (Barbaresi, "Simplemma: a simple multilingual
lemmatizer for Python", doi:10.5281/zenodo.4673264), looked up only: a form a dictionary lacks
stays as written; every other language is lower-cased only (columns ``stemmer`` and ``lemmas`` of
``toolkit/data/languages.csv``, which say why Arabic and Lithuanian get neither; Azerbaijani is
read through Turkish's dictionary, column ``lemma_letters``). In
the dictionary languages, and in Azerbaijani, the packaged gazetteer's single-word names are read
before the dictionary, in Azerbaijani, Georgian and Armenian with the endings of
``lexicons/name_suffixes.csv`` (:func:`name_stem`: *Qarabağda* -> ``qarabağ``).
Before stemming or lookup, an
apostrophe inside a word is read as the language writes it (``apostrophe`` column): French,
Italian and Catalan elide an article onto the next word (``l'arménie`` -> ``arménie``), Turkish and
Azerbaijani attach case suffixes to a proper noun after one (``karabağ'da`` -> ``karabağ``).
``ё`` is written ``е`` in every lemma, as most Russian news sites do.

Measured here: pymorphy3 costs ~140 µs a word, a dictionary lookup ~0.1 µs, so every form is
analysed once per process and then served from the cache.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache

import re


#: marks folded away: Armenian stress, question and exclamation marks; Arabic-script vowel marks (tanween ...)
_MARKS = re.compile("[\u055B-\u055E\u064B-\u065F\u0670]")

from ._data import read_table
from .languages import _profiles, codes

#: languages lemmatised by pymorphy3, stemmed by Snowball (code -> algorithm), and with an apostrophe
#: rule (code -> "elision" or "suffix"): read from toolkit/data/languages.csv
MORPH_LANGUAGES = codes(morphology="pymorphy3")
STEM_LANGUAGES = {p.code: p.stemmer for p in _profiles().values() if p.stemmer}
#: languages whose tokens are simplemma dictionary lemmas (code -> simplemma's dictionary code)
LEMMA_DICTIONARIES = {p.code: p.lemmas for p in _profiles().values() if p.lemmas}
#: languages read through a related language's dictionary (code -> letter map for str.translate)
LEMMA_LETTERS = {p.code: str.maketrans(dict(pair.split(">") for pair in p.lemma_letters.split()))
                 for p in _profiles().values() if p.lemma_letters}
#: languages whose names lose their case, number and possessive endings in tokens (the languages
#: of lexicons/name_suffixes.csv; read once, from the packaged file)
NAME_SUFFIX_LANGUAGES = frozenset(read_table("lexicons/name_suffixes.csv")["lang"])
#: languages whose tokens read the gazetteer's single-word names first (:func:`name_stem`): those
#: with name endings, and those with a lemma dictionary, which must not file a name under a common
#: word (Turkish Gence "Ganja" under genç "young", Armenian Շուշի under Շուշա)
NAME_LANGUAGES = frozenset(LEMMA_DICTIONARIES) | NAME_SUFFIX_LANGUAGES
#: languages whose tokens lose a prefix (code -> prefixes, tried in order): the Arabic article
PREFIXES = {p.code: p.prefixes for p in _profiles().values() if p.prefixes}
#: languages whose tokens are stems, dictionary lemmas, names without their endings or words without
#: a prefix: displays show a token's most frequent written form (:func:`toolkit.tokens.term_form_counts`)
REDUCED_LANGUAGES = frozenset(STEM_LANGUAGES) | NAME_LANGUAGES | frozenset(PREFIXES)
APOSTROPHE_RULES = {p.code: p.apostrophe for p in _profiles().values() if p.apostrophe}
#: French, Italian and Catalan words elided before a vowel and written onto the next word with an apostrophe
ELIDED = frozenset("l d j n s m t c qu jusqu lorsqu puisqu dell all nell sull dall coll quell un bell sant "
                   "quest tutt anch dov nessun senz degl gl cos com".split())


@lru_cache(maxsize=None)
def _analyzer(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


#: one Snowball stemmer per language and thread: a snowballstemmer object keeps its word on the
#: instance, so threads sharing one (scikit-learn under joblib's threading backend) mix their words
_STEMMERS = threading.local()


def _stemmer(language: str):
    stemmers = _STEMMERS.__dict__.setdefault("by_language", {})
    if language not in stemmers:
        import snowballstemmer

        stemmers[language] = snowballstemmer.stemmer(STEM_LANGUAGES[language])
    return stemmers[language]


@lru_cache(maxsize=None)
def _lemma_lookup():
    """simplemma's dictionary lookup (no guessing from endings), over its low-memory dictionaries:
    the same lemmas as its default store (checked on every word of the development corpus) for a
    tenth of the memory (Turkish 17 MB instead of 124 MB). Loaded once per process, per language
    on first use, and kept for every language of the table (simplemma's shared store keeps 8 and
    would reload the others over and over in a corpus of more languages)."""
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries import StreamDictionaryFactory

    return DictionaryLookupStrategy(StreamDictionaryFactory(cache_max_size=max(8, len(LEMMA_DICTIONARIES))))


#: what a token may not hold: a dictionary "lemma" with a space, dot, underscore or digit
#: (Lithuanian r -> "r.") is not taken
_NOT_A_TOKEN = re.compile(r"[\s._\d]")


def dictionary_lemma(lower: str, language: str) -> str | None:
    """The lemma of a lower-case form in ``language``'s simplemma dictionary (column ``lemmas``),
    lower-cased and normalised; None where the dictionary does not hold the form.

    >>> dictionary_lemma("ղարաբաղում", "hy"), dictionary_lemma("savaşta", "tr"), dictionary_lemma("ომში", "ka")
    ('ղարաբաղ', 'savaş', 'ომი')
    >>> dictionary_lemma("լաչինի", "hy") is None       # not in the dictionary
    True
    >>> dictionary_lemma("ordusunun", "az"), dictionary_lemma("davam", "az")   # through Turkish's
    ('ordu', None)
    """
    letters = LEMMA_LETTERS.get(language)
    word = lower if letters is None else lower.translate(letters)
    lemma = _lemma_lookup().get_lemma(word, LEMMA_DICTIONARIES[language])
    if not lemma or _NOT_A_TOKEN.search(lemma):
        return None
    lemma = normalize_form(lemma.lower())
    if letters is None:
        return lemma
    # a related language's dictionary: only the word's own beginning, when the rest is endings
    n = len(lemma)
    if 3 <= n < len(word) and word.startswith(lemma) and lower[n:] in _chains(language):
        return lower[:n]
    return None


@lru_cache(maxsize=None)
def _chains(language: str) -> frozenset:
    """Every chain of ``language``'s name endings (``lexicons/name_suffixes.csv``: at most one per
    slot, in slot order; the empty chain included); ``{""}`` for a language without rows."""
    from .resources import load_resource

    table = load_resource("name_suffixes").table()
    chains = {""}
    part = table[table["lang"] == language]
    for forms in part.sort_values("slot", key=lambda s: s.astype(int))["forms"]:
        chains |= {chain + normalize_form(form) for chain in chains for form in forms.split()}
    return frozenset(chains)


@lru_cache(maxsize=None)
def _name_rules(language: str) -> tuple[frozenset, frozenset]:
    """``(names, endings)`` of ``language`` for :func:`name_stem`.

    ``names``: the single-word names of the packaged gazetteer in ``language`` (lower case, ``*``
    dropped, letters only), and their roots: where two names of one gazetteer id differ only by
    the beginnings of endings, their common part of at least 4 letters (Georgian ირანი*, ირანს*,
    ირანმ* -> ირან; Azerbaijani Azərbaycanı*, Azərbaycand* -> azərbaycan). ``endings``: every chain
    of :func:`_chains`."""
    from .resources import load_resource

    chains = _chains(language)
    starts = {chain[:i] for chain in chains for i in range(len(chain) + 1)}
    gazetteer = load_resource("gazetteer").table()
    part = gazetteer[gazetteer["lang"] == language]
    names, by_id = set(), {}
    for entity, name in zip(part["id"], part["name"]):
        word = normalize_form(name.lower()).rstrip("*")
        if word.isalpha():
            names.add(word)
            by_id.setdefault(entity, set()).add(word)
    for words in by_id.values():
        ordered = sorted(words)
        for k, a in enumerate(ordered):
            for b in ordered[k + 1:]:
                root = os.path.commonprefix([a, b])
                if len(root) >= 4 and a[len(root):] in starts and b[len(root):] in starts:
                    names.add(root)
    return frozenset(names), chains


def name_stem(lower: str, language: str) -> str | None:
    """The gazetteer name a lower-case form is, as written or followed by case, number or
    possessive endings (``lexicons/name_suffixes.csv``; the shortest name of at least 4 letters
    that fits); None if the form is no name.

    >>> name_stem("qarabağda", "az"), name_stem("əliyevin", "az"), name_stem("ermənistanın", "az")
    ('qarabağ', 'əliyev', 'ermənistan')
    >>> name_stem("qaçqın", "az") is None        # "refugee": no name + ending
    True
    """
    names, chains = _name_rules(language)
    for cut in range(4, len(lower)):
        if lower[:cut] in names and lower[cut:] in chains:
            return lower[:cut]
    return lower if lower in names else None


def word_proper(lower: str, language: str) -> str:
    """The word itself, without what an apostrophe attaches to it in ``language`` (its
    ``apostrophe`` rule): an elided article before it, case suffixes after a proper noun.

    >>> word_proper("l'arménie", "fr"), word_proper("karabağ'da", "tr"), word_proper("armenia's", "en")
    ('arménie', 'karabağ', "armenia's")
    >>> word_proper("aujourd'hui", "fr")          # not an elided article: kept whole
    "aujourd'hui"
    """
    rule = APOSTROPHE_RULES.get(language)
    if rule is None or "'" not in lower:
        return lower
    head, _, rest = lower.partition("'")
    if rule == "elision":   # n'a -> a, c'è -> è: one-letter words too, so that their stopwords go
        return rest if head in ELIDED and rest else lower
    return head if head else lower


#: language -> {lower-case form: lemma}; shared by every tokenizer of the process
_CACHE: dict[str, dict[str, str]] = {}


def lemma_cache(language: str) -> dict[str, str]:
    """The (mutable) form -> lemma cache of ``language``."""
    return _CACHE.setdefault(language, {})


@lru_cache(maxsize=None)
def _overrides(language: str) -> dict[str, str]:
    from .resources import load_resource

    table = load_resource("lemma_overrides").table()
    part = table[table["lang"] == language]
    return dict(zip(part["form"], part["lemma"]))


def normalize_form(lower: str) -> str:
    """Spelling variants folded before lookup: ``ё`` -> ``е``, typographic apostrophes -> ``'``,
    the dotted capital I of Azerbaijani/Turkish lower-cased to ``i``, Armenian in-word marks and
    Arabic-script vowel marks removed (قسراً -> قسرا: they are optional in print).

    >>> normalize_form("прем’єр")
    "прем'єр"
    """
    # "İ".lower() is "i" + a combining dot (U+0307) in Python; Azerbaijani and Turkish mean "i"
    # Armenian emphasis, exclamation, question and abbreviation marks sit inside words (Ի՞նչ)
    lower = lower.replace("ё", "е").replace("’", "'").replace("ʼ", "'").replace("i\u0307", "i")
    return _MARKS.sub("", lower) if "\u055b" <= max(lower, default="") else lower


def analyse(form: str, language: str) -> str:
    """Lemma of one lower-case word form, without the cache (the slow path).

    Examples
    --------
    >>> analyse("карабахе", "ru")
    'карабах'
    >>> analyse("negotiations", "en")
    'negoti'
    """
    form = word_proper(form, language)
    fixed = _overrides(language).get(form)   # lexicons/lemma_overrides.csv: a correction of the toolkit team
    if fixed is not None:
        return fixed
    if language in MORPH_LANGUAGES:
        return _analyzer(language).parse(form)[0].normal_form.replace("ё", "е")
    for prefix in PREFIXES.get(language, ()):   # Arabic الأرمن -> أرمن (3 letters must remain)
        if form.startswith(prefix) and len(form) - len(prefix) >= 3:
            form = form[len(prefix):]
            break
    if language in STEM_LANGUAGES:
        return _stemmer(language).stemWord(form)
    if language in NAME_LANGUAGES:   # a name first: the dictionary would file some under common words
        name = name_stem(form, language)
        if name is not None:
            return name
    if language in LEMMA_DICTIONARIES:
        lemma = dictionary_lemma(form, language)
        if lemma is not None:
            return lemma
    return form


def lemmatize(form: str, language: str) -> str:
    """Lemma of a word form (any case), served from the cache after the first time.

    Examples
    --------
    >>> lemmatize("Азербайджану", "ru")
    'азербайджан'
    >>> lemmatize("Qarabağda", "az")      # a gazetteer name + the locative ending
    'qarabağ'
    """
    return lemmatizer_for(language)(normalize_form(form.lower()))


def lemmatizer_for(language: str):
    """A fast one-argument function ``lower_form -> lemma`` for the hot path of a tokenizer.

    The argument must already be lower-cased and passed through :func:`normalize_form`.
    """
    if language not in MORPH_LANGUAGES and language not in REDUCED_LANGUAGES and language not in APOSTROPHE_RULES:
        return keep_form
    cache = _CACHE.setdefault(language, {})
    get = cache.get

    def lemma_of(lower: str) -> str:
        lemma = get(lower)
        if lemma is None:
            lemma = cache[lower] = analyse(lower, language)
        return lemma

    return lemma_of


def keep_form(lower: str) -> str:
    """The "lemmatiser" of languages without one: the lower-case form itself."""
    return lower
