"""Free text that may hold personal data is kept beside the chain, not in it, and shredded after retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from koshiki.audit.canonical import mask_secrets
from koshiki.audit.chain import verify_chain
from koshiki.audit.models import AuditEntry, RetainedText
from koshiki.audit.retention import SHREDDED, reveal
from koshiki.audit.services import log_action
from koshiki.cli import main

from ..conftest import signed_in_client
from ..posts.conftest import PHONE_POST, SEEDS, build_posting_body

pytestmark = pytest.mark.usefixtures("test_action_codes")

PHONE = "090-1234-5678"


def _chained(entry: AuditEntry) -> str:
    entry = AuditEntry.objects.get(pk=entry.pk)
    return json.dumps([entry.before, entry.after, entry.object_repr], ensure_ascii=False)


@pytest.fixture
def iwaki_posting(db: Any, system_admin: Any) -> Any:
    return build_posting_body(system_admin, *SEEDS[0])


def test_a_blocked_draft_text_is_not_in_the_chain(iwaki_posting: Any) -> None:
    from koshiki.posts import services

    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=PHONE_POST
    )
    entries = AuditEntry.objects.filter(object_type="posts.post", object_id=str(post.pk))
    assert entries.exists()
    for entry in entries:
        assert PHONE not in _chained(entry) and "田中" not in _chained(entry)
    created = entries.get(action="posts.post.created")
    assert reveal(created.after)["text"] == PHONE_POST


def test_comment_and_reason_are_kept_outside_the_chain(db: Any) -> None:
    with transaction.atomic():
        entry = log_action(
            "test.free_text", actor=None, after={"comment": f"連絡先 {PHONE}", "reason": "紛失", "step": 1}
        )
    assert PHONE not in _chained(entry) and "紛失" not in _chained(entry)
    assert entry.after["step"] == 1
    assert reveal(entry.after) == {"comment": f"連絡先 {PHONE}", "reason": "紛失", "step": 1}


def test_the_digest_is_salted_so_a_guess_cannot_be_confirmed(db: Any) -> None:
    with transaction.atomic():
        entry = log_action("test.free_text", actor=None, after={"text": PHONE})
    assert hashlib.sha256(PHONE.encode()).hexdigest() not in _chained(entry)
    held = RetainedText.objects.get()
    assert entry.after["text"]["sha256"] == hashlib.sha256((held.salt + PHONE).encode()).hexdigest()


def test_shredding_deletes_old_texts_audits_it_and_the_chain_still_verifies(
    iwaki: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with transaction.atomic():
        old = log_action(
            "test.old", actor=None, organization=iwaki.organization, after={"text": "古い下書き"}
        )
    with transaction.atomic():
        log_action("test.other", actor=None, after={"text": "団体なし"})
    held = RetainedText.objects.filter(organization_id=iwaki.organization.pk).count()
    later = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert main(["audit", "shred", "--before", later, "--org", iwaki.organization.code]) == 0
    assert f"deleted {held} " in capsys.readouterr().out
    assert reveal(AuditEntry.objects.get(pk=old.pk).after)["text"] == SHREDDED
    assert not RetainedText.objects.filter(organization_id=iwaki.organization.pk).exists()
    assert RetainedText.objects.filter(
        organization_id__isnull=True, text="団体なし"
    ).exists()  # not this body's
    shredded = AuditEntry.objects.filter(action="audit.texts.shredded").get()
    assert shredded.organization_id == iwaki.organization.pk and shredded.after["count"] == held
    assert verify_chain().ok


def test_shred_dry_run_deletes_nothing(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with transaction.atomic():
        log_action("test.old", actor=None, after={"text": "下書き"})
    later = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert main(["audit", "shred", "--before", later, "--dry-run"]) == 0
    assert (
        RetainedText.objects.count() == 1
        and not AuditEntry.objects.filter(action="audit.texts.shredded").exists()
    )


def test_shred_by_default_keeps_texts_within_the_retention_period(db: Any, settings: Any) -> None:
    from koshiki.audit.retention import shred

    settings.KOSHIKI_AUDIT_TEXT_RETENTION_DAYS = 1827
    with transaction.atomic():
        log_action("test.recent", actor=None, after={"text": "最近の下書き"})
    assert shred(actor=None) == 0
    RetainedText.objects.update(created_at=timezone.now() - dt.timedelta(days=1828))
    assert shred(actor=None) == 1 and not RetainedText.objects.exists()


def test_the_log_page_shows_the_text_then_the_shredded_mark(iwaki: Any) -> None:
    with transaction.atomic():
        log_action(
            "test.page",
            actor=iwaki.kacho.user,
            organization=iwaki.organization,
            after={"comment": "表示される本文"},
        )
    client = signed_in_client(iwaki.ciso.user)
    assert "表示される本文" in client.get("/audit/?action=test.page").content.decode()
    RetainedText.objects.all().delete()
    body = client.get("/audit/?action=test.page").content.decode()
    assert "表示される本文" not in body and "保存期間経過により削除" in body


def test_boolean_secret_flags_are_shown_while_secret_values_are_masked() -> None:
    masked = mask_secrets(
        {"secret_changed": True, "secret": "hunter2", "token_rotated": False, "app_password": "x"}
    )
    assert masked == {
        "secret_changed": True,
        "secret": "********",
        "token_rotated": False,
        "app_password": "********",
    }
