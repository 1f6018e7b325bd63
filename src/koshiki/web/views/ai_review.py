"""The optional AI reviewer (issue #14 A): a body's settings page, and the post page's "ask the AI" button.

The suggestions box on the post page is a template tag (templatetags/ai_review.py) so that the post view
stays as it was; everything that changes state goes through koshiki.aireview.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koshiki.aireview import services
from koshiki.core.errors import ServiceError
from koshiki.orgs.permissions import can_manage_org
from koshiki.posts.models import Post

from .common import attempt, get_scoped, report_error, require_staff


class AIReviewSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Use the AI reviewer"), required=False)
    base_url = forms.CharField(
        label=gettext_lazy("Endpoint base URL"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "An OpenAI-compatible service your body has approved, e.g. https://ai.example.lg.jp/v1"
            " (Koshiki calls …/chat/completions)."
        ),
    )
    model_name = forms.CharField(label=gettext_lazy("Model name"), required=False, max_length=200)
    api_key = forms.CharField(
        label=gettext_lazy("API key"),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Kept encrypted and never shown again. Leave empty to keep the stored key."),
    )


@login_required
def ai_review_settings(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    organization = staff.organization
    can_manage = can_manage_org(request.user, organization)
    current = services.settings_of(organization)
    initial = {
        "enabled": bool(current and current.enabled),
        "base_url": current.base_url if current else "",
        "model_name": current.model_name if current else "",
    }
    form = AIReviewSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        try:
            services.configure(
                actor=request.user,
                organization=organization,
                enabled=data["enabled"],
                base_url=data["base_url"],
                model_name=data["model_name"],
                api_key=data["api_key"],
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("ai-review-settings")
    status = 200
    if request.method == "POST":
        status = 403 if not can_manage else 400
    return render(
        request,
        "koshiki/ai_review_settings.html",
        {
            "form": form,
            "can_manage": can_manage,
            "organization": organization,
            "current": current,
            "has_key": bool(current and current.sealed_api_key),
        },
        status=status,
    )


@login_required
@require_POST
def ai_review_request(request: HttpRequest, post_id: int) -> HttpResponse:
    require_staff(request)
    post = get_scoped(Post.objects.select_related("account", "organization"), request.user, post_id)
    attempt(
        request,
        lambda: services.request_review(actor=request.user, post=post),
        _("The AI's opinion was asked for. It appears here when it arrives (reload the page)."),
    )
    return redirect(reverse("post-detail", args=[post.pk]) + "#ai-review")
