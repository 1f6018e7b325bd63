"""/overview/: the 広報主管課's picture of the whole body (issue #13), charts drawn server-side as SVG."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core.attention import items_for
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import can_read_audit

from .. import overview_data as data
from ..charts import bar_chart
from .common import require_staff


def may_see_overview(user: Any, organization: Organization | None) -> bool:
    """The overview shows the whole body: the same people who may read its audit log (its administrators
    and the roles the profile lets ``read_audit_log``: 広報主管課 and 情報統括 kinds by default), never
    a role id."""
    return organization is not None and can_read_audit(user, organization)


def _hours(value: float | None) -> str:
    return "—" if value is None else _("%(hours).1f h") % {"hours": value}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    organization = staff.organization
    if not may_see_overview(request.user, organization):
        raise PermissionDenied
    now = timezone.now()
    health = data.account_health(organization, now)
    weeks = data.posts_per_week(organization, now)
    leads = data.approval_lead_times(organization, now)
    items = items_for(request.user, staff, now)
    count_header = _("Accounts")
    charts = {
        "state": bar_chart(
            "state",
            _("Accounts by state"),
            [(label, n, str(n)) for label, n in data.accounts_by_state(organization)],
            label_header=_("State"),
            value_header=count_header,
        ),
        "platform": bar_chart(
            "platform",
            _("Accounts by platform"),
            [(label, n, str(n)) for label, n in data.accounts_by_platform(organization)],
            label_header=_("Platform"),
            value_header=count_header,
        ),
        "weeks": bar_chart(
            "weeks",
            _("Posts published per week"),
            [(_("Week of %(date)s") % {"date": f"{w.month}/{w.day}"}, n, str(n)) for w, n in weeks],
            label_header=_("Week (Monday, JST)"),
            value_header=_("Posts"),
        ),
        "lead": bar_chart(
            "lead",
            _("Approval lead time (median)"),
            [
                (
                    _("Week of %(date)s") % {"date": f"{w.week.month}/{w.week.day}"},
                    w.median_hours or 0,
                    _hours(w.median_hours),
                )
                for w in leads
            ],
            label_header=_("Week (Monday, JST)"),
            value_header=_("Median"),
        ),
    }
    return render(
        request,
        "koshiki/overview.html",
        {
            "charts": charts,
            "health": health,
            "summary": data.summary(health),
            "leads": [(w, _hours(w.median_hours), _hours(w.p90_hours)) for w in leads],
            "groups": data.attention_by_kind(items, timezone.localdate(now)),
            "dormant_days": data.dormant_after_days(organization),
            "recent_days": data.RECENT_DAYS,
        },
    )
