"""Cleaning stage: repair scraping damage in one article body and strip boilerplate.

Reads a raw body string, returns the cleaned body (paragraphs separated by one blank line).
Every repair only inserts whitespace, removes HTML markup a body was saved with, removes boilerplate listed in
``toolkit/data/boilerplate.csv``, or removes the page furniture scraped before the article's
title (:func:`strip_leading_furniture`); words of the article are never dropped.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy

from ._data import read_table

_UPPER = "A-ZА-ЯЁІЇЄҐÄÖÜÇŞĞİƏ"
_LOWER = "a-zа-яёіїєґäöüçşğıə"
_MONTHS_RE = None

# "наступление.Об этом" / "Politico.Издание" / "чиновник.\"Мы" / "интересы».Об": a sentence end
# glued to the next sentence. The left side must end in a lowercase letter (or closing quote/bracket)
# preceded by another lowercase letter, so that initials ("В.Путин"), decimals ("2.5"),
# abbreviations ("т.е.") and domains ("ru.tsn.ua", "Politico.eu": lowercase after the dot)
# are left alone.
_GLUED_SENTENCE = re.compile(
    rf"(?<=[{_LOWER}][{_LOWER}])([.!?…]+[»”)]?|[»”\"][.!?…]+)(?=[«\"„“]?[{_UPPER}])"
    # outlet names written like domains: Day.Az, News.Am, Vesti.Ru
    r"(?!(?:Az|Am|Ru|Ge|Ua|Kz|By|Com|Net|Org|Info|Media|News|Eu)\b)"
)
# "в 2023.Азербайджан", "заявили в МИД РФ.Президент": a number or an acronym ending a sentence,
# glued to a capitalised word (never a decimal, initial or domain: those have no Aa after the dot)
_GLUED_AFTER_NUMBER_OR_ACRONYM = re.compile(r"(?:(?<=\d)|(?<=[A-ZА-ЯЁІЇЄҐ]{2}))([.!?…])(?=[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ])")
_GLUED_AFTER_QUOTE = re.compile(rf"(?<=[{_LOWER}][.!?…])([»”])(?=[{_UPPER}])")
# what every glue above needs: a sentence end or closing quote/bracket directly followed by a
# capital (after an optional opening quote); a paragraph without it is left as it is, unscanned
_MAY_BE_GLUED = re.compile(rf"[.!?…»”)\"][«\"„“]?[{_UPPER}]")
_INLINE_MEDIA = re.compile(r"<image>.*?</image>|!\[[^\]]*\]\([^)]*\)", re.S)
# runs of spaces, tabs, no-break and thin spaces that are not already one plain space: each
# becomes one space (replacing every run, single spaces too, took a fifth of cleaning's time)
_SPACES_TO_FIX = re.compile(r"[\t\u00a0\u2009\u202f][ \t\u00a0\u2009\u202f]*| [ \t\u00a0\u2009\u202f]+")
# what every match of _glued_date_heading holds: a year and the first digit of a day, unbroken
_YEAR_AND_DAY = re.compile(r"(?:19[89]|20[0-3])\d\d")


def _months_pattern() -> str:
    global _MONTHS_RE
    if _MONTHS_RE is None:
        names = sorted(set(read_table("data/months.csv")["name"]), key=len, reverse=True)
        _MONTHS_RE = "|".join(re.escape(n) for n in names)
    return _MONTHS_RE


@lru_cache(maxsize=1)
def _glued_date_heading() -> re.Pattern:
    # "...в Карабахе 202319 сентября Азербайджан..." : a sub-heading ending in a year glued to a
    # dateline "19 сентября". Split after the year (1990-2039), before the day.
    return re.compile(
        rf"(?<!\d)((?:19[89]\d|20[0-3]\d))(?=(?:[0-2]?\d|3[01])\s+(?:{_months_pattern()})\b)",
        re.I,
    )


@lru_cache(maxsize=1)
def _boilerplate() -> list[tuple[re.Pattern, str, str | None]]:
    """The boilerplate patterns with their scope and a literal every match holds (case-folded by
    :func:`fold_case`: the file's ``needs``, else the pattern's :func:`required_start`; None when
    there is none to test for). A paragraph without it is not searched (patterns that start with
    ``\\S+`` cost a scan of every paragraph: four times the file's whole cost)."""
    table = read_table("data/boilerplate.csv")
    needs = table["needs"] if "needs" in table else [None] * len(table)
    return [(re.compile(p, re.I), s, fold_case(n) if isinstance(n, str) and n else required_start(p))
            for p, s, n in zip(table["pattern"], table["scope"], needs)]


def fold_case(text: str) -> str:
    """Case-folded text in which every pair of characters that ``re.IGNORECASE`` treats as equal
    reads the same (``str.casefold``, plus the Turkish dotted and dotless i, which re matches
    with i and I: a test checks this for every character of the boilerplate file)."""
    return text.replace("İ", "i").replace("ı", "i").casefold()


def required_start(pattern: str, min_chars: int = 4) -> str | None:
    """The literal characters every match of ``pattern`` starts with, folded; None when the
    pattern has a top-level alternative or starts with fewer than ``min_chars`` literal
    characters. A paragraph whose folded text lacks them cannot match (under ``re.I``).

    Examples
    --------
    >>> required_start(r"Read also\\s*:"), required_start("Follow us on (?:X|Telegram)"), required_start("a|b")
    ('read also', 'follow us on ', None)
    """
    depth, in_class, escaped = 0, False, False
    for char in pattern:  # a top-level "|" means no common start
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return None
    literal = re.match(r"[^\\\[\](){}?*+|^$.]*", pattern).group()
    if pattern[len(literal):len(literal) + 1] in ("?", "*", "{"):
        literal = literal[:-1]  # the last character is optional
    return fold_case(literal) if len(literal) >= min_chars else None


@lru_cache(maxsize=1)
def _ftfy_signatures() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Three patterns built from ftfy's own tables (so they follow its version):

    - characters one of the fixers :func:`normalize_text` runs would replace or remove (HTML
      entities start with ``&``; control characters; CR and Unicode line
      separators; C1 controls; lone surrogates; terminal escapes);
    - a quick superset of ftfy's mojibake heuristic (``ftfy.badness.BADNESS_RE``): every one of
      its sequences holds a character of the rare categories (accented Latin, box drawing,
      currency, C1, ``bad`` ...), two adjacent punctuation/numeric characters, or one between
      two of ``ВГРСΒΓΞΟ``;
    - the heuristic itself, with ``^`` at each line start (ftfy judges each line alone).
    """
    from ftfy import chardata
    from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES as cat

    replaced = set(chardata.CONTROL_CHARS) | set(map(ord, "&\r\x1b\u2028\u2029"))   # widths: _WIDTH_FORMS
    special = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(replaced)) + "\x80-\x9f\ud800-\udfff]")
    rare = "".join(cat[k] for k in ("c1", "bad", "law", "currency", "kaomoji", "upper_accented",
                                    "lower_accented", "box")) + "ŒœØÙ°√≈Ђ×²³µ"
    punctuation = cat["start_punctuation"] + cat["end_punctuation"] + cat["numeric"]
    quick = re.compile(f"[{rare}]|[{punctuation}][{punctuation}]|[ВГРСΒΓΞΟ][{punctuation}][ВГРСΒΓΞΟ]")
    return special, quick, re.compile(BADNESS_RE.pattern, re.VERBOSE | re.MULTILINE)


def _ftfy_may_change(text: str) -> bool:
    """False when ``ftfy.fix_text`` (as :func:`normalize_text` calls it) would return ``text``
    unchanged: NFC already, none of the characters its fixers touch, no mojibake sequence.
    Most articles pass, which spares ftfy's line-by-line work (two thirds of cleaning)."""
    special, quick, badness = _ftfy_signatures()
    if len(text) >= 1_000_000 or special.search(text) or not unicodedata.is_normalized("NFC", text):
        return True  # ftfy cuts such texts into segments of its own
    return bool(quick.search(text)) and _has_mojibake(text, badness)


def _has_mojibake(text: str, badness: re.Pattern) -> bool:
    """``bool(badness.search(text))``, searched only around the characters one of which every
    match holds (:func:`_mojibake_anchors`): a match of at most ``width`` characters holding
    the one at ``p`` lies within ``p - width + 1 .. p + width``. Texts in Azerbaijani or Turkish
    pass the quick test on their own letters; this spares them most of the heuristic's scan."""
    anchors, width = _mojibake_anchors()
    if anchors is None:
        return bool(badness.search(text))
    start = end = 0  # the window being gathered: [start, end)
    for anchor in anchors.finditer(text):
        low = max(anchor.start() - width + 1, 0)
        if low > end:  # a gap: the windows so far cannot hold a match that reaches past it
            if end > start and badness.search(text, start, end):
                return True
            start = low
        end = anchor.start() + width
    return end > start and badness.search(text, start, end) is not None


#: characters common in the corpus' languages (ASCII, whitespace, basic Cyrillic): the worst anchors
_COMMON = set(map(chr, range(0x80))) | set(map(chr, range(0x410, 0x450))) | set("Ёё\u00a0")


@lru_cache(maxsize=1)
def _mojibake_anchors() -> tuple[re.Pattern | None, int]:
    """Characters one of which every match of ftfy's mojibake heuristic holds, and the
    longest match's length: from each alternative of the parsed pattern, the single-character
    item with the fewest :data:`_COMMON` characters. ``(None, 0)`` when the pattern has
    something this cannot reason about (a lookaround, an end anchor, case-insensitivity, an
    alternative without such an item, unbounded length): then the whole text is searched."""
    from re import _constants as c, _parser

    badness = _ftfy_signatures()[2]
    allowed = {c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY, c.MAX_REPEAT, c.MIN_REPEAT, c.SUBPATTERN, c.BRANCH}

    def chars(op, av) -> set[str] | None:  # the characters a mandatory one-character item matches
        if op == c.LITERAL:
            return {chr(av)}
        if op != c.IN or any(o not in (c.LITERAL, c.RANGE) for o, _ in av):
            return None
        return {chr(x) for o, v in av for x in ([v] if o == c.LITERAL else range(v[0], v[1] + 1))}

    def plain(items) -> bool:
        for op, av in items:
            if op == c.AT and av in (c.AT_BEGINNING, c.AT_BEGINNING_LINE):
                continue
            if op not in allowed:
                return False
            inner = {c.MAX_REPEAT: lambda: [av[2]], c.MIN_REPEAT: lambda: [av[2]], c.SUBPATTERN: lambda: [av[3]],
                     c.BRANCH: lambda: av[1]}.get(op, list)()
            if not all(plain(sub) for sub in inner):
                return False
        return True

    tree = _parser.parse(badness.pattern, badness.flags)
    width = tree.getwidth()[1]
    branches = tree[0][1][1] if len(tree) == 1 and tree[0][0] == c.BRANCH else [tree]
    if badness.flags & re.IGNORECASE or width >= c.MAXREPEAT or not plain(tree):
        return None, 0
    anchors: set[str] = set()
    for alternative in branches:
        sets = [found for found in (chars(op, av) for op, av in alternative) if found]
        if not sets:
            return None, 0
        anchors |= min(sets, key=lambda found: (len(found & _COMMON), len(found)))
    return re.compile("[" + "".join(map(re.escape, sorted(anchors))) + "]"), width


#: runs of fullwidth Latin letters and digits and of halfwidth katakana (with halfwidth CJK
#: punctuation ｡｢｣､･), which East Asian texts use: folded by NFKC to their ordinary forms. Fullwidth
#: punctuation (！？，：（）) stays: sentences of Chinese and Japanese end at ！ and ？, not at "!" without a space
_WIDTH_FORMS = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff61-\uff9f]+")


