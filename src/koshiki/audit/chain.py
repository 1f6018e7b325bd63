"""Append to the chains and verify them.

Issue #12: one chain per organization (``org-<id>``), one for entries of no organization
(``national``), and the closed ``legacy`` chain of everything written before (one national chain,
positions = global seq). Each entry links to the previous entry of its own chain. Appending takes
that chain's head row lock (PostgreSQL) and moves it by compare-and-set (both databases), so
concurrent writers of one body can neither fork its chain nor reuse a position, and writers of
two bodies never wait for each other. The global ``seq`` (paging, object history) comes from a
database sequence outside any lock: it may have gaps and commit out of order; no check reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .canonical import CHAIN_HASHED_FIELDS, GENESIS, HASHED_FIELDS, entry_hash
from .models import AuditEntry, ChainHead

LEGACY = "legacy"
NATIONAL = "national"
GLOBAL_SEQUENCE = "audit_auditentry_global_seq"  # PostgreSQL (migration 0006)


class ChainBroken(RuntimeError):
    """The chain cannot be extended safely (e.g. its head row is gone); nothing is written."""


def chain_key(organization_id: int | None) -> str:
    """The chain of an organization's entries (``national`` for entries of no organization)."""
    return NATIONAL if organization_id is None else f"org-{organization_id}"


def _fields_of(entry: AuditEntry) -> dict[str, Any]:
    names = HASHED_FIELDS if entry.chain == LEGACY else CHAIN_HASHED_FIELDS
    fields = {name: getattr(entry, name) for name in names}
    fields["created_at"] = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return fields


def _position(entry: AuditEntry) -> int:
    return entry.seq if entry.chain == LEGACY else int(entry.chain_seq or 0)


def _locked_head(key: str) -> ChainHead:
    """The chain's head row, locked; created only for a chain with no entries (a lost head never
    restarts a chain at 1).

    Lock order (issue #12): a service locks the rows it changes first (``select_for_update(of=("self",),
    no_key=True)``: its own table only, FOR NO KEY UPDATE) and takes its body's head last, through
    log_action. Only that body's head: two bodies' writers never wait for each other."""
    locked = ChainHead.objects.select_for_update(of=("self",), no_key=True)
    head = locked.filter(chain=key).first()
    if head is not None:
        return head
    if key == LEGACY:
        raise ChainBroken("the legacy audit chain is closed: nothing is appended to it")
    if AuditEntry.objects.filter(chain=key).exists():
        raise ChainBroken(
            f"the audit chain head row of {key} is missing while entries exist: refusing to start a new "
            "chain; run `koshiki audit verify` and restore the head from the last entry and a checkpoint"
        )
    ChainHead.objects.get_or_create(chain=key)  # a concurrent first writer: the unique key makes one
    return locked.get(chain=key)


def _global_seqs(count: int) -> list[int]:
    """SQLite: ``count`` new global positions after the caller's head update, which holds the database's
    single write lock. (PostgreSQL takes them from a sequence in the head update itself, ``_move``.)"""
    top = AuditEntry.objects.aggregate(top=Max("seq"))["top"] or 0
    return list(range(top + 1, top + count + 1))


_MOVE_PG = (
    "UPDATE audit_chainhead SET seq = %s, last_hash = %s WHERE id = %s AND seq = %s AND last_hash = %s "
    f"RETURNING nextval('{GLOBAL_SEQUENCE}')"
)


def _move(head: tuple[int, int, str], seq: int, last_hash: str) -> int | None:
    """Compare-and-set the head one entry forward; None if it was not where ``head`` says.

    On PostgreSQL one round trip also takes the entry's global seq. The UPDATE takes the row's lock
    (FOR NO KEY UPDATE) and re-reads it, so it is as safe from a stale ``head`` as a locked SELECT."""
    pk, old_seq, old_hash = head
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_MOVE_PG, [seq, last_hash, pk, old_seq, old_hash])
            row = cursor.fetchone()
        return int(row[0]) if row else None
    moved = ChainHead.objects.filter(pk=pk, seq=old_seq, last_hash=old_hash).update(
        seq=seq, last_hash=last_hash
    )
    return 0 if moved == 1 else None


def _known_heads() -> dict[str, tuple[int, int, str]]:
    """This connection's last view of the heads it moved: tried first by compare-and-set, which skips
    the locked SELECT for the second and later entries of a transaction (a stale view just falls back)."""
    known: dict[str, tuple[int, int, str]] | None = getattr(connection, "_koshiki_audit_heads", None)
    if known is None:
        known = {}
        connection._koshiki_audit_heads = known  # type: ignore[attr-defined]
    return known


def append(**fields: Any) -> AuditEntry:
    """Write one entry; must run inside the caller's transaction (the change it records)."""
    return append_many([fields])[0]


