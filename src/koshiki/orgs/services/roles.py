"""Giving and ending the profile's roles (アカウント管理者, 情報統括管理者 ...).

Four-eyes: a role an administrator grants to themselves is pending until a different administrator
confirms it (pending → confirmed / refused, compare-and-set); until then it gives no rights.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.core.four_eyes import default_rule
from koshiki.core.statemachine import check_transition, compare_and_set
from koshiki.guidelines import cite

from ..models import Department, RoleAssignment, Staff
from ..permissions import require_manage_org
from ..profiles import profile_for
from ..scoping import staff_of

ROLE_FIELDS = ("staff", "role_id", "department", "start_date", "end_date", "state")
S = RoleAssignment.State
TRANSITIONS: dict[str, frozenset[str]] = {S.PENDING: frozenset({S.CONFIRMED, S.REFUSED})}


@transaction.atomic
def assign_role(
    *,
    actor: Any,
    staff: Staff,
    role_id: str,
    department: Department | None = None,
    start_date: dt.date | None = None,
) -> RoleAssignment:
    organization = staff.organization
    require_manage_org(actor, organization)
    profile = profile_for(organization)
    try:
        role = profile.role(role_id)
    except KeyError:
        known = ", ".join(f"{r.name} ({r.id})" for r in profile.roles)
        raise InvalidInput(
            _("The guideline of %(org)s has no role “%(role)s”. Its roles are: %(known)s")
            % {"org": organization.name, "role": role_id, "known": known},
            field="role_id",
        ) from None
    if staff.status != Staff.Status.ACTIVE:
        raise InvalidInput(_("%(name)s has left and cannot hold a role.") % {"name": staff}, field="staff")
    if role.scope == "department":
        department = department or staff.department
        if department is None:
            raise InvalidInput(
                _("%(role)s is held per department: choose the department.") % {"role": role.name},
                field="department",
            )
        if department.organization_id != organization.pk:
            raise InvalidInput(_("That department belongs to another organization."), field="department")
    else:
        department = None
    start = start_date or timezone.localdate()
    overlapping = RoleAssignment.objects.current(start).filter(
        staff=staff, role_id=role_id, department=department
    )
    if overlapping.exists():
        raise InvalidInput(_("%(name)s already holds this role.") % {"name": staff}, field="role_id")
    granter = staff_of(actor)
    self_grant = granter is not None and granter.pk == staff.pk
    if (
        self_grant
        and RoleAssignment.objects.filter(
            staff=staff, role_id=role_id, department=department, state=S.PENDING
        ).exists()
    ):
        raise InvalidInput(
            _("This role is already waiting for a second administrator's confirmation."), field="role_id"
        )
    assignment = RoleAssignment.objects.create(
        organization=organization,
        staff=staff,
        role_id=role_id,
        department=department,
        start_date=start,
        state=S.PENDING if self_grant else S.CONFIRMED,
        granted_by=granter,
    )
    log_action(
        "orgs.role.self_grant_requested" if self_grant else "orgs.role.assigned",
        actor=actor,
        obj=assignment,
        after=snapshot(assignment, ROLE_FIELDS),
        clause=default_rule() if self_grant else cite(profile, role),
    )
    return assignment


@transaction.atomic
def decide_role(
    *, actor: Any, assignment: RoleAssignment, confirm: bool, comment: str = ""
) -> RoleAssignment:
    """A second administrator confirms (or refuses) a role someone granted to themselves."""
    require_manage_org(actor, assignment.organization)
    decider = staff_of(actor)
    if decider is not None and decider.pk in {assignment.staff_id, assignment.granted_by_id}:
        raise NotPermitted(
            _("You granted this role to yourself, so another administrator must confirm it (%(rule)s).")
            % {"rule": default_rule()}
        )
    if not confirm and not comment.strip():
        raise InvalidInput(_("Write the reason for the refusal."), field="comment")
    current = RoleAssignment.objects.select_for_update(of=("self",), no_key=True).get(pk=assignment.pk)
    target = S.CONFIRMED if confirm else S.REFUSED
    check_transition(TRANSITIONS, current.state, target, labels=dict(S.choices))
    also: dict[str, Any] = {
        "decided_by": decider,
        "decided_at": timezone.now(),
        "decision_comment": comment.strip()[:300],
    }
    if confirm:
        if (
            RoleAssignment.objects.current()
            .filter(
                # department_id=None filters IS NULL (Django turns an exact None into
                # isnull); the stubs want a value
                staff_id=current.staff_id,
                role_id=current.role_id,
                department_id=current.department_id,  # type: ignore[misc]
            )
            .exists()
        ):
            raise InvalidInput(
                _("%(name)s already holds this role.") % {"name": current.staff}, field="role_id"
            )
        also["start_date"] = max(current.start_date, timezone.localdate())  # takes effect once confirmed
    before = snapshot(current, ROLE_FIELDS)
    compare_and_set(current, "state", S.PENDING, target, **also)
    log_action(
        "orgs.role.confirmed" if confirm else "orgs.role.refused",
        actor=actor,
        obj=current,
        before=before,
        after={**snapshot(current, ROLE_FIELDS), "comment": comment.strip()},
        clause=default_rule(),
    )
    return current


def end_role_unchecked(
    assignment: RoleAssignment, *, actor: Any, end_date: dt.date, reason: str
) -> RoleAssignment:
    """End a role inside a caller's transaction that has done the checks (e.g. a 異動)."""
    if assignment.end_date is not None and assignment.end_date <= end_date:
        raise InvalidTransition(_("This role has already ended."))
    before = snapshot(assignment, ROLE_FIELDS)
    assignment.end_date = max(end_date, assignment.start_date)
    assignment.save(update_fields=["end_date"])
    log_action(
        "orgs.role.ended",
        actor=actor,
        obj=assignment,
        before=before,
        after={**snapshot(assignment, ROLE_FIELDS), "reason": reason},
    )
    return assignment


@transaction.atomic
def end_role(
    *, actor: Any, assignment: RoleAssignment, end_date: dt.date | None = None, reason: str = ""
) -> RoleAssignment:
    require_manage_org(actor, assignment.organization)
    locked = RoleAssignment.objects.select_for_update(of=("self",), no_key=True).get(pk=assignment.pk)
    return end_role_unchecked(locked, actor=actor, end_date=end_date or timezone.localdate(), reason=reason)