#: invisible characters that only say how to break a line or lay out a direction, removed from
#: every text: soft hyphen, Mongolian vowel separator, zero-width space, left-to-right and
#: right-to-left marks, direction embeddings and isolates, word joiner, invisible operators,
#: byte-order mark. Web pages put them inside words (Хан\u00adкенди, Степа\u200bнакерт), where a
#: name is then neither found nor counted as one token. The zero-width non-joiner and joiner stay:
#: Persian and Indic spelling uses them (the naming matcher reads U+200C as a word break)
INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def normalize_text(text: str) -> str:
    """Repair encoding damage (mojibake, via ftfy), normalise Unicode (NFC) and line endings, remove
    the invisible layout characters of :data:`INVISIBLE`, and fold fullwidth letters and digits
    and halfwidth katakana (ＴＡＳＳ -> TASS, ｱﾙﾒﾆｱ -> アルメニア: else a name in them is neither
    found by the dictionaries nor counted as the same token).

    Examples
    --------
    >>> normalize_text("Ð¡Ð¨Ð\\x90\\r\\n")
    'США\\n'
    >>> normalize_text("ＴＡＳＳ：ｱﾙﾒﾆｱ首相")
    'TASS：アルメニア首相'
    >>> normalize_text("Хан\\u00adкенди и Степа\\u200bнакерт")
    'Ханкенди и Степанакерт'
    """
    if _ftfy_may_change(text):
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False,
                              fix_character_width=False)   # widths: _WIDTH_FORMS (keeps ！？)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
    if _WIDTH_FORMS.search(text):
        text = _WIDTH_FORMS.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)
    return unicodedata.normalize("NFC", text)


