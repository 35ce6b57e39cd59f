"""Language detection: an ISO 639-1 code for each article, from its title and text.

Uses lingua (offline statistical models shipped in the wheel), restricted to the languages
that news about the South Caucasus is written in (``detect`` column of ``toolkit/data/languages.csv``), with a
script-based fallback for short texts. Returns ``'und'`` when nothing can be told.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .languages import codes as language_codes

# Scripts used by a single candidate language settle the question without a model.
_SCRIPT_RANGES = [
    (r"\u0531-\u0587", "hy"),   # Armenian
    (r"\u10a0-\u10ff", "ka"),   # Georgian
    (r"\u3040-\u30ff", "ja"),   # kana
    (r"\u0590-\u05ff", "he"),   # Hebrew
]
_SCRIPT_LANGUAGE = [(re.compile(f"[{letters}]+"), code) for letters, code in _SCRIPT_RANGES]
# a character of any of those scripts: one scan that spares most texts the four
_ANY_SCRIPT_LANGUAGE = re.compile("[" + "".join(letters for letters, _ in _SCRIPT_RANGES) + "]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
#: characters of title + text that detection reads
SAMPLE_CHARS = 3000
#: letters of each of the two probes (the start and the end of the sample): when both probes
#: name the same language it is the answer, otherwise the whole sample decides (lingua's cost
#: grows with the length of the text; below 120 letters it switches to slower 1- to 5-gram models)
PROBE_LETTERS = 130
_HEAD_PROBE = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{PROBE_LETTERS}}}")


def _candidates_builder():
    """lingua's detector builder for the detection candidates (languages.csv, column ``detect``)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in language_codes(detect=True)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes)


