"""``koshiki registry check-urls``: accounts and posts whose stored URL does not fit the platform (issue #13).

URLs stored before the platform check (or imported from an old 台帳) may point at another service; this
lists each one with where to correct it, so an operator can work through them. Read-only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .manage import setup_django


@dataclass(frozen=True)
class Problem:
    kind: str  # "account" or "post"
    pk: int
    organization: str
    platform: str
    url: str
    reason: str
    expected: str
    path: str


def find_problems(organization: Any = None) -> Iterator[Problem]:
    """Every account URL and published post URL of ``organization`` (or of all) that its platform refuses."""
    from django.urls import reverse

    from koshiki.connectors.urls import rules_for
    from koshiki.posts.models import Post
    from koshiki.registry.links import mismatch
    from koshiki.registry.models import OfficialAccount

    accounts = OfficialAccount.objects.exclude(url="").select_related("organization").order_by("pk")
    posts = Post.objects.exclude(remote_url="").select_related("account", "organization").order_by("pk")
    if organization is not None:
        accounts, posts = accounts.filter(organization=organization), posts.filter(organization=organization)
    for account in accounts.iterator(chunk_size=500):
        reason = mismatch(account.platform, account.url)
        if reason:
            yield Problem(
                "account",
                account.pk,
                account.organization.code,
                account.platform,
                account.url,
                reason,
                rules_for(account.platform).profile_example,
                reverse("account-detail", args=[account.pk]),
            )
    for post in posts.iterator(chunk_size=500):
        reason = mismatch(post.account.platform, post.remote_url, post=True)
        if reason:
            yield Problem(
                "post",
                post.pk,
                post.organization.code,
                post.account.platform,
                post.remote_url,
                reason,
                rules_for(post.account.platform).post_example,
                reverse("post-detail", args=[post.pk]),
            )


def _check(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.orgs.models import Organization

    organization = None
    if args.org:
        organization = Organization.objects.filter(code=args.org).first()
        if organization is None:
            print(f"エラー / error: 団体コード {args.org} の団体は登録されていません", file=sys.stderr)
            return 2
    found = 0
    for problem in find_problems(organization):
        found += 1
        label = "アカウント / account" if problem.kind == "account" else "投稿 / post"
        print(
            f"{problem.organization}\t{label} #{problem.pk}\t{problem.platform}\t{problem.url}\t"
            f"{problem.reason}\texpected {problem.expected}\t{problem.path}"
        )
    if found:
        print(
            f"{found} 件のURLがサービスと一致しません / URLs that do not fit their platform", file=sys.stderr
        )
        return 1
    print("すべてのURLがサービスと一致しています / every URL fits its platform", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    checking = sub.add_parser("check-urls", help="list account and post URLs that do not fit their platform")
    checking.add_argument("--org", help="団体コード (default: every organization)")
    checking.set_defaults(handler=_check)
