"""The audit trail is append-only and any direct change to a row is found by verify."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from koshiki.audit.chain import verify_chain
from koshiki.audit.models import AuditEntry
from koshiki.audit.services import log_action
from koshiki.cli import main

pytestmark = pytest.mark.usefixtures("test_action_codes")


def _disable_triggers() -> None:
    """What an attacker with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(iwaki: Any) -> None:
    result = verify_chain()
    assert result.ok and result.checked == AuditEntry.objects.count() > 0


def test_each_entry_links_to_the_previous_hash(iwaki: Any) -> None:
    entries = list(AuditEntry.objects.order_by("seq"))
    assert entries[0].prev_hash == "0" * 64
    assert all(
        later.prev_hash == earlier.entry_hash for earlier, later in zip(entries, entries[1:], strict=False)
    )


@pytest.mark.parametrize(
    "column,value",
    [("actor_name", "someone else"), ("after", '{"name": "forged"}'), ("action", "orgs.staff.removed")],
)
def test_changing_a_row_directly_breaks_the_chain_at_that_entry(iwaki: Any, column: str, value: str) -> None:
    target = AuditEntry.objects.order_by("seq")[3]
    _disable_triggers()
    _raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, target.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == target.seq
    assert result.reason == "content does not match its hash"


def test_rehashing_a_changed_row_is_still_caught_by_the_next_entry(iwaki: Any) -> None:
    from koshiki.audit.canonical import entry_hash
    from koshiki.audit.chain import _fields_of

    target = AuditEntry.objects.order_by("seq")[2]
    target.actor_name = "forger"
    forged = entry_hash(target.prev_hash, _fields_of(target))
    _disable_triggers()
    _raw(
        "UPDATE audit_auditentry SET actor_name = %s, entry_hash = %s WHERE id = %s",
        ["forger", forged, target.pk],
    )
    result = verify_chain()
    assert not result.ok and result.broken_seq == target.seq + 1


def test_deleting_a_row_is_found_as_a_gap(iwaki: Any) -> None:
    target = AuditEntry.objects.order_by("seq")[5]
    _disable_triggers()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    result = verify_chain()
    assert not result.ok and result.broken_seq == target.seq + 1


def test_deleting_the_newest_rows_is_found_against_the_head(iwaki: Any) -> None:
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest is not None
    _disable_triggers()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [newest.pk])
    assert not verify_chain().ok


def test_cli_verify_names_the_broken_entry(iwaki: Any, capsys: pytest.CaptureFixture[str]) -> None:
    target = AuditEntry.objects.order_by("seq")[1]
    _disable_triggers()
    _raw("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["x", target.pk])
    assert main(["audit", "verify"]) == 1
    assert f"seq {target.seq}" in capsys.readouterr().err


def test_database_refuses_update_of_an_entry(iwaki: Any) -> None:
    target = AuditEntry.objects.order_by("seq").first()
    assert target is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["x", target.pk])


def test_database_refuses_delete_of_an_entry(iwaki: Any) -> None:
    target = AuditEntry.objects.order_by("seq").first()
    assert target is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])


def test_orm_refuses_update_and_delete(iwaki: Any) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(actor_name="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.save()


def test_writing_outside_a_transaction_is_refused(transactional_db: Any) -> None:
    with pytest.raises(RuntimeError):
        log_action("test.outside", actor=None)


def test_secrets_are_masked_in_before_and_after(db: Any) -> None:
    with transaction.atomic():
        entry = log_action(
            "test.secret",
            actor=None,
            after={"app_password": "hunter2", "handle": "@iwaki", "nested": {"token": "t"}},
        )
    assert entry.after == {"app_password": "********", "handle": "@iwaki", "nested": {"token": "********"}}


def test_a_rolled_back_change_leaves_no_entry(db: Any) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        log_action("test.rollback", actor=None)
        1 / 0  # noqa: B018
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok
