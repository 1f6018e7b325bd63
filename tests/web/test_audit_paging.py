"""The audit log pages by sequence number (keyset: ``seq < cursor``), not OFFSET (issue #12).

OFFSET makes page n read and throw away n × 50 rows of a national log; a cursor reads one page from the
(organization_id, -seq) index wherever it is. Page 2 starts exactly where page 1 ended, the filter stays.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services as org_services
from koshiki.web.views import audit as audit_views

from ..conftest import PASSWORD, signed_in_client

PAGE = 5


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_views, "PAGE_SIZE", PAGE)


def _seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', html)]


def _grow(body: Any, system_admin: Any, n: int) -> None:
    for i in range(n):
        org_services.add_staff(
            actor=system_admin,
            organization=body.organization,
            username=f"iwaki-extra-{i}",
            display_name=f"職員 {i}",
            password=PASSWORD,
            department=body.departments["kiki"],
            email=f"extra-{i}@example.lg.jp",
        )


def test_page_two_continues_exactly_where_page_one_ended(
    iwaki: Any, system_admin: Any, small_pages: None
) -> None:
    _grow(iwaki, system_admin, 8)
    client = signed_in_client(iwaki.ciso.user, Client())
    visible = list(
        AuditEntry.objects.filter(organization_id=iwaki.organization.pk).values_list("seq", flat=True)
    )
    first = client.get("/audit/").content.decode()
    page1 = _seqs(first)
    assert page1 == sorted(visible, reverse=True)[:PAGE]
    older = re.search(r'href="\?before=(\d+)[&"]', first)
    assert older is not None and int(older.group(1)) == page1[-1]
    second = client.get(f"/audit/?before={page1[-1]}").content.decode()
    page2 = _seqs(second)
    assert page2 == sorted(visible, reverse=True)[PAGE : 2 * PAGE]
    newer = re.search(r'href="\?after=(\d+)[&"]', second)
    assert newer is not None and int(newer.group(1)) == page2[0]
    back = _seqs(client.get(f"/audit/?after={page2[0]}").content.decode())
    assert back == page1


def test_the_audit_log_query_has_no_offset_and_keeps_the_filter(
    iwaki: Any, system_admin: Any, small_pages: None
) -> None:
    _grow(iwaki, system_admin, 8)
    client = signed_in_client(iwaki.ciso.user, Client())
    added = sorted(
        AuditEntry.objects.filter(
            organization_id=iwaki.organization.pk, action="orgs.staff.added"
        ).values_list("seq", flat=True),
        reverse=True,
    )
    first = _seqs(client.get("/audit/?action=orgs.staff.added").content.decode())
    assert first == added[:PAGE]
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/audit/?action=orgs.staff.added&before={first[-1]}").content.decode()
    assert _seqs(html) == added[PAGE : 2 * PAGE]
    assert 'href="?after=' in html and "action=orgs.staff.added" in html
    assert not [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"].upper()]


def test_a_cursor_that_is_not_a_number_shows_the_newest_page(iwaki: Any, small_pages: None) -> None:
    client = signed_in_client(iwaki.ciso.user, Client())
    newest = _seqs(client.get("/audit/").content.decode())
    assert newest
    assert _seqs(client.get("/audit/?before=abc").content.decode()) == newest
