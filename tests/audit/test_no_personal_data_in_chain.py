"""Free text staff type about an account (login e-mail, purpose, policy answers) is kept beside the
chain, not in it."""

from __future__ import annotations

import json
from typing import Any

from koshiki.audit.models import AuditEntry
from koshiki.audit.retention import reveal
from koshiki.registry import services


def _chained_text() -> str:
    return "\n".join(
        json.dumps([e.object_repr, e.before, e.after], ensure_ascii=False) for e in AuditEntry.objects.all()
    )


def test_a_login_email_and_purpose_never_reach_the_chain_but_can_be_revealed(iwaki: Any) -> None:
    account = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="防災いわき",
        handle="bousai_iwaki",
        purpose="山田花子さん宅の避難支援を知らせる",
        login_email="yamada.hanako@example.jp",
    )
    chained = _chained_text()
    assert "yamada.hanako@example.jp" not in chained
    assert "山田花子" not in chained
    entry = AuditEntry.objects.filter(action="registry.account.requested", object_id=str(account.pk)).get()
    revealed = json.dumps(reveal(entry.after), ensure_ascii=False)
    assert "yamada.hanako@example.jp" in revealed and "山田花子" in revealed
