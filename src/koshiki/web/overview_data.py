"""The 広報主管課's overview of a whole body (issue #13): counts in SQL, a fixed number of queries.

Every figure is read from row state, scoped to one organization: accounts by state and by platform, each
account's health, posts per week (JST weeks), approval lead time and the open attention items. Medians and
the 90th percentile are computed in Python over one bounded query (the last 12 weeks of submitted/approved
audit entries): percentiles are not portable SQL between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.attention import Item
from koshiki.orgs.models import Organization
from koshiki.orgs.profiles import profile_for
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount, Platform
from koshiki.registry.services.policy import current_policies
from koshiki.security.status import organization_security

WEEKS = 12
RECENT_DAYS = 30
SUBMITTED, APPROVED = "posts.post.submitted", "posts.post.approved"
#: Past states an account no longer needs a health line for.
ENDED_STATES = frozenset({AccountState.CLOSED, AccountState.REJECTED})


@dataclass(frozen=True)
class Health:
    account: OfficialAccount
    policy_complete: bool
    rotation_due: dt.date | None
    rotation_overdue: bool
    two_step_on: bool | None  # None: not tracked in this state (requested)
    posts_30: int
    last_post: dt.datetime | None
    dormant: bool


@dataclass(frozen=True)
class LeadWeek:
    week: dt.date
    count: int
    median_hours: float | None
    p90_hours: float | None


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_start(moment: dt.datetime) -> dt.date:
    """The Monday of ``moment``'s week in Japan time."""
    day = moment.astimezone(_tz()).date()
    return day - dt.timedelta(days=day.weekday())


def weeks_ending(now: dt.datetime, count: int = WEEKS) -> list[dt.date]:
    last = week_start(now)
    return [last - dt.timedelta(weeks=count - 1 - i) for i in range(count)]


def _window_start(weeks: list[dt.date]) -> dt.datetime:
    return dt.datetime.combine(weeks[0], dt.time.min, tzinfo=_tz())


def accounts_by_state(organization: Organization) -> list[tuple[str, int]]:
    counts = dict(
        OfficialAccount.objects.filter(organization=organization)
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [(str(label), counts[value]) for value, label in AccountState.choices if counts.get(value)]


def accounts_by_platform(organization: Organization) -> list[tuple[str, int]]:
    counts = dict(
        OfficialAccount.objects.filter(organization=organization)
        .exclude(state__in=ENDED_STATES)
        .values("platform")
        .annotate(n=Count("id"))
        .values_list("platform", "n")
    )
    return [(str(label), counts[value]) for value, label in Platform.choices if counts.get(value)]


def dormant_after_days(organization: Organization) -> int:
    """The profile's closure.dormant_after_days; the schema default (180 days) when it is silent."""
    return profile_for(organization).closure.dormant_after_days


def account_health(organization: Organization, now: dt.datetime) -> list[Health]:
    """One line per account that is not closed or rejected: five queries whatever the number of accounts."""
    profile = profile_for(organization)
    published = Q(posts__state=PostState.PUBLISHED)
    accounts = list(
        OfficialAccount.objects.filter(organization=organization)
        .exclude(state__in=ENDED_STATES)
        .select_related("department")
        .annotate(
            posts_30=Count(
                "posts", filter=published & Q(posts__published_at__gte=now - dt.timedelta(days=RECENT_DAYS))
            ),
            last_published=Max("posts__published_at", filter=published),
        )
        .order_by("department__code", "account_name", "pk")
    )
    policies = current_policies(accounts)
    required = [item.id for item in profile.operating_policy.items]
    security = organization_security(organization, today=timezone.localdate(now))
    dormant_after = dt.timedelta(days=dormant_after_days(organization))
    lines = []
    for account in accounts:
        policy = policies.get(account.pk)
        texts = policy.items if policy else {}
        status = security.status_of(account.pk)
        last = account.last_published or account.last_post_at
        since = last or account.state_changed_at
        lines.append(
            Health(
                account=account,
                policy_complete=all(str(texts.get(i, "")).strip() for i in required),
                rotation_due=status.due_on if status else None,
                rotation_overdue=bool(status and status.overdue),
                two_step_on=(not status.two_step_missing) if status else None,
                posts_30=account.posts_30,
                last_post=last,
                dormant=account.state == AccountState.ACTIVE
                and since is not None
                and since < now - dormant_after,
            )
        )
    return lines


def posts_per_week(organization: Organization, now: dt.datetime) -> list[tuple[dt.date, int]]:
    """Published posts per JST week (Monday first), the last 12 weeks, empty weeks included."""
    weeks = weeks_ending(now)
    rows = (
        Post.objects.filter(
            organization=organization, state=PostState.PUBLISHED, published_at__gte=_window_start(weeks)
        )
        .annotate(week=TruncWeek("published_at", tzinfo=_tz()))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    counts: Counter[dt.date] = Counter()
    for week, n in rows:
        counts[week.date() if isinstance(week, dt.datetime) else week] += n
    return [(week, counts.get(week, 0)) for week in weeks]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the median is ``fraction=0.5``); ``values`` must not be empty."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def approval_lead_times(organization: Organization, now: dt.datetime) -> list[LeadWeek]:
    """Submitted → approved, in hours, by the JST week of the approval: from the audit trail (the post keeps
    no submission time), one query over the last 12 weeks plus 30 days for submissions approved later."""
    weeks = weeks_ending(now)
    start = _window_start(weeks)
    entries = (
        AuditEntry.objects.filter(
            organization_id=organization.pk,
            action__in=(SUBMITTED, APPROVED),
            created_at__gte=start - dt.timedelta(days=RECENT_DAYS),
        )
        .order_by("seq")
        .values_list("object_id", "action", "created_at")
    )
    submitted: dict[str, dt.datetime] = {}
    leads: dict[dt.date, list[float]] = defaultdict(list)
    for object_id, action, at in entries:
        if action == SUBMITTED:
            submitted[object_id] = at
        elif object_id in submitted and at >= start:
            leads[week_start(at)].append((at - submitted.pop(object_id)).total_seconds() / 3600)
    result = []
    for week in weeks:
        hours = leads.get(week, [])
        result.append(
            LeadWeek(
                week,
                len(hours),
                percentile(hours, 0.5) if hours else None,
                percentile(hours, 0.9) if hours else None,
            )
        )
    return result


@dataclass(frozen=True)
class ItemGroup:
    kind: str
    title: str  # the first item's title stands for the group
    link: str
    count: int
    overdue: int
    severity: str
    items: list[Item]


def attention_by_kind(items: list[Item], today: dt.date) -> list[ItemGroup]:
    """The viewer's open attention items grouped by kind, most first; how many are past their due date."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[item.kind].append(item)
    order = {"danger": 0, "warn": 1, "info": 2}
    result = [
        ItemGroup(
            kind,
            rows[0].title,
            rows[0].link,
            len(rows),
            sum(1 for r in rows if r.due is not None and r.due < today),
            min((r.severity for r in rows), key=lambda s: order.get(s, 3)),
            rows,
        )
        for kind, rows in groups.items()
    ]
    return sorted(result, key=lambda g: (order.get(g.severity, 3), -g.count, g.kind))


def summary(health: list[Health]) -> dict[str, Any]:
    return {
        "accounts": len(health),
        "policy_incomplete": sum(1 for h in health if not h.policy_complete),
        "rotation_overdue": sum(1 for h in health if h.rotation_overdue),
        "two_step_off": sum(1 for h in health if h.two_step_on is False),
        "dormant": sum(1 for h in health if h.dormant),
    }