@lru_cache(maxsize=1)
def _detector():
    return _candidates_builder().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language ``text`` is mostly written in, or ``'und'``.

    Reads the first :data:`SAMPLE_CHARS` characters. A script used by one candidate language
    only (Armenian, Georgian, kana, Hebrew) on over 30 % of the letters decides alone; otherwise
    lingua (Stahl 2024, character n-gram models) judges two probes of :data:`PROBE_LETTERS`
    letters, the start and the end of the sample, and when they disagree (an article that
    quotes another language at length) or the sample is short, the whole sample. A text whose
    letters are not those of the language lingua chose (:func:`writes_like`: a language outside
    the candidates, such as Tajik, Tatar, Turkmen or Swahili) is ``'und'``.

    Examples
    --------
    >>> detect_language("Азербайджан начал военное наступление в Карабахе.")
    'ru'
    >>> detect_language("Азербайджан розпочав військовий наступ у Карабасі.")
    'uk'
    >>> detect_language("12345")
    'und'
    """
    if not isinstance(text, str):
        return "und"
    sample = text[:SAMPLE_CHARS]
    letters = len(_NOT_LETTERS.sub("", sample))
    if letters < 3:
        return "und"
    for pattern, code in _SCRIPT_LANGUAGE if _ANY_SCRIPT_LANGUAGE.search(sample) else ():
        if pattern.search(sample) and len(sample) - len(pattern.sub("", sample)) > 0.3 * letters:
            return code
    if letters >= 3 * PROBE_LETTERS:
        head = _HEAD_PROBE.match(sample).group()
        found = _lingua(head)
        if found != "und" and found == _lingua(_HEAD_PROBE.match(sample[::-1]).group()[::-1]):
            return found if writes_like(sample, found) else "und"
    found = _lingua(sample)
    return found if writes_like(sample, found) else "und"


#: the lower-case code points of each script that :func:`writes_like` compares (others are ignored;
#: Latin with the IPA block for Azerbaijani ə, U+0259, and Vietnamese's extended block)
_SCRIPT_RANGES = {"cyrillic": ((0x400, 0x4ff),),
                  "latin": ((0x61, 0x7a), (0xdf, 0xf6), (0xf8, 0x2af), (0x1e00, 0x1eff))}
_SCRIPT_LETTERS = {script: re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges) + "]")
                   for script, ranges in _SCRIPT_RANGES.items()}
#: a text is not in the language when more than this share of its letters of the language's script
#: are letters the language does not write (and at least :data:`FOREIGN_MIN` of them)
FOREIGN_SHARE = 0.02
FOREIGN_MIN = 5
#: letters of the script a text needs before the language's expected letters must appear
EXPECTED_AFTER = 300


class Alphabet(NamedTuple):
    """A row of ``toolkit/data/alphabets.csv`` as :func:`writes_like` uses it."""
    script: re.Pattern           # a letter of the language's script
    letters: frozenset           # the letters the language writes
    foreign: re.Pattern          # a letter of the script the language does not write
    expected: re.Pattern | None  # a letter a running text in the language always has


@lru_cache(maxsize=1)
def _alphabets() -> dict[str, Alphabet]:
    import unicodedata

    from ._data import read_table

    found = {}
    for row in read_table("data/alphabets.csv").itertuples():
        letters = frozenset(row.alphabet)
        others = [chr(c) for low, high in _SCRIPT_RANGES[row.script] for c in range(low, high + 1)
                  if unicodedata.category(chr(c)).startswith("L") and chr(c) not in letters]
        found[row.code] = Alphabet(_SCRIPT_LETTERS[row.script], letters,
                                   re.compile("[" + "".join(map(re.escape, others)) + "]"),
                                   re.compile("[" + re.escape(row.expected) + "]") if row.expected else None)
    return found


def writes_like(text: str, code: str) -> bool:
    """Whether ``text``'s letters are those language ``code`` writes (``toolkit/data/alphabets.csv``):
    False when over :data:`FOREIGN_SHARE` of its letters of that script are letters the language
    does not write (Tajik ҷ ӯ ӣ ҳ in a text lingua calls Bulgarian, Tatar ә җ ң һ in one it calls
    Russian, Turkmen ň ý ž ä in one it calls Turkish), or when a text of :data:`EXPECTED_AFTER`
    letters lacks every letter the language always writes (Swahili without Albanian's ë, Uzbek
    without Azerbaijani's ə). lingua chooses among the candidates only, so a language outside them
    comes out as its nearest; this turns that into ``'und'``. True for a language without a row.

    >>> writes_like("Озарбойҷон рӯзи сешанбе дар Қарабоғи Кӯҳӣ амалиёти низомӣ оғоз кард.", "bg")
    False
    >>> writes_like("Азербайджан започна военна операция в Нагорни Карабах.", "bg")
    True
    """
    alphabet = _alphabets().get(code)
    if alphabet is None:
        return True
    lower = text.lower()
    foreign = len(alphabet.foreign.findall(lower))
    if foreign >= FOREIGN_MIN and foreign > FOREIGN_SHARE * len(alphabet.script.findall(lower)):
        return False
    return (alphabet.expected is None or alphabet.expected.search(lower) is not None
            or len(alphabet.script.findall(lower)) < EXPECTED_AFTER)


#: below this many letters lingua reads a text with all its n-gram models (1 to 5), not trigrams alone
LINGUA_SHORT = 120
#: candidates a short text is judged among (the first by trigrams alone)
SHORT_CANDIDATES = 5


def _lingua(text: str) -> str:
    """lingua's language of ``text``. A text of :data:`LINGUA_SHORT` letters or more is judged among
    every candidate, as before. A shorter one is judged in two steps: trigrams alone (lingua's low
    accuracy mode) name the :data:`SHORT_CANDIDATES` likeliest candidates, and lingua's full models
    judge among those. Judging a short text among all 45 candidates loaded every candidate's 1- to
    5-gram models: about 850 MB and 20 CPU seconds in every process that met one (19 short texts
    among 100,000 generated articles took both ingest workers over the 2 GB target). On the
    development corpus's texts cut to 30 / 60 / 120 characters the two steps find 151 / 162 / 160
    of 166 languages against 150 / 163 / 160, and 67 of its 67 titles as before (trigrams alone: 134 /
    149 / 156, 65 titles); with 3 candidates "Talks in Brussels postponed" was Dutch."""
    if len(text) >= 4 * LINGUA_SHORT or len(_NOT_LETTERS.sub("", text)) >= LINGUA_SHORT:
        found = _detector().detect_language_of(text)
    else:
        likeliest = [c.language for c in _trigram_detector().compute_language_confidence_values(text)
                     if c.value > 0][:SHORT_CANDIDATES]
        if len(likeliest) > 1:
            found = _detector_among(tuple(sorted(likeliest, key=lambda language: language.name))).detect_language_of(text)
        else:
            found = likeliest[0] if likeliest else None
    return found.iso_code_639_1.name.lower() if found is not None else "und"


@lru_cache(maxsize=1)
def _trigram_detector():
    return _candidates_builder().with_low_accuracy_mode().build()


@lru_cache(maxsize=64)
def _detector_among(languages: tuple):
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_languages(texts) -> list[str]:
    """Codes for many texts (see :func:`detect_language`)."""
    return [detect_language(t) for t in texts]
