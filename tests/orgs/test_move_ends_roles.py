"""Issue #13 item 3: a 異動 ends the person's roles tied to the old 課 (and their place among the old 課's
accounts' 運用に携わる職員), each audited; body-wide roles and roles of the new 課 stay; naming a moved person
again as a password holder of an old 課's account warns first.

Reproduced before: after moving from 危機管理課 to 広報広聴課, 担当者 still wrote 危機管理課's posts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services as org_services
from koshiki.orgs.models import PersonnelChange, RoleAssignment
from koshiki.registry.models import OfficialAccount

from ..conftest import live_kiki_account

TODAY = timezone.localdate


@pytest.fixture
def kiki_account(iwaki: Any) -> OfficialAccount:
    """A live 危機管理課 account whose 運用に携わる職員 is 担当者 (named at request time)."""
    account = live_kiki_account(iwaki)
    account.operators.add(iwaki.tanto)  # as request_account names them
    return account


def _move(iwaki: Any, staff: Any, dept: str, on: dt.date | None = None) -> PersonnelChange:
    return org_services.record_personnel_change(
        actor=iwaki.kacho.user,
        staff=staff,
        kind=PersonnelChange.Kind.MOVE,
        effective_date=on or TODAY(),
        to_department=iwaki.departments[dept],
    )


def test_a_moved_operator_cannot_write_the_old_departments_posts(
    iwaki: Any, kiki_account: OfficialAccount
) -> None:
    from koshiki.posts.services import create_post

    _move(iwaki, iwaki.tanto, "kouhou")
    account = OfficialAccount.objects.get(pk=kiki_account.pk)
    with override("ja"), pytest.raises(NotPermitted) as refused:
        create_post(actor=iwaki.tanto.user, account=account, text="避難所を開設しました。")
    assert "危機管理課" in str(refused.value) and "異動" in str(refused.value)


def test_the_move_takes_the_person_off_the_old_accounts_operators_audited(
    iwaki: Any, kiki_account: OfficialAccount
) -> None:
    change = _move(iwaki, iwaki.tanto, "kouhou")
    assert not kiki_account.operators.filter(pk=iwaki.tanto.pk).exists()
    entry = AuditEntry.objects.get(action="registry.account.operator_removed")
    assert entry.object_id == str(kiki_account.pk)
    assert entry.after["personnel_change"] == change.pk and entry.before["staff"] == iwaki.tanto.pk


def test_the_old_departments_role_shows_an_end_date_and_an_audit_entry(iwaki: Any) -> None:
    change = _move(iwaki, iwaki.tanto, "kouhou")
    role = RoleAssignment.objects.get(staff=iwaki.tanto, role_id="operator")
    assert role.end_date == change.effective_date
    entry = AuditEntry.objects.get(action="orgs.role.ended", object_id=str(role.pk))
    assert entry.before["end_date"] is None and entry.after["end_date"] == change.effective_date.isoformat()


def test_a_role_of_the_new_department_is_not_ended(iwaki: Any) -> None:
    kept = org_services.assign_role(
        actor=iwaki.kacho.user, staff=iwaki.tanto, role_id="operator", department=iwaki.departments["kouhou"]
    )
    _move(iwaki, iwaki.tanto, "kouhou")
    kept.refresh_from_db()
    assert kept.end_date is None
    assert RoleAssignment.objects.current().filter(pk=kept.pk).exists()


def test_a_past_dated_move_ends_a_role_granted_after_its_date(iwaki: Any) -> None:
    """The role started today; the move is dated last week: the role was not 'current' on that date, and
    was kept for ever before."""
    _move(iwaki, iwaki.tanto, "kouhou", on=TODAY() - dt.timedelta(days=7))
    assert not RoleAssignment.objects.current().filter(staff=iwaki.tanto, role_id="operator").exists()


def test_a_pending_self_grant_for_the_old_department_ends_too(iwaki: Any) -> None:
    pending = RoleAssignment.objects.create(
        organization=iwaki.organization,
        staff=iwaki.tanto,
        role_id="account_manager",
        department=iwaki.departments["kiki"],
        start_date=TODAY(),
        state=RoleAssignment.State.PENDING,
    )
    _move(iwaki, iwaki.tanto, "kouhou")
    pending.refresh_from_db()
    assert pending.end_date is not None


# --- naming a moved person again as a password holder of the old 課's account warns ----------------


def test_re_adding_a_moved_person_as_password_holder_warns_first(
    iwaki: Any, kiki_account: OfficialAccount
) -> None:
    from koshiki.security.models import CredentialHolder
    from koshiki.security.services import add_holder

    add_holder(actor=iwaki.shozokucho.user, account=kiki_account, staff=iwaki.tanto, reason="主担当")
    _move(iwaki, iwaki.tanto, "kouhou")
    with override("ja"), pytest.raises(InvalidInput) as warned:
        add_holder(actor=iwaki.shozokucho.user, account=kiki_account, staff=iwaki.tanto, reason="引継ぎ")
    assert "異動" in str(warned.value) and warned.value.field == "confirm_moved"
    assert not CredentialHolder.objects.filter(staff=iwaki.tanto, removed_at__isnull=True).exists()
    add_holder(
        actor=iwaki.shozokucho.user,
        account=kiki_account,
        staff=iwaki.tanto,
        reason="引継ぎ",
        confirm_moved=True,
    )
    entry = AuditEntry.objects.filter(action="security.holder.added").order_by("-seq").first()
    assert entry is not None and entry.after["moved_out"] is True


def test_a_holder_of_the_accounts_own_department_is_added_without_a_warning(
    iwaki: Any, kiki_account: OfficialAccount
) -> None:
    from koshiki.security.services import add_holder

    add_holder(actor=iwaki.shozokucho.user, account=kiki_account, staff=iwaki.tanto, reason="主担当")
