"""Tokenization stage: text -> lemmas (or stems), stopwords removed, multi-word names merged.

Reads a corpus or segments DataFrame, returns it with ``tokens`` (list of str) and ``forms``
(the surface form of each token, aligned). :class:`Tokenizer` is the same procedure as a
scikit-learn compatible, picklable callable / transformer.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .languages import resolve_languages
from .morphology import APOSTROPHE_RULES, MORPH_LANGUAGES, NAME_LANGUAGES, REDUCED_LANGUAGES, keep_form, lemmatize
from .morphology import lemma_cache, lemmatizer_for, normalize_form, word_proper

#: the combining marks that are part of a word's letters but not "word characters" to Python's re:
#: Devanagari vowel signs, virama and nasalisation (Hindi भारत is not भ + रत), Arabic-script vowel marks
_MARKS = "\u0900-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962\u0963\u064b-\u065f\u0670"
#: a word: letters (with their combining marks), optionally joined by hyphens or apostrophes
#: (Нагорно-Карабахский, з'їзд) or holding Armenian stress/question/exclamation marks (Ի՞նչ), which
#: normalize_form drops
_LETTERS = rf"[^\W\d_]+(?:[{_MARKS}]+[^\W\d_]*)*"
WORD = re.compile(rf"{_LETTERS}(?:(?:[-'’ʼ]|[\u055B-\u055E]+){_LETTERS})*[\u055B-\u055E]?")
PHRASE_JOINER = "_"
#: the characters of Chinese and Japanese (kana and CJK ideographs), written without spaces between words
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: one Chinese or Japanese character
CJK_CHARACTER = re.compile(f"[{CJK_CHARACTERS}]")
_CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
#: web and e-mail addresses and domain names (a page's "| Allnews.Ge", "pic.twitter.com", "News.am-ը"):
#: not words of the text, so not tokens. A whitespace-delimited chunk holding a dot or "@" is one when,
#: without surrounding brackets, quotes and punctuation, it is a URL, an e-mail address, or dotted
#: labels ending in a domain that news sites use (below), perhaps with a path or a case suffix. Ending
#: lists leave out words: "it", "in", "es", "no" (a glued "war.it" stays), and capitalised endings are
#: only those no language starts a sentence with (Day.Az, Report.Ru; not Am, By, Eu, News).
_DOMAIN_ENDINGS = ("com|net|org|info|news|media|online|site|press|live|tv|io|eu|gov|edu|int|biz|"
                   "am|az|ru|ge|ua|kz|by|uz|kg|tj|tm|md|lv|lt|ee|pl|cz|sk|tr|ir|uk|de|fr|ch|nl|se|fi|dk|cn|jp|kr|ca|au")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                      rf"|(?:[\w-]+\.)+(?:{_DOMAIN_ENDINGS}|(?i:az|ru|ge|ua|kz|com|org|net|info))(?:/\S*|[-'’]\w+)?")
#: what every address holds: a dot or "@" between a letter or digit and a letter
_ADDRESS_HINT = re.compile(r"\w[.@][^\W\d_]")
_ADDRESS_CHUNK = re.compile(r"(?<!\S)\S*?\w[.@]\w\S*")   # chunks with a dot or @ between letters (not a sentence end)
_CHUNK_EDGES = "()[]{}<>«»\"'“”‘’„,;:!?."


def _without_addresses(text: str) -> str:
    """``text`` with every address chunk (:data:`_ADDRESS`) replaced by a space; linear time (one
    whole-chunk match per chunk that holds a dot or "@").

    >>> _without_addresses("Talks (pic.twitter.com/x1) by News.am-ը, 2.5 percent, war.it was")
    'Talks   by   2.5 percent, war.it was'
    """
    def replace(chunk: re.Match) -> str:
        bare = chunk.group().strip(_CHUNK_EDGES)
        return " " if bare and _ADDRESS.fullmatch(bare) else chunk.group()

    return _ADDRESS_CHUNK.sub(replace, text)


#: Han characters, and the kana letters that tell a Japanese text from a Chinese one (not the middle
#: dot ・ or the prolonged sound mark ー, which Chinese texts write in names too)
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
#: a text whose kana letters are fewer than this share of its Han and kana characters is Chinese
#: (Japanese prose writes its particles and endings in kana, a third or more of its characters; a
#: Chinese text may quote one katakana name)
KANA_SHARE = 0.1


def is_chinese(text: str, language: str | None = None) -> bool:
    """True for a text in Chinese: one with Han characters, labelled ``zh``, or unlabelled (or labelled
    another language) and with fewer kana letters than :data:`KANA_SHARE` of its Han and kana
    characters; a text labelled ``ja`` is not Chinese, even without kana (a headline in kanji only).

    >>> is_chinese("亚美尼亚总理"), is_chinese("アルメニアの首相"), is_chinese("唐纳德・特朗普"), is_chinese("Armenia")
    (True, False, True, False)
    >>> is_chinese("米国防総省声明", "ja"), is_chinese("索尼公司（ソニー）宣布将在中国和亚美尼亚两国增加投资并扩大生产")
    (False, True)
    """
    if language == "ja" or HAN.search(text) is None:
        return False
    if language == "zh":
        return True
    han, kana = len(HAN.findall(text)), len(KANA.findall(text))
    return kana < KANA_SHARE * (han + kana)


@lru_cache(maxsize=1)
def chinese_tokenizer():
    """jieba's tokenizer with its packaged dictionary (no download), built once per process."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


