"""Dashboard items of the organization: personnel changes coming up, a new profile version, and roles
other administrators granted to themselves (four-eyes). Registered in OrgsConfig.ready (core/attention.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core import attention
from koshiki.core.attention import Item, Viewer
from koshiki.core.four_eyes import default_rule

from .models import PersonnelChange, RoleAssignment
from .permissions import can_manage_org
from .profiles import profile_for
from .scoping import scoped

PERSONNEL_CHANGE = attention.kind(
    "orgs.personnel_change",
    role="org_admin",
    closes_when=gettext_lazy("The change is applied on its date (or cancelled)."),
)
PROFILE_DRIFT = attention.kind(
    "orgs.profile_drift",
    role="org_admin",
    closes_when=gettext_lazy("The organization adopts the profile's current version."),
)
SELF_GRANTED_ROLE = attention.kind(
    "orgs.self_granted_role",
    role="org_admin",
    closes_when=gettext_lazy("Another administrator confirms or refuses the role."),
)


@attention.provider
def upcoming_personnel_changes(viewer: Viewer) -> Iterator[Item]:
    if not can_manage_org(viewer.user, viewer.staff.organization):
        return
    horizon = viewer.today + dt.timedelta(days=30)
    changes = scoped(PersonnelChange.objects, viewer.user).filter(
        state=PersonnelChange.State.SCHEDULED, effective_date__lte=horizon
    )
    for change in changes.select_related("staff", "to_department").order_by("effective_date"):
        yield PERSONNEL_CHANGE.item(
            _("Personnel change: %(name)s (%(kind)s)")
            % {"name": change.staff.display_name, "kind": change.get_kind_display()},
            _("Takes effect on %(date)s.") % {"date": change.effective_date.isoformat()},
            reverse("staff-detail", args=[change.staff_id]),
            due=change.effective_date,
        )


@attention.provider
def profile_version_drift(viewer: Viewer) -> Iterator[Item]:
    organization = viewer.staff.organization
    if not can_manage_org(viewer.user, organization):
        return
    profile = profile_for(organization)
    if profile.version != organization.profile_version:
        yield PROFILE_DRIFT.item(
            _("The guideline profile has a new version"),
            _("Registered: %(old)s, now: %(new)s. Review what changed.")
            % {"old": organization.profile_version, "new": profile.version},
            reverse("guideline"),
            severity="warn",
        )


@attention.provider
def self_granted_roles(viewer: Viewer) -> Iterator[Item]:
    """Roles other administrators granted to themselves, waiting for a second administrator (four-eyes)."""
    staff = viewer.staff
    if not can_manage_org(viewer.user, staff.organization):
        return
    names = {role.id: role.name for role in profile_for(staff.organization).roles}
    pending = (
        scoped(RoleAssignment.objects, viewer.user)
        .filter(state=RoleAssignment.State.PENDING)
        .exclude(staff=staff)
    )
    for assignment in pending.select_related("staff"):
        yield SELF_GRANTED_ROLE.item(
            _("A self-granted role is waiting for your confirmation: %(name)s (%(role)s)")
            % {
                "name": assignment.staff.display_name,
                "role": names.get(assignment.role_id, assignment.role_id),
            },
            _("Granted on %(date)s; it takes effect once another administrator confirms it.")
            % {"date": assignment.start_date.isoformat()},
            reverse("staff-detail", args=[assignment.staff_id]),
            clause=default_rule(),
            severity="warn",
        )
