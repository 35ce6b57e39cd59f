"""Lexicon matching: find the terms of a lexicon (names, frame terms, naming terms) in a text.

One matcher serves every lexicon of the toolkit. A term is one or more words; each word
matches a text word when their lower-case forms are equal, when their lemmas are equal
(``use_lemmas``: ru/uk pymorphy3 lemmas, en Snowball stems), or, for a word ending in ``*``,
when the text word starts with it. Returns spans with the label(s) of the matched term.

Scripts the word rule does not fit are met half-way here (``script_rules=True``; the naming
lexicon uses it), for matching only (tokens are not changed): Arabic and Persian words are compared with their vowel marks and tatweel removed,
their letter variants folded (ك/ک, ي/ى/ی, أ/إ/آ/ا, ة/ه) and their attached proclitics (و, ف,
ب, ك, ل, ال, لل) stripped, so ``وستيباناكرت`` and ``بالأراضي`` find ``ستيباناكرت`` and ``أراضي``;
French and Italian elided articles and prepositions are stripped the same way (``l'Artsakh``,
``dell'Artsakh`` find ``Artsakh*``);
a Persian zero-width non-joiner separates words, in texts and in terms alike (``قره‌باغ`` =
``قره باغ``); Chinese and Japanese characters are one word each, so a term written without spaces
(``汉肯迪``) is found inside a run of characters with no spaces, but not across the edge of a word of
jieba's dictionary in a Chinese text (``维和`` is not found in ``纤维和`` "fibre and", ``法国`` not in
``非法国家`` "illegal states"; the lexicon's terms that the dictionary lacks or rarely saw are added to
a copy of it, so 拜登 "Biden" is found in ``拜登上台``), nor a katakana name inside a longer katakana word in a Japanese text (``イラン``
"Iran" is not in ``アイランド`` "island").

Two more rules serve names that are also ordinary words: an entry may ask for capitals (Italian
``Mosca`` is Moscow, ``mosca`` a fly; Spanish ``USA`` is not the verb ``usa``, though a sentence that
begins "Usa ..." still matches: only the first letter is compared, because Italian writes the USA
``Usa``), and an entry labelled
:data:`MASK` is a phrase that contains a name but names something else (Arabic ``روسيا البيضاء``,
"White Russia", is Belarus): it is matched, never reported, and hides every match that shares a word
with it (``pro-Russian separatist*`` hides ``separatist leaders`` in "pro-Russian separatist leaders").
"""
from __future__ import annotations

import re

from .morphology import ELIDED, lemmatizer_for, normalize_form
from .tokens import CJK_CHARACTER, CJK_CHARACTERS as _CJK, KANA, chinese_tokenizer_with, is_chinese
from .tokens import WORD

