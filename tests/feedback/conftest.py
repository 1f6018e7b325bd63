"""A post by the 担当者 of いわき市's live 危機管理課 account, with a name, a phone, an e-mail and a
short link the checker finds; the 所属長 (the account's manager) is the approver who gives feedback."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Body, live_kiki_account

TEXT = (
    "避難所の受付は山田太郎さん（090-1234-5678、yamada.taro@gmail.com）が担当します。"
    "詳しくは bit.ly/abc123 へ。"
)


def make_post(body: Body) -> Any:
    from koshiki.posts import services as posts

    return posts.create_post(actor=body.tanto.user, account=live_kiki_account(body), text=TEXT)


@pytest.fixture
def post(iwaki: Body) -> Any:
    return make_post(iwaki)


def key_of(post: Any, category: str) -> str:
    from koshiki.posts.services.common import finding_key

    return next(finding_key(f) for f in post.findings if f["category"] == category)
