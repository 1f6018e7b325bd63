"""Which notices need their manager today: one definition for the dashboard and the daily e-mail.

The two used to carry their own copies and drifted apart: the dashboard hid closed accounts (so a closure
notice's 'may come down' item never appeared) and nothing could clear a 'may come down' item. Both now read
``open_notices``: a scheduled notice within a week of its date until it is carried out or cancelled, and a
done notice whose keep-until date has come until its manager records that it has come down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Notice

DUE_AHEAD = dt.timedelta(days=7)
CARRY_OUT = "carry_out"
TAKE_DOWN = "take_down"


@dataclass(frozen=True)
class OpenNotice:
    notice: Notice
    action: str  # CARRY_OUT or TAKE_DOWN

    @property
    def due(self) -> dt.date | None:
        return self.notice.effective_on if self.action == CARRY_OUT else self.notice.keep_until


def open_notice_filter(day: dt.date) -> Q:
    return Q(state=Notice.State.SCHEDULED, effective_on__lte=day + DUE_AHEAD) | Q(
        state=Notice.State.DONE, keep_until__lte=day
    )


def open_notices(day: dt.date, notices: QuerySet[Notice] | None = None) -> Iterator[OpenNotice]:
    """Notices needing action on ``day``, whatever the account's state (a
    closed account's notice stays up)."""
    rows: Iterable[Notice] = (notices if notices is not None else Notice.objects.all()).filter(
        open_notice_filter(day)
    )
    for notice in rows:
        yield OpenNotice(notice, CARRY_OUT if notice.state == Notice.State.SCHEDULED else TAKE_DOWN)
