"""Post templates in the browser: the list with a create form, one template's edit page and its archive
button. Every change goes through koshiki.posts.services.templates (permission, check, audit)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.core.errors import ServiceError
from koshiki.orgs.scoping import scoped
from koshiki.posts.models import PostTemplate
from koshiki.posts.roles import can_write
from koshiki.posts.services import templates as service
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import HolderIndex

from ..template_forms import TemplateForm
from .common import attempt, get_scoped, report_error, require_staff


def _writable_accounts(request: HttpRequest) -> tuple[Any, set[int]]:
    """The live accounts of the user's organization, and the ids of those they may write (one index)."""
    accounts = list(
        scoped(
            OfficialAccount.objects.select_related("organization", "department").prefetch_related(
                "operators"
            ),
            request.user,
        ).filter(state__in=LIVE_STATES)
    )
    index = HolderIndex(accounts[0].organization) if accounts else None
    writable = {a.pk for a in accounts if can_write(request.user, a, index)}
    queryset = OfficialAccount.objects.filter(pk__in=writable).order_by("account_name")
    return queryset, writable


def template_choices(user: Any) -> list[dict[str, Any]]:
    """The composer's 「テンプレートから作成」 list: the organization's templates in use (one query)."""
    return [
        {"id": t.pk, "name": t.name, "account": t.account_id, "category": t.category, "text": t.text}
        for t in service.visible_templates(user)
    ]


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    organization = staff.organization
    accounts, writable = _writable_accounts(request)
    org_wide = service.manages_org_templates(request.user, organization)
    form = TemplateForm(
        request.POST or None,
        initial={"request_key": uuid.uuid4().hex},
        accounts=accounts,
        org_wide=org_wide,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = service.create_template(
                actor=request.user,
                organization=organization,
                account=data.get("account"),
                name=data["name"],
                category=data["category"],
                text=data["text"],
                request_key=data.get("request_key") or "",
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("Template saved and checked."))
            if template.findings:
                messages.warning(request, _("The check found warnings: read them before using the template."))
            return redirect("post-templates")
    rows = list(service.visible_templates(request.user).select_related("created_by"))
    return render(
        request,
        "koshiki/post_templates.html",
        {
            "form": form,
            "templates": [
                {"t": t, "manage": org_wide if t.account_id is None else t.account_id in writable}
                for t in rows
            ],
            "org_wide": org_wide,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    require_staff(request)
    template = get_scoped(
        PostTemplate.objects.select_related("account", "organization"), request.user, template_id
    )
    initial = {
        "name": template.name,
        "category": template.category,
        "text": template.text,
        "version": template.version,
    }
    form = TemplateForm(
        request.POST or None,
        initial=initial,
        accounts=OfficialAccount.objects.none(),
        org_wide=True,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.update_template(
                actor=request.user,
                template=template,
                name=data["name"],
                category=data["category"],
                text=data["text"],
                expected_version=data.get("version"),
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("Template saved and checked."))
            return redirect("post-template-edit", template_id=template.pk)
    return render(
        request,
        "koshiki/post_template_edit.html",
        {
            "form": form,
            "template": template,
            "manage": service.can_manage(request.user, template.organization, template.account),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def template_archive(request: HttpRequest, template_id: int) -> HttpResponse:
    require_staff(request)
    template = get_scoped(
        PostTemplate.objects.select_related("account", "organization"), request.user, template_id
    )
    if attempt(
        request,
        lambda: service.archive_template(
            actor=request.user,
            template=template,
            expected_version=int(version) if (version := request.POST.get("version", "")).isdigit() else None,
        ),
        _("Template archived."),
    ):
        return redirect("post-templates")
    return redirect("post-template-edit", template_id=template.pk)
