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
