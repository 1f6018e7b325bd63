"""The posts calendar (#13): a month and a week grid of published and waiting posts per account, overdue
posts marked, rescheduling by form or drag (both through posts.services.reschedule_post), and the secret
ICS feed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from koshiki.orgs.scoping import scoped
from koshiki.posts import calendar as grid
from koshiki.posts import ics
from koshiki.posts.jobs import OVERDUE_AFTER
from koshiki.posts.lifecycle import MOVABLE, PostState
from koshiki.posts.models import CalendarFeed, Post
from koshiki.posts.roles import can_write
from koshiki.posts.services import move_needs_approval, reschedule_post
from koshiki.posts.services.calendar_feed import feed_owner, issue_feed, revoke_feed
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import HolderIndex

from ..dates import in_range
from .common import attempt, get_scoped, require_staff

S = PostState
SHOWN = (S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHING, S.PUBLISHED, S.FAILED)
WAITING = frozenset({S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHING})
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 90, 366  # the feed covers what a calendar app needs, bounded
DESCRIPTION_CHARS = 100


@dataclass
class Entry:
    post: Post
    when: dt.datetime
    overdue: bool
    movable: bool
    reapproval: str = ""  # move_needs_approval: the drag asks before sending the post back to approval

    @property
    def time(self) -> str:
        return timezone.localtime(self.when).strftime("%H:%M")


def _when(post: Post) -> dt.datetime | None:
    if post.state == S.PUBLISHED and post.published_at is not None:
        return post.published_at
    return post.scheduled_at


def is_overdue(post: Post, now: dt.datetime) -> bool:
    """Failed, or its time passed (beyond the worker's normal minute) and it is still not published."""
    if post.state == S.FAILED:
        return True
    return post.state in WAITING and post.scheduled_at is not None and post.scheduled_at < now - OVERDUE_AFTER


def _posts_between(user: Any, start: dt.datetime, end: dt.datetime) -> Any:
    """The user's organization's shown posts with their time in [start, end): one query, account joined."""
    return (
        scoped(Post.objects, user)
        .filter(state__in=SHOWN)
        .filter(
            Q(scheduled_at__gte=start, scheduled_at__lt=end)
            | Q(published_at__gte=start, published_at__lt=end)
        )
        .select_related("account", "standing_approval")
        .order_by("scheduled_at", "pk")
    )


def _anchor(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return today
    return day if in_range(day) else today  # 0001 or 9999: the grid's edges would overflow


def _entries(request: HttpRequest, posts: Any, now: dt.datetime) -> list[Entry]:
    """Each post once, with whether it is overdue and whether this user may move it (holders read once)."""
    staff = require_staff(request)
    index: HolderIndex | None = None
    writable: dict[int, bool] = {}
    entries = []
    for post in posts:
        when = _when(post)
        if when is None:
            continue
        movable, reapproval = False, ""
        if post.state in MOVABLE and post.scheduled_at is not None:
            if post.account_id not in writable:
                index = index or HolderIndex(staff.organization)
                writable[post.account_id] = can_write(request.user, post.account, index)
            movable = writable[post.account_id]
            if movable:
                index = index or HolderIndex(staff.organization)
                reapproval = move_needs_approval(request.user, post, index)
        entries.append(Entry(post, when, is_overdue(post, now), movable, reapproval))
    return entries


FRESH_TOKEN = "calendar_feed_token"  # the session key keeping a just-issued token for ONE display


def _feed_context(request: HttpRequest, token: str | None) -> dict[str, Any]:
    staff = require_staff(request)
    url = request.build_absolute_uri(reverse("post-calendar-feed", args=[token])) if token else ""
    return {
        "feed_active": CalendarFeed.objects.filter(staff=staff).exists(),
        "feed_url": url,
        "feed_key": uuid.uuid4().hex,  # the form's one-time key: a double click issues one token
    }


def _feed_post(request: HttpRequest) -> HttpResponse:
    """POST feed=issue|revoke, then redirect (POST → redirect → GET): a reload never re-issues."""
    action = request.POST.get("feed")
    if action == "issue":
        token = issue_feed(actor=request.user, request_key=request.POST.get("request_key", ""))
        if token is not None:
            request.session[FRESH_TOKEN] = token
            messages.success(request, _("A new feed URL was issued. Copy it now: it is shown only once."))
        else:
            messages.info(request, _("This form was already sent: no new feed URL was issued."))
    elif action == "revoke" and revoke_feed(actor=request.user):
        request.session.pop(FRESH_TOKEN, None)
        messages.success(request, _("The feed URL was revoked: it no longer works."))
    return redirect(reverse("post-calendar") + "#feed")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """GET ?view=month|week&date=YYYY-MM-DD&account=<id>; POST feed=issue|revoke (the feed settings block)."""
    staff = require_staff(request)
    if request.method == "POST":
        return _feed_post(request)
    token: str | None = request.session.pop(FRESH_TOKEN, None)
    now = timezone.now()
    today = timezone.localdate(now)
    view: grid.View = "week" if request.GET.get("view") == "week" else "month"
    anchor = _anchor(request, today)
    accounts = list(
        scoped(OfficialAccount.objects, request.user).filter(state__in=LIVE_STATES).order_by("account_name")
    )
    account_id = request.GET.get("account", "")
    start, end = grid.bounds(view, anchor, timezone.get_current_timezone())
    posts = _posts_between(request.user, start, end)
    if account_id.isdigit():
        posts = posts.filter(account_id=int(account_id))
    # who may move a post: the account's operators read once for the page, not per account
    entries = _entries(request, posts.prefetch_related("account__operators"), now)
    built = grid.build(
        view, anchor, today=today, entries=entries, when=lambda e: e.when, tz=timezone.get_current_timezone()
    )
    base = {"view": view, **({"account": account_id} if account_id.isdigit() else {})}
    context = {
        "grid": built,
        "archived": _("(archived)"),
        "has_entries": any(day.entries for day in built.days),
        # each day's labels formatted once here: the template loop is most of the page's time
        "cells": [
            (
                day,
                day.date.isoformat(),
                f"{date_format(day.date, 'MONTH_DAY_FORMAT')}（{date_format(day.date, 'D')}）",
            )
            for day in built.days
        ],
        "accounts": accounts,
        "account_id": account_id,
        "today": today,
        "links": {
            "previous": _query({**base, "date": built.previous.isoformat()}),
            "next": _query({**base, "date": built.next.isoformat()}),
            "today": _query({**base, "date": today.isoformat()}),
            "month": _query({**base, "view": "month", "date": anchor.isoformat()}),
            "week": _query({**base, "view": "week", "date": anchor.isoformat()}),
        },
        "here": request.get_full_path(),
        "staff": staff,
        **_feed_context(request, token),
    }
    response = render(request, "koshiki/post_calendar.html", context)
    response["Cache-Control"] = "private, no-store"  # the page may carry a fresh feed URL
    return response


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(params)


class RescheduleForm(forms.Form):
    """The new day and time (local); the version is the page's: a stale page or a double drop moves
    nothing."""

    date = forms.DateField(
        label=pgettext_lazy("calendar", "Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=pgettext_lazy("calendar", "Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def moment(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("post-calendar")


@login_required
def reschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    """「日時を変更」: the form (GET) and the move (POST); the calendar's drag posts the same form."""
    require_staff(request)
    post = get_scoped(Post.objects.select_related("account"), request.user, post_id)
    status = 200
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        was = post.state
        if form.is_valid() and attempt(
            request,
            lambda: reschedule_post(
                actor=request.user,
                post=post,
                new_at=form.moment(),
                expected_version=form.cleaned_data["version"],
            ),
            _("The publishing time was changed."),
            _FieldMap(form),
        ):
            post.refresh_from_db(fields=["state"])
            if post.state == S.SUBMITTED and was != S.SUBMITTED:
                messages.info(
                    request,
                    _(
                        "The new time needs approval again: the post is waiting for approval, and its"
                        " approvers have been told."
                    ),
                )
            return redirect(_safe_next(request, form.cleaned_data.get("next", "")))
        status = 400
    else:
        local = timezone.localtime(post.scheduled_at) if post.scheduled_at else timezone.localtime()
        form = RescheduleForm(
            initial={
                "date": local.date(),
                "time": local.strftime("%H:%M"),
                "version": post.version,
                "next": _safe_next(request, request.GET.get("next", "")),
            }
        )
    response = render(
        request,
        "koshiki/post_reschedule.html",
        {
            "post": post,
            "form": form,
            "movable": post.state in MOVABLE and post.scheduled_at is not None,
            "reapproval": move_needs_approval(request.user, post),
        },
    )
    response.status_code = status
    return response


class _FieldMap:
    """Shows the service's refusal on the form: its 'scheduled_at' field is this form's date and time."""

    def __init__(self, form: RescheduleForm) -> None:
        self.form = form
        self.fields = {"scheduled_at": True}

    def add_error(self, field: str, message: str) -> None:
        self.form.add_error("date" if field == "scheduled_at" else None, message)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed: no login (a calendar app fetches it); the token is the key; anything wrong is a bare
    404."""
    owner = feed_owner(token)
    if owner is None:
        raise Http404
    now = timezone.now()
    posts = _posts_between(
        owner.user, now - dt.timedelta(days=FEED_DAYS_BACK), now + dt.timedelta(days=FEED_DAYS_AHEAD)
    ).filter(state__in=(S.SCHEDULED, S.PUBLISHING, S.PUBLISHED))
    with translation.override(owner.language or "ja"):
        events = [
            ics.Event(
                uid=f"post-{post.pk}@{owner.organization.code}.koshiki",
                start=when,
                summary=f"{post.account.account_name} {post.get_state_display()}",
                description=(post.text or "")[:DESCRIPTION_CHARS],
                url=request.build_absolute_uri(reverse("post-detail", args=[post.pk])),
                stamp=now,
            )
            for post in posts
            if (when := _when(post)) is not None
        ]
        name = _("Koshiki posts (%(org)s)") % {"org": owner.organization.name}
    response = HttpResponse(ics.calendar(name, events), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
