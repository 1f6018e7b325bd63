"""Notices move only along their table (scheduled → done | cancelled), by compare-and-set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.core.errors import InvalidTransition
from koshiki.registry import services
from koshiki.registry.models import Notice

from .test_notice import _live_account


def _announced(body: Any) -> tuple[Any, Notice]:
    account = _live_account(body)
    notice = services.announce(
        actor=body.shozokucho.user,
        account=account,
        kind="change",
        effective_on=timezone.localdate() + dt.timedelta(days=40),
        description="名称変更",
    )
    return account, notice


def test_a_cancelled_notice_cannot_be_completed(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.registry.lifecycle import NoticeState, move_notice

    _account, notice = _announced(iwaki)
    move_notice(notice, NoticeState.CANCELLED)
    with pytest.raises(InvalidTransition):
        move_notice(notice, NoticeState.DONE)
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.CANCELLED


def test_a_stale_copy_of_a_notice_loses_the_compare_and_set(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.registry.lifecycle import NoticeState, move_notice

    _account, notice = _announced(iwaki)
    stale = Notice.objects.get(pk=notice.pk)
    move_notice(notice, NoticeState.DONE)
    with pytest.raises(InvalidTransition):
        move_notice(stale, NoticeState.CANCELLED)
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.DONE


def test_an_emergency_stop_cancels_the_scheduled_notice_through_the_table(
    iwaki: Any, iwaki_officers: Any
) -> None:
    account, notice = _announced(iwaki)
    services.emergency_stop(
        actor=iwaki.shozokucho.user, account=account, reason="乗っ取りの疑い", confirmed=True
    )
    assert Notice.objects.get(pk=notice.pk).state == Notice.State.CANCELLED
