"""Per-object history panels: the whole audit trail for those who may read the audit log; otherwise only
the viewer's own entries (an 担当者 does not learn who else did what from a post or account page)."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.posts import services as posts
from koshiki.registry import services as registry

from ..conftest import signed_in_client
from ..posts.conftest import CLEAN_POST, build_posting_body
from ..security.conftest import SEEDS


def _requested_and_decided(iwaki: Any, officers: dict[str, Any]) -> Any:
    account = registry.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )
    registry.decide(actor=officers["bucho"].user, account=account, approve=False, comment="差し戻し")
    return account


def _history(user: Any, url: str) -> list[AuditEntry]:
    response = signed_in_client(user).get(url)
    assert response.status_code == 200
    return list(response.context["history"])


def test_an_operator_sees_only_their_own_entries_on_an_account(
    iwaki: Any, iwaki_officers: dict[str, Any]
) -> None:
    account = _requested_and_decided(iwaki, iwaki_officers)
    others = AuditEntry.objects.filter(
        object_type="registry.officialaccount", object_id=str(account.pk)
    ).exclude(actor_id=iwaki.tanto.user.pk)
    assert others.exists()  # someone else acted on the account
    seen = _history(iwaki.tanto.user, f"/accounts/{account.pk}/")
    assert seen and {e.actor_id for e in seen} == {iwaki.tanto.user.pk}


def test_an_audit_reader_sees_every_entry_on_an_account(iwaki: Any, iwaki_officers: dict[str, Any]) -> None:
    account = _requested_and_decided(iwaki, iwaki_officers)
    every = AuditEntry.objects.filter(
        object_type="registry.officialaccount", object_id=str(account.pk)
    ).count()
    assert len(_history(iwaki.ciso.user, f"/accounts/{account.pk}/")) == every
    assert len(_history(iwaki.kacho.user, f"/accounts/{account.pk}/")) == every


def test_the_panel_says_it_shows_only_your_own_actions(iwaki: Any, iwaki_officers: dict[str, Any]) -> None:
    account = _requested_and_decided(iwaki, iwaki_officers)
    page = signed_in_client(iwaki.tanto.user).get(f"/accounts/{account.pk}/").content.decode()
    assert "あなた自身の操作だけを表示しています" in page
    page = signed_in_client(iwaki.ciso.user).get(f"/accounts/{account.pk}/").content.decode()
    assert "あなた自身の操作だけを表示しています" not in page


def test_an_operator_sees_only_their_own_entries_on_a_post(
    db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    body = build_posting_body(system_admin, *SEEDS[0])
    post = posts.submit(
        actor=body.operator.user,
        post=posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST),
    )
    step = posts.pending_step(post)
    assert step is not None
    posts.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    every = AuditEntry.objects.filter(object_type="posts.post", object_id=str(post.pk))
    assert every.exclude(actor_id=body.operator.user.pk).exists()
    seen = _history(body.operator.user, f"/posts/{post.pk}/")
    assert seen and {e.actor_id for e in seen} == {body.operator.user.pk}
    assert len(_history(body.seed.admin.user, f"/posts/{post.pk}/")) == every.count()