def clean_title(raw) -> str | None:
    """A title as one clean line, or None when nothing is left: the body's repairs
    (:func:`normalize_text`), inline media removed (``<image>data:image/gif;base64,...</image>``,
    Markdown images: one development-corpus title began with a 2 KB data URI), whitespace and
    line breaks collapsed, site furniture removed as from texts (:func:`strip_boilerplate`: "last
    updated (1 hour ago)"); a title without a word of two letters ("." or "R.", as scraped) is none.

    Examples
    --------
    >>> clean_title('<image>data:image/s3,"s3://crabby-images/fe9aa/fe9aa6d73ac3d3a2d5cf0f2573a2c8ff4bcf2ab1" alt=""</image> Красный Крест\\n передал  груз')
    'Красный Крест передал груз'
    >>> clean_title("Ð¡Ð¨Ð\\x90"), clean_title(" <image>x</image> "), clean_title(None), clean_title("R.")
    ('США', None, None, None)
    >>> clean_title("Последнее обновление (1 час назад) Фото из открытых источников.") is None   # furniture only
    True
    """
    if not isinstance(raw, str):
        return None
    title = " ".join(_INLINE_MEDIA.sub(" ", normalize_text(raw)).split())
    title = " ".join(strip_boilerplate(title)[0].split())   # furniture leaves its spaces behind
    # "." or "R." is no title (scraped so); the caller takes one from the text instead
    return title if re.search(r"[^\W\d_]{2}", title) else None


