"""Issue #13 item 2: the superuser without a body gets a list of bodies, not "Not Found"; 404 is Japanese."""

from __future__ import annotations

from typing import Any

from ..conftest import signed_in_client


def test_a_superuser_without_a_body_sees_every_body_on_the_dashboard(
    iwaki: Any, shinshiro: Any, system_admin: Any
) -> None:
    response = signed_in_client(system_admin).get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "いわき市" in text and "新城市" in text


def test_a_missing_page_says_so_in_japanese_with_a_way_back(iwaki: Any) -> None:
    response = signed_in_client(iwaki.tanto.user).get("/accounts/999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "ページが見つかりません" in text and 'href="/"' in text


def test_the_bodies_list_names_each_body_s_administrators_and_the_commands(
    iwaki: Any, system_admin: Any
) -> None:
    """Issue #13 item 2 (T): the superuser cannot open a body's pages; the list says who can, and how."""
    text = signed_in_client(system_admin).get("/").content.decode()
    assert iwaki.kacho.display_name in text and iwaki.kacho.user.username in text
    assert f"koshiki registry export --org {iwaki.organization.code}" in text


def test_no_page_of_the_superuser_s_nav_is_a_bare_404(iwaki: Any, system_admin: Any) -> None:
    import re

    client = signed_in_client(system_admin)
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', client.get("/").content.decode(), re.S)
    assert nav is not None
    links = re.findall(r'href="(/[^"]*)"', nav.group(1))
    assert len(links) > 5
    for link in links:
        response = client.get(link)
        text = response.content.decode()
        assert response.status_code == 200 or 'id="no-body"' in text, (link, response.status_code)
        assert "Not Found" not in text, link


def test_the_body_administrator_s_dashboard_leads_to_settings_people_and_the_registry(iwaki: Any) -> None:
    text = signed_in_client(iwaki.kacho.user).get("/").content.decode()
    card = text[text.index('id="admin-card"') :]
    for href in ('href="/settings/"', 'href="/people/"', 'href="/accounts/"', 'href="/overview/"'):
        assert href in card, href
    assert 'id="admin-card"' not in signed_in_client(iwaki.tanto.user).get("/").content.decode()
