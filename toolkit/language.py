"""Language detection: an ISO 639-1 code for each article, from its title and text.

Uses lingua (offline statistical models shipped in the wheel), restricted to the languages
that news about the South Caucasus is written in (``detect`` column of ``toolkit/data/languages.csv``), with a
script-based fallback for short texts. Returns ``'und'`` when nothing can be told.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .languages import codes as language_codes

# Scripts used by a single candidate language settle the question without a model.
_SCRIPT_LANGUAGE = [
    (re.compile(r"[\u0531-\u0587]"), "hy"),   # Armenian
    (re.compile(r"[\u10a0-\u10ff]"), "ka"),   # Georgian
    (re.compile(r"[\u3040-\u30ff]"), "ja"),   # kana
    (re.compile(r"[\u0590-\u05ff]"), "he"),   # Hebrew
]
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in language_codes(detect=True)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language ``text`` is mostly written in, or ``'und'``.

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
    sample = text[:3000]
    letters = _LETTERS.findall(sample)
    if len(letters) < 3:
        return "und"
    for pattern, code in _SCRIPT_LANGUAGE:
        if len(pattern.findall(sample)) > 0.3 * len(letters):
            return code
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else "und"


def detect_languages(texts) -> list[str]:
    """Codes for many texts (see :func:`detect_language`)."""
    return [detect_language(t) for t in texts]
