"""Roles come from the body's profile and carry its clause into the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services
from koshiki.orgs.models import RoleAssignment


def test_assignment_is_audited_with_the_roles_clause(iwaki: Any) -> None:
    services.assign_role(actor=iwaki.kacho.user, staff=iwaki.ciso, role_id="policy_director")
    entry = AuditEntry.objects.filter(action="orgs.role.assigned").order_by("-seq").first()
    assert entry is not None and entry.after["role_id"] == "policy_director"
    assert entry.clause.startswith("「いわき市 ")


def test_role_missing_from_the_profile_is_refused_and_nothing_changes(iwaki: Any) -> None:
    before = (RoleAssignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInput, match="mayor"):
        services.assign_role(actor=iwaki.kacho.user, staff=iwaki.tanto, role_id="mayor")
    assert (RoleAssignment.objects.count(), AuditEntry.objects.count()) == before


def test_department_scoped_role_is_tied_to_the_department(iwaki: Any) -> None:
    assignment = RoleAssignment.objects.get(staff=iwaki.shozokucho, role_id="account_manager")
    assert assignment.department == iwaki.departments["kiki"]


def test_same_role_twice_is_refused(iwaki: Any) -> None:
    with pytest.raises(InvalidInput):
        services.assign_role(actor=iwaki.kacho.user, staff=iwaki.shozokucho, role_id="account_manager")


def test_tanto_cannot_assign_roles(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        services.assign_role(actor=iwaki.tanto.user, staff=iwaki.tanto, role_id="account_manager")


def test_outsider_cannot_assign_roles_in_another_body(iwaki: Any, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        services.assign_role(actor=outsider.user, staff=iwaki.tanto, role_id="account_manager")


def test_ending_a_role_keeps_its_history(iwaki: Any) -> None:
    assignment = RoleAssignment.objects.get(staff=iwaki.tanto, role_id="operator")
    services.end_role(actor=iwaki.kacho.user, assignment=assignment, reason="担当替え")
    assert not RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
