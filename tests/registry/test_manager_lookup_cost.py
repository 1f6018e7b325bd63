"""A list page that already read each account's named manager (select_related) does not read the whole
body's staff again to check that manager (issue #12 P: 1,178 staff rows for 横浜市 on the approval queue,
after-the-fact list and dashboard)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import HolderIndex, current_manager


def _account(body: Any) -> OfficialAccount:
    made = OfficialAccount.objects.create(
        organization=body.organization,
        department=body.departments["kiki"],
        platform="x",
        account_name="危機管理",
        handle="kiki_x",
        purpose="防災情報",
        manager=body.shozokucho,
        state=AccountState.ACTIVE,
    )
    return OfficialAccount.objects.select_related("manager").get(pk=made.pk)


def test_a_manager_already_read_costs_no_query(iwaki: Any) -> None:
    account = _account(iwaki)
    index = HolderIndex(iwaki.organization)
    with CaptureQueriesContext(connection) as captured:
        manager = current_manager(account, index)
    assert manager == iwaki.shozokucho
    assert captured.captured_queries == []


def test_a_manager_read_with_the_account_who_moved_away_does_not_count(iwaki: Any) -> None:
    account = _account(iwaki)
    iwaki.shozokucho.department = iwaki.departments["kouhou"]  # the row as a 異動 leaves it
    iwaki.shozokucho.save(update_fields=["department"])
    account = OfficialAccount.objects.select_related("manager").get(pk=account.pk)
    assert current_manager(account, HolderIndex(iwaki.organization)) is None
