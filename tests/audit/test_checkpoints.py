"""Signed checkpoints: the three attacks a DBA can hide from a plain verify are found against one."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from koshiki.audit import checkpoints
from koshiki.audit.canonical import entry_hash
from koshiki.audit.chain import _fields_of, chain_key, verify_chain
from koshiki.audit.models import AuditEntry, ChainHead, Checkpoint
from koshiki.audit.services import log_action
from koshiki.cli import main

from ._dba import lift_triggers, raw, restore_triggers

pytestmark = pytest.mark.usefixtures("test_action_codes")


@pytest.fixture(autouse=True)
def _signing_key(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "audit_signing_key"
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = str(path)
    checkpoints.generate_key_file(path)
    return path


def _checkpoint_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["audit", "checkpoint"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "checkpoint.json"
    path.write_text(out)
    return path


def _more_entries(n: int, organization: Any = None) -> None:
    for i in range(n):
        with transaction.atomic():
            log_action("test.later", actor=None, organization=organization, after={"i": i})


def _chain(iwaki: Any) -> tuple[str, list[AuditEntry]]:
    """The body's own chain (issue #12: one per organization) and its entries in chain order."""
    key = chain_key(iwaki.organization.pk)
    return key, list(AuditEntry.objects.filter(chain=key).order_by("chain_seq"))


def _truncate(key: str, keep: AuditEntry) -> None:
    """A DBA's truncation of one chain, head moved back to match."""
    raw("DELETE FROM audit_auditentry WHERE chain = %s AND chain_seq > %s", [key, keep.chain_seq])
    raw(
        "UPDATE audit_chainhead SET seq = %s, last_hash = %s WHERE chain = %s",
        [keep.chain_seq, keep.entry_hash, key],
    )


