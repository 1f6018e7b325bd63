"""Registry export (.xlsx / .csv) and import in the browser."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core.errors import ServiceError
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import scoped
from koshiki.registry.io import export_csv, export_xlsx, import_rows, read_rows
from koshiki.registry.models import OfficialAccount
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
            rows = read_rows(upload, upload.name)
            report = import_rows(
                actor=request.user, organization=staff.organization, rows=rows, source=upload.name
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            if not report.errors:
                messages.success(request, _("%(n)d accounts imported.") % {"n": report.created})
                return redirect("registry")
            errors = report.errors
            messages.error(request, _("Nothing was imported: fix these rows and try again."))
    return render(
        request,
        "koshiki/registry_import.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )
