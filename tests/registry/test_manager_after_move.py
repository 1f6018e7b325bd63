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
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import is_account_manager, is_manager
from koshiki.twostep.policy import two_step_required

from ..conftest import live_kiki_account


@pytest.fixture
def account(iwaki: Any) -> OfficialAccount:
    found = live_kiki_account(iwaki)
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


# --- an administrator sees the gap and names a new manager (reassign_manager) -------------------------


def test_org_admin_sees_an_account_without_a_current_manager_until_one_is_named(
    iwaki: Any, account: OfficialAccount
) -> None:
    from koshiki.registry.services import reassign_manager

    from ..attention_helpers import kinds

    assert "registry.no_current_manager" not in kinds(iwaki.kacho)
    _move(iwaki, iwaki.shozokucho, "kouhou")
    assert "registry.no_current_manager" in kinds(iwaki.kacho)
    assert "registry.no_current_manager" not in kinds(iwaki.tanto)
    reassign_manager(actor=iwaki.kacho.user, account=account, manager=iwaki.tanto)
    assert "registry.no_current_manager" not in kinds(iwaki.kacho)


def test_reassign_manager_sets_the_manager_and_audits(iwaki: Any, account: OfficialAccount) -> None:
    from koshiki.audit.models import AuditEntry
    from koshiki.registry.services import reassign_manager

    _move(iwaki, iwaki.shozokucho, "kouhou")
    reassign_manager(actor=iwaki.kacho.user, account=account, manager=iwaki.tanto)
    account.refresh_from_db()
    assert account.manager_id == iwaki.tanto.pk
    entry = AuditEntry.objects.filter(action="registry.account.manager_reassigned").get()
    assert entry.before["manager"] == iwaki.shozokucho.pk and entry.after["manager"] == iwaki.tanto.pk


def test_reassign_manager_refuses_staff_of_another_department(iwaki: Any, account: OfficialAccount) -> None:
    from koshiki.core.errors import InvalidInput
    from koshiki.registry.services import reassign_manager

    with pytest.raises(InvalidInput):
        reassign_manager(actor=iwaki.kacho.user, account=account, manager=iwaki.kacho)
    account.refresh_from_db()
    assert account.manager_id == iwaki.shozokucho.pk


def test_reassign_manager_refuses_someone_without_the_right(iwaki: Any, account: OfficialAccount) -> None:
    from koshiki.core.errors import NotPermitted
    from koshiki.registry.services import reassign_manager

    with pytest.raises(NotPermitted):
        reassign_manager(actor=iwaki.tanto.user, account=account, manager=iwaki.tanto)
    account.refresh_from_db()
    assert account.manager_id == iwaki.shozokucho.pk


def test_web_an_admin_names_a_new_manager_from_the_account_page(iwaki: Any, account: OfficialAccount) -> None:
    from ..conftest import signed_in_client

    _move(iwaki, iwaki.shozokucho, "kouhou")
    client = signed_in_client(iwaki.kacho.user)
    assert 'id="manager-form"' in client.get(f"/accounts/{account.pk}/").content.decode()
    response = client.post(f"/accounts/{account.pk}/manager/", {"manager": iwaki.tanto.pk})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.manager_id == iwaki.tanto.pk


def test_web_the_form_is_not_shown_to_an_operator(iwaki: Any, account: OfficialAccount) -> None:
    from ..conftest import signed_in_client

    page = signed_in_client(iwaki.tanto.user).get(f"/accounts/{account.pk}/").content.decode()
    assert 'id="manager-form"' not in page