_LETTER = f"(?:[^\\W\\d_{_CJK}]|[\u0640\u064b-\u065f\u0670])"
#: a word for matching: as :data:`toolkit.tokens.WORD` (letters joined by hyphens, apostrophes or
#: Armenian marks), but Arabic vowel marks stay inside their word and each Chinese or Japanese
#: character is a word of its own
MATCH_WORD = re.compile(f"[{_CJK}]|{_LETTER}+(?:(?:[-'’ʼ]|[\u055B-\u055E]+){_LETTER}+)*[\u055B-\u055E]?")
_CJK_TERM = re.compile(f"[{_CJK}]")
# katakana and the prolonged sound mark, which a katakana word is written in without a break (not the
# middle dot ・ that separates words)
_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc]")
# texts without these characters split into the same words with the plain (faster) token rule
_NEEDS_MATCH_WORD = re.compile(f"[{_CJK}\u064b-\u065f\u0670]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
_ARABIC_FOLD = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه"})
# and/so, then in/like/to, then the article; "لل" is ل + ال (للأرمن = to the Armenians)
_PROCLITICS = re.compile("^(?:[وف](?=.{3}))?(?:لل(?=.{2})|[بکل](?=.{3}))?(?:ال(?=.{2}))?")


#: the label of a masking entry (module docstring): matched, never reported, hides the matches that overlap it
MASK = ("<mask>", "mask")

#: distinct words whose folding, lemma and candidate terms a matcher keeps (then it starts afresh)
FORM_CACHE_SIZE = 500_000


class TermMatcher:
    """Compiled lexicon for texts in one language.

    Parameters
    ----------
    entries : iterable of ``(term, label)`` pairs or ``(term, label, capital)`` triples; a label is any
        hashable (an actor id, a ``(pair, side)`` tuple, a frame name), or :data:`MASK`; ``capital``
        True: each word the term writes with a capital must be written with one in the text (after an
        elided article: ``l'Iran``).
    language : the language of the texts (decides how words are lemmatised).
    use_lemmas : compare lemmas as well as surface forms.
    script_rules : also apply the rules for scripts the word rule does not fit (module docstring:
        Arabic/Persian folding and proclitics, French/Italian elision, one word per Chinese or
        Japanese character). Off by default, so the other lexicons' matches stay as they were; the
        naming lexicon, written for these languages, turns them on.

    Examples
    --------
    >>> m = TermMatcher([("Нагорный Карабах", "nk"), ("Ханкенд*", "kh")], "ru")
    >>> [(label, mention) for label, mention, start, end in m.find("В Нагорном Карабахе и Ханкенди")]
    [('nk', 'Нагорном Карабахе'), ('kh', 'Ханкенди')]
    >>> m = TermMatcher([("Mosca", "russia", True), ("Russia Bianca", MASK), ("Russia", "russia")], "it")
    >>> [label for label, *_ in m.find("Una mosca a Mosca; la Russia Bianca e la Russia")]
    ['russia', 'russia']
    """

    def __init__(self, entries, language: str, use_lemmas: bool = True, script_rules: bool = False):
        self.language = language
        self.use_lemmas = use_lemmas
        self.script_rules = script_rules
        self._fold = fold_word = fold if script_rules else normalize_form
        self._bare = bare_of = bare_form if script_rules else _nothing_to_strip
        word_rule = MATCH_WORD if script_rules else WORD
        self._lemma_of = lemmatizer_for(language) if use_lemmas else None
        lemma_of = self._lemma_of or (lambda w: w)
        self._by_key: dict[str, list] = {}
        self._by_prefix: dict[str, list] = {}
        seen = set()
        self._masks = False  # whether any entry is a mask
        chinese_terms = set()  # the terms in Chinese characters, which the segmenter must know (not masks)
        for term, label, *capital in entries:
            tests, capitals = [], []
            for part in str(term).replace("\u200c", " ").split():
                if capital and capital[0] and _capitalised(part):
                    capitals.append(len(tests))
                lower = fold_word(part.lower())
                # a star after a Chinese or Japanese character means nothing: each character is a word
                if lower.endswith("*") and len(lower) > 1 and not (script_rules and CJK_CHARACTER.match(lower[-2])):
                    prefix = lower[:-1]
                    bare = bare_of(prefix)
                    tests.append(("prefix", prefix) if bare is None else ("bare_prefix", prefix, bare))
                    continue
                forms = word_rule.findall(lower)
                if len(forms) != 1 and not (forms and all(CJK_CHARACTER.match(f) for f in forms)):
                    tests = None  # punctuation-only parts cannot match a word
                    break
                for form in forms:  # several only for Chinese or Japanese: one word per character
                    bare = bare_of(form)
                    tests.append(("word", form, lemma_of(form)) if bare is None else ("bare_word", form, bare))
            if script_rules and label != MASK and _CJK_TERM.search(str(term)):
                chinese_terms.add(str(term).replace("*", "").replace(" ", ""))
            item = (tuple(tests or ()), label, tuple(capitals))
            if not tests or item in seen:
                continue
            seen.add(item)
            self._masks |= label == MASK
            first = tests[0]
            if first[0] in ("prefix", "bare_prefix"):
                for key in {first[1][:2], first[-1][:2]}:
                    self._by_prefix.setdefault(key, []).append(item)
            else:
                self._by_key.setdefault(first[1], []).append(item)
                if first[2] != first[1]:
                    self._by_key.setdefault(first[2], []).append(item)
        self._chinese_terms = frozenset(chinese_terms)
        #: word as written -> (normalised lower-case form, lemma, candidate terms): each distinct
        #: word of the texts is folded, lemmatised and looked up once per matcher
        self._forms: dict[str, tuple] = {}

    def _form(self, word: str) -> tuple:
        lower = self._fold(word.lower())
        if self.language == "en" and not self.use_lemmas:  # Armenia's -> armenia
            lower = lower[:-2] if lower.endswith("'s") else lower
        lemma = self._lemma_of(lower) if self._lemma_of is not None else lower
        bare = self._bare(lower)  # l'Artsakh, وستيباناكرت: the word without its proclitics, or None
        pool = self._by_key.get(lower, []) + (self._by_key.get(lemma, []) if lemma != lower else []) \
            + self._by_prefix.get(lower[:2], [])
        if bare:
            pool += self._by_key.get(bare, []) + self._by_prefix.get(bare[:2], [])
        # the terms whose first word this word matches (the rest are tested in the text)
        pool = tuple(item for item in pool if _word_matches(item[0][0], lower, lemma, bare))
        if len(self._forms) > FORM_CACHE_SIZE:
            self._forms.clear()
        entry = self._forms[word] = (lower, lemma, pool, bare, _capitalised(word))
        return entry

    def _words(self, text: str):
        forms, form = self._forms, self._form
        spans, lemmas, pools, bares, capitals = [], [], [], [], []
        special = self.script_rules and _NEEDS_MATCH_WORD.search(text)
        for m in (MATCH_WORD if special else WORD).finditer(text):
            word = m.group()
            lower, lemma, pool, bare, capital = forms.get(word) or form(word)
            spans.append((m.start(), m.end(), lower))
            lemmas.append(lemma)
            pools.append(pool)
            bares.append(bare)
            capitals.append(capital)
        return spans, lemmas, pools, bares, capitals

    def candidates(self, text: str) -> list[tuple[int, int, object]]:
        """Every match, overlapping ones included: ``(first_word, n_words, label)``; masks too
        (label :data:`MASK`), which :meth:`find` applies and leaves out."""
        spans, lemmas, pools, bares, capitals = self._words(text)
        found = []
        n = len(spans)
        for i, pool in enumerate(pools):
            for tests, label, caps in pool:   # the first word matches (see _form)
                k = len(tests)
                if (k == 1 or (i + k <= n and all(_word_matches(tests[j], spans[i + j][2], lemmas[i + j], bares[i + j])
                                                  for j in range(1, k)))) \
                        and all(capitals[i + j] for j in caps):
                    found.append((i, k, label))
        if found and self.script_rules and is_chinese(text, self.language):
            found = _within_chinese_words(text, spans, found, self._chinese_terms)
        elif found and self.script_rules and KANA.search(text):
            found = _within_katakana_words(text, spans, found)
        self._last_spans = spans
        return found

    def find(self, text: str, overlap: str = "global", group=None) -> list[tuple[object, str, int, int]]:
        """Non-overlapping matches ``(label, mention, start, end)`` in text order.

        ``overlap="global"``: at each place the longest term wins, and every label of that
        longest term is reported (one span, one entity). ``overlap="per_label"``: each label
        is resolved on its own, longest first (a phrase and a word inside it count once per label);
        ``group`` (a function of the label) makes labels with the same ``group(label)`` share one
        resolution (the naming lexicon labels terms but resolves overlaps per pair and side).
        """
        if overlap not in ("global", "per_label"):
            raise ValueError(f"overlap must be 'global' or 'per_label', not {overlap!r}")
        matches = sorted(set(self.candidates(text)), key=lambda m: (m[0], -m[1], str(m[2])))
        if self._masks:   # a match that shares a word with a mask is part of the other name
            masked = bytearray(len(self._last_spans))
            for s, k, label in matches:
                if label == MASK:
                    masked[s:s + k] = b"\x01" * k
            matches = [(s, k, label) for s, k, label in matches if label != MASK and not any(masked[s:s + k])]
        spans = self._last_spans
        chosen = []
        if overlap == "global":
            next_free, i = 0, 0
            while i < len(matches):
                start, k, _ = matches[i]
                group = [m for m in matches[i:] if m[0] == start]
                i += len(group)
                if start < next_free:
                    continue
                longest = max(m[1] for m in group)
                labels = list(dict.fromkeys(m[2] for m in group if m[1] == longest))
                chosen.extend((start, longest, label) for label in labels)
                next_free = start + longest
        else:
            free: dict[object, int] = {}
            for start, k, label in matches:  # sorted by start, longest first
                key = group(label) if group is not None else label
                if start >= free.get(key, 0):
                    chosen.append((start, k, label))
                    free[key] = start + k
        return [(label, text[spans[s][0]:spans[s + k - 1][1]], spans[s][0], spans[s + k - 1][1])
                for s, k, label in chosen]


def _capitalised(word: str) -> bool:
    """Whether a word as written starts with a capital, after an elided article (``l'Iran``)."""
    head, apostrophe, rest = normalize_form(word).partition("'")
    return (rest if apostrophe and head.lower() in ELIDED else word)[:1].isupper()


def chinese_words(text: str, terms: frozenset = frozenset()) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of the words of jieba's dictionary in a text (its
    dictionary and ``terms``, no guessed words: deterministic), one per word of two characters or more.

    >>> [("纤维和塑料"[a:b]) for a, b in chinese_words("纤维和塑料")]
    ['纤维', '塑料']
    """
    tokenizer = chinese_tokenizer_with(terms)
    return [(start, end) for _, start, end in tokenizer.tokenize(text, HMM=False) if end - start > 1]


def _within_katakana_words(text: str, spans, found):
    """The matches that do not start or end inside a run of katakana: Japanese writes a foreign word
    as one run, so イラン (Iran) in アイランド (island) or アメリカ in ラテンアメリカ is another word."""
    kept = []
    for i, k, label in found:
        start, end = spans[i][0], spans[i + k - 1][1]
        if (start > 0 and _KATAKANA.match(text[start]) and _KATAKANA.match(text[start - 1])) or \
                (end < len(text) and _KATAKANA.match(text[end - 1]) and _KATAKANA.match(text[end])):
            continue
        kept.append((i, k, label))
    return kept


def _within_chinese_words(text: str, spans, found, terms: frozenset = frozenset()):
    """The matches that cut no word of jieba's dictionary: a match may hold words (``汉肯迪``) or lie
    inside one (``维和`` in ``维和部队`` "peacekeepers", ``谈判`` in ``和平谈判`` "peace talks"), but not
    start or end inside a word that reaches out of it (``维和`` in ``纤维和``, ``和平`` in ``温和平稳``,
    ``法国`` in ``非法国家``). Words that hold a name but mean something else (``白俄罗斯`` Belarus) are
    the lexicons' masks."""
    word_of = {}
    for start, end in chinese_words(text, terms):
        for position in range(start, end):
            word_of[position] = (start, end)
    kept = []
    for i, k, label in found:
        start, end = spans[i][0], spans[i + k - 1][1]
        first, last = word_of.get(start), word_of.get(end - 1)
        if (first and first[0] < start and first[1] < end) or (last and last[1] > end and last[0] > start):
            continue
        kept.append((i, k, label))
    return kept


