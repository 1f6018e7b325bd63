"""Archiving a fiscal year's posts after the retention period, and downloading the archive files."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.orgs.permissions import can_manage_org
from koshiki.posts.models import Post
from koshiki.posts.services import archive

from .common import attempt, require_staff

_ARCHIVE_NAME = re.compile(r"^posts-FY\d{4}-part\d{1,4}\.jsonl(\.sha256)?$")


@login_required
@require_POST
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    staff = require_staff(request)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation: the archived texts leave Koshiki's pages."))
        return redirect("org-settings")
    results: list[archive.ArchiveResult] = []

    def run() -> None:
        results.append(
            archive.archive_fiscal_year(actor=request.user, organization=staff.organization, fiscal_year=year)
        )

    if attempt(request, run):
        done = results[0]
        messages.success(
            request,
            _("%(count)s posts of fiscal year %(year)s were archived to %(file)s.")
            % {"count": done.count, "year": done.fiscal_year, "file": done.file},
        )
    return redirect("org-settings")


@login_required
def archive_file(request: HttpRequest, name: str) -> FileResponse:
    """Only the body's administrators, only a file one of the body's posts points to (no path tricks)."""
    staff = require_staff(request)
    if not can_manage_org(request.user, staff.organization) or not _ARCHIVE_NAME.match(name):
        raise Http404
    base = name.removesuffix(".sha256")
    if not Post.objects.filter(organization=staff.organization, archive_file=base).exists():
        raise Http404
    path = archive.archive_dir(staff.organization) / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
