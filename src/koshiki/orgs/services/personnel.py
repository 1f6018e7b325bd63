"""異動: record a join, move or leave, and apply it on its effective date.

A change dated today or earlier applies at once; a later one is applied by the sweeper (orgs/jobs.py) on the
first pass of its day: no task is parked with a future run time (issue #12: every worker's claim walks
past parked rows).
Applying is a compare-and-set from 'scheduled' to 'applied', so a retried job or two
workers never apply it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput
from koshiki.core.statemachine import check_transition, compare_and_set

from ..models import Department, PersonnelChange, RoleAssignment, Staff
from ..permissions import require_manage_org
from ..signals import personnel_change_applied
from .personnel_effects import check_expected_effects, check_far_date
from .roles import end_role_unchecked

State = PersonnelChange.State
TRANSITIONS = {
    State.SCHEDULED: frozenset({State.APPLIED, State.CANCELLED}),
    State.APPLIED: frozenset(),
    State.CANCELLED: frozenset(),
}
CHANGE_FIELDS = ("staff", "kind", "effective_date", "from_department", "to_department", "note", "state")


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in State.choices}


@transaction.atomic
def record_personnel_change(
    *,
    actor: Any,
    staff: Staff,
    kind: str,
    effective_date: dt.date,
    to_department: Department | None = None,
    note: str = "",
    date_confirmed: bool = False,
    expected_effects: str | None = None,
    request_key: str = "",
) -> PersonnelChange:
    """Record a 異動; one dated today or earlier applies at once.

    ``date_confirmed``: a date more than FAR_DATE away is refused as a likely typo unless confirmed.
    ``expected_effects``: the digest of the preview the person confirmed; if applying now writes other
    effects (the data changed since), the whole change is refused and nothing is applied.
    ``request_key``: the confirmation form's one-time key; a second request with it returns the first change.
    """
    organization = staff.organization
    require_manage_org(actor, organization)
    if request_key:
        done = PersonnelChange.objects.filter(organization=organization, request_key=request_key).first()
        if done is not None:
            return done  # a double-click or a retried confirmation: recorded and applied once
    check_far_date(effective_date, confirmed=date_confirmed)
    if kind not in (PersonnelChange.Kind.MOVE, PersonnelChange.Kind.LEAVE):
        raise InvalidInput(_("Record a move or a leave here; new staff are added as staff."), field="kind")
    if staff.status != Staff.Status.ACTIVE:
        raise InvalidInput(_("%(name)s has already left.") % {"name": staff}, field="staff")
    if kind == PersonnelChange.Kind.MOVE:
        if to_department is None:
            raise InvalidInput(_("Choose the department the person moves to."), field="to_department")
        if to_department.organization_id != organization.pk:
            raise InvalidInput(_("That department belongs to another organization."), field="to_department")
        if to_department.pk == staff.department_id:
            raise InvalidInput(_("The person is already in that department."), field="to_department")
    else:
        to_department = None
    if PersonnelChange.objects.filter(staff=staff, state=State.SCHEDULED).exists():
        raise InvalidInput(
            _("A personnel change for %(name)s is already scheduled; cancel it first.") % {"name": staff},
            field="staff",
        )
    try:
        with transaction.atomic():
            change = PersonnelChange.objects.create(
                organization=organization,
                staff=staff,
                kind=kind,
                effective_date=effective_date,
                from_department=staff.department,
                to_department=to_department,
                note=note.strip(),
                request_key=request_key[:64],
            )
    except IntegrityError:
        if not request_key:
            raise
        # the same confirmation, sent twice at once: the other request recorded it
        return PersonnelChange.objects.get(organization=organization, request_key=request_key[:64])
    recorded = log_action(
        "orgs.personnel.recorded", actor=actor, obj=change, after=snapshot(change, CHANGE_FIELDS)
    )  # from here the chain head is ours until commit: every later entry is this change's
    if effective_date <= timezone.localdate():
        apply_personnel_change_unchecked(change, actor=actor)
        check_expected_effects(expected_effects, since=recorded.seq)
    # A later change is found from its row by the sweep "orgs.personnel_changes" when its day comes.
    return change


def _open_roles(staff: Staff, day: dt.date) -> Any:
    """Roles not ended by ``day``: confirmed or still waiting for confirmation, including ones that start
    after ``day`` (a past-dated 異動 must end a role granted since, or it is kept for ever)."""
    return RoleAssignment.objects.filter(
        staff=staff, state__in=(RoleAssignment.State.CONFIRMED, RoleAssignment.State.PENDING)
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


def _apply_effects(change: PersonnelChange, actor: Any) -> None:
    staff = Staff.objects.select_for_update(of=("self",), no_key=True).get(pk=change.staff_id)
    before = snapshot(staff, ("department", "status"))
    current_roles = _open_roles(staff, change.effective_date)
    if change.kind == PersonnelChange.Kind.LEAVE:
        staff.status = Staff.Status.LEFT
        staff.user.is_active = False
        staff.user.save(update_fields=["is_active"])
        ending = current_roles
    else:
        staff.department = change.to_department
        # Roles held for the old department end with the move; body-wide roles stay.
        ending = current_roles.filter(department__isnull=False).exclude(department=change.to_department)
    staff.save(update_fields=["department", "status"])
    for assignment in ending.order_by("pk"):
        end_role_unchecked(
            assignment, actor=actor, end_date=change.effective_date, reason=f"personnel:{change.pk}"
        )
    log_action(
        "orgs.staff.left" if change.kind == PersonnelChange.Kind.LEAVE else "orgs.staff.moved",
        actor=actor,
        obj=staff,
        before=before,
        after=snapshot(staff, ("department", "status")),
    )


@transaction.atomic
def apply_personnel_change_unchecked(change: PersonnelChange, *, actor: Any = None) -> PersonnelChange:
    """Take a scheduled change into effect: department, status, roles; then tell listeners.

    No permission check: record_personnel_change checked when the change was recorded, and the due-date job
    applies what was authorised then. Hence *_unchecked and not exported from koshiki.orgs.services.
    """
    check_transition(TRANSITIONS, change.state, State.APPLIED, labels=_labels())
    compare_and_set(change, "state", State.SCHEDULED, State.APPLIED, applied_at=timezone.now())
    _apply_effects(change, actor)
    log_action("orgs.personnel.applied", actor=actor, obj=change, after=snapshot(change, CHANGE_FIELDS))
    personnel_change_applied.send(sender=PersonnelChange, change=change, actor=actor)
    return change


@transaction.atomic
def cancel_personnel_change(*, actor: Any, change: PersonnelChange) -> PersonnelChange:
    require_manage_org(actor, change.organization)
    check_transition(TRANSITIONS, change.state, State.CANCELLED, labels=_labels())
    compare_and_set(change, "state", State.SCHEDULED, State.CANCELLED)
    log_action("orgs.personnel.cancelled", actor=actor, obj=change, after=snapshot(change, CHANGE_FIELDS))
    return change


def apply_due_personnel_changes(today: dt.date | None = None) -> int:
    """Apply every scheduled change whose date has come; each in its own transaction."""
    day = today or timezone.localdate()
    applied = 0
    due = PersonnelChange.objects.filter(state=State.SCHEDULED, effective_date__lte=day).order_by("pk")
    for change_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            change = PersonnelChange.objects.select_for_update(of=("self",), no_key=True).get(pk=change_id)
            if change.state != State.SCHEDULED:
                continue  # another worker got there first
            apply_personnel_change_unchecked(change)
            applied += 1
    return applied
