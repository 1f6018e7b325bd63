"""Migration 0006 (issue #12): entries written as one national chain stay verifiable, unchanged, as the
closed ``legacy`` chain; checkpoints signed before keep verifying; new entries go to per-body chains."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from koshiki.audit import checkpoints
from koshiki.audit.canonical import GENESIS, HASHED_FIELDS, entry_hash

pytestmark = pytest.mark.usefixtures("test_action_codes")

BEFORE = [("audit", "0005_entry_object_history_index")]
AFTER = [("audit", "0006_per_organization_chains")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_chain(apps: Any, n: int) -> list[tuple[int, str]]:
    """What the pre-#12 code wrote: one chain, positions = seq, the hash covering seq; one head row."""
    entry_model, head_model = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "ChainHead")
    prev, written = GENESIS, []
    start = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    for seq in range(1, n + 1):
        fields = {name: "" for name in HASHED_FIELDS}
        fields.update(
            seq=seq,
            action="test.later",
            organization_id=seq % 2 + 1,
            actor_id=None,
            before=None,
            after={"i": seq},
            created_at=(start + dt.timedelta(minutes=seq)).isoformat(timespec="microseconds"),
        )
        digest = entry_hash(prev, fields)
        entry_model.objects.create(
            **{**fields, "created_at": start + dt.timedelta(minutes=seq)}, prev_hash=prev, entry_hash=digest
        )
        prev = digest
        written.append((seq, digest))
    head_model.objects.create(id=1, seq=n, last_hash=prev)
    return written


def test_an_old_single_chain_becomes_the_closed_legacy_chain_and_still_verifies(
    transactional_db: Any, settings: Any, tmp_path: Path
) -> None:
    key = tmp_path / "audit_signing_key"
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = str(key)
    checkpoints.generate_key_file(key)
    try:
        old_apps = _migrate(BEFORE)
        written = _old_chain(old_apps, 6)
        old_doc = checkpoints.sign(
            {
                "format": 1,
                "chain": "national",
                "seq": 6,
                "hash": written[-1][1],
                "time": "2026-11-30T00:00:00+00:00",
            },
            checkpoints.private_key(),
        )
    finally:
        _migrate(AFTER)
    from koshiki.audit.chain import LEGACY, verify_chain
    from koshiki.audit.models import AuditEntry, ChainHead
    from koshiki.audit.services import log_action

    legacy = list(AuditEntry.objects.order_by("seq"))
    assert [(e.seq, e.entry_hash) for e in legacy] == written  # not one hash rewritten
    assert {e.chain for e in legacy} == {LEGACY} and {e.chain_seq for e in legacy} == {None}
    assert ChainHead.objects.get(chain=LEGACY).seq == 6
    assert verify_chain().ok
    assert checkpoints.check_document(old_doc).ok  # a format-1 checkpoint kept outside still verifies
    with transaction.atomic():
        entry = log_action("test.later", actor=None, after={"i": 7})
    assert (entry.chain, entry.chain_seq, entry.prev_hash) == ("national", 1, GENESIS) and entry.seq > 6
    made = checkpoints.make_checkpoint()
    assert [LEGACY, 6, written[-1][1]] in made.heads
    assert verify_chain().ok


def test_a_rewritten_legacy_entry_is_found_at_its_seq(transactional_db: Any) -> None:
    try:
        old_apps = _migrate(BEFORE)
        written = _old_chain(old_apps, 4)
    finally:
        _migrate(AFTER)
    from koshiki.audit.chain import verify_chain

    from ._dba import lift_triggers, raw

    lift_triggers()
    raw("UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["test.forged", 2])
    result = verify_chain()
    assert not result.ok and result.chain == "legacy" and result.broken_seq == 2
    assert written
