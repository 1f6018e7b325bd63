"""継続の検討 against 守谷市議会 7(1) ア–エ."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services as org_services
from koshiki.registry import services
from koshiki.registry.io import import_rows
from koshiki.registry.models import OfficialAccount


@pytest.fixture
def moriya(db: Any, system_admin: Any) -> Any:
    org = org_services.create_organization(
        actor=system_admin, lgcode="082244", kind="council", name="守谷市議会", profile_id="moriya-council"
    )
    dept = org_services.create_department(
        actor=system_admin, organization=org, code="jimu", name="議会事務局"
    )
    chair = org_services.add_staff(
        actor=system_admin,
        organization=org,
        username="gicho",
        display_name="議長",
        password="correct-horse-battery-9",
    )
    org_services.assign_role(actor=system_admin, staff=chair, role_id="account_manager")
    import_rows(
        actor=None,
        organization=org,
        source="t",
        rows=[
            {
                "所属コード": "jimu",
                "サービス": "x",
                "アカウント名": "守谷市議会",
                "目的": "議会の情報",
                "状態": "運用中",
            }
        ],
    )
    return {
        "org": org,
        "dept": dept,
        "chair": chair,
        "account": OfficialAccount.objects.get(organization=org),
    }


def test_continuing_despite_a_criterion_needs_a_reason(moriya: Any) -> None:
    with pytest.raises(InvalidInput, match="目的を達成"):
        services.record_review(
            actor=moriya["chair"].user,
            account=moriya["account"],
            answers={"goal_achieved": True},
            decision="continue",
        )


def test_review_is_audited_with_the_clause(moriya: Any) -> None:
    services.record_review(
        actor=moriya["chair"].user,
        account=moriya["account"],
        answers={"goal_achieved": False, "serious_harm": False},
        decision="continue",
    )
    entry = AuditEntry.objects.get(action="registry.account.reviewed")
    assert entry.clause.startswith("「守谷市議会 7(1)") and entry.after["decision"] == "continue"


def test_only_the_manager_reviews(moriya: Any, system_admin: Any) -> None:
    other = org_services.add_staff(
        actor=system_admin,
        organization=moriya["org"],
        username="staff2",
        display_name="職員",
        password="correct-horse-battery-9",
        department=moriya["dept"],
    )
    with pytest.raises(NotPermitted):
        services.record_review(actor=other.user, account=moriya["account"], answers={}, decision="continue")


def test_a_system_admin_without_a_staff_record_is_refused_clearly(moriya: Any, system_admin: Any) -> None:
    """The reviewer column names staff: an actor who is no one's staff gets a clear
    refusal, not a database error,
    and nothing is written."""
    with pytest.raises(NotPermitted, match="職員"):
        services.record_review(actor=system_admin, account=moriya["account"], answers={}, decision="continue")
    assert not AuditEntry.objects.filter(action="registry.account.reviewed").exists()
