"""Post templates by persona (issue #13 R): who may manage them, the check on save, the audit, scoping."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.posts.models import PostTemplate
from koshiki.posts.services import templates

from ..conftest import Body, live_kiki_account

PHONE = "避難所の受付は田中さん（090-1234-5678）が担当します。"
CLEAN = "【防災】本日15時から市役所本庁舎で防災訓練を行います。ご協力をお願いします。"


@pytest.fixture
def kiki(iwaki: Body) -> Any:
    return live_kiki_account(iwaki)


def test_the_writer_of_an_account_creates_its_template_audited(iwaki: Body, kiki: Any) -> None:
    template = templates.create_template(
        actor=iwaki.tanto.user, organization=iwaki.organization, account=kiki, name="防災訓練", text=CLEAN
    )
    entry = AuditEntry.objects.get(action="posts.template.created")
    assert entry.object_id == str(template.pk)
    assert entry.after["scope"] == "account" and entry.after["account"] == kiki.pk


def test_a_writer_may_not_create_an_organization_wide_template(iwaki: Body) -> None:
    with pytest.raises(NotPermitted):
        templates.create_template(
            actor=iwaki.tanto.user, organization=iwaki.organization, name="全庁", text=CLEAN
        )
    assert not PostTemplate.objects.exists()


def test_the_public_relations_head_creates_an_organization_wide_template(iwaki: Body) -> None:
    template = templates.create_template(
        actor=iwaki.kacho.user, organization=iwaki.organization, name="イベント", text=CLEAN, category="event"
    )
    assert template.account is None


def test_someone_who_may_not_write_the_account_may_not_make_its_template(iwaki: Body, kiki: Any) -> None:
    with pytest.raises(NotPermitted):
        templates.create_template(
            actor=iwaki.ciso.user, organization=iwaki.organization, account=kiki, name="x", text=CLEAN
        )


def test_an_outsider_can_neither_create_nor_see_templates(iwaki: Body, kiki: Any, outsider: Any) -> None:
    templates.create_template(
        actor=iwaki.kacho.user, organization=iwaki.organization, name="全庁", text=CLEAN
    )
    with pytest.raises(NotPermitted):
        templates.create_template(
            actor=outsider.user, organization=iwaki.organization, account=kiki, name="x", text=CLEAN
        )
    assert list(templates.visible_templates(outsider.user)) == []
    assert len(templates.visible_templates(iwaki.tanto.user)) == 1


def test_a_template_with_a_phone_number_is_refused_citing_the_clause(iwaki: Body, kiki: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        templates.create_template(
            actor=iwaki.tanto.user, organization=iwaki.organization, account=kiki, name="受付", text=PHONE
        )
    assert refused.value.field == "text"
    assert "第5" in refused.value.message and "090-1234-5678" in refused.value.message
    assert not PostTemplate.objects.exists()
    assert not AuditEntry.objects.filter(action="posts.template.created").exists()


def test_an_update_is_checked_too_and_audited(iwaki: Body, kiki: Any) -> None:
    template = templates.create_template(
        actor=iwaki.tanto.user, organization=iwaki.organization, account=kiki, name="防災", text=CLEAN
    )
    with pytest.raises(InvalidInput):
        templates.update_template(
            actor=iwaki.tanto.user, template=template, name="防災", text=PHONE, category="emergency"
        )
    template.refresh_from_db()
    assert template.text == CLEAN
    templates.update_template(
        actor=iwaki.tanto.user, template=template, name="防災（改）", text=CLEAN + "！", category="emergency"
    )
    entry = AuditEntry.objects.get(action="posts.template.updated")
    assert entry.after["name"] == "防災（改）"


def test_archiving_hides_the_template_and_is_audited_once(iwaki: Body, kiki: Any) -> None:
    template = templates.create_template(
        actor=iwaki.shozokucho.user, organization=iwaki.organization, account=kiki, name="防災", text=CLEAN
    )
    templates.archive_template(actor=iwaki.tanto.user, template=template)
    assert list(templates.visible_templates(iwaki.tanto.user)) == []
    with pytest.raises(InvalidTransition):
        templates.archive_template(actor=iwaki.tanto.user, template=template)
    assert AuditEntry.objects.filter(action="posts.template.archived").count() == 1


def test_warnings_are_kept_on_the_template(iwaki: Body, kiki: Any) -> None:
    template = templates.create_template(
        actor=iwaki.tanto.user,
        organization=iwaki.organization,
        account=kiki,
        name="リンク",
        text="詳しくは https://example.com/a をご覧ください。",
    )
    assert template.findings and all(f["severity"] != "block" for f in template.findings)


def test_a_double_click_on_save_creates_one_template_audited_once(iwaki: Body, kiki: Any) -> None:
    args = {"actor": iwaki.tanto.user, "organization": iwaki.organization, "account": kiki, "name": "防災"}
    first = templates.create_template(**args, text=CLEAN, request_key="k" * 32)
    second = templates.create_template(**args, text=CLEAN, request_key="k" * 32)
    assert first.pk == second.pk and PostTemplate.objects.count() == 1
    assert AuditEntry.objects.filter(action="posts.template.created").count() == 1


def test_a_stale_edit_is_refused_naming_the_change_and_overwrites_nothing(iwaki: Body, kiki: Any) -> None:
    template = templates.create_template(
        actor=iwaki.tanto.user, organization=iwaki.organization, account=kiki, name="防災", text=CLEAN
    )
    seen = template.version
    templates.update_template(
        actor=iwaki.tanto.user,  # the same writer in another tab (or a colleague) saved first
        template=template,
        name="防災（課長）",
        text=CLEAN + "！",
        category="emergency",
        expected_version=seen,
    )
    from django.utils import translation

    with translation.override("ja"), pytest.raises(InvalidTransition) as refused:
        templates.update_template(
            actor=iwaki.tanto.user,
            template=template,
            name="防災（担当）",
            text=CLEAN,
            category="emergency",
            expected_version=seen,
        )
    assert "防災（課長）" in str(refused.value) and "再読み込み" in str(refused.value)
    template.refresh_from_db()
    assert template.name == "防災（課長）" and template.version == seen + 1
    with pytest.raises(InvalidTransition):
        templates.archive_template(actor=iwaki.tanto.user, template=template, expected_version=seen)
    assert not PostTemplate.objects.get(pk=template.pk).archived


def test_a_double_click_on_the_create_form_saves_once(iwaki: Body, kiki: Any) -> None:
    from ..conftest import signed_in_client

    client = signed_in_client(iwaki.tanto.user)
    page = client.get("/posts/templates/").content.decode()
    import re

    key = re.search(r'name="request_key" value="([0-9a-f]+)"', page)
    assert key
    data = {
        "name": "防災",
        "category": "notice",
        "account": kiki.pk,
        "text": CLEAN,
        "request_key": key.group(1),
    }
    assert client.post("/posts/templates/", data).status_code == 302
    assert client.post("/posts/templates/", data).status_code == 302
    assert PostTemplate.objects.count() == 1
