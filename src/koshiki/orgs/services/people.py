"""Adding staff: a Django user, its Staff record and the 'join' personnel change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput

from ..models import Department, Organization, PersonnelChange, Staff
from ..permissions import require_manage_org

STAFF_FIELDS = ("organization", "department", "display_name", "title", "email", "language", "is_org_admin")


@transaction.atomic
def add_staff(
    *,
    actor: Any,
    organization: Organization,
    username: str,
    display_name: str,
    password: str | None = None,
    department: Department | None = None,
    title: str = "",
    email: str = "",
    language: str = "ja",
    is_org_admin: bool = False,
    joined_on: dt.date | None = None,
) -> Staff:
    require_manage_org(actor, organization)
    username = username.strip()
    if not username or not display_name.strip():
        raise InvalidInput(_("Enter a login name and the person's name."), field="username")
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise InvalidInput(_("The login name %(name)s is taken.") % {"name": username}, field="username")
    if department is not None and department.organization_id != organization.pk:
        raise InvalidInput(_("That department belongs to another organization."), field="department")
    if language not in ("ja", "en"):
        raise InvalidInput(_("Language must be Japanese or English."), field="language")
    user = user_model(username=username, email=email)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    staff = Staff.objects.create(
        user=user,
        organization=organization,
        department=department,
        display_name=display_name.strip(),
        title=title.strip(),
        email=email.strip(),
        language=language,
        is_org_admin=is_org_admin,
    )
    change = PersonnelChange.objects.create(
        organization=organization,
        staff=staff,
        kind=PersonnelChange.Kind.JOIN,
        effective_date=joined_on or timezone.localdate(),
        to_department=department,
        state=PersonnelChange.State.APPLIED,
        applied_at=timezone.now(),
    )
    log_action("orgs.staff.added", actor=actor, obj=staff, after=snapshot(staff, STAFF_FIELDS))
    log_action(
        "orgs.personnel.applied",
        actor=actor,
        obj=change,
        after=snapshot(change, ("staff", "kind", "effective_date", "to_department")),
    )
    return staff