#: a lexicon term that jieba's dictionary counts fewer times than this is treated as a word it lacks
RARE_IN_JIEBA = 100


@lru_cache(maxsize=16)
def chinese_tokenizer_with(words: frozenset):
    """jieba's tokenizer that also knows ``words`` (a lexicon's Chinese terms): a term its dictionary
    lacks or has seen fewer than :data:`RARE_IN_JIEBA` times (拜登 "Biden" 2, 特朗普 14: jieba's
    counts predate them) is given a hundred times the frequency jieba suggests for keeping it whole
    (``suggest_freq``), so that a neighbour does not pull its first or last character into another
    word (拜登上台 is not 拜/登上/台, 舒沙市 not 舒/沙市). A common word keeps its count, so it still
    loses to the text's own words (法国 in 说法国内, 维和 in 纤维和). A copy: jieba's own tokenizer is
    not changed.

    >>> "/".join(w for w, _, _ in chinese_tokenizer_with(frozenset({"拜登"})).tokenize("拜登上台", HMM=False))
    '拜登/上台'
    """
    import jieba

    base = chinese_tokenizer()
    rare = sorted(w for w in words if w and (base.FREQ.get(w) or 0) < RARE_IN_JIEBA)
    if not rare:
        return base
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    for word in rare:
        tokenizer.add_word(word, freq=100 * tokenizer.suggest_freq(word, tune=False))
    return tokenizer


def segment_chinese(words: list[str], names: frozenset = frozenset()) -> list[tuple[str, str]]:
    """``(word as written, word)`` pairs of ``words``, every run of Chinese characters cut into the
    words of jieba's segmenter (its dictionary, and its hidden Markov model for words the dictionary
    lacks, such as transliterated names); words of one character are dropped, as is usual for topics
    and keywords in Chinese (they are mostly particles, and 的 or 在 carry no topic); other words unchanged.
    ``names`` (a lexicon's Chinese names, :func:`chinese_names`) are kept whole: the segmenter knows
    them and each part of a hyphenated one, and a hyphenated name written as one word is one token
    (纳戈尔诺-卡拉巴赫; cut, 纳 was a one-character word and the name became 戈尔诺 and 卡拉巴赫).

    >>> [word for word, _ in segment_chinese(["亚美尼亚总理帕希尼扬在埃里温表示", "TASS"])]
    ['亚美尼亚', '总理', '帕希尼扬', '埃里温', '表示', 'TASS']
    >>> [word for word, _ in segment_chinese(["纳戈尔诺-卡拉巴赫"], frozenset({"纳戈尔诺-卡拉巴赫"}))]
    ['纳戈尔诺-卡拉巴赫']
    """
    cut, joined = _chinese_segmenter(names)
    pieces = lambda run: [(piece, piece) for piece in cut(run, HMM=True) if len(piece) > 1]  # noqa: E731
    out = []
    for word in words:
        start = 0
        for match in joined.finditer(word) if joined is not None and _NAME_JOINERS.search(word) else ():
            out.extend(_cut_runs(WORD.findall(word[start:match.start()]), pieces))
            out.append((match.group(), match.group()))
            start = match.end()
        out.extend(_cut_runs([word] if not start else WORD.findall(word[start:]), pieces))
    return out


