"""What a 異動 does, shown before it is applied (issue #13 item 4).

The preview is not a second list of effects that could drift from the real one: it records and applies the
change for real inside a transaction that is then rolled back, and reads back the audit entries that the
applying code (orgs, and every domain listening to personnel_change_applied) wrote. Confirming sends the
digest of that list; if applying now writes anything else, the change is refused and nothing happens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit import catalog
from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput

from ..models import RoleAssignment
from ..profiles import profile_for

#: A date further than this from today is most likely a typo (2026 for 2027): refused unless confirmed.
FAR_DATE = dt.timedelta(days=365)
#: Entries about the change itself, not its effects.
OWN_ENTRIES = frozenset({"orgs.personnel.recorded", "orgs.personnel.applied"})


@dataclass(frozen=True)
class Effect:
    action: str
    label: str
    object_type: str
    object_id: str
    target: str


@dataclass(frozen=True)
class PersonnelPreview:
    effective_date: dt.date
    applies_now: bool
    far_date: bool
    effects: tuple[Effect, ...]
    digest: str

    @property
    def needs_confirmation(self) -> bool:
        """Anything dated today or earlier applies at once; a date a year away is likely a typo."""
        return self.applies_now or self.far_date


def is_far(day: dt.date) -> bool:
    return abs(day - timezone.localdate()) > FAR_DATE


def check_far_date(day: dt.date, *, confirmed: bool) -> None:
    if is_far(day) and not confirmed:
        raise InvalidInput(
            _(
                "%(date)s is more than a year from today: check the year. If the date is right, confirm it"
                " explicitly."
            )
            % {"date": day.isoformat()},
            field="effective_date",
        )


def digest(effects: list[Effect] | tuple[Effect, ...]) -> str:
    keys = [[e.action, e.object_type, e.object_id] for e in effects]
    return hashlib.sha256(json.dumps(keys, ensure_ascii=False).encode()).hexdigest()


def _target(entry: AuditEntry) -> str:
    """The object as a person reads it: a role by its guideline name and department."""
    if entry.object_type == "orgs.roleassignment":
        assignment = RoleAssignment.objects.select_related("department", "organization").get(
            pk=entry.object_id
        )
        try:
            name = profile_for(assignment.organization).role(assignment.role_id).name
        except KeyError:
            name = assignment.role_id
        return f"{name}（{assignment.department.name}）" if assignment.department else name
    return entry.object_repr


def effects_since(seq: int) -> list[Effect]:
    """The entries written after ``seq`` in this transaction (its own chain head lock keeps others out)."""
    return [
        Effect(e.action, catalog.label(e.action), e.object_type, e.object_id, _target(e))
        for e in AuditEntry.objects.filter(seq__gt=seq).order_by("seq")
        if e.action not in OWN_ENTRIES
    ]


def check_expected_effects(expected: str | None, *, since: int) -> None:
    if expected is not None and digest(effects_since(since)) != expected:
        raise InvalidInput(
            _(
                "The effects of this personnel change have changed since you reviewed them:"
                " review them again."
            ),
            field="effects",
        )
