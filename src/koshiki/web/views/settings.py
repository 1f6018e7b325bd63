"""Organization settings the checker reads: own web domains, and names and contacts that are public."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core.errors import ServiceError
from koshiki.orgs import services
from koshiki.orgs.permissions import can_manage_org
from koshiki.posts.services import archive

from .common import report_error, require_staff


class OrganizationSettingsForm(forms.Form):
    web_domains = forms.CharField(
        label=gettext_lazy("Own web domains (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    public_entries = forms.CharField(
        label=gettext_lazy("Names and contacts that are fine to publish (one per line)"),
        help_text=gettext_lazy(
            "The mayor and officials in their public role, public facilities' addresses and phone numbers."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    records_retention_years = forms.IntegerField(
        label=gettext_lazy("Retention period of post records (years)"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=gettext_lazy(
            "From your 文書管理規程. A fiscal year's finished posts may be archived this many years after"
            " the 1 April that follows it."
        ),
    )
    require_two_step = forms.BooleanField(
        label=gettext_lazy("Require two-step login for staff who approve or hold account logins"),
        required=False,
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


@login_required
def organization_settings(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    organization = staff.organization
    can_manage = can_manage_org(request.user, organization)
    initial = {
        "web_domains": "\n".join(organization.web_domains),
        "public_entries": "\n".join(organization.public_entries),
        "require_two_step": organization.require_two_step,
        "records_retention_years": organization.records_retention_years,
    }
    form = OrganizationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            with transaction.atomic():
                services.set_web_domains(
                    actor=request.user,
                    organization=organization,
                    domains=_lines(form.cleaned_data["web_domains"]),
                )
                services.set_public_entries(
                    actor=request.user,
                    organization=organization,
                    entries=_lines(form.cleaned_data["public_entries"]),
                )
                services.set_records_retention_years(
                    actor=request.user,
                    organization=organization,
                    years=form.cleaned_data["records_retention_years"]
                    or organization.records_retention_years,
                )
                if form.cleaned_data["require_two_step"] != organization.require_two_step:
                    services.set_require_two_step(
                        actor=request.user,
                        organization=organization,
                        required=form.cleaned_data["require_two_step"],
                    )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("org-settings")
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and not can_manage:
        status = 403
    return render(
        request,
        "koshiki/settings.html",
        {
            "form": form,
            "can_manage": can_manage,
            "organization": organization,
            "years": archive.summarize(organization) if can_manage else [],
        },
        status=status,
    )
