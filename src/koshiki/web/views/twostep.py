"""Two-step login pages: set up an authenticator (QR code) and enter the code after the password."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from koshiki.core.errors import ServiceError
from koshiki.logins.sessions import remember
from koshiki.twostep import services
from koshiki.twostep.session import mark_verified


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if services.has_device(request.user):
        return redirect("two-step-verify")
    error = ""
    if request.method == "POST" and request.POST.get("restart"):
        # A new seed is a state change: only on POST (CSRF-checked), never on a GET link.
        try:
            services.start_enrolment(user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(f"{reverse('two-step-setup')}?{urlencode({'next': _next(request)})}")
    if request.method == "POST":
        try:
            services.confirm_enrolment(user=request.user, code=request.POST.get("code", ""))
        except ServiceError as exc:
            error = str(exc.message)
        else:
            mark_verified(request.session, request.user)
            messages.success(
                request, _("Two-step login is set up. From now on, enter a code after your password.")
            )
            return redirect(_next(request))
    secret = services.pending_secret(request.user)
    if secret is None:  # the first visit creates the pending seed once; later GETs only show it
        secret, uri = services.start_enrolment(user=request.user)
    else:
        from koshiki.twostep.totp import provisioning_uri

        uri = provisioning_uri(secret, request.user.get_username())
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    return render(
        request,
        "koshiki/two_step_setup.html",
        {
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "error": error,
            "next": _next(request),
        },
        status=400 if error else 200,
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not services.has_device(request.user):
        return redirect("two-step-setup")
    error = ""
    if request.method == "POST":
        if services.verify(user=request.user, code=request.POST.get("code", "")):
            old_key = request.session.session_key
            request.session.cycle_key()
            remember(request.session, request.user, replaces=old_key)
            mark_verified(request.session, request.user)
            return redirect(_next(request))
        if services.is_locked(request.user):
            logout(request)
            messages.error(
                request,
                _(
                    "Two-step login is locked after too many wrong codes. Try again in "
                    "%(minutes)d minutes, or ask your organization's administrator to unlock it."
                )
                % {"minutes": services.LOCK_DURATION.seconds // 60},
            )
            return redirect("login")
        if services.code_already_used(user=request.user, code=request.POST.get("code", "")):
            error = _(
                "This code was already used to sign in. Each code works once: wait until your "
                "authenticator app shows the next code, then enter that one."
            )
        else:
            error = _("The code is not correct. Enter the current 6-digit code from your authenticator app.")
    elif services.is_locked(request.user):
        error = _(
            "Two-step login is locked after too many wrong codes. Try again in "
            "%(minutes)d minutes, or ask your organization's administrator to unlock it."
        ) % {"minutes": services.LOCK_DURATION.seconds // 60}
    return render(
        request,
        "koshiki/two_step_verify.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )
