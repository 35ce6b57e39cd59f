"""Lexicon matching: find the terms of a lexicon (names, frame terms, naming terms) in a text.

One matcher serves every lexicon of the toolkit. A term is one or more words; each word
matches a text word when their lower-case forms are equal, when their lemmas are equal
(``use_lemmas``: ru/uk pymorphy3 lemmas, en Snowball stems), or, for a word ending in ``*``,
when the text word starts with it. Returns spans with the label(s) of the matched term.
"""
from __future__ import annotations

from .morphology import lemmatizer_for, normalize_form
from .tokens import WORD


#: distinct words whose folding, lemma and candidate terms a matcher keeps (then it starts afresh)
FORM_CACHE_SIZE = 500_000


class TermMatcher:
    """Compiled lexicon for texts in one language.

    Parameters
    ----------
    entries : iterable of ``(term, label)`` pairs; a label is any hashable (an actor id, a
        ``(pair, side)`` tuple, a frame name).
    language : the language of the texts (decides how words are lemmatised).
    use_lemmas : compare lemmas as well as surface forms.

    Examples
    --------
    >>> m = TermMatcher([("Нагорный Карабах", "nk"), ("Ханкенд*", "kh")], "ru")
    >>> [(label, mention) for label, mention, start, end in m.find("В Нагорном Карабахе и Ханкенди")]
    [('nk', 'Нагорном Карабахе'), ('kh', 'Ханкенди')]
    """

    def __init__(self, entries, language: str, use_lemmas: bool = True):
        self.language = language
        self.use_lemmas = use_lemmas
        self._lemma_of = lemmatizer_for(language) if use_lemmas else None
        lemma_of = self._lemma_of or (lambda w: w)
        self._by_key: dict[str, list] = {}
        self._by_prefix: dict[str, list] = {}
        seen = set()
        for term, label in entries:
            tests = []
            for part in str(term).split():
                lower = normalize_form(part.lower())
                if lower.endswith("*") and len(lower) > 1:
                    tests.append(("prefix", lower[:-1]))
                    continue
                forms = WORD.findall(lower)
                if len(forms) != 1:  # punctuation-only parts cannot match a word
                    tests = None
                    break
                tests.append(("word", forms[0], lemma_of(forms[0])))
            if not tests or (tuple(tests), label) in seen:
                continue
            seen.add((tuple(tests), label))
            item = (tuple(tests), label)
            first = tests[0]
            if first[0] == "prefix":
                self._by_prefix.setdefault(first[1][:2], []).append(item)
            else:
                self._by_key.setdefault(first[1], []).append(item)
                if first[2] != first[1]:
                    self._by_key.setdefault(first[2], []).append(item)
        #: word as written -> (normalised lower-case form, lemma, candidate terms): each distinct
        #: word of the texts is folded, lemmatised and looked up once per matcher
        self._forms: dict[str, tuple] = {}

    def _form(self, word: str) -> tuple:
        lower = normalize_form(word.lower())
        if self.language == "en" and not self.use_lemmas:  # Armenia's -> armenia
            lower = lower[:-2] if lower.endswith("'s") else lower
        lemma = self._lemma_of(lower) if self._lemma_of is not None else lower
        pool = self._by_key.get(lower, []) + (self._by_key.get(lemma, []) if lemma != lower else []) \
            + self._by_prefix.get(lower[:2], [])
        # the terms whose first word this word matches (the rest are tested in the text)
        pool = tuple(item for item in pool if _word_matches(item[0][0], lower, lemma))
        if len(self._forms) > FORM_CACHE_SIZE:
            self._forms.clear()
        entry = self._forms[word] = (lower, lemma, pool)
        return entry

    def _words(self, text: str):
        forms, form = self._forms, self._form
        spans, lemmas, pools = [], [], []
        for m in WORD.finditer(text):
            word = m.group()
            lower, lemma, pool = forms.get(word) or form(word)
            spans.append((m.start(), m.end(), lower))
            lemmas.append(lemma)
            pools.append(pool)
        return spans, lemmas, pools

    def candidates(self, text: str) -> list[tuple[int, int, object]]:
        """Every match, overlapping ones included: ``(first_word, n_words, label)``."""
        spans, lemmas, pools = self._words(text)
        found = []
        n = len(spans)
        for i, pool in enumerate(pools):
            for tests, label in pool:   # the first word matches (see _form)
                k = len(tests)
                if k == 1 or (i + k <= n and all(_word_matches(tests[j], spans[i + j][2], lemmas[i + j])
                                                 for j in range(1, k))):
                    found.append((i, k, label))
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


def _word_matches(test, lower: str, lemma: str) -> bool:
    if test[0] == "prefix":
        return lower.startswith(test[1])
    return lower == test[1] or lemma == test[2]


_MATCHERS: dict[tuple, TermMatcher] = {}


def cached_matcher(resource, language: str, use_lemmas: bool, entries) -> TermMatcher:
    """A matcher built once per resource content, language, lemma mode and entry function.

    ``resource`` is a :class:`toolkit.resources.Resource`; ``entries(table, language)`` turns its
    table into ``(term, label)`` pairs. The cache is keyed by the resource's SHA-256 (not its
    name), so a user's edited lexicon never meets a matcher compiled from another file.
    """
    cache_key = (resource.kind, resource.sha256, language, use_lemmas, entries.__module__, entries.__qualname__)
    if cache_key not in _MATCHERS:
        _MATCHERS[cache_key] = TermMatcher(entries(resource.table(), language), language, use_lemmas)
    return _MATCHERS[cache_key]
