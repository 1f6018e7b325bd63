from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koshiki.guidelines import build_coverage
from koshiki.orgs.profiles import profile_for

from .common import require_staff


@login_required
def guideline_overview(request: HttpRequest) -> HttpResponse:
    """The body's guideline, clause by clause, with what in Koshiki carries each out."""
    staff = require_staff(request)
    profile = profile_for(staff.organization)
    coverage = build_coverage(profile)
    return render(
        request,
        "koshiki/guideline.html",
        {"profile": profile, "coverage": coverage, "counts": coverage.counts()},
    )
