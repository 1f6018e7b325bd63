"""Every list page costs the same number of queries for 2 rows as for 20 (no N+1).

Each test builds a body, adds 2 rows of what the page lists, counts the page's queries, adds 18 more,
and counts again: the two counts must be equal.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.posts import services as posts
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post
from koshiki.registry.io import import_rows
from koshiki.security import services as security

from ..conftest import PASSWORD, signed_in_client
from ..posts.conftest import CLEAN_POST, PostingBody, build_posting_body
from ..security.conftest import SEEDS

_serial = itertools.count(1)


@pytest.fixture
def body(db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> PostingBody:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    built = build_posting_body(system_admin, *SEEDS[0])
    built.seed.system_admin = system_admin  # type: ignore[attr-defined]
    return built


def _queries(user: Any, url: str) -> int:
    client = signed_in_client(user)
    client.get(url)  # warm caches that are per process, not per row (profile, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def add_accounts(body: PostingBody, n: int) -> None:
    import_rows(
        actor=None,
        organization=body.seed.organization,
        source="test",
        rows=[
            {
                "所属コード": "ka",
                "サービス": "x",
                "アカウント名": f"広報{i}",
                "ID": f"koho_extra_{i}",
                "URL": f"https://x.com/koho_extra_{i}",
                "目的": "市政情報の発信",
                "状態": "運用中",
            }
            for i in (next(_serial) for _ in range(n))
        ],
    )


def _submitted(body: PostingBody) -> Post:
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    return posts.submit(
        actor=body.operator.user,
        post=post,
        scheduled_at=timezone.now() + dt.timedelta(days=1 + next(_serial) % 5),
    )


def add_submitted_posts(body: PostingBody, n: int) -> None:
    for _ in range(n):
        _submitted(body)


def add_after_reports(body: PostingBody, n: int) -> None:
    for post in [_submitted(body) for _ in range(n)]:
        AfterReport.objects.create(
            post=post, reason="standing", due_on=timezone.localdate() + dt.timedelta(days=3)
        )


def add_devices(body: PostingBody, n: int) -> None:
    for _ in range(n):
        security.register_device(
            actor=body.operator.user,
            label=f"PC-{next(_serial)}",
            kind="official",
            os_name="Windows 11",
            os_patched_on=timezone.localdate(),
            antivirus="active",
        )


def add_staff(body: PostingBody, n: int) -> None:
    admin = body.seed.system_admin  # type: ignore[attr-defined]
    department = body.account.department
    for _ in range(n):
        i = next(_serial)
        staff = org_services.add_staff(
            actor=admin,
            organization=body.seed.organization,
            username=f"extra-{i}",
            display_name=f"職員 {i}",
            password=PASSWORD,
            department=department,
            email=f"extra-{i}@example.lg.jp",
        )
        org_services.assign_role(actor=admin, staff=staff, role_id="operator")


PAGES: list[tuple[str, str, Callable[[PostingBody, int], None]]] = [
    ("registry", "/accounts/", add_accounts),
    ("post-list", "/posts/", add_submitted_posts),
    ("calendar", "/posts/calendar/", add_submitted_posts),
    ("approval-queue", "/posts/approvals/", add_submitted_posts),
    ("after-reports", "/posts/after/", add_after_reports),
    ("security-board", "/security/", add_accounts),
    ("device-list", "/devices/", add_devices),
    ("staff-list", "/people/", add_staff),
    ("audit-log", "/audit/", add_staff),
]


@pytest.mark.parametrize(
    ("url", "grow"), [(url, grow) for _, url, grow in PAGES], ids=[name for name, _, _ in PAGES]
)
def test_a_list_page_costs_the_same_for_2_and_20_rows(
    body: PostingBody, url: str, grow: Callable[[PostingBody, int], None]
) -> None:
    viewer = body.seed.admin.user
    grow(body, 2)
    few = _queries(viewer, url)
    grow(body, 18)
    assert _queries(viewer, url) == few


def _approver(body: PostingBody) -> Any:
    step = posts.pending_step(_submitted(body))
    assert step is not None
    return step.waiting_for[0].user


def _dashboard(user: Any) -> tuple[int, int]:
    """(queries, attention items) of the dashboard for ``user``."""
    client = signed_in_client(user)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["items"])


@pytest.mark.parametrize(
    ("grow", "viewer", "listed"),
    [
        (
            add_accounts,
            lambda body: body.seed.admin.user,
            False,
        ),  # administrators walk every account (is_manager)
        (add_accounts, lambda body: body.manager.user, True),
        (add_submitted_posts, _approver, True),
        (add_after_reports, _approver, True),
        (add_devices, lambda body: body.operator.user, False),  # freshly attested devices are not due yet
    ],
    ids=["accounts-admin", "accounts-manager", "posts-approver", "after-reports-approver", "devices-owner"],
)
def test_the_dashboard_costs_the_same_for_2_and_20_rows(
    body: PostingBody,
    grow: Callable[[PostingBody, int], None],
    viewer: Callable[[PostingBody], Any],
    listed: bool,
) -> None:
    user = viewer(body)
    grow(body, 2)
    few, few_items = _dashboard(user)
    grow(body, 18)
    many, many_items = _dashboard(user)
    if listed:
        assert many_items > few_items  # the rows really reach this viewer's dashboard
    assert many == few


def add_failed_posts(body: PostingBody, n: int) -> None:
    for _ in range(n):
        post = _submitted(body)
        Post.objects.filter(pk=post.pk).update(state=PostState.FAILED, last_error="503 Service Unavailable")


def test_the_dashboard_costs_the_same_for_2_and_20_failed_posts(body: PostingBody) -> None:
    user = body.operator.user
    add_failed_posts(body, 2)
    few, few_items = _dashboard(user)
    add_failed_posts(body, 18)
    many, many_items = _dashboard(user)
    assert many_items > few_items
    assert many == few


def add_requested_accounts(body: PostingBody, n: int) -> None:
    from koshiki.registry import services as registry

    for _ in range(n):
        registry.request_account(
            actor=body.operator.user,
            department=body.account.department,
            platform="x",
            account_name=f"申請{next(_serial)}",
            purpose="市政情報の発信",
        )


def test_the_dashboard_costs_the_same_for_2_and_20_requested_accounts(body: PostingBody) -> None:
    """Account requests waiting at the viewer's step (main's approval engine): no query per request."""
    from koshiki.registry import services as registry
    from koshiki.registry.lifecycle import AccountState
    from koshiki.registry.models import OfficialAccount

    first_role = registry.subject(body.account).chain.steps[0].role  # whoever the profile names first
    org_services.assign_role(
        actor=body.seed.system_admin,
        staff=body.manager,
        role_id=first_role,  # type: ignore[attr-defined]
        department=body.account.department,
    )
    add_requested_accounts(body, 2)
    step = registry.pending_step(OfficialAccount.objects.filter(state=AccountState.REQUESTED).first())
    assert step is not None and step.waiting_for
    user = step.waiting_for[0].user
    few, few_items = _dashboard(user)
    add_requested_accounts(body, 18)
    many, many_items = _dashboard(user)
    assert many_items > few_items
    assert many == few


def test_the_dashboard_reads_the_bodys_role_holders_once(body: PostingBody) -> None:
    """Every provider asks the same HolderIndex (Viewer.shared): one read of the department tree and of the
    current role assignments per dashboard, not one per provider (issue #12)."""
    add_submitted_posts(body, 2)
    add_after_reports(body, 2)
    client = signed_in_client(body.seed.admin.user)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    tree_reads = [q for q in captured.captured_queries if '"orgs_department"."parent_id" AS' in q["sql"]]
    assert len(tree_reads) == 1


@pytest.mark.parametrize(
    ("url", "grow", "setting", "rows"),
    [
        ("/posts/approvals/", add_submitted_posts, "QUEUE_PAGE_SIZE", "waiting"),
        ("/posts/after/", add_after_reports, "AFTER_REPORT_PAGE_SIZE", "rows"),
    ],
    ids=["approval-queue", "after-reports"],
)
def test_a_long_queue_is_shown_a_bounded_page_at_a_time(
    body: PostingBody,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    grow: Callable[[PostingBody, int], None],
    setting: str,
    rows: str,
) -> None:
    monkeypatch.setattr(f"koshiki.web.views.posts.{setting}", 3)
    grow(body, 5)
    client = signed_in_client(body.seed.admin.user)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert [len(first.context[rows]), len(second.context[rows])] == [3, 2]
    assert "?page=2" in first.content.decode()