#: how far into a text the title may stand for what precedes it to be page furniture (characters)
FURNITURE_REACH = 600
# a sentence: eight words or more ending in a sentence end, perhaps followed by closing quotes or
# brackets (furniture is menus, rubrics, tags, dates: no sentence among them)
_SENTENCE = re.compile(r"(?:\S+\s+){7,}\S*[.!?…։。؟।۔][\"'»”’)\]]*\s*$")
# what may stand between furniture and the title on the title's line: a separator ("28.09.2023 | ")
_SEPARATOR_BEFORE_TITLE = re.compile(r"[|:/—–]\s*$")


def strip_leading_furniture(text: str, title: str | None) -> tuple[str, str | None]:
    """The text without the page furniture scraped before its title: when the article's title
    (as cleaned, at least three words) stands as a line of its own (or after a separator such as
    ``|``) within the first :data:`FURNITURE_REACH` characters, and no paragraph before it is a
    sentence (eight words or more ending in ``.!?``, closing quotes allowed, lines of a paragraph
    read together), what precedes it is menus, rubrics, tags, dates and captions ("Форма поиска по
    сайту", "UA / RU Підтримати ZN.ua", "Left Menu"), and goes. Returns ``(text, removed)``;
    ``removed`` is None when nothing was. On the development corpus, 24 of the 67 texts whose title
    was scraped carried such a head.

    Examples
    --------
    >>> strip_leading_furniture("Left Menu\\n\\nTalks resume in Brussels\\n\\nThe sides met.", "Talks resume in Brussels")
    ('Talks resume in Brussels\\n\\nThe sides met.', 'Left Menu')
    >>> head = "Talks resumed, said the minister in a long statement today.\\n\\n"
    >>> strip_leading_furniture(head + "Talks resume in Brussels", "Talks resume in Brussels")[1] is None
    True
    >>> lead = "Prime Minister Pashinyan meets Aliyev in Brussels on Monday, the EU said"   # the title inside a line
    >>> strip_leading_furniture(lead, "Pashinyan meets Aliyev in Brussels")[1] is None
    True
    """
    words = title.split() if title else []
    reach = FURNITURE_REACH + len(title or "") * 2 + 2
    # cheap exits first (ingest calls this once per article): no title, its first word not near the
    # start, or the text's first line is the title
    if len(words) < 3 or text.find(words[0], 0, reach) < 0 or (
            text.startswith(title) and text[len(title):len(title) + 1] in ("", "\n")):
        return text, None
    pattern = r"\s+".join(map(re.escape, words)) + r"[ \t]*(?:\n|$)"
    found = re.compile(pattern).search(text, 0, reach)
    if found is None or found.start() == 0 or found.start() > FURNITURE_REACH:
        return text, None
    head = text[:found.start()]
    line_start = head.rfind("\n") + 1
    if line_start < len(head) and not _SEPARATOR_BEFORE_TITLE.search(head[line_start:]):
        return text, None   # the title inside a line of text: a lead that repeats it, not furniture
    if any(_SENTENCE.search(" ".join(paragraph.split())) for paragraph in re.split(r"\n\s*\n", head)):
        return text, None
    return text[found.start():], " ".join(head.split()) or None