def _verify_with(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["audit", "verify", "--checkpoint", str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_checkpoint_is_signed_json_with_chain_and_format(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    doc = json.loads(_checkpoint_file(tmp_path, capsys).read_text())
    heads = checkpoints.current_heads()
    assert doc["format"] == 2 and doc["chain"] == "national" and doc["heads"] == len(heads) >= 1
    assert doc["hash"] == checkpoints.merkle_root(heads) and doc["seq"] == sum(s for _, s, _ in heads)
    assert [tuple(leaf) for leaf in doc["leaves"]] == heads
    assert doc["public_key"].startswith("ed25519:") and doc["signature"] and doc["time"]
    assert Checkpoint.objects.filter(format=2, entry_hash=doc["hash"]).exists()


def test_an_intact_chain_that_grew_extends_the_checkpoint(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    _more_entries(3)
    code, out = _verify_with(path, capsys)
    assert code == 0, out


def test_truncation_with_the_head_moved_back_is_detected(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    key, entries = _chain(iwaki)
    lift_triggers()
    _truncate(key, entries[4])
    raw("DELETE FROM audit_checkpoint")
    assert verify_chain().ok  # the plain chain check cannot see it
    code, out = _verify_with(path, capsys)
    assert code == 1 and "truncated" in out


def test_truncation_and_regrowth_past_the_checkpoint_is_detected(
    iwaki: Any, tmp_path: Path, capsys: Any
) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    key, entries = _chain(iwaki)
    lift_triggers()
    _truncate(key, entries[4])
    raw("DELETE FROM audit_checkpoint")
    restore_triggers()
    _more_entries(len(entries) + 5, iwaki.organization)
    code, out = _verify_with(path, capsys)
    assert code == 1 and "differs" in out


def test_rewriting_an_entry_and_rehashing_the_rest_is_detected(
    iwaki: Any, tmp_path: Path, capsys: Any
) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    key, entries = _chain(iwaki)
    lift_triggers()
    prev = entries[2].prev_hash
    for entry in entries[2:]:
        if entry is entries[2]:
            entry.actor_name = "forger"
        entry.prev_hash = prev
        entry.entry_hash = entry_hash(prev, _fields_of(entry))
        raw(
            "UPDATE audit_auditentry SET actor_name = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.actor_name, entry.prev_hash, entry.entry_hash, entry.pk],
        )
        prev = entry.entry_hash
    raw("UPDATE audit_chainhead SET last_hash = %s WHERE chain = %s", [prev, key])
    raw("DELETE FROM audit_checkpoint")
    assert verify_chain().ok
    code, out = _verify_with(path, capsys)
    assert code == 1 and "differs" in out


def test_deleting_the_head_row_is_detected(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    lift_triggers()
    raw("DELETE FROM audit_chainhead")
    code, out = _verify_with(path, capsys)
    assert code == 1 and "head" in out


def test_a_forged_signature_is_refused(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    path = _checkpoint_file(tmp_path, capsys)
    doc = json.loads(path.read_text())
    doc["seq"] -= 1
    path.write_text(json.dumps(doc))
    code, out = _verify_with(path, capsys)
    assert code == 1 and "signature" in out


def test_a_checkpoint_signed_by_another_key_fails_the_pin(
    iwaki: Any, tmp_path: Path, capsys: Any, settings: Any
) -> None:
    pinned = checkpoints.public_key_text()
    other = tmp_path / "other_key"
    checkpoints.generate_key_file(other)
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = str(other)
    path = _checkpoint_file(tmp_path, capsys)
    code, out = _verify_with(path, capsys, "--public-key", pinned)
    assert code == 1 and "pinned" in out


def test_the_stored_checkpoints_are_checked_by_a_plain_verify(
    iwaki: Any, tmp_path: Path, capsys: Any
) -> None:
    _checkpoint_file(tmp_path, capsys)
    key, entries = _chain(iwaki)
    lift_triggers()
    _truncate(key, entries[4])
    assert main(["audit", "verify"]) == 1
    assert "checkpoint" in capsys.readouterr().err


def test_the_checkpoint_table_is_append_only(iwaki: Any, tmp_path: Path, capsys: Any) -> None:
    _checkpoint_file(tmp_path, capsys)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_checkpoint")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_checkpoint SET seq = 1")


def test_the_periodic_job_checkpoints_only_when_the_head_moved(iwaki: Any) -> None:
    from koshiki.audit.tasks import checkpoint_if_moved

    assert checkpoint_if_moved() is not None
    assert checkpoint_if_moved() is None
    _more_entries(1)
    made = checkpoint_if_moved()
    assert made is not None and made.heads == [list(h) for h in checkpoints.current_heads()]
    assert Checkpoint.objects.count() == 2


def test_the_sweeper_signs_when_the_head_moved_and_the_interval_passed(iwaki: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from koshiki.core import jobs

    now = timezone.now()
    jobs.run_sweeps(now)
    assert Checkpoint.objects.count() == 1
    _more_entries(1)
    jobs.run_sweeps(now + dt.timedelta(minutes=5))  # head moved, but within the interval
    assert Checkpoint.objects.count() == 1
    jobs.run_sweeps(now + dt.timedelta(minutes=61))
    assert Checkpoint.objects.count() == 2
    assert Checkpoint.objects.latest("seq").seq == sum(h.seq for h in ChainHead.objects.all())


def test_a_missing_local_key_is_generated_owner_only(settings: Any, tmp_path: Path) -> None:
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = ""
    settings.VAR_DIR = tmp_path
    text = checkpoints.public_key_text()
    key = tmp_path / "audit_signing_key"
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert checkpoints.public_key_text() == text


def test_a_configured_key_file_that_is_missing_is_an_error(settings: Any, tmp_path: Path) -> None:
    settings.KOSHIKI_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "absent")
    with pytest.raises(checkpoints.SigningKeyError):
        checkpoints.public_key_text()


def test_no_checkpoint_is_signed_over_a_chain_forked_since_the_last_one(iwaki: Any) -> None:
    """Signing over a fork would bury it under a newer checkpoint that the fork extends."""
    from koshiki.audit.chain import ChainBroken

    checkpoints.make_checkpoint()
    key, entries = _chain(iwaki)
    lift_triggers()
    _truncate(key, entries[2])
    restore_triggers()
    _more_entries(len(entries) + 3, iwaki.organization)
    with pytest.raises(ChainBroken):
        checkpoints.make_checkpoint()
    assert Checkpoint.objects.count() == 1
