"""Tell people something: the holders of a profile role (for an organization, or a department and the
departments above it), or named staff. Each recipient reads it in their own language.

``tell`` is for services: it queues the delivery by name (core/jobs.py) once the transaction commits, so a
rolled-back change tells nobody. ``send_now`` is for work already in the background (daily reminder sweeps
claim their day in core/jobs.run_once_per_period and deliver in the same run).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from koshiki.core import jobs

from . import messages

DELIVER = "notify.deliver"


def _roles(role: str | Sequence[str] | None) -> list[str]:
    if role is None:
        return []
    return [role] if isinstance(role, str) else list(dict.fromkeys(role))


def holders(organization: Any, role_id: str, department: Any = None) -> list[Any]:
    """Active current holders of ``role_id``; a department-scoped role counts for
    the department and those above."""
    from koshiki.orgs.models import RoleAssignment, Staff
    from koshiki.orgs.profiles import profile_for

    try:
        role = profile_for(organization).role(role_id)
    except KeyError:
        return []
    current = (
        RoleAssignment.objects.current()
        .filter(organization=organization, role_id=role_id, staff__status=Staff.Status.ACTIVE)
        .select_related("staff")
    )
    if role.scope == "department" and department is not None:
        current = current.filter(department_id__in=department.lineage_ids())
    return list(dict.fromkeys(a.staff for a in current))


def tell(
    *,
    message: str,
    context: Mapping[str, Any] | None = None,
    role: str | Sequence[str] | None = None,
    organization: Any = None,
    department: Any = None,
    staff: Iterable[Any] = (),
    link: str = "",
    event: str = "",
) -> None:
    """Queue the message for the holders of ``role`` (and any named
    ``staff``) once the transaction commits.

    ``event`` names what happened (e.g. ``post:12:rejected:r3``): each recipient hears of one event once,
    however often it is told or the job is retried. Without it, this call is its own event."""
    messages.get(message)  # a wrong key is a programming error: fail now, not in the worker
    roles = _roles(role)
    if roles and organization is None:
        raise ValueError("telling a role needs its organization")
    staff_ids = [s.pk for s in staff]
    if not roles and not staff_ids:
        return
    jobs.enqueue_after_commit(
        DELIVER,
        message,
        dict(context or {}),
        roles=roles,
        organization_id=organization.pk if organization is not None else None,
        department_id=department.pk if department is not None else None,
        staff_ids=staff_ids,
        link=link,
        event=event or f"tell:{uuid.uuid4().hex}",
    )


def _recipients(
    roles: list[str], organization_id: int | None, department_id: int | None, staff_ids: Iterable[int]
) -> list[Any]:
    from koshiki.orgs.models import Department, Organization, Staff

    people: dict[int, Any] = {}
    if roles and organization_id is not None:
        organization = Organization.objects.get(pk=organization_id)
        department = Department.objects.get(pk=department_id) if department_id is not None else None
        for role_id in roles:
            people.update({s.pk: s for s in holders(organization, role_id, department)})
    ids = [pk for pk in staff_ids if pk not in people]
    people.update({s.pk: s for s in Staff.objects.filter(pk__in=ids)})
    return list(people.values())


def _send(
    message: messages.Message, person: Any, context: Mapping[str, Any], link: str, cache: dict[Any, Any]
) -> int:
    if not person.email:
        return 0
    with translation.override(person.language or "ja"):
        rendered = message.render(person, context, cache)
    if rendered is None:
        return 0
    subject, body = rendered
    base = getattr(settings, "KOSHIKI_BASE_URL", "")
    if link and base:
        body = f"{body}\n\n{base.rstrip('/')}{link}"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


def _record(message: str, person: Any, context: Mapping[str, Any], link: str, event: str) -> Any:
    """The person's in-app notification of this event; None when an earlier run already e-mailed it."""
    from .models import Notification

    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=person, key=message, params=dict(context), link=link, event=event
            )
    except IntegrityError:
        return Notification.objects.filter(recipient=person, event=event, emailed_at__isnull=True).first()


def _tell_once(
    spec: messages.Message,
    person: Any,
    context: Mapping[str, Any],
    link: str,
    event: str,
    cache: dict[Any, Any],
) -> int:
    """List the event in the person's お知らせ and e-mail it, unless an earlier run already did."""
    from .models import Notification

    row = _record(spec.key, person, context, link, event)
    if row is None:
        return 0
    sent = _send(spec, person, context, link, cache)
    Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
    return sent


def deliver(
    message: str,
    context: Mapping[str, Any],
    *,
    roles: Sequence[str] = (),
    organization_id: int | None = None,
    department_id: int | None = None,
    staff_ids: Sequence[int] = (),
    link: str = "",
    event: str = "",
) -> int:
    """List it in each recipient's お知らせ and e-mail it, once per person and event (a person holding two
    of the roles gets one; a retried job sends nothing twice)."""
    spec = messages.get(message)
    cache: dict[Any, Any] = {}
    event = event or f"deliver:{uuid.uuid4().hex}"
    people = _recipients(list(roles), organization_id, department_id, staff_ids)
    return sum(_tell_once(spec, person, context, link, event, cache) for person in people)


def send_now(*, message: str, personal: Mapping[Any, Mapping[str, Any]], event: str, link: str = "") -> int:
    """Deliver now, each person with their own context (for background jobs that run once per period).
    ``event`` names the period (e.g. the day): each person finds it in their お知らせ, and a repeated run of
    the same period lists and e-mails nothing twice; returns the e-mails sent."""
    spec = messages.get(message)
    cache: dict[Any, Any] = {}
    return sum(_tell_once(spec, person, context, link, event, cache) for person, context in personal.items())
