"""Pages that list a whole body show a bounded page, and the pager keeps the page's filters (issue #12 P).

At national scale 横浜市 has 1,178 staff and 428 accounts: people and the security board rendered every row
(850 ms and 935 ms), and the post list showed its first 50 posts with no way to the next ones.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from koshiki.orgs import services as org_services
from koshiki.orgs.models import Staff
from koshiki.posts.models import Post
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount
from koshiki.web.views import people as people_views
from koshiki.web.views import posts as posts_views
from koshiki.web.views import security as security_views

from ..conftest import PASSWORD, signed_in_client

PAGE = 3


def _account(body: Any, n: int) -> OfficialAccount:
    return OfficialAccount.objects.create(
        organization=body.organization,
        department=body.departments["kiki"],
        platform="x",
        account_name=f"危機管理 {n}",
        handle=f"kiki_{n}",
        purpose="防災情報",
        manager=body.shozokucho,
        state=AccountState.ACTIVE,
    )


def _next_link(html: str, param: str = "page") -> str:
    found = re.search(r'<nav class="pager">.*?<a href="(\?(?:[^"]*&amp;)?' + param + r'=2[^"]*)"', html, re.S)
    assert found is not None, "no link to page 2"
    return found.group(1).replace("&amp;", "&")


def test_post_list_pager_keeps_the_account_filter(iwaki: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posts_views, "POST_PAGE_SIZE", PAGE, raising=False)
    mine, other = _account(iwaki, 1), _account(iwaki, 2)
    for i in range(PAGE + 1):
        Post.objects.create(
            organization=iwaki.organization, account=mine, author=iwaki.tanto, text=f"本文 {i}"
        )
    Post.objects.create(organization=iwaki.organization, account=other, author=iwaki.tanto, text="別")
    client = signed_in_client(iwaki.kacho.user, Client())
    first = client.get(f"/posts/?account={mine.pk}").content.decode()
    link = _next_link(first)
    assert f"account={mine.pk}" in link
    second = client.get("/posts/" + link).content.decode()
    assert second.count('href="/posts/') - second.count('href="/posts/approvals') >= 1
    assert "別" not in second and "本文 0" in second  # oldest of the filtered account, on page 2


def test_people_are_listed_a_page_at_a_time(
    iwaki: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_views, "PEOPLE_PAGE_SIZE", PAGE, raising=False)
    for i in range(PAGE):
        org_services.add_staff(
            actor=system_admin,
            organization=iwaki.organization,
            username=f"iwaki-more-{i}",
            display_name=f"職員 {i}",
            password=PASSWORD,
            department=iwaki.departments["kiki"],
            email=f"more-{i}@example.lg.jp",
        )
    client = signed_in_client(iwaki.kacho.user, Client())
    html = client.get("/people/").content.decode()
    pages = [re.findall(r'<tr data-staff="(\d+)">', html)]
    while (found := re.search(r'<a href="(\?[^"]*page=\d+)">(?:次へ|Next)</a>', html)) is not None:
        html = client.get("/people/" + found.group(1).replace("&amp;", "&")).content.decode()
        pages.append(re.findall(r'<tr data-staff="(\d+)">', html))
    everyone = Staff.objects.filter(organization=iwaki.organization).values_list("pk", flat=True)
    assert [len(p) for p in pages[:-1]] == [PAGE] * (len(pages) - 1) and 0 < len(pages[-1]) <= PAGE
    assert sorted(int(pk) for p in pages for pk in p) == sorted(everyone)  # each person once


def test_security_board_lists_accounts_a_page_at_a_time(iwaki: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security_views, "BOARD_PAGE_SIZE", PAGE, raising=False)
    accounts = [_account(iwaki, n) for n in range(PAGE + 2)]
    client = signed_in_client(iwaki.kacho.user, Client())
    first = client.get("/security/").content.decode()
    shown = re.findall(r'<tr data-account="(\d+)">', first)
    assert len(shown) == PAGE
    second = client.get("/security/" + _next_link(first, "accounts")).content.decode()
    more = re.findall(r'<tr data-account="(\d+)">', second)
    assert sorted(map(int, shown + more)) == sorted(a.pk for a in accounts)


def test_security_board_problems_are_a_bounded_page_with_the_total(
    iwaki: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security_views, "BOARD_PAGE_SIZE", PAGE, raising=False)
    for n in range(PAGE + 2):
        _account(iwaki, n)  # two-step login not recorded: one problem each
    client = signed_in_client(iwaki.kacho.user, Client())
    html = client.get("/security/").content.decode()
    assert len(re.findall(r'data-kind="missing_two_step"', html)) == PAGE
    total = len(re.findall(r"data-kind=", html))
    assert f"({PAGE + 2})" in html and total == PAGE
