"""The chain head is guarded in the database like the entries, and a lost head is refused loudly."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, transaction

from koshiki.audit.chain import ChainBroken, chain_key, verify_chain
from koshiki.audit.models import AuditEntry, ChainHead
from koshiki.audit.services import log_action

from ._dba import lift_triggers, raw

pytestmark = pytest.mark.usefixtures("test_action_codes")


def test_database_refuses_delete_of_the_head(iwaki: Any) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_chainhead")
    assert ChainHead.objects.exists()


def _head(iwaki: Any) -> ChainHead:
    return ChainHead.objects.get(chain=chain_key(iwaki.organization.pk))


def test_database_refuses_moving_the_head_back(iwaki: Any) -> None:
    head = _head(iwaki)
    earlier = AuditEntry.objects.get(chain=head.chain, chain_seq=head.seq - 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "UPDATE audit_chainhead SET seq = %s, last_hash = %s WHERE id = %s",
            [earlier.chain_seq, earlier.entry_hash, head.pk],
        )


def test_database_refuses_a_head_update_that_keeps_the_hash(iwaki: Any) -> None:
    head = _head(iwaki)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_chainhead SET seq = %s WHERE id = %s", [head.seq + 1, head.pk])


def test_database_refuses_skipping_sequence_numbers(iwaki: Any) -> None:
    head = _head(iwaki)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "UPDATE audit_chainhead SET seq = %s, last_hash = %s WHERE id = %s",
            [head.seq + 5, "f" * 64, head.pk],
        )


def test_database_refuses_moving_a_head_to_another_chain(iwaki: Any, shinshiro: Any) -> None:
    head = _head(iwaki)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "UPDATE audit_chainhead SET chain = %s, seq = %s, last_hash = %s WHERE id = %s",
            ["org-999999", head.seq + 1, "f" * 64, head.pk],
        )


def test_database_refuses_a_new_head_that_does_not_start_at_genesis(iwaki: Any) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "INSERT INTO audit_chainhead (chain, seq, last_hash) VALUES (%s, %s, %s)",
            ["org-999999", 5, "f" * 64],
        )


def test_normal_appends_still_move_the_head(iwaki: Any) -> None:
    before = _head(iwaki).seq
    with transaction.atomic():
        log_action("test.append", actor=None, organization=iwaki.organization)
    assert _head(iwaki).seq == before + 1 and verify_chain().ok


def test_verify_finds_a_missing_head(iwaki: Any) -> None:
    lift_triggers()
    raw("DELETE FROM audit_chainhead")
    result = verify_chain()
    assert not result.ok and "head" in result.reason


def test_appending_after_the_head_was_deleted_is_refused(iwaki: Any) -> None:
    count = AuditEntry.objects.count()
    lift_triggers()
    raw("DELETE FROM audit_chainhead")
    with pytest.raises(ChainBroken), transaction.atomic():
        log_action("test.after_head_lost", actor=None, organization=iwaki.organization)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(action="test.after_head_lost").exists()


def test_a_fresh_database_starts_the_chain(db: Any) -> None:
    with transaction.atomic():
        entry = log_action("test.first", actor=None)
    assert (entry.chain, entry.chain_seq, entry.prev_hash) == ("national", 1, "0" * 64) and verify_chain().ok


def test_the_flush_of_a_transactional_test_still_works(transactional_db: Any) -> None:
    with transaction.atomic():
        log_action("test.flush", actor=None)
    assert (
        ChainHead.objects.get(chain="national").seq == 1
    )  # the next test's flush must be able to clear this row


def test_after_the_flush_the_head_is_gone_too(transactional_db: Any) -> None:
    assert not ChainHead.objects.exists() and not AuditEntry.objects.exists()
