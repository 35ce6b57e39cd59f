"""Tests for toolkit.dates.parse_date: date spellings -> UTC timestamps (or None).

The spellings are INVENTED examples of the layouts the toolkit documents.
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.dates import parse_date


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


SPELLINGS = [
    # the aggregator layout: no zone, kept as written and labelled UTC
    ("2023-10-7 11:22", utc("2023-10-07 11:22")),
    ("  2023-10-7   11:22  ", utc("2023-10-07 11:22")),
    ("2023-10-07 11:22:33", utc("2023-10-07 11:22:33")),
    ("2023-10-07 11:22:33.123", utc("2023-10-07 11:22:33")),
    # ISO 8601 with an offset: converted to UTC
    ("2023-10-07T11:22:00+03:00", utc("2023-10-07 08:22")),
    ("2023-10-07T11:22:00+0300", utc("2023-10-07 08:22")),
    ("2023-10-07T11:22:00-05:00", utc("2023-10-07 16:22")),
    ("2023-10-07T01:30:00+04:00", utc("2023-10-06 21:30")),  # crosses midnight backwards
    ("2023-10-07T11:22:00Z", utc("2023-10-07 11:22")),
    ("2023-10-07 11:22 UTC", utc("2023-10-07 11:22")),
    ("2023-10-07 11:22 GMT", utc("2023-10-07 11:22")),
    # dates without a time are midnight
    ("2023-10-07", utc("2023-10-07")),
    ("2023/10/07", utc("2023-10-07")),
    ("07.10.2023", utc("2023-10-07")),
    ("7.10.2023", utc("2023-10-07")),
    ("07.10.2023 11:22", utc("2023-10-07 11:22")),
    ("7/10/2023", utc("2023-10-07")),  # day first
    ("29.02.2024", utc("2024-02-29")),  # leap day
    # worded
    ("7 октября 2023 г.", utc("2023-10-07")),
    ("7 октября 2023 года", utc("2023-10-07")),
    ("7 ОКТЯБРЯ 2023", utc("2023-10-07")),
    ("27 сентября 2020 года, 10:15", utc("2020-09-27 10:15")),
    ("19 вересня 2023", utc("2023-09-19")),
    ("19 вересня 2023 р.", utc("2023-09-19")),
    ("7 October 2023", utc("2023-10-07")),
    ("October 7, 2023", utc("2023-10-07")),
    ("Sept 19, 2023", utc("2023-09-19")),
    ("7 Oct 2023 11:22", utc("2023-10-07 11:22")),
    ("19 sentyabr 2023", utc("2023-09-19")),
    ("19 Eylül 2023", utc("2023-09-19")),
    ("19 սեպտեմբերի 2023", utc("2023-09-19")),
    # adversarial review (2026-12-08): German day-dot, Georgian, Spanish/Portuguese "de", Italian, Polish,
    # 12-hour clock, "Uhr", time first, CJK, weekday first, RFC 2822
    ("19. September 2023, 14:05 Uhr", utc("2023-09-19 14:05")),
    ("19. März 2023", utc("2023-03-19")),
    ("19 სექტემბერი 2023", utc("2023-09-19")),
    ("19 de septiembre de 2023", utc("2023-09-19")),
    ("19 de setembro de 2023", utc("2023-09-19")),
    ("19 settembre 2023", utc("2023-09-19")),
    ("19 września 2023", utc("2023-09-19")),
    ("Sep 19, 2023 2:05 PM", utc("2023-09-19 14:05")),
    ("Sep 19, 2023 12:05 AM", utc("2023-09-19 00:05")),
    ("12:05, 19.09.2023", utc("2023-09-19 12:05")),
    ("14:05 19 сентября 2023", utc("2023-09-19 14:05")),
    ("2023年9月19日", utc("2023-09-19")),
    ("2023년 9월 19일", utc("2023-09-19")),
    ("Вторник, 19 сентября 2023, 14:05", utc("2023-09-19 14:05")),
    ("Tue, 19 Sep 2023 14:05:00 +0300", utc("2023-09-19 11:05")),
]


@pytest.mark.parametrize("text,expected", SPELLINGS)
def test_spellings(text, expected):
    got = parse_date(text)
    assert got == expected
    assert str(got.tz) == "UTC"


@pytest.mark.parametrize("text", [
    "31.02.2023",           # no 31 February
    "29.02.2023",           # not a leap year
    "30 февраля 2024 г.",
    "2023-13-01",           # no month 13
    "32.01.2023",
    "2023-10-07 25:00",     # no hour 25
    "1800-01-01",           # outside 1900-2100
    "7 октября",            # no year
    "Карабах 2023",
    "not a date",
    "",
    "   ",
    "2023-10-07T11:22:00+25:00",  # no such UTC offset
    "2023-10-07T11:22:00-99:99",
    "Sep 19, 2023 13:05 PM",   # no 13 o'clock on a 12-hour clock
    "Baku, 2023",
])
def test_invalid_dates_are_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("value", [None, 12345, 3.5, ["2023-10-07"]])
def test_non_strings_are_none(value):
    assert parse_date(value) is None


def test_long_text_is_not_a_date():
    assert parse_date("2023-10-07 " + "x" * 100) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parse_date_never_raises_on_text(text):
    result = parse_date(text)
    assert result is None or (isinstance(result, pd.Timestamp) and str(result.tz) == "UTC")


# date-like strings: numbers in every field, any time and any offset, so the parser's own
# arithmetic (calendar, time of day, UTC offset) is exercised, not only its patterns
def _two(low: int, high: int):
    return st.integers(low, high).map(lambda n: f"{n:02d}")


# each field ranges a little past its valid values; the offset ranges over all two-digit hours
_date_like = st.builds(
    lambda y, mo, d, h, mi, zone: f"{y}-{mo}-{d}T{h}:{mi}{zone}",
    st.integers(1890, 2110), _two(0, 13), _two(0, 32), _two(0, 24), _two(0, 60),
    st.one_of(st.just(""), st.just("Z"),
              st.builds(lambda sign, hh, mm: f"{sign}{hh}:{mm}", st.sampled_from("+-"), _two(0, 99), _two(0, 99))),
)


@settings(max_examples=300, deadline=None)
@given(_date_like)
def test_parse_date_never_raises_on_date_like_text(text):
    result = parse_date(text)
    assert result is None or (isinstance(result, pd.Timestamp) and str(result.tz) == "UTC")


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=pd.Timestamp("1900-01-02").to_pydatetime(),
                    max_value=pd.Timestamp("2099-12-30").to_pydatetime()),
       st.integers(-14 * 60, 14 * 60).map(lambda m: m - m % 15))
def test_iso_round_trip(moment, offset_minutes):
    moment = moment.replace(microsecond=0)
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = f"{moment:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"
    expected = pd.Timestamp(moment) - pd.Timedelta(minutes=offset_minutes)
    assert parse_date(text) == expected.tz_localize("UTC")


@pytest.mark.parametrize("value", ["1500-01-01", "0001-01-01", "1899-12-31", "2101-01-01", "1066-10-14T09:00",
                                   -10_000_000_000_000, 99_999_999_999_999])
def test_to_timestamp_refuses_years_no_article_has(value):
    """pandas reads the year 1500 (and Unix times 300 years away), but the corpus' nanosecond
    column cannot hold it: one such row made the whole ingest fail before (issue found by a
    robustness sweep of the report)."""
    from toolkit.dates import to_timestamp

    assert to_timestamp(value) is None


def test_to_timestamp_keeps_the_edges_of_the_range():
    from toolkit.dates import to_timestamp

    assert to_timestamp("1900-01-01") == utc("1900-01-01")
    assert to_timestamp("2100-12-31T23:59") == utc("2100-12-31 23:59")
    assert to_timestamp("2023-10-07T11:22:00+03:00") == utc("2023-10-07 08:22")


def test_a_month_name_means_one_month_in_every_language():
    # review (2026-12-08): Polish "listopada" (November) is Croatian for October; such a name is left out
    from toolkit._data import read_table

    table = read_table("data/months.csv")
    assert (table.groupby(table["name"].str.lower())["month"].nunique() == 1).all()
    assert parse_date("19. listopada 2023") is None
