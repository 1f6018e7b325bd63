"""Append to the chain and verify it.

Appending takes the head row's lock (PostgreSQL) and moves it by compare-and-set (both
databases), so concurrent writers can neither fork the chain nor reuse a sequence number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .canonical import GENESIS, HASHED_FIELDS, entry_hash
from .models import AuditEntry, ChainHead


def _fields_of(entry: AuditEntry) -> dict[str, Any]:
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["created_at"] = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return fields


def append(**fields: Any) -> AuditEntry:
    """Write one entry; must run inside the caller's transaction (the change it records)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change")
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        created_at=timezone.now(),
        prev_hash=head.last_hash,
        **fields,
    )
    entry.entry_hash = entry_hash(entry.prev_hash, _fields_of(entry))
    moved = ChainHead.objects.filter(id=1, seq=head.seq, last_hash=head.last_hash).update(
        seq=entry.seq, last_hash=entry.entry_hash
    )
    if moved != 1:
        raise RuntimeError("audit chain head moved concurrently; the transaction is rolled back")
    entry.save(_append=True)
    return entry


def append_many(entries: list[dict[str, Any]]) -> list[AuditEntry]:
    """Write several entries in order under one head lock and one compare-and-set (a bulk import's).

    Same chain as calling ``append`` for each: consecutive seqs, each entry hashing the one before."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change")
    if not entries:
        return []
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    seq, last_hash = head.seq, head.last_hash
    written = []
    for fields in entries:
        entry = AuditEntry(seq=seq + 1, created_at=timezone.now(), prev_hash=last_hash, **fields)
        entry.entry_hash = entry_hash(entry.prev_hash, _fields_of(entry))
        seq, last_hash = entry.seq, entry.entry_hash
        written.append(entry)
    moved = ChainHead.objects.filter(id=1, seq=head.seq, last_hash=head.last_hash).update(seq=seq, last_hash=last_hash)
    if moved != 1:
        raise RuntimeError("audit chain head moved concurrently; the transaction is rolled back")
    return AuditEntry.objects.bulk_create(written, batch_size=500)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> VerifyResult:
    """Recompute every hash from the first entry; name the first entry that does not match."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for entry in _entries():
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, entry.pk, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.pk, entry.seq, "prev_hash does not match the entry before")
        if entry_hash(prev, _fields_of(entry)) != entry.entry_hash:
            return VerifyResult(False, checked, entry.pk, entry.seq, "content does not match its hash")
        prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq, head.last_hash) != (checked, prev):
        return VerifyResult(False, checked, None, head.seq, "entries missing at the end of the chain")
    return VerifyResult(True, checked)
