"""Posting rules of an organization's profile, with citations; and the operating-hours test for an account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from koshiki.core.four_eyes import default_rule
from koshiki.guidelines import Profile, cite
from koshiki.guidelines.posting import (
    after_the_fact,
    hours_exceptions,
    next_allowed,
    parse_hours,
    self_publish_exemptions,
    within,
)
from koshiki.guidelines.schema import ApprovalStep, Exemption
from koshiki.guidelines.workflows import post_steps
from koshiki.registry.models import OfficialAccount

CHECK_PLATFORMS = {
    "x": "x",
    "bluesky": "bluesky",
    "instagram": "instagram",
    "facebook": "facebook",
    "line": "line",
    "threads": "threads",
}


def check_platform(account: OfficialAccount) -> str:
    return CHECK_PLATFORMS.get(account.platform, "x")


@dataclass(frozen=True)
class PostingRules:
    steps: list[ApprovalStep]
    approval_citation: str
    standing_allowed: bool
    standing_citation: str
    exemptions: list[Exemption]
    hours_exceptions: list[Exemption]
    hours_restricted: bool
    hours_citation: str
    weekdays_only: bool
    default_hours: str
    correction_citation: str
    emergency_exemption: str  # posting.emergency_exemption: the urgent notice, also allowed outside hours
    correction_exception: str  # operating_hours.correction_exception: what a correction claims by itself
    exemption_report_days: int  # posting.after_report.exemption_due_days
    standing_report_days: int  # posting.after_report.standing_due_days
    self_publish: tuple[str, ...] = ()
    four_eyes_citation: str = ""
    reapprove_on_reschedule: bool = True  # posting.approval.reapprove_on_reschedule (#13)

    def exemption(self, exemption_id: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.id == exemption_id), None)

    def hours_exception(self, exception_id: str) -> Exemption | None:
        return next((e for e in self.hours_exceptions if e.id == exception_id), None)


def posting_rules(profile: Profile) -> PostingRules:
    posting = profile.posting
    hours = posting.operating_hours
    correction = profile.content.corrections
    return PostingRules(
        steps=post_steps(profile),
        approval_citation=cite(profile, posting.approval),
        standing_allowed=posting.standing_approvals.required,
        standing_citation=cite(profile, posting.standing_approvals),
        exemptions=after_the_fact(profile),
        hours_exceptions=hours_exceptions(profile),
        hours_restricted=hours.restricted,
        hours_citation=cite(profile, hours),
        weekdays_only=hours.weekdays_only,
        default_hours=hours.default_hours,
        correction_citation=cite(profile, correction),
        self_publish=tuple(self_publish_exemptions(profile)),
        four_eyes_citation=four_eyes_citation(profile),
        emergency_exemption=posting.emergency_exemption,
        correction_exception=hours.correction_exception,
        exemption_report_days=posting.after_report.exemption_due_days,
        standing_report_days=posting.after_report.standing_due_days,
        reapprove_on_reschedule=posting.approval.reapprove_on_reschedule,
    )


def four_eyes_citation(profile: Profile) -> str:
    """The profile's clause for separation of duties, else Koshiki's documented
    default (the guideline is silent)."""
    rule = profile.posting.self_approval
    return cite(profile, rule) or default_rule()


def account_hours(account: OfficialAccount, rules: PostingRules) -> tuple[dt.time, dt.time] | None:
    """The account's operating hours: its policy's, else the profile's default when
    the profile restricts posting."""
    own = parse_hours(account.operating_hours)
    if own is not None:
        return own
    return parse_hours(rules.default_hours) if rules.hours_restricted else None


def outside_hours(account: OfficialAccount, rules: PostingRules, moment: dt.datetime) -> dt.datetime | None:
    """None when ``moment`` is allowed; else the next allowed moment (the schedule suggestion)."""
    hours = account_hours(account, rules)
    if hours is None:
        return None
    local = timezone.localtime(moment)
    weekdays_only = (
        rules.weekdays_only and rules.hours_restricted
    )  # 新城市: 勤務時間内; else the policy's hours, every day
    if within(local, hours, weekdays_only):
        return None
    return next_allowed(local, hours, weekdays_only)
