"""A service called with the values already set changes nothing and writes no audit row."""

from __future__ import annotations

from typing import Any

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services


def _rows(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_setting_the_same_web_domains_writes_no_audit_row(iwaki: Any) -> None:
    org = iwaki.organization
    before = _rows("orgs.organization.domains_changed")
    services.set_web_domains(actor=iwaki.kacho.user, organization=org, domains=list(org.web_domains))
    assert _rows("orgs.organization.domains_changed") == before
    services.set_web_domains(
        actor=iwaki.kacho.user, organization=org, domains=[*org.web_domains, "example.lg.jp"]
    )
    assert _rows("orgs.organization.domains_changed") == before + 1


def test_setting_the_same_public_entries_writes_no_audit_row(iwaki: Any) -> None:
    org = iwaki.organization
    services.set_public_entries(actor=iwaki.kacho.user, organization=org, entries=["いわき市長"])
    once = _rows("orgs.organization.public_entries_changed")
    services.set_public_entries(
        actor=iwaki.kacho.user, organization=org, entries=[" いわき市長 ", "いわき市長"]
    )
    assert _rows("orgs.organization.public_entries_changed") == once


def test_setting_the_same_two_step_requirement_writes_no_audit_row(iwaki: Any) -> None:
    org = iwaki.organization
    before = _rows("orgs.organization.two_step_changed")
    services.set_require_two_step(actor=iwaki.kacho.user, organization=org, required=org.require_two_step)
    assert _rows("orgs.organization.two_step_changed") == before
    services.set_require_two_step(actor=iwaki.kacho.user, organization=org, required=not org.require_two_step)
    assert _rows("orgs.organization.two_step_changed") == before + 1


def test_apply_personnel_change_is_not_exported_as_a_service() -> None:
    from koshiki.orgs.services import personnel

    assert not hasattr(services, "apply_personnel_change")
    assert "apply_personnel_change" not in services.__all__
    assert callable(personnel.apply_personnel_change_unchecked)
