"""A person's own sign-in: change the password; the page shown when django-axes locks a login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koshiki.core.errors import ServiceError
from koshiki.logins import services
from koshiki.logins.sessions import remember

from ..account_forms import PasswordChangeForm
from .common import report_error, require_staff


def _current_password_ok(request: HttpRequest, form: Any) -> bool:
    """Check the current password through authenticate(), so django-axes counts a wrong one like a failed
    sign-in (and refuses once the login name is locked): the page is no unthrottled password oracle."""
    user = request.user
    username = user.get_username() if isinstance(user, User) else ""
    return (
        authenticate(request, username=username, password=form.cleaned_data["current_password"]) is not None
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    me = require_staff(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _current_password_ok(request, form):
        form.add_error("current_password", _("The current password is not correct."))
        return render(request, "koshiki/password_change.html", {"form": form}, status=400)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                actor=request.user,
                staff=me,
                new_password=form.cleaned_data["new_password"],
                current_password=form.cleaned_data["current_password"],
                keep_session=request.session.session_key,
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            old_key = request.session.session_key
            user = request.user
            assert isinstance(user, User)  # login_required: never the anonymous user here
            user.refresh_from_db()
            update_session_auth_hash(request, user)  # this browser stays signed in (new session key)
            remember(request.session, request.user, replaces=old_key)
            messages.success(
                request, _("Your password has been changed. Your other sessions have been signed out.")
            )
            return redirect("dashboard")
    return render(
        request,
        "koshiki/password_change.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a Japanese page saying what to do."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "koshiki/login_locked.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )
