"""Feedback on the checker (issue #14 B): an approver's 誤検知 / 見逃し on the post page, retracting it, and
the 広報主管課's page of recent feedback with the corpus download (personal data masked, audited)."""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.checks import DEFAULT_SEVERITY
from koshiki.core.errors import ServiceError
from koshiki.feedback import queries, services
from koshiki.feedback.export import export_feedback, may_export
from koshiki.feedback.models import CheckFeedback
from koshiki.posts.models import Post

from ..templatetags.check_feedback import category_label
from .common import get_scoped, require_staff

PER_PAGE = 30


class FeedbackForm(forms.Form):
    """Parse only: the service checks the finding, the category and the phrase against the post."""

    kind = forms.ChoiceField(choices=CheckFeedback.Kind.choices)
    key = forms.CharField(required=False, max_length=120)
    category = forms.CharField(required=False, max_length=40)
    phrase = forms.CharField(required=False, max_length=services.MAX_PHRASE, strip=False)
    note = forms.CharField(required=False, max_length=services.MAX_NOTE)
    version = forms.IntegerField(required=False, min_value=1)


def _back(post_id: int) -> HttpResponse:
    return redirect(reverse("post-detail", args=[post_id]) + "#check-feedback")


@login_required
@require_POST
def post_feedback(request: HttpRequest, post_id: int) -> HttpResponse:
    require_staff(request)
    post = get_scoped(Post.objects.select_related("account", "organization"), request.user, post_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The feedback could not be read. Choose what to record and try again."))
        return _back(post.pk)
    data = form.cleaned_data
    try:
        services.record_feedback(
            actor=request.user,
            post=post,
            kind=data["kind"],
            key=data["key"] or "",
            category=data["category"] or "",
            phrase=data["phrase"] or "",
            note=data["note"] or "",
            expected_version=data["version"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: the feedback is recorded and will help the checker learn."))
    return _back(post.pk)


@login_required
@require_POST
def retract(request: HttpRequest, feedback_id: int) -> HttpResponse:
    require_staff(request)
    row = get_scoped(CheckFeedback.objects.all(), request.user, feedback_id)
    try:
        services.retract_feedback(actor=request.user, feedback=row)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The feedback is retracted."))
    return _back(row.post_id)


def _require_lister(request: HttpRequest) -> None:
    staff = require_staff(request)
    if not may_export(request.user, staff.organization):
        raise PermissionDenied


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    _require_lister(request)
    page = Paginator(queries.recent(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for r in page.object_list:
        same_text = bool(r.post.text) and r.text_sha256 == services.text_hash(r.post.text)
        rows.append(
            {
                "row": r,
                "kind": r.get_kind_display(),
                "category": category_label(r.category),
                # the span was given on that text: cut from an edited one it would name other words
                "excerpt": r.post.text[r.start : r.end][:60] if r.span and same_text else "",
                "older": not same_text,
            }
        )
    return render(
        request,
        "koshiki/check_feedback.html",
        {"page": page, "rows": rows, "categories": len(DEFAULT_SEVERITY), "today": timezone.localdate()},
    )


@login_required
@require_POST
def feedback_export(request: HttpRequest) -> HttpResponse:
    """The body's feedback as corpus lines (JSON Lines), personal data masked; the service audits it."""
    _require_lister(request)
    staff = require_staff(request)
    since = None
    if request.POST.get("since"):
        try:
            since = dt.date.fromisoformat(request.POST["since"])
        except ValueError:
            messages.error(request, _("Enter the date as YYYY-MM-DD."))
            return redirect("check-feedback")
    out = io.StringIO()
    try:
        export_feedback(actor=request.user, organization=staff.organization, out=out, since=since)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("check-feedback")
    response = HttpResponse(out.getvalue(), content_type="application/x-ndjson; charset=utf-8")
    name = f"feedback-{staff.organization.code}-{timezone.localdate():%Y%m%d}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
