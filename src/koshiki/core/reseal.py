"""Re-seal every sealed column with the first configured key, so an old key can be retired.

Batches of rows, each updated by compare-and-set (a value changed meanwhile is left to the next run);
values already under the first key are skipped, so running it again does nothing. One audit entry
records the counts per column, never a value.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import transaction

from koshiki.audit.services import log_action

from .sealed_fields import SEALED_FIELDS


@dataclass
class ColumnCount:
    column: str
    resealed: int = 0
    current: int = 0  # already sealed with the first key
    empty: int = 0
    unreadable: int = 0  # no configured key opens it
    changed: int = 0  # changed by someone else while we worked; rerun to finish


COUNTS = ("resealed", "current", "empty", "unreadable", "changed")


def _reseal_column(label: str, field: str, keys: list[str], batch_size: int) -> ColumnCount:
    model = apps.get_model(label)
    first, everyone = Fernet(keys[0].encode("ascii")), MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    count = ColumnCount(column=f"{label}.{field}", empty=model.objects.filter(**{field: ""}).count())
    last_pk: Any = None
    while True:
        rows = model.objects.exclude(**{field: ""}).order_by("pk")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows.values_list("pk", field)[:batch_size])
        if not batch:
            return count
        last_pk = batch[-1][0]
        with transaction.atomic():
            for pk, token in batch:
                try:
                    first.decrypt(token.encode("ascii"))
                except InvalidToken:
                    pass
                else:
                    count.current += 1
                    continue
                try:
                    fresh = everyone.rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    count.unreadable += 1
                    continue
                if model.objects.filter(pk=pk, **{field: token}).update(**{field: fresh}) == 1:
                    count.resealed += 1
                else:
                    count.changed += 1


def reseal_all(*, actor: Any = None, batch_size: int = 200) -> list[ColumnCount]:
    """Re-seal every column in SEALED_FIELDS; returns the counts (also written to the audit log)."""
    keys = list(settings.KOSHIKI_ENCRYPTION_KEYS)
    counts = [_reseal_column(label, field, keys, batch_size) for label, field in SEALED_FIELDS]
    totals = {name: sum(getattr(c, name) for c in counts) for name in COUNTS}
    with transaction.atomic():
        log_action(
            "core.keys.resealed",
            actor=actor,
            after={**totals, "keys_configured": len(keys), "columns": [asdict(c) for c in counts]},
        )
    return counts
