"""The live check endpoint uses the staff member's own body: its profile, domains and public names."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.orgs import services

from ..conftest import signed_in_client


def _client(staff: Any) -> Client:
    return signed_in_client(staff.user)


def _check(client: Client, text: str, platform: str = "x") -> Any:
    return client.post(
        "/check/api/", json.dumps({"text": text, "platform": platform}), content_type="application/json"
    )


def test_phone_number_is_blocked_with_the_bodys_clause(iwaki: Any) -> None:
    data = _check(_client(iwaki.tanto), "山田花子さん 090-1234-5678").json()
    categories = {(f["category"], f["severity"]) for f in data["findings"]}
    assert categories == {("personal_info", "block")}
    assert "「いわき市 第5 2(2)①」" in data["findings"][0]["clauses"]
    assert data["findings"][0]["label"] == "個人情報"


def test_another_bodys_clause_for_its_own_staff(iwaki: Any, shinshiro: Any) -> None:
    data = _check(_client(shinshiro.tanto), "山田花子さん").json()
    assert data["findings"][0]["clauses"] == ["「新城市 4(3)」"]


def test_public_entries_are_not_flagged(iwaki: Any) -> None:
    services.set_public_entries(
        actor=iwaki.kacho.user, organization=iwaki.organization, entries=["市民会館 0246-99-9999"]
    )
    assert _check(_client(iwaki.tanto), "会場の電話 0246-99-9999").json()["findings"] == []


def test_own_domain_link_is_fine(iwaki: Any) -> None:
    assert _check(_client(iwaki.tanto), "https://city.iwaki.lg.jp/x").json()["findings"] == []


def test_length_counter_uses_the_platforms_rule(iwaki: Any) -> None:
    data = _check(_client(iwaki.tanto), "あいう", "x").json()
    assert (data["length"], data["limit"]) == (6, 280)


def test_bad_payload_gets_a_clear_400(iwaki: Any) -> None:
    client = _client(iwaki.tanto)
    assert client.post("/check/api/", "not json", content_type="application/json").status_code == 400
    response = _check(client, "x", "myspace")
    assert response.status_code == 400 and "未対応" in response.json()["error"]


def test_settings_save_domains_and_public_entries(iwaki: Any) -> None:
    response = _client(iwaki.kacho).post(
        "/settings/", {"web_domains": "city.iwaki.lg.jp\nwww.iwaki-kanko.jp", "public_entries": "市長 山田\n"}
    )
    assert response.status_code == 302
    iwaki.organization.refresh_from_db()
    assert iwaki.organization.web_domains == ["city.iwaki.lg.jp", "www.iwaki-kanko.jp"]
    assert AuditEntry.objects.filter(action="orgs.organization.public_entries_changed").exists()


def test_bad_domain_in_settings_changes_nothing(iwaki: Any) -> None:
    before = list(iwaki.organization.web_domains)
    response = _client(iwaki.kacho).post("/settings/", {"web_domains": "https://bad/", "public_entries": "x"})
    assert response.status_code == 400
    iwaki.organization.refresh_from_db()
    assert iwaki.organization.web_domains == before and iwaki.organization.public_entries == []


def test_tanto_cannot_change_settings(iwaki: Any) -> None:
    response = _client(iwaki.tanto).post(
        "/settings/", {"web_domains": "evil.example.com", "public_entries": ""}
    )
    assert response.status_code == 403
    iwaki.organization.refresh_from_db()
    assert "evil.example.com" not in iwaki.organization.web_domains