@lru_cache(maxsize=8)
def _chinese_segmenter(names: frozenset):
    """What :func:`segment_chinese` needs for ``names``, made once per set of names (not per text):
    the ``cut`` of a jieba tokenizer that knows each part of every name, and a pattern of the
    hyphenated or dotted names (longest first), or None."""
    parts = frozenset(part for name in names for part in _NAME_JOINERS.split(name))
    joined = sorted((name for name in names if _NAME_JOINERS.search(name)), key=lambda n: (-len(n), n))
    return chinese_tokenizer_with(parts).cut, re.compile("|".join(map(re.escape, joined))) if joined else None


#: what joins the parts of a transliterated name in a lexicon's Chinese names: a hyphen or a middle dot
#: (纳戈尔诺-卡拉巴赫). A text's middle dot already splits words (it is not a letter), so only hyphenated
#: names are kept whole as one token; the gazetteer's one is 纳戈尔诺-卡拉巴赫
_NAME_JOINERS = re.compile("[-·・]")


@lru_cache(maxsize=8)
def chinese_names(gazetteer=None) -> frozenset:
    """The Chinese names of the gazetteer (``gazetteer``: a Resource; None: the packaged one), as
    :func:`segment_chinese` keeps them whole: ``*`` and spaces removed; masks included (拉纳卡
    "Larnaca" is a word, and its 纳卡 is not Karabakh).

    >>> "纳戈尔诺-卡拉巴赫" in chinese_names()
    True
    """
    from .resources import load_resource

    table = (gazetteer or load_resource("gazetteer")).table()
    return frozenset(name.replace("*", "").replace(" ", "") for name in table.loc[table["lang"] == "zh", "name"]
                     if _CJK_RUN.search(name))


def _cut_runs(words: list[str], cut) -> list[tuple[str, str]]:
    """``(word as written, token)`` pairs: each run of Chinese or Japanese characters in ``words``
    replaced by ``cut(run)`` (such pairs) and the rest of such a word split by :data:`WORD`; a word
    without such a run stays itself."""
    out = []
    for word in words:
        start = 0
        for run in _CJK_RUN.finditer(word):
            out.extend((piece, piece) for piece in WORD.findall(word[start:run.start()]))
            out.extend(cut(run.group()))
            start = run.end()
        out.extend(((piece, piece) for piece in WORD.findall(word[start:])) if start else [(word, word)])
    return out


#: the parts of speech of janome's dictionary (IPADIC) that carry no topic: particles, auxiliary
#: verbs, symbols, conjunctions, prenominals, interjections, fillers, prefixes; and among nouns and
#: verbs the numerals, pronouns, suffixes and dependent words (数, 代名詞, 接尾, 非自立)
_JAPANESE_FUNCTION_POS = ("助詞", "助動詞", "記号", "接続詞", "連体詞", "感動詞", "フィラー", "接頭詞", "その他")
_JAPANESE_FUNCTION_SUB = ("数", "代名詞", "接尾", "非自立")