def _word_matches(test, lower: str, lemma: str, bare: str | None = None) -> bool:
    """Whether a text word (lower-case form, lemma, form without proclitics or None) passes one word
    test of a term. A ``bare_*`` test is a term word that had proclitics itself: it holds the word
    as written and stripped by the same rule, so neither over-stripping (بيئي -> يئي) nor a kept
    article (البيئيين) misses."""
    kind = test[0]
    if kind == "prefix" or kind == "bare_prefix":
        return any(form.startswith(prefix) for form in ((lower,) if bare is None else (lower, bare))
                   for prefix in test[1:])
    if lower == test[1] or (kind == "word" and lemma == test[2]):
        return True
    return bare is not None and bare in (test[1], test[2])



def fold(word: str) -> str:
    """A lower-case word as the matcher compares it: :func:`toolkit.morphology.normalize_form`, and in
    Arabic script without vowel marks or tatweel and with letter variants folded (Arabic and Persian
    spellings of one name meet).

    >>> fold("خانكندي") == fold("خانکندی")
    True
    """
    word = normalize_form(word)
    if _ARABIC_SCRIPT.search(word):
        word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)
    return word


def arabic_bare(folded: str) -> str | None:
    """A folded Arabic-script word without its attached proclitics (و ف, then ب ك ل or لل, then
    ال), each stripped only when three letters (two after an article) remain; None for any other
    script. The same rule strips the lexicon's terms, so a name that itself starts with one of
    these letters (لاتشين) still meets its own forms (ولاتشين).

    >>> arabic_bare(fold("والأراضي")) == fold("أراضي"), arabic_bare("lachin")
    (True, None)
    """
    if not _ARABIC_SCRIPT.search(folded):
        return None
    return folded[_PROCLITICS.match(folded).end():]


