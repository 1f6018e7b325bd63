"""The audit log's filters (issue #13 item 8): JST date range, person, account and an action chosen by its
label; a bad date is a Japanese error that filters nothing; the filters stay in the paging links; before/after
fields are shown with their labels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services as org_services
from koshiki.registry import services
from koshiki.web.views import audit as audit_views

from ..conftest import PASSWORD, signed_in_client

JST = dt.timezone(dt.timedelta(hours=9))


def _seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', html)]


def _client(staff: Any) -> Client:
    return signed_in_client(staff.user, Client(headers={"accept-language": "ja"}))


def _account(body: Any) -> Any:
    return services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )


def _org_entries(body: Any) -> Any:
    return AuditEntry.objects.filter(organization_id=body.organization.pk)


def test_the_action_select_lists_catalog_labels_grouped_by_family(iwaki: Any) -> None:
    html = _client(iwaki.ciso).get("/audit/").content.decode()
    assert re.search(r'<select[^>]* name="action"', html)
    assert "<optgroup" in html
    assert '<option value="orgs.staff.added">職員の追加</option>' in html


def test_filter_by_action_code_shows_only_that_action(iwaki: Any) -> None:
    _account(iwaki)
    html = _client(iwaki.ciso).get("/audit/?action=registry.account.requested").content.decode()
    expected = list(
        _org_entries(iwaki).filter(action="registry.account.requested").values_list("seq", flat=True)
    )
    assert expected and _seqs(html) == sorted(expected, reverse=True)


def test_filter_by_person_shows_only_their_actions(iwaki: Any) -> None:
    _account(iwaki)
    html = _client(iwaki.ciso).get(f"/audit/?actor={iwaki.tanto.user.pk}").content.decode()
    expected = list(_org_entries(iwaki).filter(actor_id=iwaki.tanto.user.pk).values_list("seq", flat=True))
    assert expected and _seqs(html) == sorted(expected, reverse=True)
    assert f'<option value="{iwaki.tanto.user.pk}" selected>' in html


def test_filter_by_account_shows_only_entries_on_it(iwaki: Any) -> None:
    account = _account(iwaki)
    _account_other = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="instagram",
        account_name="いわき防災IG",
        purpose="広報",
    )
    html = _client(iwaki.ciso).get(f"/audit/?account={account.pk}").content.decode()
    expected = list(
        _org_entries(iwaki)
        .filter(object_type="registry.officialaccount", object_id=str(account.pk))
        .values_list("seq", flat=True)
    )
    assert expected and _seqs(html) == sorted(expected, reverse=True)


def test_filter_by_jst_date_range(iwaki: Any, system_admin: Any, clock: Any) -> None:
    # 23:30 JST is 14:30 UTC: the entry belongs to that day in Japan, the next one's 00:30 JST to the next.
    # (Days ahead of today: the fixture's roles start today.)
    day = dt.date.today() + dt.timedelta(days=30)
    clock.move_to(dt.datetime.combine(day, dt.time(23, 30), tzinfo=JST))
    start = _org_entries(iwaki).order_by("-seq").first().seq
    org_services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-late",
        display_name="遅番 職員",
        password=PASSWORD,
        department=iwaki.departments["kiki"],
        email="late@example.lg.jp",
    )
    late = sorted(_org_entries(iwaki).filter(seq__gt=start).values_list("seq", flat=True), reverse=True)
    clock.move_to(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 30), tzinfo=JST))
    org_services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-early",
        display_name="早番 職員",
        password=PASSWORD,
        department=iwaki.departments["kiki"],
        email="early@example.lg.jp",
    )
    early = sorted(_org_entries(iwaki).filter(seq__gt=late[0]).values_list("seq", flat=True), reverse=True)
    client, next_day = _client(iwaki.ciso), day + dt.timedelta(days=1)
    assert _seqs(client.get(f"/audit/?date_from={day}&date_to={day}").content.decode()) == late
    assert _seqs(client.get(f"/audit/?date_from={next_day}&date_to={next_day}").content.decode()) == early


@pytest.mark.parametrize(
    "query", ["date_from=2026-13-45", "date_to=yesterday", "date_from=2026-04-02&date_to=2026-04-01"]
)
def test_a_bad_date_is_a_japanese_error_and_lists_nothing(iwaki: Any, query: str) -> None:
    response = _client(iwaki.ciso).get(f"/audit/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html and "日付" in html
    assert _seqs(html) == []


def test_the_filters_stay_in_the_paging_links(iwaki: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 2)
    html = _client(iwaki.ciso).get("/audit/?action=orgs.staff.added&date_from=2020-01-01").content.decode()
    older = re.search(r'href="\?([^"]*before=\d+[^"]*)"', html)
    assert older is not None
    link = older.group(1).replace("&amp;", "&")
    assert "action=orgs.staff.added" in link and "date_from=2020-01-01" in link
    page2 = _client(iwaki.ciso).get(f"/audit/?{link}").content.decode()
    seqs = _seqs(page2)
    assert seqs and set(AuditEntry.objects.filter(seq__in=seqs).values_list("action", flat=True)) == {
        "orgs.staff.added"
    }


def test_before_and_after_fields_are_shown_with_their_labels(iwaki: Any) -> None:
    _account(iwaki)
    html = _client(iwaki.ciso).get("/audit/?action=registry.account.requested").content.decode()
    assert '<dt title="account_name">アカウント名</dt>' in html
    assert "<dd>いわき防災X</dd>" in html
