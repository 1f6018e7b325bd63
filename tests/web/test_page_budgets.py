"""Every main page a user reaches from the navigation costs the same number of queries for a small body
and for one three times larger (issue #12: query budgets constant in the body's size).

The growing fixture gives every new account every reason to reach the dashboard: an old operating policy
(review due), no continuation review (overdue), no posts for long (dormant), a credential holder with no
rotation on record (rotation due) and no two-step recorded, a change notice coming due, a post waiting for
approval, a failed post, an after-the-fact report; plus a requested account, a member of staff, a device.
The account, post and person the detail pages show grow too (history, posts, policy versions, holders).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.posts import services as posts
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post
from koshiki.posts.services import templates
from koshiki.registry import services as registry
from koshiki.registry.io import import_rows
from koshiki.registry.models import OfficialAccount, PolicyVersion
from koshiki.security import services as security

from ..conftest import PASSWORD, signed_in_client
from ..posts.conftest import CLEAN_POST, PostingBody, build_posting_body
from ..security.conftest import SEEDS

SMALL, LARGE = 2, 6  # the large body is three times the small one (N+1 shows at any growth; 6 keeps CI fast)
_serial = itertools.count(1)
LONG_AGO = dt.timedelta(days=800)


@dataclass
class Grown:
    body: PostingBody
    post: Post  # the post the post page shows


@pytest.fixture
def grown(db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> Grown:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    body = build_posting_body(system_admin, *SEEDS[0])
    body.seed.system_admin = system_admin  # type: ignore[attr-defined]
    return Grown(body, _submitted(body.operator, body.account))


def _submitted(writer: Any, account: OfficialAccount) -> Post:
    post = posts.create_post(actor=writer.user, account=account, text=CLEAN_POST)
    return posts.submit(
        actor=writer.user,
        post=post,
        scheduled_at=timezone.now() + dt.timedelta(days=1 + next(_serial) % 5),
    )


def _policy_items(account: OfficialAccount) -> dict[str, str]:
    from koshiki.orgs.profiles import profile_for

    return {item.id: "定めのとおり" for item in profile_for(account.organization).operating_policy.items}


def _troubled_account(body: PostingBody, i: int) -> OfficialAccount:
    """An account of a new 課 (with its own 所属長) with every reason to be on someone's dashboard."""
    seed = body.seed
    admin = seed.system_admin  # type: ignore[attr-defined]
    department = org_services.create_department(
        actor=admin,
        organization=seed.organization,
        code=f"ka{i}",
        name=f"第{i}課",
        parent=body.account.department.parent,
    )
    head = org_services.add_staff(
        actor=admin,
        organization=seed.organization,
        username=f"head-{i}",
        display_name=f"課長 {i}",
        password=PASSWORD,
        department=department,
        email=f"head-{i}@example.lg.jp",
    )
    org_services.assign_role(actor=admin, staff=head, role_id=seed.profile.account.manager_role)
    writer = org_services.add_staff(
        actor=admin,
        organization=seed.organization,
        username=f"writer-{i}",
        display_name=f"担当 {i}",
        password=PASSWORD,
        department=department,
        email=f"writer-{i}@example.lg.jp",
    )
    org_services.assign_role(actor=admin, staff=writer, role_id="operator")
    import_rows(
        actor=None,
        organization=seed.organization,
        source="test",
        rows=[
            {
                "所属コード": f"ka{i}",
                "サービス": "x",
                "アカウント名": f"広報{i}",
                "ID": f"koho_grow_{i}",
                "URL": f"https://x.com/koho_grow_{i}",
                "目的": "市政情報の発信",
                "状態": "運用中",
            }
        ],
    )
    account = OfficialAccount.objects.get(handle=f"koho_grow_{i}")
    registry.save_policy(actor=head.user, account=account, items=_policy_items(account))
    security.add_holder(actor=head.user, account=account, staff=writer, reason="担当")
    _submitted(writer, account)
    failed = _submitted(writer, account)
    Post.objects.filter(pk=failed.pk).update(state=PostState.FAILED, last_error="503 Service Unavailable")
    published = _submitted(writer, account)  # issue #13 T: the overview's weeks and health lines grow too
    Post.objects.filter(pk=published.pk).update(state=PostState.PUBLISHED, published_at=timezone.now())
    reported = _submitted(writer, account)
    AfterReport.objects.create(
        post=reported, reason="standing", due_on=timezone.localdate() + dt.timedelta(days=3)
    )
    today = timezone.localdate()
    registry.announce(
        actor=head.user,
        account=account,
        kind="change",
        effective_on=today + dt.timedelta(days=3),
        description="名称の変更",
        announced_on=today - dt.timedelta(days=90),
    )
    long_ago = timezone.now() - LONG_AGO
    PolicyVersion.objects.filter(account=account).update(created_at=long_ago)
    OfficialAccount.objects.filter(pk=account.pk).update(state_changed_at=long_ago, last_post_at=long_ago)
    return account


def grow(grown: Grown, n: int) -> None:
    body = grown.body
    seed = body.seed
    admin = seed.system_admin  # type: ignore[attr-defined]
    for _ in range(n):
        i = next(_serial)
        _troubled_account(body, i)
        registry.request_account(
            actor=seed.operator.user,
            department=body.account.department,
            platform="x",
            account_name=f"申請{i}",
            purpose="市政情報の発信",
        )
        staff = org_services.add_staff(
            actor=admin,
            organization=seed.organization,
            username=f"grow-{i}",
            display_name=f"職員 {i}",
            password=PASSWORD,
            department=body.account.department,
            email=f"grow-{i}@example.lg.jp",
        )
        org_services.assign_role(actor=admin, staff=staff, role_id="operator")
        security.add_holder(actor=seed.manager.user, account=body.account, staff=staff, reason="担当")
        security.register_device(
            actor=seed.operator.user,
            label=f"PC-{i}",
            kind="official",
            os_name="Windows 11",
            os_patched_on=timezone.localdate(),
            antivirus="active",
        )
        # the pages about one account, post or person grow too
        registry.save_policy(actor=seed.manager.user, account=body.account, items=_policy_items(body.account))
        _submitted(body.operator, body.account)
        _templates(body, i)
        _check_feedback(grown, i)


