from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koshiki.core.attention import items_for
from koshiki.guidelines import cite
from koshiki.guidelines.coverage import coverage_of
from koshiki.orgs.models import RoleAssignment
from koshiki.orgs.profiles import profile_for

from .common import require_staff


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    profile = profile_for(staff.organization)
    roles = []
    for assignment in RoleAssignment.objects.current().filter(staff=staff).select_related("department"):
        try:
            role = profile.role(assignment.role_id)
        except KeyError:
            continue
        roles.append({"role": role, "assignment": assignment, "citation": cite(profile, role)})
    coverage = coverage_of(profile)
    return render(
        request,
        "koshiki/dashboard.html",
        {
            "items": items_for(request.user, staff),
            "profile": profile,
            "roles": roles,
            "coverage_counts": coverage.counts(),
            "coverage_total": len(coverage.clauses),
        },
    )
