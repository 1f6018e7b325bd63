from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koshiki.core.attention import items_for
from koshiki.guidelines import cite
from koshiki.guidelines.coverage import coverage_of
from koshiki.orgs.models import Organization, RoleAssignment
from koshiki.orgs.profiles import profile_for

from .common import current_staff, require_staff


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if current_staff(request) is None and request.user.is_superuser:
        return bodies(request)
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


def bodies(request: HttpRequest) -> HttpResponse:
    """A superuser without a body (the demo's ``admin``) gets every body listed (the ``koshiki org list``
    equivalent) instead of a bare "Not Found" (issue #13)."""
    organizations = Organization.objects.order_by("lgcode", "code")
    return render(request, "koshiki/bodies.html", {"organizations": organizations})
