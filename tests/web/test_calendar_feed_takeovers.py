"""Issue #13 review findings 4–5: the ICS feed under double clicks, reloads and account-recovery events."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.audit.retention import reveal
from koshiki.logins import services as login_services
from koshiki.posts.models import CalendarFeed
from koshiki.posts.services.calendar_feed import issue_feed
from koshiki.twostep import services as two_step_services

from ..conftest import Body, signed_in_client
from .test_two_step import _enrol

URL = re.compile(r"/posts/calendar/feed/([A-Za-z0-9_-]+)\.ics")


def _issued() -> int:
    return AuditEntry.objects.filter(action="posts.calendar_feed.issued").count()


def test_a_double_click_on_issue_issues_one_token_and_no_500(iwaki: Body, clock: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    key = re.search(
        r'name="request_key" value="([0-9a-f]+)"', client.get("/posts/calendar/").content.decode()
    )
    assert key
    first = client.post("/posts/calendar/", {"feed": "issue", "request_key": key.group(1)})
    second = client.post("/posts/calendar/", {"feed": "issue", "request_key": key.group(1)})
    assert first.status_code == 302 and second.status_code == 302
    assert _issued() == 1 and CalendarFeed.objects.filter(staff=iwaki.tanto).count() == 1


def test_a_create_race_rotates_once_instead_of_a_500(iwaki: Body, clock: Any, monkeypatch: Any) -> None:
    """Two first issues at once: the loser's insert hits the unique staff; it rotates, not crashes."""
    issue_feed(actor=iwaki.tanto.user)
    real = CalendarFeed.objects.select_for_update
    calls = {"n": 0}

    def blind_first_look(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1  # the first look misses the row the other request is inserting
        return CalendarFeed.objects.none() if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(CalendarFeed.objects, "select_for_update", blind_first_look)
    token = issue_feed(actor=iwaki.tanto.user)
    assert token and CalendarFeed.objects.get(staff=iwaki.tanto).token_hash != ""
    assert [
        e.after["rotated"]
        for e in AuditEntry.objects.filter(action="posts.calendar_feed.issued").order_by("seq")
    ] == [
        False,
        True,
    ]


def test_the_token_is_shown_once_after_a_redirect_and_a_reload_does_not_rotate(
    iwaki: Body, clock: Any
) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/posts/calendar/", {"feed": "issue", "request_key": "a" * 32})
    assert response.status_code == 302  # POST → redirect → GET: a reload re-sends nothing
    page = client.get(response["Location"])
    assert URL.search(page.content.decode()) and "no-store" in page["Cache-Control"]
    reloaded = client.get(response["Location"]).content.decode()
    assert not URL.search(reloaded) and _issued() == 1


def test_an_own_password_change_revokes_the_feed_audited(iwaki: Body, clock: Any) -> None:
    token = issue_feed(actor=iwaki.tanto.user)
    user = iwaki.tanto.user
    user.set_password("old-pass-Koshiki-1")
    user.save()
    login_services.change_password(
        actor=user,
        staff=iwaki.tanto,
        new_password="新しい-Passwort-2026!",
        current_password="old-pass-Koshiki-1",
    )
    assert Client().get(f"/posts/calendar/feed/{token}.ics").status_code == 404
    entry = AuditEntry.objects.get(action="posts.calendar_feed.revoked")
    assert entry.after == {"cause": "password_changed"}


def test_a_password_set_by_an_administrator_revokes_the_feed(iwaki: Body, clock: Any) -> None:
    issue_feed(actor=iwaki.tanto.user)
    login_services.change_password(
        actor=iwaki.kacho.user, staff=iwaki.tanto, new_password="新しい-Passwort-2026!"
    )
    assert not CalendarFeed.objects.filter(staff=iwaki.tanto).exists()


def test_a_two_step_reset_revokes_the_feed_audited(iwaki: Body, clock: Any) -> None:
    _enrol(iwaki.shozokucho)
    issue_feed(actor=iwaki.shozokucho.user)
    two_step_services.reset(actor=iwaki.kacho.user, staff=iwaki.shozokucho, reason="スマートフォン紛失")
    assert not CalendarFeed.objects.filter(staff=iwaki.shozokucho).exists()
    assert AuditEntry.objects.get(action="posts.calendar_feed.revoked").after == {"cause": "two_step_reset"}


def test_a_sign_in_unlock_revokes_the_feed(iwaki: Body, clock: Any) -> None:
    issue_feed(actor=iwaki.tanto.user)
    login_services.unlock_sign_in(actor=iwaki.kacho.user, staff=iwaki.tanto, reason="本人確認済み")
    assert not CalendarFeed.objects.filter(staff=iwaki.tanto).exists()


def test_an_administrator_disables_someones_feed_from_the_staff_page_audited(iwaki: Body, clock: Any) -> None:
    token = issue_feed(actor=iwaki.tanto.user)
    client = signed_in_client(iwaki.kacho.user)
    client.cookies["django_language"] = "ja"
    page = client.get(f"/people/{iwaki.tanto.pk}/").content.decode()
    assert "カレンダーフィードを無効にする" in page
    response = client.post(f"/people/{iwaki.tanto.pk}/calendar-feed/revoke/", {"reason": "URL流出の疑い"})
    assert response.status_code == 302
    assert Client().get(f"/posts/calendar/feed/{token}.ics").status_code == 404
    entry = AuditEntry.objects.get(action="posts.calendar_feed.revoked")
    assert entry.actor_id == iwaki.kacho.user.pk and entry.after["cause"] == "administrator"
    assert reveal(entry.after["reason"]) == "URL流出の疑い"


def test_an_outsider_administrator_cannot_disable_the_feed(iwaki: Body, outsider: Any, clock: Any) -> None:
    issue_feed(actor=iwaki.tanto.user)
    response = signed_in_client(outsider.user).post(
        f"/people/{iwaki.tanto.pk}/calendar-feed/revoke/", {"reason": "x"}
    )
    assert response.status_code == 404
    assert CalendarFeed.objects.filter(staff=iwaki.tanto).exists()


def test_a_writer_cannot_disable_a_colleagues_feed(iwaki: Body, clock: Any) -> None:
    issue_feed(actor=iwaki.kacho.user)
    signed_in_client(iwaki.tanto.user).post(
        f"/people/{iwaki.kacho.pk}/calendar-feed/revoke/", {"reason": "x"}
    )
    assert CalendarFeed.objects.filter(staff=iwaki.kacho).exists()


def test_a_leave_revokes_the_feed_and_a_move_keeps_it(iwaki: Body, clock: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from koshiki.orgs import services as org_services

    issue_feed(actor=iwaki.tanto.user)
    issue_feed(actor=iwaki.shozokucho.user)
    soon = timezone.localdate() + dt.timedelta(days=3)
    org_services.record_personnel_change(
        actor=iwaki.kacho.user, staff=iwaki.tanto, kind="leave", effective_date=soon
    )
    org_services.record_personnel_change(
        actor=iwaki.kacho.user,
        staff=iwaki.shozokucho,
        kind="move",
        effective_date=soon,
        to_department=iwaki.departments["somu"],
    )
    org_services.apply_due_personnel_changes(soon)
    assert not CalendarFeed.objects.filter(staff=iwaki.tanto).exists()
    assert CalendarFeed.objects.filter(staff=iwaki.shozokucho).exists()  # scoped as its owner when read
    assert AuditEntry.objects.get(action="posts.calendar_feed.revoked").after == {"cause": "left"}
