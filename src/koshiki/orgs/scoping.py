"""The one place that decides which organization's data a user sees.

Every list and lookup in views, API and jobs goes through ``scoped``; an outsider from
another body gets an empty queryset, never someone else's rows.

Each model declares its own way to its Organization (issue #11): a class attribute
``scope_path = "account__organization"`` (``"pk"`` on Organization itself), or
``scope_unscoped = "<why>"`` for rows that are never read by organization (the audit chain,
a user's own sessions, job bookkeeping). ``scoped`` refuses a model that declares neither, and
refuses unscoped ones, so a new model cannot be listed in a view before someone decides.

``staff_of`` is resolved once per web request: ``StaffCacheMiddleware`` opens a per-request
cache, so the context processor, views, permissions and services share one lookup.
Outside a request (jobs, CLI, tests calling services) every call reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from koshiki.core.errors import NotPermitted

from .models import Organization, Staff

M = TypeVar("M", bound=Model)

_MISSING = object()
_staff_cache: ContextVar[dict[int, Staff | None] | None] = ContextVar("koshiki_staff_cache", default=None)


@contextmanager
def staff_cache() -> Iterator[None]:
    """Within this block a user's Staff row is looked up once (one web request)."""
    token = _staff_cache.set({})
    try:
        yield
    finally:
        _staff_cache.reset(token)


def staff_of(user: Any) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = _staff_cache.get()
    if cache is not None:
        hit = cache.get(user.pk, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
    staff = Staff.objects.select_related("organization", "department").filter(user=user).first()
    if staff is not None and staff.status != Staff.Status.ACTIVE:
        staff = None
    if cache is not None:
        cache[user.pk] = staff
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


def scope_path_of(model: type[Model]) -> str:
    """The model's declared path to Organization; refuses undeclared and unscoped models."""
    reason = getattr(model, "scope_unscoped", None)
    if reason:
        raise ImproperlyConfigured(f"{model.__name__} is not scoped by organization: {reason}")
    path = getattr(model, "scope_path", None)
    if not path:
        raise ImproperlyConfigured(
            f"{model.__name__} declares no scope: set scope_path (its way to Organization)"
            " or scope_unscoped (why none)"
        )
    return str(path)


def scoped(rows: QuerySet[M] | BaseManager[M], user: Any) -> QuerySet[M]:
    """Rows of the user's own organization, by the path the model declares.
    ``rows`` may be ``Model.objects``: the answer is always a QuerySet."""
    queryset = rows.all()
    scope_path_of(queryset.model)  # refuse undeclared and unscoped models, even for a superuser
    if getattr(user, "is_superuser", False):
        return queryset
    organization = organization_of(user)
    if organization is None:
        return queryset.none()
    return of_organization(queryset, organization)


def of_organization(queryset: QuerySet[M], organization: Organization) -> QuerySet[M]:
    """Rows of an organization already in hand (a form bound to a scoped
    object, a job), by the declared path."""
    return queryset.filter(**{scope_path_of(queryset.model): organization.pk})


class StaffCacheMiddleware:
    """Resolves the signed-in user's Staff once per request and exposes it as ``request.staff``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with staff_cache():
            request.staff = staff_of(getattr(request, "user", None))  # type: ignore[attr-defined]
            return self.get_response(request)
