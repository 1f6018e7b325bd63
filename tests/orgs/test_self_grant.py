"""A role an administrator grants to themselves waits for a second administrator's confirmation.

Reproduced before: an organization administrator granted himself the approver role and published alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs import services
from koshiki.orgs.models import RoleAssignment
from koshiki.orgs.permissions import holds_role

from ..conftest import PASSWORD, signed_in_client


@pytest.fixture
def second_admin(iwaki: Any, system_admin: Any) -> Any:
    return services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-kacho2",
        display_name="広報 次長",
        password=PASSWORD,
        department=iwaki.departments["kouhou"],
        email="kacho2@example.lg.jp",
        is_org_admin=True,
    )


def _self_grant(iwaki: Any) -> RoleAssignment:
    return services.assign_role(
        actor=iwaki.kacho.user,
        staff=iwaki.kacho,
        role_id="account_manager",
        department=iwaki.departments["kiki"],
    )


def test_a_self_granted_role_waits_and_does_not_take_effect(iwaki: Any) -> None:
    assignment = _self_grant(iwaki)
    assert assignment.state == RoleAssignment.State.PENDING
    assert not holds_role(iwaki.kacho.user, iwaki.organization, {"account_manager"})
    assert AuditEntry.objects.filter(action="orgs.role.self_grant_requested").exists()


def test_the_granting_admin_cannot_confirm_it(iwaki: Any) -> None:
    assignment = _self_grant(iwaki)
    with pytest.raises(NotPermitted) as refused:
        services.decide_role(actor=iwaki.kacho.user, assignment=assignment, confirm=True)
    assert "相互確認の原則" in refused.value.message
    assignment.refresh_from_db()
    assert assignment.state == RoleAssignment.State.PENDING


def test_a_second_admin_confirms_and_the_role_takes_effect(iwaki: Any, second_admin: Any) -> None:
    assignment = services.decide_role(actor=second_admin.user, assignment=_self_grant(iwaki), confirm=True)
    assert assignment.state == RoleAssignment.State.CONFIRMED and assignment.decided_by == second_admin
    assert holds_role(iwaki.kacho.user, iwaki.organization, {"account_manager"})
    entry = AuditEntry.objects.get(action="orgs.role.confirmed")
    assert entry.before["state"] == "pending" and entry.after["state"] == "confirmed"


def test_a_refused_grant_never_takes_effect_and_cannot_be_decided_again(
    iwaki: Any, second_admin: Any
) -> None:
    assignment = _self_grant(iwaki)
    stale = RoleAssignment.objects.get(pk=assignment.pk)
    services.decide_role(actor=second_admin.user, assignment=assignment, confirm=False, comment="所属が違う")
    with pytest.raises(InvalidTransition):
        services.decide_role(actor=second_admin.user, assignment=stale, confirm=True)
    assert RoleAssignment.objects.get(pk=assignment.pk).state == RoleAssignment.State.REFUSED
    assert not holds_role(iwaki.kacho.user, iwaki.organization, {"account_manager"})


def test_a_non_admin_cannot_confirm(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        services.decide_role(actor=iwaki.shozokucho.user, assignment=_self_grant(iwaki), confirm=True)


def test_the_same_self_grant_twice_is_refused(iwaki: Any) -> None:
    _self_grant(iwaki)
    with pytest.raises(InvalidInput):
        _self_grant(iwaki)


def test_a_grant_to_someone_else_takes_effect_at_once(iwaki: Any) -> None:
    assignment = services.assign_role(actor=iwaki.kacho.user, staff=iwaki.ciso, role_id="policy_director")
    assert assignment.state == RoleAssignment.State.CONFIRMED
    assert holds_role(iwaki.ciso.user, iwaki.organization, {"policy_director"})


def test_web_self_grant_is_pending_and_another_admin_confirms_from_the_dashboard(
    iwaki: Any, second_admin: Any
) -> None:
    own = signed_in_client(iwaki.kacho.user)
    response = own.post(
        f"/people/{iwaki.kacho.pk}/roles/",
        {"role_id": "account_manager", "department": iwaki.departments["kiki"].pk},
        follow=True,
    )
    assert "確認" in response.content.decode()
    assignment = RoleAssignment.objects.get(staff=iwaki.kacho, role_id="account_manager")
    assert assignment.state == RoleAssignment.State.PENDING
    refused = own.post(f"/roles/{assignment.pk}/decide/", {"decision": "confirm"}, follow=True)
    assert "相互確認の原則" in refused.content.decode()
    assert RoleAssignment.objects.get(pk=assignment.pk).state == RoleAssignment.State.PENDING
    other = signed_in_client(second_admin.user)
    dashboard = other.get("/").content.decode()
    assert "役割の付与が確認を待っています" in dashboard and f"/people/{iwaki.kacho.pk}/" in dashboard
    assert f"/roles/{assignment.pk}/decide/" in other.get("/people/").content.decode()
    other.post(f"/roles/{assignment.pk}/decide/", {"decision": "confirm"})
    assert RoleAssignment.objects.get(pk=assignment.pk).state == RoleAssignment.State.CONFIRMED


def test_web_outsider_cannot_decide(iwaki: Any, outsider: Any) -> None:
    assignment = _self_grant(iwaki)
    response = signed_in_client(outsider.user).post(
        f"/roles/{assignment.pk}/decide/", {"decision": "confirm"}
    )
    assert response.status_code == 404
    assert RoleAssignment.objects.get(pk=assignment.pk).state == RoleAssignment.State.PENDING