@lru_cache(maxsize=1)
def japanese_tokenizer():
    """janome's tokenizer with its packaged dictionary (mecab-ipadic; no download), built once per process."""
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def segment_japanese(words: list[str]) -> list[tuple[str, str]]:
    """``(word as written, dictionary form)`` pairs of ``words``, every run of Japanese characters cut
    into janome's words (a morphological analyser with the IPADIC dictionary, as MeCab), keeping
    content words: particles, auxiliary verbs, numerals, pronouns, suffixes and other function words
    are dropped (their parts of speech, :data:`_JAPANESE_FUNCTION_POS`); other words unchanged.

    >>> segment_japanese(["アルメニアの首相は和平交渉を続けると述べた", "TASS"])
    [('アルメニア', 'アルメニア'), ('首相', '首相'), ('和平', '和平'), ('交渉', '交渉'), ('続ける', '続ける'), ('述べ', '述べる'), ('TASS', 'TASS')]
    """
    tokenize = japanese_tokenizer().tokenize

    def content_words(run: str) -> list[tuple[str, str]]:
        kept = []
        for token in tokenize(run):
            pos = token.part_of_speech.split(",")
            if pos[0] not in _JAPANESE_FUNCTION_POS and pos[1] not in _JAPANESE_FUNCTION_SUB:
                kept.append((token.surface, token.base_form if token.base_form != "*" else token.surface))
        return kept

    return _cut_runs(words, content_words)


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters only; numbers and punctuation dropped).

    Examples
    --------
    >>> words("В Нагорно-Карабахском регионе, 19 сентября.")
    ['В', 'Нагорно-Карабахском', 'регионе', 'сентября']
    """
    return WORD.findall(text)


@lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset:
    """The packaged stopword list of ``language`` (words, and lemmas in ru/uk; lower case); empty if none ships.

    Which file a language uses is its profile's ``stopwords`` (``toolkit/data/languages.csv``);
    the lists live in ``toolkit/lexicons/stopwords/`` with their sources in the header.
    """
    from .languages import profile
    from .resources import load_resource

    if profile(language).stopwords is None:
        return frozenset()
    return load_resource("stopwords", language=language).words()


@lru_cache(maxsize=None)
def article_stopwords(language: str) -> frozenset:
    """The stopwords removed from an article in ``language``: its own list, plus English's where
    the language is written in another script (its list holds no word of Latin letters). English
    menus, captions and quoted headlines on a Russian or Armenian page ('the', 'to') are not the
    article's content, and no word of the article's own language can be spelt like them.

    Examples
    --------
    >>> "the" in article_stopwords("ru"), "the" in article_stopwords("az")
    (True, False)
    """
    own = stopwords(language)
    return own | stopwords("en") if _other_script(own) else own


def _other_script(words: frozenset) -> bool:
    """A stopword list of a language not written in Latin letters (none of its words is)."""
    return bool(words) and not any(w.isascii() and w.isalpha() for w in words)


def phrase_resource(phrases):
    """The phrases resource a ``phrases=`` argument names: the packaged ``lexicons/phrases.csv``
    for ``True``, a user's file (columns ``lang``, ``phrase``), DataFrame or Resource; None for ``False``."""
    from .resources import load_resource

    if phrases is False or phrases is None:
        return None
    return load_resource("phrases", None if phrases is True else phrases)


