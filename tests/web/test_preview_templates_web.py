"""The platform preview endpoint and the post templates pages (issue #13 R)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from koshiki.posts.models import PostTemplate
from koshiki.posts.services import templates

from ..conftest import Body, live_kiki_account, signed_in_client

CLEAN = "【防災】本日15時から市役所本庁舎で防災訓練を行います。"
PHONE = "避難所の受付は田中さん（090-1234-5678）が担当します。"


def _preview(client: Any, payload: Any) -> Any:
    return client.post("/posts/preview/api/", json.dumps(payload), content_type="application/json")


def test_the_preview_endpoint_counts_per_platform(iwaki: Body) -> None:
    data = _preview(signed_in_client(iwaki.tanto.user), {"text": "あ" * 150}).json()
    by = {p["platform"]: p for p in data["previews"]}
    assert by["x"]["length"] == 300 and by["x"]["over"] and by["x"]["cut"] == "あ" * 10
    assert by["bluesky"]["length"] == 150 and not by["bluesky"]["over"]


def test_the_preview_endpoint_refuses_bad_input_clearly(iwaki: Body) -> None:
    response = _preview(signed_in_client(iwaki.tanto.user), {"text": 5})
    assert response.status_code == 400 and response.json()["error"]


def test_the_preview_endpoint_never_fetches_the_url(iwaki: Body, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the preview opened a connection")

    client = signed_in_client(iwaki.tanto.user)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = _preview(client, {"text": "詳細 http://169.254.169.254/latest/meta-data"}).json()
    assert data["previews"][0]["card"] == {"domain": "169.254.169.254", "path": "/latest/meta-data"}


def test_the_composer_shows_the_preview_and_the_template_picker(iwaki: Body) -> None:
    kiki = live_kiki_account(iwaki)
    templates.create_template(
        actor=iwaki.tanto.user, organization=iwaki.organization, account=kiki, name="防災訓練", text=CLEAN
    )
    page = signed_in_client(iwaki.tanto.user).get("/posts/new/").content.decode()
    assert 'id="platform-preview"' in page and 'role="tablist"' in page and "pv-tab-threads" in page
    assert 'id="template-picker"' in page and "防災訓練" in page


def test_a_template_with_a_phone_number_is_refused_on_the_page_citing_the_clause(iwaki: Body) -> None:
    kiki = live_kiki_account(iwaki)
    response = signed_in_client(iwaki.tanto.user).post(
        "/posts/templates/", {"name": "受付", "category": "emergency", "account": kiki.pk, "text": PHONE}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "第5 2(2)" in page and 'aria-describedby="id_text-errors"' in page
    assert not PostTemplate.objects.exists()


def test_the_templates_page_creates_one(iwaki: Body) -> None:
    kiki = live_kiki_account(iwaki)
    client = signed_in_client(iwaki.tanto.user)
    response = client.post(
        "/posts/templates/", {"name": "防災", "category": "emergency", "account": kiki.pk, "text": CLEAN}
    )
    assert response.status_code == 302
    assert "防災" in client.get("/posts/templates/").content.decode()


def test_an_outsider_sees_no_template_and_gets_404_on_one(iwaki: Body, outsider: Any) -> None:
    template = templates.create_template(
        actor=iwaki.kacho.user, organization=iwaki.organization, name="全庁のお知らせ", text=CLEAN
    )
    client = signed_in_client(outsider.user)
    assert "全庁のお知らせ" not in client.get("/posts/templates/").content.decode()
    assert client.get(f"/posts/templates/{template.pk}/").status_code == 404
    assert client.post(f"/posts/templates/{template.pk}/archive/").status_code == 404
    assert "全庁のお知らせ" not in client.get("/posts/new/").content.decode()


def test_archive_from_the_edit_page(iwaki: Body) -> None:
    template = templates.create_template(
        actor=iwaki.kacho.user, organization=iwaki.organization, name="全庁", text=CLEAN
    )
    client = signed_in_client(iwaki.kacho.user)
    assert client.post(f"/posts/templates/{template.pk}/archive/").status_code == 302
    template.refresh_from_db()
    assert template.archived


def test_the_preview_endpoint_refuses_a_text_longer_than_the_composer_allows(iwaki: Body) -> None:
    response = _preview(signed_in_client(iwaki.tanto.user), {"text": "あ" * 10_001})
    assert response.status_code == 400 and "10,000" in response.json()["error"]
