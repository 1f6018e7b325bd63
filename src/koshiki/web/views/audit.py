from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit.chain import verify_chain
from koshiki.audit.queries import entries_visible_to
from koshiki.orgs.permissions import can_read_audit

from .common import require_staff


def _require_reader(request: HttpRequest) -> None:
    staff = require_staff(request)
    if not can_read_audit(request.user, staff.organization):
        raise Http404


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    entries = entries_visible_to(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "koshiki/audit_log.html", {"page": page, "action": action})


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    result = verify_chain()
    if result.ok:
        messages.success(request, _("The audit chain is intact (%(n)d entries checked).") % {"n": result.checked})
    else:
        messages.error(
            request,
            _("The audit chain is broken at entry #%(seq)s: %(reason)s") % {"seq": result.broken_seq, "reason": result.reason},
        )
    return redirect("audit-log")
