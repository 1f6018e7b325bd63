"""The preview of a personnel change: record and apply it in a transaction that is rolled back.

Apart from personnel_effects (which personnel imports) so that the two modules do not import each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from koshiki.audit.models import AuditEntry

from ..models import Department, PersonnelChange, Staff
from .personnel import apply_personnel_change_unchecked, record_personnel_change
from .personnel_effects import Effect, PersonnelPreview, digest, effects_since, is_far


class _Rollback(Exception):
    pass


def preview_personnel_change(
    *,
    actor: Any,
    staff: Staff,
    kind: str,
    effective_date: dt.date,
    to_department: Department | None = None,
    note: str = "",
) -> PersonnelPreview:
    """Record and apply the change in a transaction that is rolled back; return what applying wrote.

    Bad input raises exactly as recording would (same checks), except the far-date check, which the
    preview reports (``far_date``) instead."""
    effects: list[Effect] = []
    try:
        with transaction.atomic():
            change = record_personnel_change(
                actor=actor,
                staff=staff,
                kind=kind,
                effective_date=effective_date,
                to_department=to_department,
                note=note,
                date_confirmed=True,
            )
            recorded = AuditEntry.objects.get(
                action="orgs.personnel.recorded", object_type="orgs.personnelchange", object_id=str(change.pk)
            )
            if change.state == PersonnelChange.State.SCHEDULED:
                apply_personnel_change_unchecked(change, actor=actor)  # what its date will bring
            effects = effects_since(recorded.seq)
            raise _Rollback
    except _Rollback:
        pass
    staff.refresh_from_db()  # the caller's copy was changed by the rolled-back apply
    return PersonnelPreview(
        effective_date=effective_date,
        applies_now=effective_date <= timezone.localdate(),
        far_date=is_far(effective_date),
        effects=tuple(effects),
        digest=digest(effects),
    )
