"""Date reading: turn the date spellings found in scraped articles into UTC timestamps.

Reads one string, returns a ``pandas.Timestamp`` in UTC or ``None``. See the time-zone rule in
:mod:`toolkit.schema`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from ._data import read_table

#: a time after the date: 11:22, 11:22:33, 2:05 PM, 14:05 Uhr
_TIME = (r"(?:[T\s,]+(?:um\s+|at\s+|в\s+|о\s+|saat\s+)?(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)"
         r"(?::(?P<ss>[0-5]\d)(?:\.\d+)?)?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?(?:\s*Uhr|\s*h)?)?")
_ZONE = r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
#: a time before the date, as some sites write it: "12:05, 19.09.2023", "14:05 19 сентября 2023"
_TIME_FIRST = r"(?:(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)[,\s|/]+)"
_NUMERIC = [
    # 2023-10-7 11:22, 2023-10-07T11:22:00+03:00, 2023/10/07
    re.compile(rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}{_ZONE}$"),
    # 07.10.2023, 07.10.2023 11:22, 7/10/2023 (day first: the convention of the corpus' languages)
    re.compile(rf"^(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./](?P<y>\d{{4}}){_TIME}{_ZONE}$"),
    # 12:05, 19.09.2023
    re.compile(rf"^{_TIME_FIRST}(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./](?P<y>\d{{4}})$"),
    # 2023年9月19日 (Chinese, Japanese), 2023년 9월 19일 (Korean), with a time after
    re.compile(rf"^(?P<y>\d{{4}})\s*[年년]\s*(?P<m>\d{{1,2}})\s*[月월]\s*(?P<d>\d{{1,2}})\s*[日일]?{_TIME}$"),
]


def _fold(word: str) -> str:
    """Case-fold a month name the same way for the table and the text (Turkish/Azerbaijani İ, ı)."""
    word = unicodedata.normalize("NFKD", word.lower()).replace("\u0307", "")
    return unicodedata.normalize("NFC", word).replace("ı", "i")


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    table = read_table("data/months.csv")
    return {_fold(name): int(month) for name, month in zip(table["name"], table["month"])}


@lru_cache(maxsize=1)
def month_names() -> frozenset:
    """Every month name of ``toolkit/data/months.csv``, lower case (as written there)."""
    return frozenset(_month_names()) | frozenset(read_table("data/months.csv")["name"].str.lower())


@lru_cache(maxsize=1)
def _worded() -> list[re.Pattern]:
    table = read_table("data/months.csv")
    spellings = set(table["name"]) | set(_month_names())
    names = "|".join(re.escape(n) for n in sorted(spellings, key=len, reverse=True))
    suffix = r"(?:\s*(?:г\.?|года|год|р\.?|року|рік|il|ildə|yılı)?)"
    of = r"(?:\s+(?:de|del))?"   # Spanish and Portuguese "19 de septiembre de 2023"
    return [
        # 7 октября 2023 г., 19 вересня 2023, 7 October 2023, 7 окт. 2023 11:22, 19. März 2023 (German),
        # 19 de septiembre de 2023, 19 სექტემბერი 2023
        re.compile(rf"^(?P<d>\d{{1,2}})\.?{of}\s+(?P<mon>{names})\.?,?{of}\s+(?P<y>\d{{4}}){suffix}{_TIME}{_ZONE}$",
                   re.I),
        # October 7, 2023; Sep 19, 2023 2:05 PM
        re.compile(rf"^(?P<mon>{names})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TIME}{_ZONE}$", re.I),
        # 14:05 19 сентября 2023, 12:05, 19 September 2023
        re.compile(rf"^{_TIME_FIRST}(?P<d>\d{{1,2}})\.?{of}\s+(?P<mon>{names})\.?,?{of}\s+(?P<y>\d{{4}}){suffix}$",
                   re.I),
    ]


def parse_date(text: str) -> pd.Timestamp | None:
    """Read a date written in one of the layouts' spellings; ``None`` if it is not a date.

    Accepted: ``2023-10-7 11:22``, ISO 8601 with or without offset, ``07.10.2023``,
    ``7 октября 2023 г.``, ``19 вересня 2023``, ``October 7, 2023``, ``7 Oct 2023 11:22``,
    ``Sep 19, 2023 2:05 PM``, ``19. März 2023, 14:05 Uhr``, ``19 de septiembre de 2023``,
    ``12:05, 19.09.2023``, ``2023年9月19日``, each also after a weekday and a comma (``Tuesday, 19
    September 2023``); month names in ``toolkit/data/months.csv``.

    Examples
    --------
    >>> parse_date("2023-10-7 11:22")
    Timestamp('2023-10-07 11:22:00+0000', tz='UTC')
    >>> parse_date("2023-10-07T11:22:00+03:00")
    Timestamp('2023-10-07 08:22:00+0000', tz='UTC')
    >>> parse_date("7 октября 2023 г.")
    Timestamp('2023-10-07 00:00:00+0000', tz='UTC')
    >>> parse_date("не дата") is None
    True
    """
    if not isinstance(text, str):
        return None
    text = " ".join(text.strip().split())
    if not text or len(text) > 60:
        return None
    for pattern in _NUMERIC + _worded():
        match = pattern.match(text)
        if match:
            try:
                return _build(match)
            except (ValueError, KeyError, OverflowError):  # a date-like string that is no date
                return None
    weekday = _WEEKDAY.match(text)   # "Tuesday, 19 September 2023", "Вторник, 19 сентября 2023"
    return parse_date(weekday.group(1)) if weekday else None


#: a weekday (any word of 2-12 letters) and a comma before a date
_WEEKDAY = re.compile(r"^[^\W\d_]{2,12}\.?,\s+(\d.*)$")


def _build(match: re.Match) -> pd.Timestamp | None:
    parts = match.groupdict()
    month = int(parts["m"]) if parts.get("m") else _month_names().get(_fold(parts["mon"]))
    if month is None:
        return None
    hour = int(parts["hh"] or 0)
    ampm = (parts.get("ampm") or "").lower()[:1]
    if ampm:   # 12-hour clock: 12:05 AM is 00:05, 2:05 PM is 14:05; 13:05 PM is no time
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    try:
        stamp = pd.Timestamp(
            year=int(parts["y"]), month=month, day=int(parts["d"]),
            hour=hour, minute=int(parts["mi"] or 0), second=int(parts.get("ss") or 0),
        )
    except ValueError:  # 31 February and the like
        return None
    if not _plausible(stamp):
        return None
    zone = parts.get("tz")
    if zone and zone not in ("Z", "UTC", "GMT"):
        zone = zone if ":" in zone else zone[:3] + ":" + zone[3:]
        if int(zone[1:3]) > 14 or int(zone[4:6]) > 59:  # no real zone is further from UTC
            return None
        return stamp.tz_localize(zone).tz_convert("UTC")
    return stamp.tz_localize("UTC")


#: years a news article's date can have; a date outside is a typo or a placeholder (0001-01-01)
YEARS = (1900, 2100)


def _plausible(stamp: pd.Timestamp) -> bool:
    return YEARS[0] <= stamp.year <= YEARS[1]


def to_timestamp(value) -> pd.Timestamp | None:
    """A UTC timestamp from any date value a table or feed gives, or ``None``.

    Strings are read by :func:`parse_date` first, then by pandas; a number is a Unix time
    (seconds, or milliseconds when too large for seconds); naive times are labelled UTC. A year
    outside ``YEARS`` (1900-2100) is no article date: ``None``, as for text that is no date (and
    pandas could not even hold the year 1500 in the corpus' nanosecond column).

    Examples
    --------
    >>> str(to_timestamp("7 октября 2023 г."))
    '2023-10-07 00:00:00+00:00'
    >>> str(to_timestamp(1696677720))
    '2023-10-07 11:22:00+00:00'
    >>> to_timestamp("not a date") is None
    True
    >>> to_timestamp("1500-01-01") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        found = parse_date(value)
        if found is not None:
            return found
        value = value.strip()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = "ms" if abs(value) > 1e11 else "s"
        try:
            stamp = pd.Timestamp(value, unit=unit, tz="UTC")
        except (ValueError, OverflowError):
            return None
        return stamp if _plausible(stamp) else None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if stamp is pd.NaT or not _plausible(stamp):
        return None
    try:
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    except (ValueError, OverflowError):   # e.g. a datetime.date-like value pandas cannot place in UTC
        return None
