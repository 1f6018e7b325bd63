"""Registry export (.xlsx / .csv) and import in the browser: upload, preview of the differences, confirm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koshiki.core.errors import ServiceError
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import scoped
from koshiki.registry.io import (
    AlreadyApplied,
    ImportPlan,
    apply_upload,
    export_csv,
    export_xlsx,
    preview_upload,
)
from koshiki.registry.models import ImportUpload, OfficialAccount
from koshiki.registry.reading import MAX_FILE_BYTES

from .common import report_error, require_staff


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("台帳 file (.xlsx or .csv)"))


@login_required
def registry_export(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    accounts = scoped(OfficialAccount.objects, request.user).select_related("department")
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "csv":
        response = HttpResponse(export_csv(accounts), content_type="text/csv; charset=utf-8")
        name = f"accounts-{staff.organization.code}-{stamp}.csv"
    else:
        response = HttpResponse(
            export_xlsx(accounts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"accounts-{staff.organization.code}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def registry_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. A file without errors is shown as a preview of its differences; nothing changes yet."""
    staff = require_staff(request)
    if not can_manage_org(request.user, staff.organization):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise ServiceError(_("The file is larger than 10 MB."))
            plan = preview_upload(
                actor=request.user,
                organization=staff.organization,
                data=upload.read(MAX_FILE_BYTES + 1),
                filename=upload.name,
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            if not plan.errors:
                return render(request, "koshiki/registry_import_preview.html", _preview_context(plan))
            errors = plan.errors
            messages.error(request, _("Nothing was imported: fix these rows and try again."))
    return render(
        request,
        "koshiki/registry_import.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


def _preview_context(plan: ImportPlan) -> dict[str, Any]:
    changes = [(diff, change) for diff in plan.updates for change in diff.changes]
    return {"plan": plan, "changes": changes}


@login_required
@require_POST
def registry_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: apply exactly the previewed upload, once, if its accounts did not change meanwhile."""
    staff = require_staff(request)
    if not can_manage_org(request.user, staff.organization):
        raise Http404
    upload_id = request.POST.get("upload", "")
    if (
        not upload_id.isdigit()
        or not scoped(ImportUpload.objects, request.user)
        .filter(pk=int(upload_id), uploaded_by_id=request.user.pk)
        .exists()
    ):
        raise Http404
    try:
        report = apply_upload(
            actor=request.user,
            organization=staff.organization,
            upload_id=int(upload_id),
            digest=request.POST.get("digest", ""),
            basis=request.POST.get("basis", ""),
        )
    except AlreadyApplied as done:
        messages.info(request, done.message)
        return redirect("registry")
    except ServiceError as error:
        messages.error(request, error.message)
        return render(
            request, "koshiki/registry_import.html", {"form": ImportForm(), "errors": []}, status=409
        )
    if report.errors:
        messages.error(request, _("Nothing was imported: fix these rows and try again."))
        return render(
            request,
            "koshiki/registry_import.html",
            {"form": ImportForm(), "errors": report.errors},
            status=400,
        )
    messages.success(
        request,
        _("台帳 imported: %(created)d accounts added, %(updated)d updated.")
        % {"created": report.created, "updated": report.updated},
    )
    return redirect("registry")
