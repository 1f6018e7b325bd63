"""Search and filters on the accounts list (#13): text in the name, the handle or the URL (full- and
half-width alike), platform, state and department; another body's department id is an error, never a leak."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.orgs import services as org_services
from koshiki.registry.models import OfficialAccount
from koshiki.registry.search import AccountCriteria, search_accounts

from ..conftest import signed_in_client
from ..security.conftest import SeedBody, build_seed_body


@pytest.fixture
def body(db: Any, system_admin: Any) -> SeedBody:
    return build_seed_body(system_admin, "iwaki", "072044", "executive")


def _found(body: SeedBody, **criteria: Any) -> set[str]:
    accounts = OfficialAccount.objects.filter(organization=body.organization)
    return set(search_accounts(accounts, AccountCriteria(**criteria)).values_list("handle", flat=True))


def test_text_matches_the_name(body: SeedBody) -> None:
    assert _found(body, text="観光") == {"kanko_072044"}


def test_text_matches_the_handle(body: SeedBody) -> None:
    assert _found(body, text="koho_07") == {"koho_072044"}


def test_text_matches_the_url(body: SeedBody) -> None:
    assert _found(body, text="instagram.com/") == {"kanko_072044"}


def test_text_matches_the_department_name_as_the_list_did_before_filters(body: SeedBody) -> None:
    account = OfficialAccount.objects.get(handle="kanko_072044")
    department = account.department.name
    assert "kanko_072044" in _found(body, text=department)
    same = OfficialAccount.objects.filter(organization=body.organization, department__name=department)
    assert _found(body, text=department) == set(same.values_list("handle", flat=True))


def test_full_width_text_matches_half_width_handle(body: SeedBody) -> None:
    assert _found(body, text="ＫＯＨＯ＿０７２") == {"koho_072044"}


def test_platform_filter(body: SeedBody) -> None:
    assert _found(body, platform="instagram") == {"kanko_072044"}


def test_state_filter(body: SeedBody) -> None:
    OfficialAccount.objects.filter(handle="kanko_072044").update(state="suspended")
    assert _found(body, state="suspended") == {"kanko_072044"}
    assert _found(body, state="active") == {"koho_072044"}


def test_department_filter(body: SeedBody, system_admin: Any) -> None:
    other = org_services.create_department(
        actor=system_admin, organization=body.organization, code="kanko", name="観光課"
    )
    OfficialAccount.objects.filter(handle="kanko_072044").update(department=other)
    assert _found(body, department_id=other.pk) == {"kanko_072044"}


def _page(body: SeedBody, query: str) -> Any:
    return signed_in_client(body.admin.user).get("/accounts/?" + query)


def test_the_page_filters_counts_and_offers_to_clear(body: SeedBody) -> None:
    response = _page(body, "q=ｋａｎｋｏ&platform=instagram")
    assert response.status_code == 200
    assert [a.handle for a in response.context["page"]] == ["kanko_072044"]
    html = response.content.decode()
    assert "1 件" in html
    assert "条件をクリア" in html


def test_another_bodys_department_is_ignored_with_an_error(body: SeedBody, system_admin: Any) -> None:
    other = build_seed_body(system_admin, "shinshiro", "232211", "executive")
    theirs = other.account.department
    response = _page(body, f"department={theirs.pk}")
    assert response.status_code == 200
    assert {a.organization_id for a in response.context["page"]} == {body.organization.pk}
    assert len(response.context["page"].object_list) == 2  # the filter is not applied
    assert 'id="filter-department-error"' in response.content.decode()
