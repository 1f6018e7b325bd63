"""What needs the signed-in user's attention. Each domain adds a provider; the dashboard lists them.

Providers take (user, staff) and yield Attention items; they must read through scoped
querysets only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core.four_eyes import default_rule
from koshiki.orgs.models import PersonnelChange, RoleAssignment, Staff
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped


@dataclass(frozen=True)
class Attention:
    title: str
    detail: str
    url: str
    due: dt.date | None = None
    clause: str = ""
    level: str = "info"  # info, warn, danger


Provider = Callable[[Any, Staff], Iterator[Attention]]
PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    PROVIDERS.append(func)
    return func


@provider
def upcoming_personnel_changes(user: Any, staff: Staff) -> Iterator[Attention]:
    if not can_manage_org(user, staff.organization):
        return
    horizon = timezone.localdate() + dt.timedelta(days=30)
    changes = scoped(PersonnelChange.objects, user).filter(
        state=PersonnelChange.State.SCHEDULED, effective_date__lte=horizon
    )
    for change in changes.select_related("staff", "to_department").order_by("effective_date"):
        yield Attention(
            title=_("Personnel change: %(name)s (%(kind)s)")
            % {"name": change.staff.display_name, "kind": change.get_kind_display()},
            detail=_("Takes effect on %(date)s.") % {"date": change.effective_date.isoformat()},
            url=reverse("staff-detail", args=[change.staff_id]),
            due=change.effective_date,
        )


@provider
def profile_version_drift(user: Any, staff: Staff) -> Iterator[Attention]:
    organization = staff.organization
    if not can_manage_org(user, organization):
        return
    profile = profile_for(organization)
    if profile.version != organization.profile_version:
        yield Attention(
            title=_("The guideline profile has a new version"),
            detail=_("Registered: %(old)s, now: %(new)s. Review what changed.")
            % {"old": organization.profile_version, "new": profile.version},
            url=reverse("guideline"),
            level="warn",
        )


def attention_for(user: Any, staff: Staff) -> list[Attention]:
    items = [item for func in PROVIDERS for item in func(user, staff)]
    return sorted(items, key=lambda a: (a.due or dt.date.max, a.title))


@provider
def self_granted_roles(user: Any, staff: Staff) -> Iterator[Attention]:
    """Roles other administrators granted to themselves, waiting for a second administrator (four-eyes)."""
    if not can_manage_org(user, staff.organization):
        return
    names = {role.id: role.name for role in profile_for(staff.organization).roles}
    pending = scoped(RoleAssignment.objects, user).filter(state=RoleAssignment.State.PENDING).exclude(staff=staff)
    for assignment in pending.select_related("staff"):
        yield Attention(
            title=_("A self-granted role is waiting for your confirmation: %(name)s (%(role)s)")
            % {"name": assignment.staff.display_name, "role": names.get(assignment.role_id, assignment.role_id)},
            detail=_("Granted on %(date)s; it takes effect once another administrator confirms it.")
            % {"date": assignment.start_date.isoformat()},
            url=reverse("staff-detail", args=[assignment.staff_id]),
            clause=default_rule(),
            level="warn",
        )