def append_many(entries: list[dict[str, Any]]) -> list[AuditEntry]:
    """Write entries in order, each to its organization's chain (a bulk import's, a benchmark's).

    The heads are taken in sorted chain order (no deadlock between two multi-body writers) and each
    moves one entry at a time (the head's trigger refuses a skip, which would hide a deletion)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change")
    if not entries:
        return []
    now = timezone.now()
    written = [
        AuditEntry(chain=chain_key(fields.get("organization_id")), created_at=now, **fields)
        for fields in entries
    ]
    by_chain: dict[str, list[AuditEntry]] = {}
    for entry in written:
        by_chain.setdefault(entry.chain, []).append(entry)
    known = _known_heads()
    global_seqs: list[int] = []
    for key in sorted(by_chain):
        head = known.pop(key, None)
        for entry in by_chain[key]:
            taken = _advance(entry, head) if head is not None else None
            if taken is None:
                locked = _locked_head(key)
                head = (locked.pk, locked.seq, locked.last_hash)
                taken = _advance(entry, head)
                if taken is None:
                    raise RuntimeError("audit chain head moved concurrently; the transaction is rolled back")
            assert head is not None
            head = (head[0], int(entry.chain_seq or 0), entry.entry_hash)
            global_seqs.append(taken)
        if head is not None:
            known[key] = head
    if connection.vendor != "postgresql":
        global_seqs = _global_seqs(len(written))
    for entry, global_seq in zip(written, sorted(global_seqs), strict=True):
        entry.seq = global_seq
    if len(written) == 1:
        written[0].save(_append=True)
        return written
    return AuditEntry.objects.bulk_create(written, batch_size=500)


def _advance(entry: AuditEntry, head: tuple[int, int, str]) -> int | None:
    """Link ``entry`` after ``head`` and move the head to it; its global seq (PostgreSQL), or None."""
    entry.chain_seq, entry.prev_hash = head[1] + 1, head[2]
    entry.entry_hash = entry_hash(head[2], _fields_of(entry))
    return _move(head, entry.chain_seq, entry.entry_hash)


# --- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None  # the global seq of the first bad entry (what the pages show)
    reason: str = ""
    chain: str = ""
    last: tuple[int, str] | None = None  # the chain position and hash verified up to


def _entries(key: str, after: int, until: int | None) -> Iterator[AuditEntry]:
    if key == LEGACY:
        rows = AuditEntry.objects.filter(chain=LEGACY, seq__gt=after).order_by("seq")
        rows = rows.filter(seq__lte=until) if until is not None else rows
    else:
        rows = AuditEntry.objects.filter(chain=key, chain_seq__gt=after).order_by("chain_seq")
        rows = rows.filter(chain_seq__lte=until) if until is not None else rows
    return rows.iterator(chunk_size=2000)


def entry_at(key: str, position: int) -> AuditEntry | None:
    if key == LEGACY:
        return AuditEntry.objects.filter(chain=LEGACY, seq=position).first()
    return AuditEntry.objects.filter(chain=key, chain_seq=position).first()


def verify_segment(
    key: str, after: int = 0, prev: str = GENESIS, until: tuple[int, str] | None = None
) -> VerifyResult:
    """Recompute chain ``key``'s hashes after position ``after`` (whose hash is ``prev``) up to
    ``until`` (a head read earlier) or the current head; name the first entry that does not match.

    The starting point must still be in the chain (a truncation below it is a break)."""
    if after > 0:
        start = entry_at(key, after)
        if start is None or start.entry_hash != prev:
            return VerifyResult(False, 0, None, None, f"entry #{after} of the verified point differs", key)
    expected = after + 1
    checked = 0
    for entry in _entries(key, after, until[0] if until else None):
        bad = ""
        if _position(entry) != expected:
            bad = f"sequence gap: expected {expected}"
        elif entry.prev_hash != prev:
            bad = "prev_hash does not match the entry before"
        elif entry_hash(prev, _fields_of(entry)) != entry.entry_hash:
            bad = "content does not match its hash"
        if bad:
            return VerifyResult(False, checked, entry.pk, entry.seq, bad, key)
        prev = entry.entry_hash
        expected += 1
        checked += 1
    last = (expected - 1, prev)
    if until is None:
        head = ChainHead.objects.filter(chain=key).first()
        if head is None:
            if last[0] > 0:
                return VerifyResult(False, checked, None, None, "the chain head row is missing", key)
            return VerifyResult(True, checked, chain=key, last=last)
        until = (head.seq, head.last_hash)
    if until != last:
        return VerifyResult(False, checked, None, None, "entries missing at the end of the chain", key)
    return VerifyResult(True, checked, chain=key, last=last)


def verify_chain() -> VerifyResult:
    """Every chain from its first entry, and no entry outside a chain that has a head."""
    checked = 0
    keys = list(ChainHead.objects.order_by("chain").values_list("chain", flat=True))
    if LEGACY not in keys and AuditEntry.objects.filter(chain=LEGACY).exists():
        keys.insert(0, LEGACY)
    for key in keys:
        result = verify_segment(key)
        if not result.ok:
            return VerifyResult(
                False, checked + result.checked, result.broken_id, result.broken_seq, result.reason, key
            )
        checked += result.checked
    total = AuditEntry.objects.count()
    if total != checked:
        orphan = AuditEntry.objects.exclude(chain__in=keys).order_by("seq").first()
        where = orphan.chain if orphan is not None else "?"
        return VerifyResult(
            False,
            checked,
            orphan.pk if orphan else None,
            orphan.seq if orphan else None,
            f"the chain head row is missing for {where}",
            where,
        )
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class OrganizationVerifyResult:
    """One body's chain: only its own figures, never national totals or others' data."""

    ok: bool
    count: int
    latest_seq: int | None
    broken_seq: int | None = None
    reason: str = ""


def verify_organization(organization_id: int) -> OrganizationVerifyResult:
    """The body's whole chain, synchronously (CLI and tests; the web asks the worker, verification.py)."""
    result = verify_segment(chain_key(organization_id))
    latest = (
        AuditEntry.objects.filter(chain=chain_key(organization_id))
        .order_by("-chain_seq")
        .values_list("seq", flat=True)
        .first()
    )
    if not result.ok:
        return OrganizationVerifyResult(False, result.checked, latest, result.broken_seq, result.reason)
    return OrganizationVerifyResult(True, result.checked, latest)
