"""Tests for handlers.when_parse: typed booking days and clock times."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.when_parse import parse_clock, parse_day

WED = date(2026, 11, 25)  # a Wednesday
FRI = date(2026, 11, 27)
DEC_20 = date(2026, 12, 20)  # a Sunday


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # relative days
        ("idag", WED, date(2026, 11, 25)),
        ("i dag", WED, date(2026, 11, 25)),
        ("Idag!", WED, date(2026, 11, 25)),
        ("today", WED, date(2026, 11, 25)),
        ("imorgon", WED, date(2026, 11, 26)),
        ("i morgon", WED, date(2026, 11, 26)),
        ("imorn", WED, date(2026, 11, 26)),
        ("IMORGON", WED, date(2026, 11, 26)),
        ("imorgom", WED, date(2026, 11, 26)),  # typo
        ("imorgon kl 10", WED, date(2026, 11, 26)),
        ("tomorrow", WED, date(2026, 11, 26)),
        ("tomorow", WED, date(2026, 11, 26)),
        ("tomorrow morning", WED, date(2026, 11, 26)),
        ("övermorgon", WED, date(2026, 11, 27)),
        ("i övermorgon", WED, date(2026, 11, 27)),
        ("overmorgon", WED, date(2026, 11, 27)),
        ("day after tomorrow", WED, date(2026, 11, 27)),
        ("imorgon", date(2026, 12, 31), date(2027, 1, 1)),
        # weekdays: the next occurrence strictly after today
        ("fredag", WED, date(2026, 11, 27)),
        ("på fredag", WED, date(2026, 11, 27)),
        ("Fredag", WED, date(2026, 11, 27)),
        ("fre", WED, date(2026, 11, 27)),
        ("fredga", WED, date(2026, 11, 27)),  # typo
        ("fredag morgon", WED, date(2026, 11, 27)),  # "morgon" is not a typo of imorgon
        ("friday", WED, date(2026, 11, 27)),
        ("on Friday", WED, date(2026, 11, 27)),
        ("fri", WED, date(2026, 11, 27)),
        ("onsdag", WED, date(2026, 12, 2)),  # today is Wednesday: a week ahead
        ("fredag", FRI, date(2026, 12, 4)),
        ("torsdag", WED, date(2026, 11, 26)),
        ("tisdag", WED, date(2026, 12, 1)),
        ("söndag", WED, date(2026, 11, 29)),
        ("lördag", WED, date(2026, 11, 28)),
        ("lordag", WED, date(2026, 11, 28)),
        ("mån", WED, date(2026, 11, 30)),
        ("man", WED, date(2026, 11, 30)),  # in Swedish, as the whole answer
        ("tors", WED, date(2026, 11, 26)),
        ("mon", WED, date(2026, 11, 30)),
        ("kan man komma på fredag", WED, date(2026, 11, 27)),  # "man" is "one" here
        ("jag är fri på fredag", WED, date(2026, 11, 27)),  # "fri" is "free" here
        # next week
        ("nästa måndag", WED, date(2026, 11, 30)),
        ("nästa fredag", WED, date(2026, 12, 4)),
        ("fredag nästa vecka", WED, date(2026, 12, 4)),
        ("next friday", WED, date(2026, 12, 4)),
        ("next monday", WED, date(2026, 11, 30)),
        ("next monday", date(2026, 11, 30), date(2026, 12, 7)),
        ("nästa onsdag", WED, date(2026, 12, 2)),
        ("nästa söndag", DEC_20, date(2026, 12, 27)),
        # dates
        ("1 december", WED, date(2026, 12, 1)),
        ("1 dec", WED, date(2026, 12, 1)),
        ("1:a december", WED, date(2026, 12, 1)),
        ("den 1 december", WED, date(2026, 12, 1)),
        ("den 1 december 2026", WED, date(2026, 12, 1)),
        ("1/12", WED, date(2026, 12, 1)),
        ("1/12/2026", WED, date(2026, 12, 1)),
        ("1/12/26", WED, date(2026, 12, 1)),
        ("2026-12-01", WED, date(2026, 12, 1)),
        ("Dec 1", WED, date(2026, 12, 1)),
        ("dec. 1", WED, date(2026, 12, 1)),
        ("December 1st", WED, date(2026, 12, 1)),
        ("1st of December", WED, date(2026, 12, 1)),
        ("1st December 2026", WED, date(2026, 12, 1)),
        ("decmber 1", WED, date(2026, 12, 1)),  # typo
        ("25 november", WED, date(2026, 11, 25)),  # today itself
        ("25/11", WED, date(2026, 11, 25)),
        ("3 januari", WED, date(2027, 1, 3)),  # next year, it is soon
        ("3/1", DEC_20, date(2027, 1, 3)),
        ("the 5th", WED, date(2026, 12, 5)),
        ("den 28:e", WED, date(2026, 11, 28)),
        ("den 24", WED, date(2026, 12, 24)),  # the 24th has passed this month
        ("fredag 4 december", WED, date(2026, 12, 4)),  # agrees
        ("fre 4/12 kl 10", WED, date(2026, 12, 4)),
        ("29 februari", date(2027, 12, 20), date(2028, 2, 29)),
        # past dates, nonsense, impossible or conflicting days
        ("20 november", WED, None),
        ("24/11", WED, None),
        ("2026-11-24", WED, None),
        ("24 november 2026", WED, None),
        ("1 december 2025", WED, None),
        ("31/2", WED, None),
        ("30 februari", WED, None),
        ("2026-13-01", WED, None),
        ("99/99", WED, None),
        ("0/12", WED, None),
        ("fredag 2 december", WED, None),  # 2 December is a Wednesday
        ("imorgon fredag", WED, None),  # tomorrow is Thursday
        ("1/12 eller 2/12", WED, None),
        ("banana", WED, None),
        ("", WED, None),
        ("hej", WED, None),
        ("mår bra", WED, None),
        ("nästa vecka", WED, None),
        ("10", WED, None),
        ("kl 10", WED, None),
        ("sometime", WED, None),
        ("😊", WED, None),
    ],
)
def test_parse_day(text: str, today: date, expected: date | None) -> None:
    assert parse_day(text, today, "sv") == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("man", "sv", date(2026, 11, 30)),
        ("man", "en", None),
        ("son", "sv", date(2026, 11, 29)),
        ("son", "en", None),
        ("sön", "en", date(2026, 11, 29)),
        ("friday", "sv", date(2026, 11, 27)),
        ("fredag", "en", date(2026, 11, 27)),
    ],
)
def test_parse_day_lang(text: str, lang: str, expected: date | None) -> None:
    assert parse_day(text, WED, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kl 10", time(10, 0)),
        ("Kl 10", time(10, 0)),
        ("kl. 10.30", time(10, 30)),
        ("kl.10.30", time(10, 30)),
        ("klockan 9", time(9, 0)),
        ("10:00", time(10, 0)),
        ("10.00", time(10, 0)),
        ("10", time(10, 0)),
        (" 10 ", time(10, 0)),
        ("10-tiden", time(10, 0)),
        ("14.15", time(14, 15)),
        ("14:15", time(14, 15)),
        ("0:30", time(0, 30)),
        ("07:30", time(7, 30)),  # a leading zero keeps the morning
        ("23:59", time(23, 59)),
        ("10am", time(10, 0)),
        ("10 am", time(10, 0)),
        ("10 a.m.", time(10, 0)),
        ("2 pm", time(14, 0)),
        ("2pm", time(14, 0)),
        ("2:30pm", time(14, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("10 fm", time(10, 0)),
        ("2 em", time(14, 0)),
        ("at 3", time(15, 0)),
        ("at 9", time(9, 0)),
        ("kl 2", time(14, 0)),  # 1-7 without am/pm: afternoon
        ("kl 7", time(19, 0)),
        ("kl 8", time(8, 0)),
        ("2 på eftermiddagen", time(14, 0)),
        ("9 på morgonen", time(9, 0)),
        ("at 9 in the evening", time(21, 0)),
        ("halv tio", time(9, 30)),
        ("halv 3", time(14, 30)),
        ("halv ett", time(12, 30)),
        ("kvart över tre", time(15, 15)),
        ("kvart i tre", time(14, 45)),
        ("kl tio", time(10, 0)),
        ("noon", time(12, 0)),
        ("@10", time(10, 0)),
        ("imorgon kl 10", time(10, 0)),
        ("1/12 kl 10", time(10, 0)),
        ("2026-12-01 10:00", time(10, 0)),
        ("Dec 1 at 10", time(10, 0)),
        ("kan komma vid 13.30", time(13, 30)),
        ("kl 10 eller kl 10.00", time(10, 0)),  # the same time twice
        # nonsense
        ("25:00", None),
        ("24:00", None),
        ("kl 99", None),
        ("10:75", None),
        ("13pm", None),
        ("0am", None),
        ("banana", None),
        ("", None),
        ("kl", None),
        ("fm", None),
        ("99", None),
        ("imorgon", None),
        ("1/12", None),
        ("2026-12-01", None),
        ("om 10 minuter kanske", None),  # a number that is not the whole answer
        ("kl 10 eller kl 14", None),  # two different times
        ("vid en tidpunkt", None),
    ],
)
def test_parse_clock(text: str, expected: time | None) -> None:
    assert parse_clock(text) == expected


@given(st.text(), st.dates(), st.sampled_from(["sv", "en", "", "ar"]))
def test_parse_day_never_raises(text: str, today: date, lang: str) -> None:
    result = parse_day(text, today, lang)
    assert result is None or result >= today


@given(st.text())
def test_parse_clock_never_raises(text: str) -> None:
    result = parse_clock(text)
    assert result is None or isinstance(result, time)


@given(st.from_regex(r"(kl |at |)?[0-9]{1,3}([:.][0-9]{1,3})?( ?(am|pm))?", fullmatch=True))
def test_parse_clock_on_clock_like_text(text: str) -> None:
    result = parse_clock(text)
    assert result is None or isinstance(result, time)


@given(
    st.from_regex(r"(den |on )?[0-9]{1,4}([/-][0-9]{1,4}){0,2}( (dec|maj|jan))?", fullmatch=True),
    st.dates(),
)
def test_parse_day_on_date_like_text(text: str, today: date) -> None:
    result = parse_day(text, today, "sv")
    assert result is None or result >= today
