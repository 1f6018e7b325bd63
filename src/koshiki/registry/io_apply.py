"""Apply a 台帳 import: new accounts are created, named accounts updated, all in one transaction.

From the browser it is two steps. ``preview_upload`` reads the file, plans it (io_plan) and keeps the bytes
(ImportUpload) with their SHA-256; ``apply_upload`` takes the upload's id, that digest and the preview's
basis, re-reads the same bytes, re-plans under row locks and applies only if the basis still matches
(nobody changed those accounts meanwhile) and the upload was not applied before (a double-click applies
once). Every updated account gets its own audit entry with before/after, like every imported one.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_actions
from koshiki.core.errors import InvalidInput
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import require_manage_org
from koshiki.orgs.profiles import profile_for

from .io_plan import ImportPlan, plan_import
from .models import ImportUpload, OfficialAccount
from .reading import read_rows
from .roles import holders


class StalePreview(InvalidInput):
    """The preview no longer describes what would happen: the file or the accounts changed since."""


class AlreadyApplied(InvalidInput):
    """This preview was confirmed already (e.g. a double-click): nothing is done twice."""


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    updated: int = 0


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plan_bytes(data: bytes, filename: str, organization: Organization, *, lock: bool) -> ImportPlan:
    plan = plan_import(read_rows(io.BytesIO(data), filename), organization, lock=lock)
    plan.digest, plan.source = digest_of(data), filename
    return plan


def preview_upload(*, actor: Any, organization: Organization, data: bytes, filename: str) -> ImportPlan:
    """The plan for an uploaded file; when it has no errors the bytes are kept for the confirm
    (the actor's earlier unconfirmed uploads are dropped)."""
    require_manage_org(actor, organization)
    plan = _plan_bytes(data, filename, organization, lock=False)
    if plan.errors:
        return plan
    with transaction.atomic():
        ImportUpload.objects.filter(
            organization=organization, uploaded_by=actor, applied_at__isnull=True
        ).delete()
        upload = ImportUpload.objects.create(
            organization=organization,
            uploaded_by=actor,
            filename=filename[:200],
            digest=plan.digest,
            data=data,
        )
    plan.upload_id = upload.pk
    return plan


@transaction.atomic
def apply_upload(
    *, actor: Any, organization: Organization, upload_id: int, digest: str, basis: str
) -> ImportReport:
    """Apply the previewed upload exactly as previewed, once; otherwise refuse and change nothing."""
    require_manage_org(actor, organization)
    upload = (
        ImportUpload.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=upload_id, organization=organization, uploaded_by=actor)
        .first()
    )
    if upload is not None and upload.applied_at is not None and upload.digest == digest:
        raise AlreadyApplied(_("This file was already imported. Nothing was done twice."))
    if upload is None or upload.digest != digest or digest_of(bytes(upload.data)) != digest:
        raise StalePreview(_("This preview is no longer available: upload the file again."))
    plan = _plan_bytes(bytes(upload.data), upload.filename, organization, lock=True)
    if plan.errors:
        return ImportReport(0, plan.errors)
    if plan.basis != basis:
        raise StalePreview(
            _(
                "Accounts in the file were changed after the preview. Nothing was imported: upload the file again."  # noqa: E501
            )
        )
    report = apply_plan(actor=actor, organization=organization, plan=plan)
    upload.applied_at, upload.data = timezone.now(), b""
    upload.save(update_fields=["applied_at", "data"])
    return report


def apply_plan(*, actor: Any, organization: Organization, plan: ImportPlan) -> ImportReport:
    """Write a checked plan (inside the caller's transaction, with the named accounts locked)."""
    if plan.errors:
        return ImportReport(0, plan.errors)
    try:
        with transaction.atomic():
            created = _create(actor, organization, plan)
            updated = _update(actor, plan)
    except IntegrityError as exc:
        # e.g. two accounts swapping IDs in one file: the database's uniqueness refuses the order
        raise InvalidInput(
            _("The file could not be applied as one change (%(error)s). Nothing was imported.")
            % {"error": exc.__class__.__name__}
        ) from exc
    return ImportReport(created, [], updated)


def _create(actor: Any, organization: Organization, plan: ImportPlan) -> int:
    accounts = [row.account for row in plan.new]
    if not accounts:
        return 0
    managers: dict[int, Any] = {}
    for account in accounts:
        if account.department_id not in managers:
            found = holders(account, profile_for(organization).account.manager_role)
            managers[account.department_id] = found[0] if found else None
        account.manager = managers[account.department_id]
    created = OfficialAccount.objects.bulk_create(accounts, batch_size=500)
    log_actions(
        "registry.account.imported",
        actor=actor,
        objects=[
            (
                account,
                {
                    "source": plan.source,
                    "state": account.state,
                    "platform": account.platform,
                    "account_name": account.account_name,
                    "handle": account.handle,
                },
            )
            for account in created
        ],
    )
    return len(created)


def _update(actor: Any, plan: ImportPlan) -> int:
    if not plan.updates:
        return 0
    accounts = OfficialAccount.objects.in_bulk([diff.account_id for diff in plan.updates])
    names: set[str] = set()
    for diff in plan.updates:
        for change in diff.changes:
            setattr(accounts[diff.account_id], change.name, change.after)
            names.add(change.name)
    changed = [accounts[diff.account_id] for diff in plan.updates]
    OfficialAccount.objects.bulk_update(changed, sorted(names), batch_size=500)
    log_actions(
        "registry.account.import_updated",
        actor=actor,
        objects=[
            (account, {**{c.name: c.after for c in diff.changes}, "source": plan.source})
            for account, diff in zip(changed, plan.updates, strict=True)
        ],
        befores=[{c.name: c.before for c in diff.changes} for diff in plan.updates],
    )
    return len(plan.updates)
