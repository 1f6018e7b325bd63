"""The demo shows post templates (issue #13 R): two per body with a live account, checked without a block."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from koshiki.posts.models import PostTemplate
from koshiki.registry.models import OfficialAccount


def test_every_demo_body_with_a_live_account_has_two_templates(db: Any) -> None:
    call_command("load_demo")
    live = OfficialAccount.objects.filter(state="active").values_list("organization_id", flat=True)
    assert live
    for organization_id in set(live):
        rows = PostTemplate.objects.filter(organization_id=organization_id)
        assert {t.category for t in rows} == {"emergency", "event"}
        assert all(f["severity"] != "block" for t in rows for f in t.findings)
