"""An entry about the body itself (two-step turned off, domains changed) is in that body's audit log."""

from __future__ import annotations

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services as org_services

from ..conftest import Body, signed_in_client


def test_turning_two_step_off_is_recorded_under_the_body(iwaki: Body) -> None:
    org_services.set_require_two_step(actor=iwaki.kacho.user, organization=iwaki.organization, required=False)
    entry = AuditEntry.objects.get(action="orgs.organization.two_step_changed")
    assert entry.organization_id == iwaki.organization.pk


def test_the_bodys_audit_log_page_shows_its_settings_changes(iwaki: Body) -> None:
    org_services.set_web_domains(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        domains=["city.iwaki.lg.jp", "iwaki-kanko.jp"],
    )
    page = signed_in_client(iwaki.kacho.user).get("/audit/").content.decode()
    assert "<code>orgs.organization.domains_changed</code>" in page
