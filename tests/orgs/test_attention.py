"""Each organization dashboard item clears once its work is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services
from koshiki.orgs.models import Organization

from ..attention_helpers import kinds
from .test_self_grant import _self_grant, second_admin  # noqa: F401  (fixture)


def test_a_personnel_change_coming_up_clears_once_applied(iwaki: Any) -> None:
    effective = timezone.localdate() + dt.timedelta(days=10)
    change = services.record_personnel_change(
        actor=iwaki.kacho.user, staff=iwaki.tanto, kind="leave", effective_date=effective
    )
    assert "orgs.personnel_change" in kinds(iwaki.kacho)
    assert "orgs.personnel_change" not in kinds(iwaki.tanto)  # administrators only
    services.apply_due_personnel_changes(effective)
    change.refresh_from_db()
    assert change.state == "applied" and "orgs.personnel_change" not in kinds(iwaki.kacho)


def test_a_self_granted_role_clears_once_another_admin_decides(iwaki: Any, second_admin: Any) -> None:  # noqa: F811
    assignment = _self_grant(iwaki)
    assert "orgs.self_granted_role" in kinds(second_admin)
    services.decide_role(actor=second_admin.user, assignment=assignment, confirm=True)
    assert "orgs.self_granted_role" not in kinds(second_admin)


def test_profile_drift_clears_once_the_new_version_is_adopted(iwaki: Any) -> None:
    Organization.objects.filter(pk=iwaki.organization.pk).update(profile_version="0.0.1-old")
    iwaki.kacho.organization.refresh_from_db()
    assert "orgs.profile_drift" in kinds(iwaki.kacho)
    with pytest.raises(NotPermitted):
        services.adopt_profile_version(actor=iwaki.tanto.user, organization=iwaki.organization)
    services.adopt_profile_version(actor=iwaki.kacho.user, organization=iwaki.organization)
    iwaki.kacho.organization.refresh_from_db()
    assert "orgs.profile_drift" not in kinds(iwaki.kacho)
    entry = AuditEntry.objects.get(action="orgs.organization.profile_adopted")
    assert entry.before == {"profile_version": "0.0.1-old"}
    with pytest.raises(InvalidInput):
        services.adopt_profile_version(actor=iwaki.kacho.user, organization=iwaki.organization)
