"""The calendar's pure grid builder: Monday-first weeks, month boundaries, and days cut at 00:00 JST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from koshiki.posts import calendar as grid

JST = ZoneInfo("Asia/Tokyo")


def test_a_month_grid_runs_monday_to_sunday_over_the_whole_month() -> None:
    built = grid.build(
        "month", dt.date(2026, 12, 15), today=dt.date(2026, 12, 1), entries=[], when=lambda e: e
    )
    assert built.first == dt.date(2026, 11, 30) and built.first.weekday() == 0
    assert built.last == dt.date(2027, 1, 3) and built.last.weekday() == 6
    assert all(len(week) == 7 for week in built.weeks) and len(built.weeks) == 5
    in_month = [d.date for d in built.days if d.in_range]
    assert in_month[0] == dt.date(2026, 12, 1) and in_month[-1] == dt.date(2026, 12, 31)
    assert [d.date for d in built.days if d.is_today] == [dt.date(2026, 12, 1)]


def test_a_month_starting_on_monday_has_no_leading_days_and_february_is_handled() -> None:
    built = grid.build("month", dt.date(2027, 2, 10), today=dt.date(2027, 2, 1), entries=[], when=lambda e: e)
    assert built.first == dt.date(2027, 2, 1) and built.last == dt.date(2027, 2, 28)
    assert len(built.weeks) == 4


def test_previous_and_next_cross_the_year() -> None:
    built = grid.build("month", dt.date(2027, 1, 31), today=dt.date(2027, 1, 1), entries=[], when=lambda e: e)
    assert built.previous == dt.date(2026, 12, 1) and built.next == dt.date(2027, 2, 1)


def test_a_week_starts_on_monday_whatever_the_day_asked() -> None:
    sunday = dt.date(2026, 12, 6)
    built = grid.build("week", sunday, today=sunday, entries=[], when=lambda e: e)
    assert built.first == dt.date(2026, 11, 30) and built.last == sunday
    assert [d.date.weekday() for d in built.days] == list(range(7))
    assert built.previous == dt.date(2026, 11, 29) and built.next == dt.date(2026, 12, 13)


def test_a_post_at_0030_jst_is_on_that_day_although_utc_says_the_day_before() -> None:
    early = dt.datetime(2026, 12, 2, 0, 30, tzinfo=JST)  # 2026-12-01 15:30 UTC
    late = dt.datetime(2026, 12, 1, 23, 59, tzinfo=JST)
    as_utc = [early.astimezone(dt.UTC), late.astimezone(dt.UTC)]
    built = grid.build(
        "week", dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), entries=as_utc, when=lambda e: e
    )
    by_day = {d.date: d.entries for d in built.days}
    assert by_day[dt.date(2026, 12, 2)] == [as_utc[0]]
    assert by_day[dt.date(2026, 12, 1)] == [as_utc[1]]


def test_bounds_are_midnight_jst_and_entries_outside_the_grid_are_left_out() -> None:
    start, end = grid.bounds("week", dt.date(2026, 12, 1), JST)
    assert start == dt.datetime(2026, 11, 30, 0, 0, tzinfo=JST)
    assert end == dt.datetime(2026, 12, 7, 0, 0, tzinfo=JST)
    outside = end + dt.timedelta(minutes=1)
    built = grid.build(
        "week", dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), entries=[outside, None], when=lambda e: e
    )
    assert not any(d.entries for d in built.days)
