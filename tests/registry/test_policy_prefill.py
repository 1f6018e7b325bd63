"""運用方針 items the request form already asked for are prefilled, not asked again (#13)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from koshiki.registry import services

from ..conftest import signed_in_client


def _requested(body: Any) -> Any:
    return services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき市防災",
        handle="iwaki_bousai",
        purpose="災害時の避難情報を速やかに届けるため。",
        reply_policy="個別の返信は行いません。",
        operating_hours="08:30-17:15",
    )


def test_the_policy_form_is_prefilled_from_the_request(iwaki: Any) -> None:
    account = _requested(iwaki)
    page = signed_in_client(iwaki.tanto.user).get(reverse("account-detail", args=[account.pk]))
    form = page.context["policy_form"]
    assert form.initial["purpose"] == "災害時の避難情報を速やかに届けるため。"
    assert form.initial["reply_policy"] == "個別の返信は行いません。"
    assert "X" in form.initial["platforms"]
    assert "08:30-17:15" in form.initial["operation"]
    assert "災害時の避難情報を速やかに届けるため。</textarea>" in page.content.decode()


def test_a_saved_policy_item_wins_over_the_prefill(iwaki: Any) -> None:
    account = _requested(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items={"purpose": "書き直した目的"})
    page = signed_in_client(iwaki.tanto.user).get(reverse("account-detail", args=[account.pk]))
    initial = page.context["policy_form"].initial
    assert initial["purpose"] == "書き直した目的"
    assert initial["reply_policy"] == "個別の返信は行いません。"
