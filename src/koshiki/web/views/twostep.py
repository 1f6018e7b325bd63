"""Two-step login pages: set up an authenticator (QR code) and enter the code after the password."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from koshiki.core.errors import ServiceError
from koshiki.twostep import services
from koshiki.twostep.session import mark_verified

MAX_FAILURES = 5
FAILURES_KEY = "koshiki_two_step_failures"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if services.has_device(request.user):
        return redirect("two-step-verify")
    error = ""
    if request.method == "POST":
        try:
            services.confirm_enrolment(user=request.user, code=request.POST.get("code", ""))
        except ServiceError as exc:
            error = str(exc.message)
        else:
            mark_verified(request.session, request.user)
            messages.success(request, _("Two-step login is set up. From now on, enter a code after your password."))
            return redirect(_next(request))
    secret = services.pending_secret(request.user)
    if secret is None or request.GET.get("restart"):
        secret, uri = services.start_enrolment(user=request.user)
    else:
        from koshiki.twostep.totp import provisioning_uri

        uri = provisioning_uri(secret, request.user.get_username())
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    return render(request, "koshiki/two_step_setup.html", {
        "qr_svg": qr_svg, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "error": error, "next": _next(request),
    }, status=400 if error else 200)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not services.has_device(request.user):
        return redirect("two-step-setup")
    error = ""
    if request.method == "POST":
        if services.verify(user=request.user, code=request.POST.get("code", "")):
            request.session.pop(FAILURES_KEY, None)
            request.session.cycle_key()
            mark_verified(request.session, request.user)
            return redirect(_next(request))
        failures = request.session.get(FAILURES_KEY, 0) + 1
        request.session[FAILURES_KEY] = failures
        if failures >= MAX_FAILURES:
            logout(request)
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("login")
        error = _("The code is not correct. Enter the current 6-digit code from your authenticator app.")
    return render(request, "koshiki/two_step_verify.html", {"error": error, "next": _next(request)},
                  status=400 if error else 200)
