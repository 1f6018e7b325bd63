"""What a profile says about posting, with the documented defaults applied (Django-free).

The seeds differ: いわき市 lists four after-the-fact cases (第5 1(4)①–④); 新城市 limits posting to
hours with three exceptions (4(1)); the others are silent. Where silent, Koshiki offers one default
exemption, an emergency notice, because every seed allows emergencies to go out without delay.
"""

from __future__ import annotations

import datetime as dt
import re

from .schema import Exemption, Profile

DEFAULT_EMERGENCY = Exemption(
    id="emergency",
    label="緊急告知（災害・気象・中止など）",
    label_en="Urgent notice (disaster, weather, cancellation)",
    silent=True,
    note="ガイドラインに定めがないため、緊急時の事後報告を既定で認める。",
)
DEFAULT_DAMAGE = Exemption(id="damage", label="被害への対応", label_en="Responding to damage", silent=True)
DEFAULT_CORRECTION = Exemption(id="correction", label="訂正", label_en="Correction", silent=True)


def _emergency(profile: Profile) -> Exemption:
    """The default urgent notice under the profile's id for it (posting.emergency_exemption)."""
    return DEFAULT_EMERGENCY.model_copy(update={"id": profile.posting.emergency_exemption})


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-~〜～]\s*(\d{1,2}):(\d{2})\s*$")


def after_the_fact(profile: Profile) -> list[Exemption]:
    """Kinds of post that go out at once and are reported to the approver afterwards."""
    if profile.posting.after_the_fact:
        return list(profile.posting.after_the_fact)
    emergency = profile.posting.emergency_exemption
    hours = [e for e in profile.posting.operating_hours.exceptions if e.id == emergency]
    return hours or [_emergency(profile)]


def self_publish_exemptions(profile: Profile) -> list[str]:
    """After-the-fact exemptions under which the author may publish alone (four-eyes exceptions)."""
    known = {e.id for e in after_the_fact(profile)}
    return [i for i in self_approval_exceptions(profile) if i in known]


def self_approval_exceptions(profile: Profile) -> list[str]:
    """The exemptions the profile names for an author alone, else the urgent
    notice (the documented default)."""
    named = profile.posting.self_approval.exceptions
    return list(named) if named is not None else [profile.posting.emergency_exemption]


def hours_exceptions(profile: Profile) -> list[Exemption]:
    """Kinds of post allowed outside operating hours (訂正, 被害, 緊急)."""
    hours = profile.posting.operating_hours
    if hours.exceptions:
        return list(hours.exceptions)
    correction = DEFAULT_CORRECTION.model_copy(update={"id": hours.correction_exception})
    return [correction, DEFAULT_DAMAGE, _emergency(profile)]


def parse_hours(text: str) -> tuple[dt.time, dt.time] | None:
    """'08:30-17:15' (also with 〜) → (start, end); anything else → None."""
    match = _HOURS.match(text or "")
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (0 <= h1 < 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60):
        return None
    start, end = dt.time(h1, m1), dt.time(min(h2, 23), m2 if h2 < 24 else 59)
    return (start, end) if start < end else None


def within(moment: dt.datetime, hours: tuple[dt.time, dt.time], weekdays_only: bool) -> bool:
    if weekdays_only and moment.weekday() >= 5:
        return False
    return hours[0] <= moment.time() <= hours[1]


def next_allowed(moment: dt.datetime, hours: tuple[dt.time, dt.time], weekdays_only: bool) -> dt.datetime:
    """The first moment at or after ``moment`` within hours (national holidays are not known here)."""
    if within(moment, hours, weekdays_only):
        return moment
    day = moment.date() if moment.time() < hours[0] else moment.date() + dt.timedelta(days=1)
    while weekdays_only and day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, hours[0], tzinfo=moment.tzinfo)
