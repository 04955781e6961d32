"""Slot generation: wall-clock times across DST changes, holidays, notice, horizon, drop-in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.availability import (
    KindRules,
    candidate_slots,
    local_moment,
    slots_on,
    swedish_public_holidays,
    why_not_bookable,
)

ZONE = ZoneInfo("Europe/Stockholm")
WEEKDAYS_9_16 = {d: [(time(9), time(16))] for d in range(7)}  # every day, to test DST Sundays
HOURLY = KindRules(duration=timedelta(minutes=45), step=timedelta(hours=1))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(("day", "first_start_utc"), [
    (date(2026, 3, 28), utc(2026, 3, 28, 8)),   # the Saturday before: UTC+1
    (date(2026, 3, 29), utc(2026, 3, 29, 7)),   # the day clocks go forward: UTC+2
    (date(2026, 3, 30), utc(2026, 3, 30, 7)),
    (date(2026, 10, 24), utc(2026, 10, 24, 7)),  # the day before clocks go back: UTC+2
    (date(2026, 10, 25), utc(2026, 10, 25, 8)),  # the day they go back: UTC+1
    (date(2026, 10, 26), utc(2026, 10, 26, 8)),
])
def test_opening_at_nine_stays_nine_local_across_the_daylight_saving_changes(day, first_start_utc):
    slots = slots_on(day, HOURLY, WEEKDAYS_9_16, ZONE)
    assert slots[0].start == first_start_utc
    assert [s.local(ZONE).strftime("%H:%M") for s in slots] == [
        "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]
    assert all(s.end - s.start == timedelta(minutes=45) for s in slots)


def test_a_time_skipped_by_the_spring_change_is_never_offered():
    night = {6: [(time(1), time(4))]}
    slots = slots_on(date(2026, 3, 29), KindRules(duration=timedelta(minutes=30),
                                                  step=timedelta(minutes=30)), night, ZONE)
    local_times = [s.local(ZONE).strftime("%H:%M") for s in slots]
    assert "02:00" not in local_times and "02:30" not in local_times
    assert local_times == ["01:00", "01:30", "03:00", "03:30"]


def test_a_time_repeated_by_the_autumn_change_is_offered_once():
    night = {6: [(time(1), time(4))]}
    slots = slots_on(date(2026, 10, 25), KindRules(duration=timedelta(minutes=30),
                                                   step=timedelta(minutes=30)), night, ZONE)
    local_times = [s.local(ZONE).strftime("%H:%M") for s in slots]
    assert local_times.count("02:00") == 1 and local_times.count("02:30") == 1
    assert len({s.start for s in slots}) == len(slots)


def test_local_moment_is_none_for_a_time_that_does_not_exist():
    assert local_moment(date(2026, 3, 29), time(2, 30), ZONE) is None
    assert local_moment(date(2026, 10, 25), time(2, 30), ZONE) == utc(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 1, 1), "Nyårsdagen"), (date(2026, 1, 6), "Trettondedag jul"),
    (date(2026, 4, 3), "Långfredagen"), (date(2026, 4, 6), "Annandag påsk"),
    (date(2026, 5, 1), "Första maj"), (date(2026, 5, 14), "Kristi himmelsfärds dag"),
    (date(2026, 6, 6), "Sveriges nationaldag"), (date(2026, 6, 19), "Midsommarafton"),
    (date(2026, 10, 31), "Alla helgons dag"), (date(2026, 12, 24), "Julafton"),
    (date(2026, 12, 25), "Juldagen"), (date(2026, 12, 26), "Annandag jul"),
    (date(2027, 3, 26), "Långfredagen"), (date(2027, 6, 25), "Midsommarafton"),
])
def test_swedish_public_holidays(day, name):
    assert swedish_public_holidays(day.year)[day] == name


def test_public_holidays_and_closures_offer_nothing():
    now = datetime(2026, 12, 21, 8, tzinfo=ZONE)
    slots = candidate_slots(HOURLY, WEEKDAYS_9_16, {date(2026, 12, 28)}, now, ZONE)
    days = {s.local(ZONE).date() for s in slots}
    assert date(2026, 12, 24) not in days and date(2026, 12, 25) not in days
    assert date(2026, 12, 28) not in days
    assert date(2026, 12, 23) in days


def test_minimum_notice_and_horizon_bound_the_slots():
    now = datetime(2026, 11, 30, 9, 30, tzinfo=ZONE)
    rules = KindRules(duration=timedelta(minutes=45), step=timedelta(hours=1),
                      min_notice=timedelta(hours=2), horizon_days=7)
    slots = candidate_slots(rules, WEEKDAYS_9_16, set(), now, ZONE)
    assert slots[0].local(ZONE) == datetime(2026, 11, 30, 12, tzinfo=ZONE)
    assert slots[-1].local(ZONE).date() == date(2026, 12, 7)


def test_a_drop_in_is_one_window_per_day():
    rules = KindRules(drop_in=True, hours={1: [(time(13), time(15))], 3: [(time(13), time(15))]})
    now = datetime(2026, 11, 30, 8, tzinfo=ZONE)
    slots = candidate_slots(rules, WEEKDAYS_9_16, set(), now, ZONE)
    assert [s.local(ZONE).strftime("%a %H:%M") for s in slots[:2]] == ["Tue 13:00", "Thu 13:00"]
    assert slots[0].end - slots[0].start == timedelta(hours=2)


@pytest.mark.parametrize(("day", "reason"), [
    (date(2026, 11, 27), "past"),
    (date(2026, 12, 25), "closed"),
    (date(2026, 12, 5), "closed"),  # a Saturday, no hours
    (date(2027, 3, 1), "too-far"),
    (date(2026, 11, 30), "full"),  # today, after the last time with notice
    (date(2026, 12, 1), None),
])
def test_why_a_day_has_no_time(day, reason):
    weekdays = {d: [(time(9), time(16))] for d in range(5)}
    now = datetime(2026, 11, 30, 15, tzinfo=ZONE)
    assert why_not_bookable(day, HOURLY, weekdays, set(), now, ZONE) == reason


@pytest.mark.parametrize(("day", "reason"), [
    (date(2026, 12, 2), "not-held"),  # a Wednesday: the unit is open, the kind is not held
    (date(2026, 12, 5), "closed"),  # a Saturday: the unit is closed too
    (date(2026, 12, 25), "closed"),  # Christmas falls on the kind's Friday: a public holiday
    (date(2026, 12, 1), None),
])
def test_a_kind_with_its_own_days_is_not_held_on_the_others(day, reason):
    """Found by a new user: "Vi har stängt den dagen" for drop-in on a Wednesday."""
    weekdays = {d: [(time(9), time(16))] for d in range(5)}
    drop_in = KindRules(drop_in=True, hours={1: [(time(13), time(15))], 4: [(time(13), time(15))]})
    now = datetime(2026, 11, 30, 8, tzinfo=ZONE)
    assert why_not_bookable(day, drop_in, weekdays, set(), now, ZONE) == reason
