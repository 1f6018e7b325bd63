"""Disclosure texts in the browser: the homepage listing and each account's profile text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koshiki.guidelines import cite
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.registry.disclosure import default_homepage, profile_text, website_html
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount

from .common import get_scoped, require_staff


@login_required
def disclosure_page(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    organization = staff.organization
    profile = profile_for(organization)
    accounts = list(
        scoped(OfficialAccount.objects, request.user)
        .filter(state__in=LIVE_STATES)
        .select_related("department")
    )
    listing = website_html(organization, accounts)
    return render(
        request,
        "koshiki/disclosure.html",
        {
            "listing": listing,
            "profile": profile,
            "accounts": accounts,
            "disclosure": profile.disclosure,
            "citation": cite(profile, profile.disclosure),
        },
    )


@login_required
def account_profile_text(request: HttpRequest, account_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(
        OfficialAccount.objects.select_related("organization", "department"), request.user, account_id
    )
    homepage = request.GET.get("homepage", "").strip() or default_homepage(account.organization)
    result = profile_text(account, homepage)
    profile = profile_for(account.organization)
    return render(
        request,
        "koshiki/profile_text.html",
        {
            "account": account,
            "result": result,
            "homepage": homepage,
            "items": profile.disclosure.profile_items,
            "profile": profile,
        },
    )
