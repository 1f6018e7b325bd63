"""The post page's approve button carries the version the approver saw: a post moved since is refused with
the new time in Japanese, and nothing is decided (#13 review, finding 2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post, PostApproval

from ..conftest import Body, live_kiki_account, signed_in_client
from ..posts.conftest import CLEAN_POST


def _submitted(body: Body) -> Post:
    post = services.create_post(actor=body.tanto.user, account=live_kiki_account(body), text=CLEAN_POST)
    return services.submit(
        actor=body.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2)
    )


def _decide_form(page: str) -> dict[str, str]:
    form = page.split('id="decide-form"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_the_approvers_click_after_the_author_moved_the_post_is_refused(iwaki: Body, clock: Any) -> None:
    post = _submitted(iwaki)
    approver = signed_in_client(iwaki.shozokucho.user)
    approver.cookies["django_language"] = "ja"
    hidden = _decide_form(approver.get(f"/posts/{post.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert hidden.get("version") == str(post.version)
    new_at = post.scheduled_at + dt.timedelta(days=1)
    services.reschedule_post(actor=iwaki.tanto.user, post=post, new_at=new_at, expected_version=post.version)
    response = approver.post(
        f"/posts/{post.pk}/decide/",
        {"decision": "approve", "comment": "", "version": hidden["version"]},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "開いた後に変更" in body and timezone.localtime(new_at).strftime("%Y-%m-%d %H:%M") in body
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SUBMITTED and not PostApproval.objects.filter(post=post).exists()


def test_the_approvers_click_on_an_unchanged_post_is_recorded(iwaki: Body, clock: Any) -> None:
    post = _submitted(iwaki)
    approver = signed_in_client(iwaki.shozokucho.user)
    hidden = _decide_form(approver.get(f"/posts/{post.pk}/").content.decode())
    approver.post(f"/posts/{post.pk}/decide/", {"decision": "approve", "comment": "", **hidden})
    assert Post.objects.get(pk=post.pk).state in (PostState.SCHEDULED, PostState.APPROVED)
