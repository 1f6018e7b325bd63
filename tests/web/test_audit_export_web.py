"""Exporting the audit log from the browser (issue #13 item 8): CSV of the viewer's own organization only,
with the page's filters, formula-safe, audited with its own code, only for those who may read the log."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services as org_services
from koshiki.registry import services

from ..conftest import PASSWORD, signed_in_client


def _client(staff: Any) -> Client:
    return signed_in_client(staff.user, Client(headers={"accept-language": "ja"}))


def _rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_is_csv_of_the_viewers_organization_only(iwaki: Any, outsider: Any) -> None:
    response = _client(iwaki.ciso).post("/audit/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    header, data = rows[0], rows[1:]
    seqs = {int(r[header.index("seq")]) for r in data}
    own = set(AuditEntry.objects.filter(organization_id=iwaki.organization.pk).values_list("seq", flat=True))
    assert data and seqs <= own
    assert not seqs & set(
        AuditEntry.objects.exclude(organization_id=iwaki.organization.pk).values_list("seq", flat=True)
    )


def test_an_outsider_exports_nothing_of_another_body(iwaki: Any, outsider: Any) -> None:
    response = _client(outsider).post("/audit/export/")
    if response.status_code == 200:
        rows = _rows(response)
        codes = {r[rows[0].index("organization_code")] for r in rows[1:]}
        assert iwaki.organization.code not in codes
    else:
        assert response.status_code == 404


def test_staff_who_may_not_read_the_log_cannot_export(iwaki: Any) -> None:
    assert _client(iwaki.tanto).post("/audit/export/").status_code == 404


def test_export_needs_post(iwaki: Any) -> None:
    assert _client(iwaki.ciso).get("/audit/export/").status_code == 405


def test_export_keeps_the_filters(iwaki: Any) -> None:
    services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )
    rows = _rows(_client(iwaki.ciso).post("/audit/export/", {"action": "registry.account.requested"}))
    assert len(rows) == 2 and rows[1][rows[0].index("action")] == "registry.account.requested"


def test_a_bad_date_exports_nothing_and_logs_nothing(iwaki: Any) -> None:
    count = AuditEntry.objects.count()
    response = _client(iwaki.ciso).post("/audit/export/", {"date_from": "2026-02-30"})
    assert response.status_code == 400 and "日付" in response.content.decode()
    assert AuditEntry.objects.count() == count


def test_formula_cells_are_neutralised(iwaki: Any, system_admin: Any) -> None:
    org_services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-formula",
        display_name='=HYPERLINK("http://evil.example","x")',
        password=PASSWORD,
        department=iwaki.departments["kiki"],
        email="formula@example.lg.jp",
    )
    rows = _rows(_client(iwaki.ciso).post("/audit/export/", {"action": "orgs.staff.added"}))
    cells = [c for r in rows[1:] for c in r]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_export_is_audited_with_its_own_code(iwaki: Any) -> None:
    _rows(_client(iwaki.ciso).post("/audit/export/", {"action": "orgs.staff.added"}))
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "audit.log.exported"
    assert entry.organization_id == iwaki.organization.pk and entry.actor_id == iwaki.ciso.user.pk
    assert entry.after["filters"]["action"] == "orgs.staff.added"
    from koshiki.audit.catalog import label_ja

    assert label_ja("audit.log.exported") == "監査ログの書出し"


def _export_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        _rows(client.post("/audit/export/"))
    return len(captured.captured_queries)


def test_export_query_count_does_not_grow_with_the_log(iwaki: Any, system_admin: Any) -> None:
    client = _client(iwaki.ciso)
    small = _export_queries(client)
    for i in range(30):
        org_services.add_staff(
            actor=system_admin,
            organization=iwaki.organization,
            username=f"iwaki-grow-{i}",
            display_name=f"職員 {i}",
            password=PASSWORD,
            department=iwaki.departments["kiki"],
            email=f"grow-{i}@example.lg.jp",
        )
    assert _export_queries(client) == small