def _nothing_to_strip(folded: str) -> None:
    return None


def bare_form(folded: str) -> str | None:
    """A folded word without its attached proclitics: Arabic script as :func:`arabic_bare`; a word
    after a French or Italian elided article or preposition (``l'artsakh``, ``dell'artsakh``,
    ``d'azerbaïdjan``) without it; None when there is nothing to strip.

    >>> bare_form("dell'artsakh"), bare_form("armenia's"), bare_form("artsakh")
    ('artsakh', None, None)
    """
    if "'" in folded:
        head, _, rest = folded.partition("'")
        return rest if head in ELIDED and len(rest) > 1 else None
    return arabic_bare(folded)


_MATCHERS: dict[tuple, TermMatcher] = {}


def cached_matcher(resource, language: str, use_lemmas: bool, entries, script_rules: bool = False) -> TermMatcher:
    """A matcher built once per resource content, language, lemma mode, script rules and entry
    function.

    ``resource`` is a :class:`toolkit.resources.Resource`; ``entries(table, language)`` turns its
    table into ``(term, label)`` pairs; ``script_rules`` as in :class:`TermMatcher`. The cache is
    keyed by the resource's SHA-256 (not its name), so a user's edited lexicon never meets a
    matcher compiled from another file.
    """
    cache_key = (resource.kind, resource.sha256, language, use_lemmas, script_rules, entries.__module__,
                 entries.__qualname__)
    if cache_key not in _MATCHERS:
        _MATCHERS[cache_key] = TermMatcher(entries(resource.table(), language), language, use_lemmas,
                                           script_rules=script_rules)
    return _MATCHERS[cache_key]
