"""The tests' clock (tests/conftest.py ``clock``): time-machine moves every reader of the time at once, so no
test monkeypatches a time function or sleeps for time to pass."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

JST = ZoneInfo("Asia/Tokyo")


def test_the_clock_starts_on_a_weekday_noon_in_japan(clock: Any) -> None:
    local = timezone.localtime(timezone.now(), JST)
    assert local.weekday() < 5 and dt.time(12, 0) <= local.time() < dt.time(12, 5)


def test_shifting_the_clock_moves_django_and_the_stdlib_together(clock: Any) -> None:
    before_django, before_epoch = timezone.now(), time.time()
    clock.shift(dt.timedelta(minutes=31))
    assert dt.timedelta(minutes=31) <= timezone.now() - before_django < dt.timedelta(minutes=32)
    assert 31 * 60 <= time.time() - before_epoch < 32 * 60
