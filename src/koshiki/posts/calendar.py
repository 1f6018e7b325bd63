"""The calendar's month and week grids: pure date arithmetic, no request and no query (#13).

Why here: the view, the ICS feed and the tests need the same answer to "which days does this page show, and
on which day does this post fall" in the body's time zone (Asia/Tokyo: a post at 00:30 JST belongs to that
day, although it is the previous day in UTC). Weeks start on Monday, as Japanese office calendars do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")
View = Literal["month", "week"]
VIEWS: tuple[View, ...] = ("month", "week")
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass
class Day(Generic[T]):
    date: dt.date
    in_range: bool  # in the month shown (a month grid also shows the ends of the weeks around it)
    is_today: bool
    entries: list[T] = field(default_factory=list)


@dataclass
class Grid(Generic[T]):
    view: View
    anchor: dt.date
    first: dt.date  # the first day of the grid (a Monday)
    last: dt.date  # the last day of the grid (a Sunday)
    weeks: list[list[Day[T]]]
    previous: dt.date
    next: dt.date

    @property
    def days(self) -> list[Day[T]]:
        return [day for week in self.weeks for day in week]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def span(view: View, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (Monday … Sunday) the grid shows for ``anchor``."""
    if view == "week":
        first = monday_of(anchor)
        return first, first + dt.timedelta(days=6)
    start = _month_start(anchor)
    end = _add_months(start, 1) - dt.timedelta(days=1)
    return monday_of(start), monday_of(end) + dt.timedelta(days=6)


def bounds(view: View, anchor: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The grid's time range as aware datetimes: from 00:00 of its first day to 00:00 after its last, in
    ``tz`` (a query filters ``start <= t < end``)."""
    first, last = span(view, anchor)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


def build(
    view: View,
    anchor: dt.date,
    *,
    today: dt.date,
    entries: Iterable[T],
    when: Callable[[T], dt.datetime | None],
    tz: dt.tzinfo = TOKYO,
) -> Grid[T]:
    """The grid for ``anchor`` with each entry on the local day of ``when(entry)``, in the order given;
    entries outside the grid (or with no time) are left out."""
    first, last = span(view, anchor)
    by_day: dict[dt.date, list[T]] = defaultdict(list)
    for entry in entries:
        moment = when(entry)
        if moment is None:
            continue
        day = moment.astimezone(tz).date()
        if first <= day <= last:
            by_day[day].append(entry)
    month = (anchor.year, anchor.month)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    cells = [
        Day(
            date=d,
            in_range=view == "week" or (d.year, d.month) == month,
            is_today=d == today,
            entries=by_day.get(d, []),
        )
        for d in days
    ]
    if view == "week":
        previous, following = anchor - dt.timedelta(days=7), anchor + dt.timedelta(days=7)
    else:
        previous, following = _add_months(anchor, -1), _add_months(anchor, 1)
    return Grid(
        view=view,
        anchor=anchor,
        first=first,
        last=last,
        weeks=[cells[i : i + 7] for i in range(0, len(cells), 7)],
        previous=previous,
        next=following,
    )