def split_glued_sentences(text: str) -> str:
    """Insert the missing space between sentences glued by scraping.

    Examples
    --------
    >>> split_glued_sentences("наступление.Об этом сообщает Politico.Издание пишет")
    'наступление. Об этом сообщает Politico. Издание пишет'
    >>> split_glued_sentences("в 2023.Азербайджан и МИД РФ.Президент")
    'в 2023. Азербайджан и МИД РФ. Президент'
    >>> split_glued_sentences('в регионе."Мы должны')
    'в регионе. "Мы должны'
    >>> split_glued_sentences("сайт ru.tsn.ua и Politico.eu, Day.Az, В.Путин, 2.5%")
    'сайт ru.tsn.ua и Politico.eu, Day.Az, В.Путин, 2.5%'
    """
    if not _MAY_BE_GLUED.search(text):
        return text
    text = _GLUED_SENTENCE.sub(r"\1 ", text)
    text = _GLUED_AFTER_NUMBER_OR_ACRONYM.sub(r"\1 ", text)
    return _GLUED_AFTER_QUOTE.sub(r"\1 ", text)


def split_glued_heading(paragraph: str) -> list[str]:
    """Split a paragraph where a sub-heading ending in a year is glued to a dateline.

    The heading (from the previous sentence end to the year) becomes its own paragraph.
    Returns the paragraph unchanged (as a one-item list) when no such glue is found.

    Examples
    --------
    >>> split_glued_heading("Он ушёл. Обострение в Карабахе 202319 сентября Азербайджан начал.")
    ['Он ушёл.', 'Обострение в Карабахе 2023', '19 сентября Азербайджан начал.']
    """
    match = _YEAR_AND_DAY.search(paragraph) and _glued_date_heading().search(paragraph)
    if not match:
        return [paragraph]
    before, after = paragraph[: match.end()], paragraph[match.end():]
    # the heading starts after the last sentence end before the year, if it is short
    ends = list(re.finditer(r"[.!?…][»\"”]?\s+", before))
    parts = [before]
    if ends and len(before) - ends[-1].end() <= 120:
        cut = ends[-1].end()
        parts = [before[:cut].rstrip(), before[cut:]]
    return [p.strip() for p in parts if p.strip()] + split_glued_heading(after.strip())


def strip_boilerplate(paragraph: str, precheck: bool = True) -> tuple[str, list[str]]:
    """Remove boilerplate from one paragraph; return the kept text and the removed pieces.

    ``precheck``: skip a pattern when the case-folded paragraph lacks its literal start (a
    cheap test that cannot change the result; False searches every pattern, the reference the
    tests compare the shortcut with).

    Examples
    --------
    >>> strip_boilerplate("Конец статьи.Читайте также: Другая новость")
    ('Конец статьи.', ['Читайте также: Другая новость'])
    """
    removed = []
    folded = fold_case(paragraph)
    for pattern, scope, start in _boilerplate():
        if precheck and start is not None and start not in folded:
            continue  # cheaper than the case-insensitive scan, which cannot match
        match = pattern.search(paragraph)
        if not match:
            continue
        if scope == "match":   # glued to the text around it ("Abone OlAzerbaycan ..."): only the words, each time
            removed.extend(m.group(0).strip() for m in pattern.finditer(paragraph))
            paragraph = _CUT.sub(_join_cut, pattern.sub("\x00", paragraph))
            folded = fold_case(paragraph)
            continue
        if scope == "line":
            start = paragraph.rfind("\n", 0, match.start()) + 1
            end = paragraph.find("\n", match.end())
            end = len(paragraph) if end < 0 else end
        else:
            start, end = match.start(), len(paragraph)
        removed.append(paragraph[start:end].strip())
        paragraph = paragraph[:start] + paragraph[end:]
        folded = fold_case(paragraph)
    return paragraph.strip(), removed


