from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit.chain import verify_organization
from koshiki.audit.queries import entries_visible_to
from koshiki.audit.retention import reveal_entries
from koshiki.orgs.permissions import can_read_audit

from .common import require_staff


def _require_reader(request: HttpRequest) -> Any:
    staff = require_staff(request)
    if not can_read_audit(request.user, staff.organization):
        raise Http404
    return staff


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    entries = entries_visible_to(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = reveal_entries(page.object_list)
    return render(request, "koshiki/audit_log.html", {"page": page, "action": action})


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """This body's entries only: its count, its latest number, intact or not
    (the national check is the CLI's)."""
    staff = _require_reader(request)
    result = verify_organization(staff.organization.pk)
    if result.ok:
        messages.success(
            request,
            _("This organization's %(n)d audit entries are intact (latest #%(seq)s).")
            % {"n": result.count, "seq": result.latest_seq if result.latest_seq is not None else "-"},
        )
    else:
        messages.error(
            request,
            _("This organization's audit entry #%(seq)s does not match the chain: %(reason)s")
            % {"seq": result.broken_seq, "reason": result.reason},
        )
    return redirect("audit-log")
