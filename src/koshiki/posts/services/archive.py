"""Archive a fiscal year's posts once the body's retention period (文書の保存期間) has run out.

Why: post texts grow by hundreds of thousands of rows a year on a national deployment, and a body's
文書管理規程 says how long they are kept. The period counts from the 1 April after the 年度 ends (the
usual 起算日), so FY2020 (April 2020 – March 2021) kept 5 years may be archived from 1 April 2026.

Archiving writes the year's finished posts (text, findings, approvals, images) to a JSON Lines file
under ``KOSHIKI_VAR_DIR/archive/<body code>/`` with a ``.sha256`` beside it, then empties the texts in
one transaction and records one audit entry naming the file and its digest. The posts themselves stay
(their numbers are in the audit chain, which keeps verifying: it holds no post text). Posts still open
(a draft, a failed post) are never archived; the summary lists them so a person closes them first.

Crash safety: the file is written and fsynced before the transaction; a crash in between leaves a
file no post points to, which the next run overwrites (the part number counts only referenced files).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import ServiceError
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import require_manage_org

from ..lifecycle import PostState
from ..models import Post, PostImage

FINISHED = (PostState.PUBLISHED, PostState.WITHDRAWN, PostState.DELETED)


def fiscal_year_of(moment: dt.datetime) -> int:
    """The 年度 of a moment in the deployment's time zone (April to March)."""
    local = timezone.localtime(moment)
    return local.year if local.month >= 4 else local.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 April ``year`` 00:00 (inclusive) to 1 April ``year + 1`` 00:00 (exclusive), local time."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 4, 1, tzinfo=zone),
        dt.datetime(year + 1, 4, 1, tzinfo=zone),
    )


def archivable_from(year: int, retention_years: int) -> dt.date:
    """The first day the year's posts may be archived: 起算日 (1 April after the year) + the period."""
    return dt.date(year + 1 + retention_years, 4, 1)


@dataclass(frozen=True)
class YearSummary:
    fiscal_year: int
    total: int
    finished: int
    archived: int
    open: int
    archivable_from: dt.date
    due: bool

    @property
    def to_archive(self) -> int:
        return self.finished - self.archived


def summarize(organization: Organization, today: dt.date | None = None) -> list[YearSummary]:
    """Each 年度 the body has posts in, newest first: one grouped query whatever the number of posts."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    rows = (
        Post.objects.filter(organization=organization)
        .annotate(y=ExtractYear("created_at", tzinfo=tz), m=ExtractMonth("created_at", tzinfo=tz))
        .values("y", "m")
        .annotate(
            total=Count("id"),
            finished=Count("id", filter=Q(state__in=FINISHED)),
            archived=Count("id", filter=Q(archived_at__isnull=False)),
        )
        .order_by()
    )
    years: dict[int, list[int]] = {}
    for row in rows:
        year = row["y"] if row["m"] >= 4 else row["y"] - 1
        counts = years.setdefault(year, [0, 0, 0])
        counts[0] += row["total"]
        counts[1] += row["finished"]
        counts[2] += row["archived"]
    summaries = []
    for year in sorted(years, reverse=True):
        total, finished, archived = years[year]
        start = archivable_from(year, organization.records_retention_years)
        summaries.append(
            YearSummary(year, total, finished, archived, total - finished, start, today >= start)
        )
    return summaries


@dataclass(frozen=True)
class ArchiveResult:
    fiscal_year: int
    count: int
    file: str
    sha256: str


def archive_dir(organization: Organization) -> Path:
    return Path(settings.VAR_DIR) / "archive" / organization.code


def _record(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "account": {"id": post.account_id, "name": str(post.account), "platform": post.account.platform},
        "author": post.author.user.get_username() if post.author.user_id else "",
        "state": post.state,
        "category": post.category,
        "text": post.text,
        "findings": post.findings,
        "override_reason": post.override_reason,
        "corrects": post.corrects_id,
        "scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None,
        "published_at": post.published_at.isoformat() if post.published_at else None,
        "remote_url": post.remote_url,
        "created_at": post.created_at.isoformat(),
        "approvals": [
            {
                "round": a.round,
                "step": a.step,
                "approver": str(a.approver),
                "decision": a.decision,
                "comment": a.comment,
                "decided_at": a.decided_at.isoformat(),
            }
            for a in post.approvals.all()
        ],
        "images": [
            {"mime_type": i.mime_type, "alt": i.alt, "data": base64.b64encode(bytes(i.data)).decode("ascii")}
            for i in post.images.all()
        ],
    }


def _write(path: Path, lines: list[str]) -> str:
    """Write atomically (temporary file, fsync, rename) and return the sha256 of the bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    for target, content in (
        (path, data),
        (path.with_name(path.name + ".sha256"), f"{digest}  {path.name}\n"),
    ):
        temporary = target.with_name(target.name + ".tmp")
        with open(temporary, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    return digest


def archive_fiscal_year(
    *, actor: Any, organization: Organization, fiscal_year: int, today: dt.date | None = None
) -> ArchiveResult:
    """Archive the finished posts of ``fiscal_year`` whose retention period has run out.

    ``actor`` None is the operator at the console (``koshiki posts archive``); a person must be one of
    the body's administrators. Refused, changing nothing: a year still inside its period, a year with
    nothing left to archive (also a second click)."""
    if actor is not None:
        require_manage_org(actor, organization)
    today = today or timezone.localdate()
    start = archivable_from(fiscal_year, organization.records_retention_years)
    if today < start:
        raise ServiceError(
            _(
                "Posts of fiscal year %(year)s are kept until %(until)s (retention period %(years)s years);"
                " they cannot be archived before %(start)s."
            )
            % {
                "year": fiscal_year,
                "until": (start - dt.timedelta(days=1)).isoformat(),
                "years": organization.records_retention_years,
                "start": start.isoformat(),
            }
        )
    begin, end = fiscal_year_bounds(fiscal_year)
    in_year = Post.objects.filter(organization=organization, created_at__gte=begin, created_at__lt=end)
    candidates = in_year.filter(state__in=FINISHED, archived_at__isnull=True).order_by("pk")
    posts = list(
        candidates.select_related("account", "author__user").prefetch_related("approvals__approver", "images")
    )
    if not posts:
        raise ServiceError(
            _("Fiscal year %(year)s has no finished post left to archive.") % {"year": fiscal_year}
        )
    parts = in_year.exclude(archive_file="").values("archive_file").distinct().count()
    name = f"posts-FY{fiscal_year}-part{parts + 1}.jsonl"
    digest = _write(
        archive_dir(organization) / name, [json.dumps(_record(p), ensure_ascii=False) for p in posts]
    )
    ids = [p.pk for p in posts]
    with transaction.atomic():
        locked = list(
            Post.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=ids, state__in=FINISHED, archived_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if len(locked) != len(ids):
            raise ServiceError(_("Posts of this year changed while the archive was written; try again."))
        moment = timezone.now()
        Post.objects.filter(pk__in=ids).update(
            text="", findings=[], override_reason="", archived_at=moment, archive_file=name
        )
        PostImage.objects.filter(post_id__in=ids).delete()
        log_action(
            "posts.archive.fiscal_year",
            actor=actor,
            obj=organization,
            after={
                "fiscal_year": fiscal_year,
                "posts": len(ids),
                "file": name,
                "sha256": digest,
                "retention_years": organization.records_retention_years,
            },
        )
    return ArchiveResult(fiscal_year, len(ids), name, digest)
