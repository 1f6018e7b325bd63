"""The one place that decides which organization's data a user sees.

Every list and lookup in views, API and jobs goes through ``scoped``; an outsider from
another body gets an empty queryset, never someone else's rows.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager
from django.utils.translation import gettext as _

from koshiki.core.errors import NotPermitted

from .models import Organization, Staff

M = TypeVar("M", bound=Model)


def staff_of(user: Any) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    staff = Staff.objects.select_related("organization", "department").filter(user=user).first()
    if staff is None or staff.status != Staff.Status.ACTIVE:
        return None
    return staff


def acting_staff(user: Any) -> Staff:
    """The actor's staff record, for the columns that name who did it; no record (a system administrator,
    a retired account) is a clear refusal rather than a database error half-way through a service."""
    staff = staff_of(user)
    if staff is None:
        raise NotPermitted(_("Only active staff of an organization can do this."))
    return staff


def organization_of(user: Any) -> Organization | None:
    staff = staff_of(user)
    return staff.organization if staff else None


def scoped(rows: QuerySet[M] | BaseManager[M], user: Any, *, path: str = "organization") -> QuerySet[M]:
    """Rows of the user's own organization; ``path`` leads from the model to Organization.
    ``rows`` may be ``Model.objects``: the answer is always a QuerySet."""
    queryset = rows.all()
    if getattr(user, "is_superuser", False):
        return queryset
    organization = organization_of(user)
    if organization is None:
        return queryset.none()
    if path == "self":
        return queryset.filter(pk=organization.pk)
    return queryset.filter(**{path: organization})
