from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit import verification
from koshiki.audit.display import labelled
from koshiki.audit.export import export_for_reader
from koshiki.audit.models import AuditEntry
from koshiki.audit.queries import entries_visible_to, filtered
from koshiki.audit.retention import reveal_entries
from koshiki.core.errors import NotPermitted
from koshiki.orgs.permissions import can_read_audit

from ..audit_forms import AuditFilterForm
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


def _with_fields(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Before/after as labelled rows (audit/display.py) for the details of each entry."""
    for entry in entries:
        entry.before_fields = labelled(entry.object_type, entry.shown_before)  # type: ignore[attr-defined]
        entry.after_fields = labelled(entry.object_type, entry.shown_after)  # type: ignore[attr-defined]
    return entries


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    staff = _require_reader(request)
    form = AuditFilterForm(request.GET, organization=staff.organization)
    status = verification.status_for(staff.organization)
    context: dict[str, Any] = {"form": form, "verification": status}
    if not form.is_valid():
        # A bad filter filters nothing: say why (in Japanese, beside the field) and list no entries.
        context.update(entries=[], newer=None, older=None, filter_query="", filters={})
        return render(request, "koshiki/audit_log.html", context, status=400)
    entries = filtered(entries_visible_to(request.user), **form.query())
    page = keyset_page(entries, _cursor(request, "before"), _cursor(request, "after"))
    page["entries"] = _with_fields(reveal_entries(page["entries"]))
    filters = form.params()
    context.update(page, filters=filters, filter_query=urlencode(filters))
    return render(request, "koshiki/audit_log.html", context)


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The log as CSV with the page's filters: the viewer's organization only, recorded before it streams."""
    staff = _require_reader(request)
    form = AuditFilterForm(request.POST, organization=staff.organization)
    if not form.is_valid():
        context = {"form": form, "entries": [], "verification": verification.status_for(staff.organization)}
        return render(request, "koshiki/audit_log.html", context, status=400)
    try:
        lines = export_for_reader(
            actor=request.user,
            organization=staff.organization,
            entries=filtered(AuditEntry.objects.all(), **form.query()),
            filters=form.params(),
        )
    except NotPermitted as exc:
        raise Http404 from exc
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{staff.organization.code}-{stamp}.csv"'
    return response


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
