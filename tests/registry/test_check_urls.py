"""`koshiki registry check-urls` lists stored URLs that do not fit their platform (issue #13 item 6)."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.cli import main
from koshiki.registry import services
from koshiki.registry.models import OfficialAccount


def _account(body: Any, platform: str, name: str, url: str) -> OfficialAccount:
    account = services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform=platform,
        account_name=name,
        purpose="広報",
    )
    # Data from before the check (an old import): written past the services on purpose.
    OfficialAccount.objects.filter(pk=account.pk).update(url=url)
    return account


def test_accounts_whose_url_is_another_platforms_are_listed(
    iwaki: Any, shinshiro: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = _account(iwaki, "instagram", "観光", "https://twitter.com/iwaki_kanko")
    _account(iwaki, "x", "防災", "https://x.com/iwaki_bousai")
    other = _account(shinshiro, "x", "新城", "https://x.com@evil.example/shinshiro")
    assert main(["registry", "check-urls", "--org", iwaki.organization.code]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert f"#{wrong.pk}\tinstagram\thttps://twitter.com/iwaki_kanko\twrong_host" in out[0]
    assert f"/accounts/{wrong.pk}/" in out[0]
    assert main(["registry", "check-urls"]) == 1
    assert f"#{other.pk}" in capsys.readouterr().out


def test_a_clean_registry_exits_zero(iwaki: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _account(iwaki, "x", "防災", "https://x.com/iwaki_bousai")
    assert main(["registry", "check-urls"]) == 0
    assert capsys.readouterr().out == ""


def test_a_post_recorded_at_another_platforms_url_is_listed(
    iwaki: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from koshiki.posts.models import Post

    account = _account(iwaki, "x", "防災", "https://x.com/iwaki_bousai")
    # Recorded before the check (the walkthrough: an X post at an instagram.com URL).
    post = Post.objects.create(
        organization=iwaki.organization,
        account=account,
        author=iwaki.tanto,
        text="防災訓練のお知らせ",
        state="published",
        remote_url="https://www.instagram.com/p/CxYz12345/",
    )
    assert main(["registry", "check-urls"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert f"#{post.pk}\tx\thttps://www.instagram.com/p/CxYz12345/\twrong_host" in line
    assert f"/posts/{post.pk}/" in line
