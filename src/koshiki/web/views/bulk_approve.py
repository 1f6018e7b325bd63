"""Bulk approve from the approval queue (#13): tick posts → a confirmation page listing them → each post
approved through the posts service on its own; the results page says, per post, approved or refused with
the reason and clause. The version each row showed travels with it, so a post changed since is refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.core.errors import ServiceError
from koshiki.orgs.scoping import scoped
from koshiki.posts.models import Post
from koshiki.posts.services.bulk import MAX_BATCH, bulk_approve

from .common import require_staff


def _picks(request: HttpRequest) -> list[tuple[int, int]] | None:
    """(post id, version) for each ticked box; None when a value is not a number (a forged form)."""
    picks: list[tuple[int, int]] = []
    for raw in request.POST.getlist("post"):
        version = request.POST.get(f"version-{raw}", "")
        if not raw.isdigit() or not version.isdigit():
            return None
        picks.append((int(raw), int(version)))
    return picks


@login_required
@require_POST
def post_bulk_approve(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    picks = _picks(request)
    if picks is None:
        messages.error(request, _("The selection could not be read. Select the posts again."))
        return redirect("post-queue")
    distinct = list(dict(picks).items())
    if not distinct:
        messages.error(request, _("Select at least one post to approve."))
        return redirect("post-queue")
    if len(distinct) > MAX_BATCH:
        messages.error(
            request,
            _("Approve at most %(max)d posts at a time (%(n)d selected).")
            % {"max": MAX_BATCH, "n": len(distinct)},
        )
        return redirect("post-queue")
    if request.POST.get("confirm") != "yes":
        found = (
            scoped(Post.objects, request.user).select_related("account").in_bulk([pk for pk, _v in distinct])
        )
        rows = [{"pk": pk, "version": version, "post": found.get(pk)} for pk, version in distinct]
        return render(request, "koshiki/post_bulk_confirm.html", {"rows": rows})
    try:
        results = bulk_approve(actor=request.user, picks=distinct)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("post-queue")
    approved = sum(1 for r in results if r.approved)
    return render(
        request,
        "koshiki/post_bulk_results.html",
        {"results": results, "approved": approved, "refused": len(results) - approved},
    )
