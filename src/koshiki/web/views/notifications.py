"""お知らせ: the signed-in person's own notifications, newest first, rendered in their language now;
marking read is a POST and idempotent (a second click changes nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.notify import inbox

from .common import require_staff

PER_PAGE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    page = Paginator(inbox.for_staff(staff).select_related("recipient"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    cache: dict[object, object] = {}
    shown = [inbox.render(row, cache) for row in page.object_list]
    return render(request, "koshiki/notifications.html", {"page": page, "shown": shown})


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with ``open`` go on to what it is about. Someone else's answers 404."""
    staff = require_staff(request)
    row = inbox.for_staff(staff).filter(pk=notification_id).first()
    if row is None:
        raise Http404
    inbox.mark_read(actor=request.user, notification_id=row.pk)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(row.link, allowed_hosts=None):
        return redirect(row.link)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    if inbox.mark_all_read(actor=request.user):
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications")
