"""Helpers every view uses: the signed-in staff, scoped lookups, service errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from koshiki.core.errors import ServiceError
from koshiki.orgs.models import Staff
from koshiki.orgs.scoping import scoped, staff_of

M = TypeVar("M", bound=Model)


def current_staff(request: HttpRequest) -> Staff | None:
    """The signed-in staff, resolved once per request (orgs.scoping.StaffCacheMiddleware)."""
    if hasattr(request, "staff"):
        return request.staff  # type: ignore[no-any-return]
    return staff_of(getattr(request, "user", None))


def require_staff(request: HttpRequest) -> Staff:
    staff = current_staff(request)
    if staff is None:
        raise Http404
    return staff


def get_scoped(queryset: QuerySet[M], user: Any, pk: int) -> M:
    """One row of the user's own organization (by the model's scope_path), or
    404 (never 'exists elsewhere')."""
    obj = scoped(queryset, user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def report_error(request: HttpRequest, error: ServiceError, form: Any = None) -> None:
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


def attempt(request: HttpRequest, action: Callable[[], object], success: str = "", form: Any = None) -> bool:
    """Run one service call for a view; a refusal is shown (on the form's field when it names one)."""
    try:
        action()
    except ServiceError as error:
        report_error(request, error, form)
        return False
    if success:
        messages.success(request, success)
    return True


def submit_form(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], object],
    success: str,
    done: str,
    again: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A POSTed form: valid and accepted → the message and a redirect to ``done``;
    else ``again(form)``, status 400."""
    if form.is_valid() and attempt(request, lambda: action(form.cleaned_data), success, form):
        return redirect(done)
    response = again(form)
    response.status_code = 400
    return response