#: a place where scope "match" cut words out (marked \x00), with the spaces and tabs around it
_CUT = re.compile(r"[ \t]*\x00[\x00 \t]*")


def _join_cut(match: re.Match) -> str:
    """One space where words were cut from inside a line, nothing at a line's start or end: the
    rest of the paragraph's spacing is left as it was."""
    text, start, end = match.string, match.start(), match.end()
    at_edge = start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n"
    return "" if at_edge else " "


#: the elements article bodies are written in
_ELEMENTS = (r"(?:p|br|div|span|b|i|u|strong|em|a|ul|ol|li|h[1-6]|table|tr|td|th|tbody|thead|blockquote|img|"
             r"figure|figcaption|script|style|iframe|section|article|header|footer|nav|aside|noscript|sup|sub|"
             r"font|center|hr)")
#: an HTML tag of those elements, its attributes written as attributes (name, name="value"): "a<b и b>c"
#: and "<Lachin corridor>" are no tags
_HTML_TAG = re.compile(rf"</?{_ELEMENTS}(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>]+))?)*"
                       r"\s*/?>", re.I)
_CLOSING_TAG = re.compile(rf"</{_ELEMENTS}\s*>", re.I)


def _markup_tags(text: str) -> set[int]:
    """Where the HTML tags of ``text`` start when it is a body saved with its markup: two tags or
    more, one of them a closing tag (``</p>``, ``</a>``: prose has none); else none."""
    if "<" not in text or not _CLOSING_TAG.search(text):
        return set()
    tags = {m.start() for m in _HTML_TAG.finditer(text)}
    return tags if len(tags) >= 2 else set()


def _markup_text(text: str, tags: set[int]) -> str:
    """The text of a body saved with its markup (:func:`toolkit.readers.html_to_text`), ``tags``
    where its tags start, every line of it a paragraph as in a plain body; a ``<`` that starts no
    tag is text ("<info@news.am>"), and a script or style element that is never closed is text
    too, not the rest of the body."""
    from .readers import html_to_text

    for element in ("script", "style"):
        if not re.search(rf"</{element}\s*>", text, re.I):
            tags = tags - {m.start() for m in re.finditer(rf"<{element}\b", text, re.I)}
    escaped = re.sub("<", lambda m: "<" if m.start() in tags else "&lt;", text)
    return html_to_text(escaped.replace("\n", "\u2029"))


def clean_body(raw: str) -> tuple[str, list[str]]:
    """Clean one raw article body.

    Returns ``(text, notes)``: the cleaned text with paragraphs separated by a blank line, and
    short notes on what was repaired or removed (for the ingest report's ``warnings``).

    Examples
    --------
    >>> clean_body("Первое.Второе предложение.\\n\\nЧитайте также: ссылка")[0]
    'Первое. Второе предложение.'
    """
    notes = []
    text = _INLINE_MEDIA.sub(" ", normalize_text(raw))
    tags = _markup_tags(text)
    if tags:   # a body saved with its markup (database exports, CMS fields): its text, every line a paragraph
        text = _markup_text(text, tags)
        notes.append(f"HTML markup removed ({len(tags)} tags)")
    paragraphs = []
    for block in re.split(r"\n\s*\n|\n(?=\s*\S)", text):
        block = _SPACES_TO_FIX.sub(" ", block).strip()
        if not block:
            continue
        repaired = split_glued_sentences(block)
        if repaired != block:
            notes.append("glued sentences split")
        kept, removed = strip_boilerplate(repaired)
        if removed:
            notes.append("boilerplate removed: " + " | ".join(r[:60] for r in removed))
        pieces = split_glued_heading(kept) if kept else []
        if len(pieces) > 1:
            notes.append("sub-heading glued to a date split")
        paragraphs.extend(pieces)
    return "\n\n".join(paragraphs), notes
