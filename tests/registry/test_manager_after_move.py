"""Issue #10 review: the named account manager (OfficialAccount.manager) keeps no power after a 異動.

Reproduced before: いわき市 所属長 (manager of a 危機管理課 account) moved to 広報広聴課 and was still a post
approver, the credential manager and a writer, while two-step sign-in was no longer required of him.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.orgs.models import PersonnelChange
from koshiki.posts.roles import can_write, step_holders
from koshiki.registry.io import import_rows
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import is_account_manager, is_manager
from koshiki.twostep.policy import two_step_required


@pytest.fixture
def account(iwaki: Any) -> OfficialAccount:
    import_rows(
        actor=None,
        organization=iwaki.organization,
        source="test",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "bluesky",
                "アカウント名": "危機管理課ブルースカイ",
                "ID": "kiki-iwaki.test",
                "URL": "https://bsky.app/profile/kiki-iwaki.test",
                "目的": "防災情報の発信",
                "運用時間": "00:00-23:59",
                "状態": "運用中",
            }
        ],
    )
    found = OfficialAccount.objects.get(handle="kiki-iwaki.test")
    assert found.manager_id == iwaki.shozokucho.pk
    return found


def _move(iwaki: Any, staff: Any, dept: str) -> None:
    org_services.record_personnel_change(
        actor=iwaki.kacho.user,
        staff=staff,
        kind=PersonnelChange.Kind.MOVE,
        effective_date=timezone.localdate(),
        to_department=iwaki.departments[dept],
    )


def test_the_named_manager_is_an_approver_before_the_move(iwaki: Any, account: OfficialAccount) -> None:
    assert iwaki.shozokucho in step_holders(account, "account_manager")
    assert is_account_manager(iwaki.shozokucho.user, account)


def test_a_moved_manager_is_no_longer_an_approver(iwaki: Any, account: OfficialAccount) -> None:
    _move(iwaki, iwaki.shozokucho, "kouhou")
    account = OfficialAccount.objects.get(pk=account.pk)
    assert iwaki.shozokucho not in step_holders(account, "account_manager")


def test_a_moved_manager_no_longer_manages_credentials_or_writes(
    iwaki: Any, account: OfficialAccount
) -> None:
    _move(iwaki, iwaki.shozokucho, "kouhou")
    account = OfficialAccount.objects.get(pk=account.pk)
    user = iwaki.shozokucho.user
    assert not is_account_manager(user, account)
    assert not is_manager(user, account)
    assert not can_write(user, account)


def test_a_manager_moved_to_the_department_above_still_counts(iwaki: Any, account: OfficialAccount) -> None:
    _move(iwaki, iwaki.shozokucho, "somu")
    account = OfficialAccount.objects.get(pk=account.pk)
    assert iwaki.shozokucho in step_holders(account, "account_manager")


def test_a_current_named_manager_must_use_two_steps(iwaki: Any, account: OfficialAccount) -> None:
    """Even without the manager role (e.g. it ended but they stay in the 課), the named manager approves."""
    for assignment in iwaki.shozokucho.roles.all():
        org_services.end_role(actor=iwaki.kacho.user, assignment=assignment, end_date=timezone.localdate())
    assert iwaki.shozokucho in step_holders(account, "account_manager")
    assert two_step_required(iwaki.shozokucho.user)
