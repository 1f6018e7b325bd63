"""Issue #12: one chain per organization, a checkpoint over every head, and incremental verification.

Each body's entries link to the previous entry of the body's own chain; writers of two bodies take
two different head rows, so they never wait for each other; one body is verified with its own chain
and its proof from the signed checkpoint.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from koshiki.audit import checkpoints
from koshiki.audit.canonical import GENESIS
from koshiki.audit.chain import append_many, chain_key, verify_chain, verify_organization
from koshiki.audit.models import AuditEntry, ChainHead, ChainVerification
from koshiki.audit.services import log_action
from koshiki.audit.verification import verify_due, verify_incremental

from ._dba import lift_triggers, raw

pytestmark = pytest.mark.usefixtures("test_action_codes")


@pytest.fixture
def signing_key(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "audit_signing_key"
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = str(path)
    checkpoints.generate_key_file(path)
    return path


def _entries(organization: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(organization_id=organization.pk).order_by("chain_seq"))


def _log(organization: Any, n: int = 1) -> None:
    for i in range(n):
        with transaction.atomic():
            log_action("test.later", actor=None, organization=organization, after={"i": i})


def test_each_body_has_its_own_chain_from_the_genesis(iwaki: Any, shinshiro: Any) -> None:
    for body in (iwaki, shinshiro):
        entries = _entries(body.organization)
        assert {e.chain for e in entries} == {chain_key(body.organization.pk)}
        assert [e.chain_seq for e in entries] == list(range(1, len(entries) + 1))
        assert entries[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    assert verify_chain().ok


def test_the_global_seq_still_orders_every_entry(iwaki: Any, shinshiro: Any) -> None:
    _log(iwaki.organization)
    _log(shinshiro.organization)
    seqs = list(AuditEntry.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_append_many_routes_each_entry_to_its_organizations_chain(iwaki: Any, shinshiro: Any) -> None:
    before = {b.organization.pk: len(_entries(b.organization)) for b in (iwaki, shinshiro)}
    rows = [
        dict(action="test.later", organization_id=body.organization.pk, after={"i": i})
        for i, body in enumerate([iwaki, shinshiro, iwaki, shinshiro, iwaki])
    ]
    with transaction.atomic():
        written = append_many(rows)
    assert [e.chain_seq for e in written if e.organization_id == iwaki.organization.pk] == [
        before[iwaki.organization.pk] + 1,
        before[iwaki.organization.pk] + 2,
        before[iwaki.organization.pk] + 3,
    ]
    shinshiro_head = ChainHead.objects.get(chain=chain_key(shinshiro.organization.pk))
    assert shinshiro_head.seq == before[shinshiro.organization.pk] + 2
    assert verify_chain().ok


def test_an_entry_moved_to_another_bodys_chain_is_found(iwaki: Any, shinshiro: Any) -> None:
    target = _entries(iwaki.organization)[2]
    lift_triggers()
    raw(
        "UPDATE audit_auditentry SET chain = %s, chain_seq = %s WHERE id = %s",
        [chain_key(shinshiro.organization.pk), 10_000, target.pk],
    )
    result = verify_chain()
    assert not result.ok and result.chain in (
        chain_key(iwaki.organization.pk),
        chain_key(shinshiro.organization.pk),
    )


def test_one_body_verifies_with_its_own_chain_and_its_checkpoint_proof(
    iwaki: Any, shinshiro: Any, signing_key: Path
) -> None:
    made = checkpoints.make_checkpoint()
    proof = checkpoints.proof_for(made, chain_key(iwaki.organization.pk))
    assert "leaves" not in proof["checkpoint"]
    assert checkpoints.check_proof(proof).ok
    assert verify_organization(iwaki.organization.pk).ok
    # Another body's chain rewritten: this body's proof still holds, that body's does not.
    other = _entries(shinshiro.organization)[-1]
    lift_triggers()
    raw("UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s", ["e" * 64, other.pk])
    assert checkpoints.check_proof(proof).ok
    other_proof = checkpoints.proof_for(made, chain_key(shinshiro.organization.pk))
    outcome = checkpoints.check_proof(other_proof)
    assert not outcome.ok and "differs" in outcome.reason


def test_a_proof_with_a_forged_leaf_is_refused(iwaki: Any, shinshiro: Any, signing_key: Path) -> None:
    made = checkpoints.make_checkpoint()
    proof = checkpoints.proof_for(made, chain_key(iwaki.organization.pk))
    proof["leaf"] = [proof["leaf"][0], proof["leaf"][1] - 1, _entries(iwaki.organization)[-2].entry_hash]
    outcome = checkpoints.check_proof(proof)
    assert not outcome.ok and "root" in outcome.reason


def test_checkpoint_signs_without_locking_any_head(iwaki: Any, signing_key: Path) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        checkpoints.make_checkpoint()
    assert not any("FOR NO KEY UPDATE" in q["sql"] or "FOR UPDATE" in q["sql"] for q in queries)


# --- incremental verification --------------------------------------------------------------------


def test_incremental_verification_reads_only_the_entries_since_the_last_point(iwaki: Any) -> None:
    key = chain_key(iwaki.organization.pk)
    first = verify_incremental(key)
    assert first.ok and first.verified_count == len(_entries(iwaki.organization))
    _log(iwaki.organization, 3)
    second = verify_incremental(key)
    assert second.ok and second.verified_count == first.verified_count + 3
    assert second.verified_seq == ChainHead.objects.get(chain=key).seq


def test_a_break_is_recorded_and_told_once_to_the_audit_readers(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    key = chain_key(iwaki.organization.pk)
    verify_incremental(key)
    _log(iwaki.organization, 2)
    target = AuditEntry.objects.filter(chain=key).order_by("-chain_seq").first()
    assert target is not None
    lift_triggers()
    raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["forged", target.pk])
    with django_capture_on_commit_callbacks(execute=True):
        state = verify_incremental(key)
    assert not state.ok and state.broken_seq == target.seq and "hash" in state.reason
    told = DBTaskResult.objects.filter(task_path="koshiki.notify.tasks.deliver_task")
    assert told.count() == 1
    assert told.get().args_kwargs["args"][0] == "audit.chain_broken"
    with django_capture_on_commit_callbacks(execute=True):
        verify_incremental(key)
    assert told.count() == 1


def test_the_sweep_verifies_moved_chains_at_most_once_an_interval(iwaki: Any, shinshiro: Any) -> None:
    now = timezone.now()
    assert verify_due(now) >= 2
    assert ChainVerification.objects.filter(chain=chain_key(iwaki.organization.pk), ok=True).exists()
    _log(iwaki.organization)
    assert verify_due(now + dt.timedelta(minutes=5)) == 0
    assert verify_due(now + dt.timedelta(minutes=61)) == 1


# --- lock order (PostgreSQL) -------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_writer_of_one_body_does_not_wait_for_another_bodys_writer(
    transactional_db: Any, iwaki: Any, shinshiro: Any
) -> None:
    holding, release, appended = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_iwaki() -> None:
        try:
            with transaction.atomic():
                log_action("test.later", actor=None, organization=iwaki.organization, after={"i": 1})
                holding.set()  # iwaki's head is locked until this transaction ends
                release.wait(timeout=30)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def append_shinshiro() -> None:
        try:
            with transaction.atomic():
                log_action("test.later", actor=None, organization=shinshiro.organization, after={"i": 2})
            appended.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=hold_iwaki)
    first.start()
    assert holding.wait(timeout=30)
    second = threading.Thread(target=append_shinshiro)
    second.start()
    finished = appended.wait(timeout=5)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert errors == [] and finished
    assert verify_chain().ok


def test_cli_verifies_one_body_with_its_proof(
    iwaki: Any, shinshiro: Any, signing_key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from koshiki.cli import main

    checkpoints.make_checkpoint()
    assert main(["audit", "proof", "--org", iwaki.organization.code]) == 0
    path = tmp_path / "proof.json"
    path.write_text(capsys.readouterr().out)
    assert main(["audit", "verify", "--proof", str(path)]) == 0
    assert chain_key(iwaki.organization.pk) in capsys.readouterr().out
    target = _entries(iwaki.organization)[1]
    lift_triggers()
    raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["forged", target.pk])
    assert main(["audit", "verify", "--proof", str(path)]) == 1
    assert f"seq {target.seq}" in capsys.readouterr().err
