"""The registry's dashboard providers read the body's accounts once between them (issue #12 P): the
"no current manager" check and the managed-account reviews each read every account of 横浜市 before."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from koshiki.core.attention import Viewer
from koshiki.orgs.scoping import staff_cache
from koshiki.registry import attention as registry_attention
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount


def _account(body: Any, n: int, manager: Any) -> OfficialAccount:
    return OfficialAccount.objects.create(
        organization=body.organization,
        department=body.departments["kiki"],
        platform="x",
        account_name=f"危機管理 {n}",
        handle=f"kiki_{n}",
        purpose="防災情報",
        manager=manager,
        state=AccountState.ACTIVE,
    )


def _account_reads(viewer: Viewer) -> tuple[list[str], list[Any]]:
    with staff_cache(), CaptureQueriesContext(connection) as captured:
        items = [
            *registry_attention.accounts_without_a_manager(viewer),
            *registry_attention.notices_due(viewer),
            *registry_attention.reviews_due(viewer),
        ]
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "registry_officialaccount"')
    ]
    return reads, items


def test_the_registry_providers_read_the_accounts_once(iwaki: Any) -> None:
    _account(iwaki, 1, iwaki.shozokucho)
    _account(iwaki, 2, None)  # no manager: one item for the administrator
    reads, items = _account_reads(Viewer(iwaki.kacho.user, iwaki.kacho))
    assert [i.kind for i in items].count("registry.no_current_manager") == 1
    assert len(reads) == 1


def test_a_manager_sees_the_same_items_without_reading_the_body_s_staff(iwaki: Any) -> None:
    _account(iwaki, 1, iwaki.shozokucho)
    viewer = Viewer(iwaki.shozokucho.user, iwaki.shozokucho)
    with staff_cache(), CaptureQueriesContext(connection) as captured:
        list(registry_attention.reviews_due(viewer))
    body_staff = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "orgs_staff"') and " LIMIT " not in q["sql"]
    ]
    assert body_staff == []