@lru_cache(maxsize=None)
def phrase_table(language: str, resource=None) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Multi-word expressions of ``language`` as lemma sequences, indexed by first lemma.

    Sources: ``resource`` (a phrases :class:`toolkit.Resource`; None: ``lexicons/phrases.csv``)
    and every multi-word name of ``lexicons/gazetteer.csv`` (names with ``*`` prefix patterns
    are matched by :func:`toolkit.actors` only). Cached per language and resource (by SHA-256).
    """
    from .resources import load_resource

    lemma_of = lemmatizer_for(language)
    table = (resource if resource is not None else load_resource("phrases")).table()
    phrases = list(table.loc[table["lang"] == language, "phrase"])
    gaz = load_resource("gazetteer").table()
    phrases += [n for n in gaz.loc[gaz["lang"] == language, "name"] if "*" not in n]
    index: dict[str, list] = {}
    for phrase in phrases:
        lemmas = tuple(lemma_of(normalize_form(w.lower())) for w in words(phrase))
        if len(lemmas) < 2:
            continue
        entry = (lemmas, PHRASE_JOINER.join(lemmas))
        bucket = index.setdefault(lemmas[0], [])
        if entry not in bucket:
            bucket.append(entry)
    for bucket in index.values():
        bucket.sort(key=lambda e: -len(e[0]))  # longest match first
    return index


def tokenize_text(text: str, language: str, *, lemmatize: bool = True, stopwords_: bool = True,
                  phrases=True, extra_stopwords=()) -> tuple[list[str], list[str]]:
    """Tokens and their surface forms for one text in ``language`` (``phrases``: True, False or
    a phrases Resource, as from :func:`phrase_resource`).

    Examples
    --------
    >>> tokenize_text("Переговоры о Нагорном Карабахе и Лачинском коридоре", "ru")[0]
    ['переговоры', 'нагорный_карабах', 'лачинский_коридор']
    """
    if _ADDRESS_HINT.search(text):   # most texts hold no dot or @ before a letter (28 of 166 development texts)
        text = _without_addresses(text)
    forms = WORD.findall(text)
    if _CJK_RUN.search(text):   # Chinese words (jieba) and Japanese words (janome), not whole clauses
        if is_chinese(text, language):   # the gazetteer's names kept whole, as its multi-word names merge
            pairs = segment_chinese(forms, chinese_names() if phrases and lemmatize else frozenset())
        else:
            pairs = segment_japanese(forms)
        forms = [written for written, _ in pairs]   # Japanese: the token is the dictionary form
        lowered = [normalize_form(token.lower()) for _, token in pairs]
    else:
        # lower-case and fold the whole text at once (cheaper than per word); fall back per word in
        # the rare case where lower-casing changes how the text splits into words
        lowered = WORD.findall(normalize_form(text.lower()))
        if len(lowered) != len(forms):
            lowered = [normalize_form(f.lower()) for f in forms]
    if lemmatize:
        lemmas = _lemmas(lowered, language)
    else:
        lemmas = lowered
    if phrases and lemmatize:
        table = phrase_table(language, None if phrases is True else phrase_resource(phrases))
        lemmas, forms, lowered = _merge_phrases(lemmas, forms, lowered, table)
    if stopwords_:
        stop = article_stopwords(language)
        # a user's own words are an explicit request: they also go where a token (a stem) is one
        extra = frozenset(normalize_form(w.lower()) for w in extra_stopwords) if extra_stopwords else frozenset()
        if stop or extra:
            # a listed word goes whether the list holds its lemma or the form as written (the
            # lemmatiser maps some function words elsewhere: ніколи -> нікола). Stems are not
            # compared with the packaged lists: they hold words, and a stem can be one (en mines ->
            # mine, de seiten -> seit)
            stop = stop | extra if extra else stop   # not a copy of the list per text
            keys = (lemmas if language in MORPH_LANGUAGES else lowered if language not in APOSTROPHE_RULES
                    else [word_proper(low, language) for low in lowered])
            kept = [i for i, (key, low, lem) in enumerate(zip(keys, lowered, lemmas))
                    if key not in stop and low not in stop and lem not in extra]
            if len(kept) < len(lemmas):
                lemmas = [lemmas[i] for i in kept]
                forms = [forms[i] for i in kept]
    return lemmas, forms


def _lemmas(lowered: list[str], language: str) -> list[str]:
    """Lemmas of lower-case forms: one dictionary lookup each, the analyser only for new forms."""
    lemma_of = lemmatizer_for(language)
    if lemma_of is keep_form:
        return lowered
    cache = lemma_cache(language)
    lemmas = list(map(cache.get, lowered))
    if None in lemmas:
        lemmas = [lem if lem is not None else lemma_of(w) for lem, w in zip(lemmas, lowered)]
    return lemmas


def _merge_phrases(lemmas, forms, lowered, table):
    """Join multi-word expressions (longest first); only positions where a phrase can start
    are examined."""
    starts = [i for i, lem in enumerate(lemmas) if lem in table] if table else []
    if not starts:
        return lemmas, forms, lowered
    out_lemmas, out_forms, out_lowered = [], [], []
    done = 0
    for i in starts:
        if i < done:
            continue
        for seq, joined in table[lemmas[i]]:
            k = len(seq)
            if tuple(lemmas[i:i + k]) == seq:
                out_lemmas += lemmas[done:i] + [joined]
                out_forms += forms[done:i] + [" ".join(forms[i:i + k])]
                out_lowered += lowered[done:i] + [" ".join(lowered[i:i + k])]
                done = i + k
                break
    if not done:
        return lemmas, forms, lowered
    return out_lemmas + lemmas[done:], out_forms + forms[done:], out_lowered + lowered[done:]


def tokenize(corpus_or_segments: pd.DataFrame, *, unit: str | None = None, lemmatize: bool = True,
             stopwords: bool = True, phrases=True, extra_stopwords=(), n_jobs: int = 1) -> pd.DataFrame:
    """Add ``tokens`` and ``forms`` columns to a corpus or segments DataFrame.

    Parameters
    ----------
    corpus_or_segments : DataFrame with ``text`` and ``language`` (the language rule of
        :func:`toolkit.languages.resolve_languages`: detected where absent, else ``ValueError``).
    unit : None (default): tokenize the rows as given (a corpus stays one row per article with
        all its columns; units keep their ``doc_id``, ``segment_id``). ``"article"``,
        ``"paragraph"`` or ``"sentence"``: first make those units
        (:func:`toolkit.units.make_units`: keys, ``language``, metadata columns), then tokenize them.
    lemmatize : lemmas for ru/uk (pymorphy3), Snowball stems for the languages with a ``stemmer``
        in ``toolkit/data/languages.csv`` (en, fr, de, es ...), simplemma dictionary lemmas for those
        with ``lemmas`` (hy, ka, tr ...), where the packaged gazetteer's single-word names come
        first and, in az, ka and hy, lose their endings (``lexicons/name_suffixes.csv``:
        *Qarabağda* -> ``qarabağ``); lower case for others.
    stopwords : remove the packaged stopwords of each row's language (compared with each word as
        written, and with its lemma in Russian and Ukrainian; not with a Snowball stem).
    phrases : merge multi-word names into one token (``Нагорном Карабахе`` -> ``нагорный_карабах``):
        True for the packaged ``lexicons/phrases.csv``, a user's file with the same columns
        (``lang``, ``phrase``), a DataFrame or a :class:`toolkit.Resource` instead, False for none.
        The gazetteer's multi-word names are merged too.
    extra_stopwords : more words to remove (any language), compared with each word as written and
        with its token (lemma or stem: ``negoti`` removes *negotiations*).
    n_jobs : processes to use; 2 pays off above a few thousand articles.

    Returns
    -------
    A copy with ``language`` (added or filled by the language rule), ``tokens`` (list of str) and
    ``forms`` (list of str: the surface text of each token, so that contested names erased by
    lemmas, e.g. Шуши -> шуша, can still be told apart).

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["Азербайджан начал наступление в Карабахе."], "language": ["ru"]})
    >>> tokenize(df)["tokens"][0]
    ['азербайджан', 'начать', 'наступление', 'карабах']
    """
    if "text" not in corpus_or_segments:
        raise ValueError("tokenize() needs a 'text' column")
    if unit is not None:
        corpus_or_segments = _units_for_tokens(corpus_or_segments, unit)
    out = corpus_or_segments.copy()
    texts = out["text"].fillna("").astype(str).tolist()
    languages = resolve_languages(out, group="doc_id" if "segment_id" in out else None).tolist()
    if len(out) and ("language" not in out or out["language"].isna().any()):
        out["language"] = pd.Categorical(languages)  # the rule's answer, written down (0.1 kept it to itself)
    phrases = phrase_resource(phrases) if lemmatize else None
    options = dict(lemmatize=lemmatize, stopwords_=stopwords, phrases=phrases if phrases is not None else False,
                   extra_stopwords=tuple(extra_stopwords))
    pairs = list(zip(texts, languages))
    if n_jobs > 1 and len(pairs) > 200:
        results = _parallel(pairs, options, n_jobs)
    else:
        results = [tokenize_text(t, lang, **options) for t, lang in pairs]
    out["tokens"] = pd.Series([r[0] for r in results], index=out.index, dtype="object")
    out["forms"] = pd.Series([r[1] for r in results], index=out.index, dtype="object")
    out.attrs["resources"] = _used_resources(set(languages), stopwords=stopwords, phrases=phrases)
    return out


def ensure_tokens(frame: pd.DataFrame, unit: str | None = None, keep=()) -> pd.DataFrame:
    """``frame`` with ``tokens``: as given when it has them and no ``unit`` is asked; else
    :func:`tokenize` of its ``unit`` units (:func:`toolkit.make_units`), carrying the columns
    ``keep`` (e.g. a ``by`` column) that the units would not carry.

    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Бои. Переговоры."]})
    >>> ensure_tokens(df, "sentence")["tokens"].tolist()
    [['бой'], ['переговоры']]
    """
    if unit is None:
        return frame if "tokens" in frame else tokenize(frame)
    return tokenize(_units_for_tokens(frame, unit, keep))


def _units_for_tokens(frame: pd.DataFrame, unit: str, keep=()) -> pd.DataFrame:
    """The ``unit`` units of ``frame`` (with the columns ``keep``), without article tokens
    copied onto paragraphs or sentences."""
    from .units import make_units

    if "segment_id" not in frame and unit != "article":
        frame = frame.drop(columns=[c for c in ("tokens", "forms") if c in frame])
    return make_units(frame, unit, keep=[c for c in dict.fromkeys(keep) if c in frame])


def _used_resources(languages, *, stopwords: bool, phrases) -> list[dict]:
    """MANIFEST entries of the word lists a tokenization of ``languages`` used (``phrases``:
    the phrases Resource merged, or None)."""
    from .languages import profile
    from .resources import load_resource, resources_manifest

    lists = {lang for lang in languages if stopwords and profile(lang).stopwords is not None}
    if any(_other_script(load_resource("stopwords", language=lang).words()) for lang in lists):
        lists.add("en")  # English's list is removed from articles in other scripts (article_stopwords)
    used = [load_resource("stopwords", language=lang) for lang in sorted(lists)]
    used += [phrases] if phrases is not None else []
    names = any(lang in NAME_LANGUAGES for lang in languages)   # tokens read the gazetteer's names
    if phrases is not None or names:
        used.append(load_resource("gazetteer"))
    if names:
        used.append(load_resource("name_suffixes"))
    if any(lang in MORPH_LANGUAGES or lang in REDUCED_LANGUAGES for lang in languages):
        used.append(load_resource("lemma_overrides"))   # read by every lemmatiser (morphology.analyse)
    return resources_manifest(used)



#: texts, languages and options of the running parallel call, inherited by forked workers (so
#: that no text is pickled on the way to a worker)
_SHARED: tuple | None = None
_DOC, _TOKEN = "\x1e", "\x1f"  # separators of the packed results (never inside a word token)


def _tokenize_range(bounds):
    """Tokenize texts ``start:end`` of the shared input; the result packed into two strings
    (one pickled object each instead of a list per text and a str per token)."""
    start, end = bounds
    texts, languages, options = _SHARED
    tokens, forms = [], []
    for text, language in zip(texts[start:end], languages[start:end]):
        lemmas, surface = tokenize_text(text, language, **options)
        tokens.append(_TOKEN.join(lemmas))
        forms.append(_TOKEN.join(surface))
    return _DOC.join(tokens), _DOC.join(forms)


def _unpack(packed: str, n: int) -> list[list[str]]:
    docs = packed.split(_DOC) if n else []
    return [d.split(_TOKEN) if d else [] for d in docs]


def _parallel(pairs, options, n_jobs):
    """Tokenize in ``n_jobs`` forked processes, each taking contiguous chunks of about equal
    length; falls back to one process where ``fork`` is not available (Windows, macOS spawn) or
    in a worker process (:func:`toolkit.parallel.can_fork`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .parallel import can_fork

    global _SHARED
    if not can_fork():  # no fork (Windows), or a worker of a parallel measure already
        return [tokenize_text(t, lang, **options) for t, lang in pairs]
    texts = [t for t, _ in pairs]
    languages = [lang for _, lang in pairs]
    if any(_DOC in t or _TOKEN in t for t in texts):  # control characters would break the packing
        texts = [t.replace(_DOC, " ").replace(_TOKEN, " ") for t in texts]
    # chunks of about equal characters, several per worker so that a slow chunk is not the tail
    lengths = [len(t) for t in texts]
    share, bounds, start, filled = max(1, sum(lengths) // (n_jobs * 4)), [], 0, 0
    for i, length in enumerate(lengths):
        filled += length
        if filled >= share:
            bounds.append((start, i + 1))
            start, filled = i + 1, 0
    if start < len(texts):
        bounds.append((start, len(texts)))
    _SHARED = (texts, languages, options)
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = []
            for (a, b), (tokens, forms) in zip(bounds, pool.map(_tokenize_range, bounds)):
                results.extend(zip(_unpack(tokens, b - a), _unpack(forms, b - a)))
    finally:
        _SHARED = None
    return results


def __getattr__(name: str):
    # Tokenizer is a scikit-learn estimator: it lives in toolkit.tokenizer and is imported on
    # first use, so that importing this module (every notebook does) does not import
    # scikit-learn and SciPy (a second of every report's kernel start)
    if name == "Tokenizer":
        from .tokenizer import Tokenizer

        return Tokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def pretokenized(tokens):
    """Identity analyzer for vectorizers fed with token lists (picklable, unlike a lambda).

    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> CountVectorizer(analyzer=pretokenized).fit([["a", "b"]]).vocabulary_
    {'a': 0, 'b': 1}
    """
    return tokens


def term_form_counts(units: pd.DataFrame, vocabulary) -> pd.DataFrame:
    """How often each term of a language whose tokens are not the words as written (Snowball
    stems, dictionary lemmas, names without their endings, Arabic words without the article:
    :data:`toolkit.morphology.REDUCED_LANGUAGES`) was written in each form: ``language``,
    ``term``, ``form`` (lower case, without an elided article or a suffix after an apostrophe:
    :func:`toolkit.morphology.word_proper`), ``n``. A form counts for a token only if
    :func:`toolkit.morphology.lemmatize` maps it to that token (a merged phrase word by word:
    "peace talks" -> ``peac_talk``; gazetteer ids such as ``ilham_aliyev`` written "Aliyev"
    are not stems and get no form). Read from the units' ``tokens`` and
    their aligned ``forms`` (:func:`toolkit.tokenize`); empty without ``forms``. Used by
    :meth:`toolkit.topics.TopicModel.term_forms` and :func:`toolkit.keyness` to show ``negotiations`` instead of the stem ``negoti``.

    Invented units: ``negoti`` written twice as "negotiations", once as "negotiated":

    >>> units = pd.DataFrame({"language": ["en", "en"], "tokens": [["negoti", "negoti"], ["negoti"]],
    ...                       "forms": [["Negotiations", "negotiations"], ["negotiated"]]})
    >>> term_form_counts(units, ["negoti"]).values.tolist()
    [['en', 'negoti', 'negotiated', 1], ['en', 'negoti', 'negotiations', 2]]
    """
    columns = ["language", "term", "form", "n"]
    if "forms" not in units or "language" not in units:
        return pd.DataFrame(columns=columns)
    known = set(vocabulary)
    counts: dict[tuple[str, str, str], int] = {}
    languages = units["language"].astype("string").fillna("")
    for language, tokens, forms in zip(languages, units["tokens"], units["forms"]):
        if language not in REDUCED_LANGUAGES or not isinstance(forms, (list, tuple, np.ndarray)) or len(forms) != len(tokens):
            continue
        for token, form in zip(tokens, forms):
            if token in known:
                key = (language, token, form.lower())
                counts[key] = counts.get(key, 0) + 1
    # per distinct (form, token), not per token: the form shown without an elided article or a
    # suffix after an apostrophe (l'arménie -> arménie), and kept only if the stemmer or dictionary maps it to the token
    shown: dict[tuple[str, str, str], int] = {}
    for (language, token, form), n in counts.items():
        words_ = [word_proper(normalize_form(w), language) for w in form.split(" ")]
        if "_".join(lemmatize(word, language) for word in words_) == token:
            key = (language, token, " ".join(words_))
            shown[key] = shown.get(key, 0) + n
    return pd.DataFrame([(*key, n) for key, n in sorted(shown.items())], columns=columns)


def best_forms(counts: pd.DataFrame) -> dict[str, str]:
    """Term -> its most frequent written form, from :func:`term_form_counts` (ties: the first
    form in alphabetical order); terms without a counted form are absent (show them as they are).

    >>> best_forms(pd.DataFrame({"language": ["en"] * 2, "term": ["negoti"] * 2,
    ...                          "form": ["negotiated", "negotiations"], "n": [1, 2]}))
    {'negoti': 'negotiations'}
    """
    if counts.empty:
        return {}
    totals = counts.groupby(["term", "form"], as_index=False)["n"].sum()
    best = totals.sort_values(["term", "n", "form"], ascending=[True, False, True], kind="stable")
    return dict(best.drop_duplicates("term")[["term", "form"]].itertuples(index=False, name=None))
