"""Issue #13 item 4: a 異動 dated today or earlier shows its effects before anything is applied; the preview
is the applying code run and rolled back, so it cannot drift; a date a year away is refused as a likely typo
unless confirmed; a confirmation whose effects changed since the preview is refused; one request key applies
once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput
from koshiki.orgs import services
from koshiki.orgs.models import PersonnelChange, RoleAssignment, Staff
from koshiki.registry.models import OfficialAccount

from ..conftest import live_kiki_account

TODAY = timezone.localdate


@pytest.fixture
def held_account(iwaki: Any) -> OfficialAccount:
    """A live 危機管理課 account whose password 担当者 holds."""
    from koshiki.security.services import add_holder

    account = live_kiki_account(iwaki)
    add_holder(actor=iwaki.shozokucho.user, account=account, staff=iwaki.tanto, reason="主担当")
    return account


def _args(iwaki: Any, on: dt.date, dept: str = "kouhou") -> dict[str, Any]:
    return {
        "actor": iwaki.kacho.user,
        "staff": iwaki.tanto,
        "kind": PersonnelChange.Kind.MOVE,
        "effective_date": on,
        "to_department": iwaki.departments[dept],
    }


def test_the_preview_lists_the_effects_and_changes_nothing(iwaki: Any, held_account: OfficialAccount) -> None:
    before = (AuditEntry.objects.count(), PersonnelChange.objects.count())
    with override("ja"):
        preview = services.preview_personnel_change(**_args(iwaki, TODAY() - dt.timedelta(days=3)))
    actions = [e.action for e in preview.effects]
    assert "orgs.role.ended" in actions and "security.holder.removed" in actions
    assert "security.rotation_task.opened" in actions
    assert any("運用に携わる職員" in e.target and "危機管理課" in e.target for e in preview.effects)
    assert preview.needs_confirmation and not preview.far_date
    assert (AuditEntry.objects.count(), PersonnelChange.objects.count()) == before
    iwaki.tanto.refresh_from_db()
    assert iwaki.tanto.department == iwaki.departments["kiki"]
    assert RoleAssignment.objects.current().filter(staff=iwaki.tanto, role_id="operator").exists()


def test_the_preview_names_exactly_what_applying_writes(iwaki: Any, held_account: OfficialAccount) -> None:
    """No second list: the effects shown are the entries the apply writes (same codes, same objects)."""
    preview = services.preview_personnel_change(**_args(iwaki, TODAY()))
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    services.record_personnel_change(**_args(iwaki, TODAY()), expected_effects=preview.digest)
    written = [
        (e.action, e.object_type, e.object_id)
        for e in AuditEntry.objects.filter(seq__gt=last).order_by("seq")
        if e.action not in ("orgs.personnel.recorded", "orgs.personnel.applied")
    ]
    assert written == [(e.action, e.object_type, e.object_id) for e in preview.effects]


def test_a_future_change_needs_no_confirmation(iwaki: Any) -> None:
    preview = services.preview_personnel_change(**_args(iwaki, TODAY() + dt.timedelta(days=30)))
    assert not preview.needs_confirmation


@pytest.mark.parametrize("days", [-400, 400])
def test_a_date_more_than_a_year_away_is_refused_as_a_typo(iwaki: Any, days: int) -> None:
    before = (AuditEntry.objects.count(), PersonnelChange.objects.count())
    with override("ja"), pytest.raises(InvalidInput) as refused:
        services.record_personnel_change(**_args(iwaki, TODAY() + dt.timedelta(days=days)))
    assert refused.value.field == "effective_date" and "1年" in str(refused.value)
    assert (AuditEntry.objects.count(), PersonnelChange.objects.count()) == before


def test_a_far_date_confirmed_explicitly_is_recorded(iwaki: Any) -> None:
    on = TODAY() + dt.timedelta(days=400)
    preview = services.preview_personnel_change(**_args(iwaki, on))
    assert preview.far_date and preview.needs_confirmation
    change = services.record_personnel_change(**_args(iwaki, on), date_confirmed=True)
    assert change.state == PersonnelChange.State.SCHEDULED


def test_confirming_effects_that_changed_since_the_preview_is_refused(
    iwaki: Any, held_account: OfficialAccount
) -> None:
    from koshiki.security.services import remove_holder

    preview = services.preview_personnel_change(**_args(iwaki, TODAY()))
    remove_holder(actor=iwaki.shozokucho.user, account=held_account, staff=iwaki.tanto, reason="交代")
    with pytest.raises(InvalidInput) as refused:
        services.record_personnel_change(**_args(iwaki, TODAY()), expected_effects=preview.digest)
    assert refused.value.field == "effects"
    assert Staff.objects.get(pk=iwaki.tanto.pk).department == iwaki.departments["kiki"]
    assert not PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").exists()


def test_the_same_request_key_applies_once(iwaki: Any) -> None:
    first = services.record_personnel_change(**_args(iwaki, TODAY()), request_key="k-1")
    again = services.record_personnel_change(**_args(iwaki, TODAY()), request_key="k-1")
    assert again.pk == first.pk
    assert PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").count() == 1
    assert AuditEntry.objects.filter(action="orgs.staff.moved").count() == 1


def test_the_preview_names_the_accounts_whose_manager_no_longer_counts(
    iwaki: Any, held_account: OfficialAccount
) -> None:
    """The named manager (所属長) moves out: the account needs a new manager, and the preview says so."""
    preview = services.preview_personnel_change(
        **{**_args(iwaki, TODAY()), "staff": iwaki.shozokucho, "to_department": iwaki.departments["kouhou"]}
    )
    lost = [e for e in preview.effects if e.action == "registry.account.manager_moved_out"]
    assert [e.object_id for e in lost] == [str(held_account.pk)]