def _check_feedback(grown: Grown, i: int) -> None:
    """Issue #14 B: the post page's feedback panel and /check-feedback/ grow with the feedback given."""
    from koshiki.checks import DEFAULT_SEVERITY
    from koshiki.feedback.services import record_feedback

    manager = grown.body.seed.manager.user
    category = sorted(DEFAULT_SEVERITY)[i % len(DEFAULT_SEVERITY)]
    record_feedback(actor=manager, post=grown.post, kind="missed", category=category, note=f"見逃し{i}")
    other = _submitted(grown.body.operator, grown.body.account)
    record_feedback(actor=manager, post=other, kind="missed", category="rumor")


def _templates(body: PostingBody, i: int) -> None:
    """One template for the account and one for the whole organization (issue #13 R: /posts/templates/)."""
    seed = body.seed
    templates.create_template(
        actor=seed.manager.user,
        organization=seed.organization,
        account=body.account,
        name=f"防災{i}",
        text=CLEAN_POST,
    )
    templates.create_template(
        actor=seed.admin.user, organization=seed.organization, name=f"全庁{i}", text=CLEAN_POST
    )


def _queries(user: Any, url: str) -> int:
    client = signed_in_client(user)
    client.get(url)  # warm caches that are per process, not per row (profile, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


Url = Callable[[Grown], str]


def _in_days(days: int) -> str:
    """A calendar date among the grown body's posts (they are scheduled 1 to 5 days ahead)."""
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


#: (name, url, who looks) for every page of the navigation and the pages one click below it.
PAGES: list[tuple[str, Url, str]] = [
    ("dashboard-admin", lambda g: "/", "admin"),
    ("dashboard-manager", lambda g: "/", "manager"),
    ("dashboard-operator", lambda g: "/", "operator"),
    ("registry", lambda g: "/accounts/", "admin"),
    (
        "registry-filtered",  # issue #13
        lambda g: f"/accounts/?q=広報&platform=x&state=active&department={g.body.account.department_id}",
        "admin",
    ),
    ("account-detail", lambda g: f"/accounts/{g.body.account.pk}/", "manager"),
    ("account-posting", lambda g: f"/accounts/{g.body.account.pk}/posting/", "manager"),
    ("account-security", lambda g: f"/accounts/{g.body.account.pk}/security/", "manager"),
    ("post-list", lambda g: "/posts/", "manager"),
    (
        "post-list-filtered",  # issue #13: every filter at once, text NFKC-normalised in SQL
        lambda g: (
            f"/posts/?q=防災&state=submitted&state=failed&account={g.body.account.pk}"
            f"&author={g.body.operator.pk}&category=notice&date_from=2020-01-01&date_to=2030-12-31"
        ),
        "manager",
    ),
    ("post-detail", lambda g: f"/posts/{g.post.pk}/", "manager"),
    ("calendar", lambda g: "/posts/calendar/", "manager"),
    ("calendar-operator", lambda g: f"/posts/calendar/?date={_in_days(3)}", "operator"),
    ("calendar-week", lambda g: f"/posts/calendar/?view=week&date={_in_days(3)}", "manager"),
    ("approval-queue", lambda g: "/posts/approvals/", "manager"),
    ("after-reports", lambda g: "/posts/after/", "manager"),
    ("post-templates", lambda g: "/posts/templates/", "manager"),
    ("post-compose", lambda g: "/posts/new/", "operator"),
    ("audit-log", lambda g: "/audit/", "admin"),
    (
        "audit-log-filtered",
        lambda g: f"/audit/?date_from=2020-01-01&action=registry.&account={g.body.account.pk}",
        "admin",
    ),
    ("people", lambda g: "/people/", "admin"),
    ("person", lambda g: f"/people/{g.body.operator.pk}/", "admin"),
    ("security-board", lambda g: "/security/", "admin"),
    ("devices", lambda g: "/devices/", "operator"),
    ("disclosure", lambda g: "/accounts/disclosure/", "admin"),
    ("settings", lambda g: "/settings/", "admin"),
    ("ai-review-settings", lambda g: "/settings/ai-review/", "admin"),  # issue #14 A
    ("registry-export", lambda g: "/accounts/export/?format=csv", "admin"),
    ("overview", lambda g: "/overview/", "admin"),  # issue #13 T: every chart and health line in SQL
    ("check-feedback", lambda g: "/check-feedback/", "admin"),  # issue #14 B: feedback on the checker
]


def _viewer(grown: Grown, who: str) -> Any:
    seed = grown.body.seed
    return {"admin": seed.admin, "manager": seed.manager, "operator": seed.operator}[who].user


@pytest.mark.parametrize(("url", "who"), [(u, w) for _, u, w in PAGES], ids=[n for n, _, _ in PAGES])
def test_a_main_page_costs_the_same_for_a_body_three_times_larger(grown: Grown, url: Url, who: str) -> None:
    viewer = _viewer(grown, who)
    grow(grown, SMALL)
    small = _queries(viewer, url(grown))
    grow(grown, LARGE - SMALL)
    large = _queries(viewer, url(grown))
    assert large == small, f"{small} queries for the small body, {large} for the large one"
