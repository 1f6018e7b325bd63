from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit import verification
from koshiki.audit.models import AuditEntry
from koshiki.audit.queries import entries_visible_to
from koshiki.audit.retention import reveal_entries
from koshiki.orgs.permissions import can_read_audit

from .common import require_staff


def _require_reader(request: HttpRequest) -> Any:
    staff = require_staff(request)
    if not can_read_audit(request.user, staff.organization):
        raise Http404
    return staff


PAGE_SIZE = 50


def _cursor(request: HttpRequest, name: str) -> int | None:
    """A page cursor from the query string; anything but a positive number means none (the newest page)."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


def keyset_page(entries: QuerySet[AuditEntry], before: int | None, after: int | None) -> dict[str, Any]:
    """One page by sequence number (``seq < before`` or ``seq > after``), newest first; never OFFSET.

    OFFSET reads and discards every earlier row of a national log; a cursor reads one page from the
    (organization_id, -seq) index wherever it is (issue #12). One row more than the page says whether
    there is a further page in that direction; one indexed EXISTS says whether there is one the other way.
    """
    if after is not None and before is None:
        rows = list(entries.filter(seq__gt=after).order_by("seq")[: PAGE_SIZE + 1])
        more_newer, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
        more_older = bool(rows) and entries.filter(seq__lt=rows[-1].seq).exists()
    else:
        page = entries.filter(seq__lt=before) if before is not None else entries
        rows = list(page.order_by("-seq")[: PAGE_SIZE + 1])
        more_older, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        more_newer = before is not None and bool(rows) and entries.filter(seq__gt=rows[0].seq).exists()
    return {
        "entries": rows,
        "newer": rows[0].seq if rows and more_newer else None,
        "older": rows[-1].seq if rows and more_older else None,
    }


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    staff = _require_reader(request)
    entries = entries_visible_to(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = keyset_page(entries, _cursor(request, "before"), _cursor(request, "after"))
    page["entries"] = reveal_entries(page["entries"])
    status = verification.status_for(staff.organization)
    return render(request, "koshiki/audit_log.html", {**page, "action": action, "verification": status})


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Ask the worker to verify this body's chain from its last verified point (issue #12: the national
    check is the CLI's, and nothing is verified while the viewer waits)."""
    staff = _require_reader(request)
    if verification.request_run(actor=request.user, organization=staff.organization):
        messages.success(request, _("Verification of this organization's audit log has been queued."))
    else:
        messages.info(request, _("A verification of this organization's audit log is already waiting."))
    return redirect("audit-log")
