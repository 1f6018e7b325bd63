"""「カレンダーフィードを無効にする」 on the staff detail page: an administrator ends someone's calendar (ICS)
feed URL, e.g. when it may have leaked. The service checks permission and writes the audit entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.core.errors import ServiceError
from koshiki.orgs.models import Staff
from koshiki.posts.services.calendar_feed import revoke_feed_by_admin

from .common import get_scoped, report_error, require_staff


@login_required
@require_POST
def revoke(request: HttpRequest, staff_id: int) -> HttpResponse:
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization", "user"), request.user, staff_id)
    try:
        done = revoke_feed_by_admin(actor=request.user, staff=person, reason=request.POST.get("reason", ""))
    except ServiceError as error:
        report_error(request, error)
    else:
        if done:
            messages.success(
                request,
                _("The calendar feed of %(name)s was disabled: its URL no longer works.")
                % {"name": person.display_name},
            )
        else:
            messages.info(request, _("%(name)s has no calendar feed.") % {"name": person.display_name})
    return redirect("staff-detail", staff_id=person.pk)
