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


class ChainBroken(RuntimeError):
    """The chain cannot be extended safely (e.g. its head row is gone); nothing is written."""


def _fields_of(entry: AuditEntry) -> dict[str, Any]:
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["created_at"] = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return fields


def _locked_head() -> ChainHead:
    """The head row, locked; created only for an empty log. A lost head never restarts the chain at 1.

    Lock order (issue #12): a service locks the rows it changes first (``select_for_update(of=("self",),
    no_key=True)``: its own table only, FOR NO KEY UPDATE) and takes this head last, through log_action;
    a row locked or updated after the first log_action of a transaction can deadlock with a writer
    waiting here."""
    head = ChainHead.objects.select_for_update(of=("self",), no_key=True).filter(id=1).first()
    if head is not None:
        return head
    if AuditEntry.objects.exists():
        raise ChainBroken(
            "the audit chain head row is missing while entries exist: refusing to start a new chain; "
            "run `koshiki audit verify` and restore the head from the last entry and a checkpoint"
        )
    head, _ = ChainHead.objects.get_or_create(id=1)
    return head


def append(**fields: Any) -> AuditEntry:
    """Write one entry; must run inside the caller's transaction (the change it records)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change")
    head = _locked_head()
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
    head = _locked_head()
    seq, last_hash = head.seq, head.last_hash
    written = []
    for fields in entries:
        entry = AuditEntry(seq=seq + 1, created_at=timezone.now(), prev_hash=last_hash, **fields)
        entry.entry_hash = entry_hash(entry.prev_hash, _fields_of(entry))
        # The head's trigger lets it move one entry at a time only (a skipped number would hide a deletion).
        moved = ChainHead.objects.filter(id=1, seq=seq, last_hash=last_hash).update(
            seq=entry.seq, last_hash=entry.entry_hash
        )
        if moved != 1:
            raise RuntimeError("audit chain head moved concurrently; the transaction is rolled back")
        seq, last_hash = entry.seq, entry.entry_hash
        written.append(entry)
    return AuditEntry.objects.bulk_create(written, batch_size=500)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""


def _entries(after_seq: int = 0) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(seq__gt=after_seq).order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> VerifyResult:
    """Recompute every hash from the first entry; name the first entry that does not match."""
    return verify_from(0, GENESIS)


def verify_from(after_seq: int, prev: str) -> VerifyResult:
    """Recompute the hashes after entry ``after_seq`` (whose hash is ``prev``) up to the head.

    With ``after_seq`` 0 and the genesis hash this is the whole chain; the checkpoint job starts at
    its last checkpoint so that it never signs a chain it has not checked.
    """
    expected_seq = after_seq + 1
    checked = 0
    for entry in _entries(after_seq):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, entry.pk, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != prev:
            return VerifyResult(
                False, checked, entry.pk, entry.seq, "prev_hash does not match the entry before"
            )
        if entry_hash(prev, _fields_of(entry)) != entry.entry_hash:
            return VerifyResult(False, checked, entry.pk, entry.seq, "content does not match its hash")
        prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    head = ChainHead.objects.filter(id=1).first()
    if head is None:
        if last_seq > 0:
            return VerifyResult(False, checked, None, last_seq, "the chain head row is missing")
        return VerifyResult(True, checked)
    if (head.seq, head.last_hash) != (last_seq, prev):
        return VerifyResult(False, checked, None, head.seq, "entries missing at the end of the chain")
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class OrganizationVerifyResult:
    """One body's share of the chain: only its own figures, never national totals or others' data."""

    ok: bool
    count: int
    latest_seq: int | None
    broken_seq: int | None = None
    reason: str = ""


def verify_organization(organization_id: int) -> OrganizationVerifyResult:
    """Check each of the body's entries against its hash and its link to the entry before it.

    The predecessor's hash is read (not shown) so a rewritten entry of this body is found even when
    its own hash was recomputed; breaks elsewhere in the chain are for ``koshiki audit verify``.
    """
    count = 0
    latest_seq: int | None = None
    chunk: list[AuditEntry] = []
    entries = (
        AuditEntry.objects.filter(organization_id=organization_id).order_by("seq").iterator(chunk_size=1000)
    )

    def check(batch: list[AuditEntry]) -> OrganizationVerifyResult | None:
        wanted = [e.seq - 1 for e in batch if e.seq > 1]
        before = dict(AuditEntry.objects.filter(seq__in=wanted).values_list("seq", "entry_hash"))
        for entry in batch:
            expected_prev = GENESIS if entry.seq == 1 else before.get(entry.seq - 1)
            if entry.prev_hash != expected_prev:
                return OrganizationVerifyResult(
                    False, count, latest_seq, entry.seq, "link to the entry before is broken"
                )
            if entry_hash(entry.prev_hash, _fields_of(entry)) != entry.entry_hash:
                return OrganizationVerifyResult(
                    False, count, latest_seq, entry.seq, "content does not match its hash"
                )
        return None

    for entry in entries:
        chunk.append(entry)
        count += 1
        latest_seq = entry.seq
        if len(chunk) == 1000:
            failed = check(chunk)
            if failed is not None:
                return failed
            chunk = []
    failed = check(chunk) if chunk else None
    return failed or OrganizationVerifyResult(True, count, latest_seq)
