from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koshiki.core.attention import items_for
from koshiki.guidelines import cite
from koshiki.guidelines.coverage import coverage_of
from koshiki.orgs.models import Organization, RoleAssignment, Staff
from koshiki.orgs.profiles import profile_for

from ..onboarding import checklist_for
from .common import current_staff, require_staff
from .overview import may_see_overview


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
            # issue #13 T: the body administrator's home: the first-run checklist and the 管理 card
            "onboarding": checklist_for(staff),
            "administers": staff.is_org_admin,
            "sees_overview": may_see_overview(request.user, staff.organization),
        },
    )


def bodies(request: HttpRequest) -> HttpResponse:
    """A superuser without a body (the demo's ``admin``) gets every body listed (the ``koshiki org list``
    equivalent) instead of a bare "Not Found" (issue #13)."""
    admins = Staff.objects.filter(is_org_admin=True, status=Staff.Status.ACTIVE).select_related("user")
    organizations = Organization.objects.order_by("lgcode", "code").prefetch_related(
        Prefetch("staff", queryset=admins.order_by("pk"), to_attr="admins")
    )
    return render(request, "koshiki/bodies.html", {"organizations": organizations})
