"""Correcting an account's URL (issue #13): an edit before the account is public, a 変更 once it is.

Before activation nobody outside has seen the URL, so the manager corrects it directly (audited). Once the
account is active the URL is on the homepage and citizens follow it, so the correction is a change of the
account under the profile's notice rules: announced no sooner than ``closure.notice_before`` allows (e.g.
いわき市 第4 5(2) 一月以上前), the chain's 届出 sent (第4 5(1)), and the new URL applied when the change is
carried out (lifecycle_ops.complete_notice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.profiles import profile_for

from ..lifecycle import AccountState
from ..links import account_url
from ..models import Notice, OfficialAccount
from ..roles import is_manager
from .common import apply_url_unchecked
from .lifecycle_ops import announce

#: States in which the URL is still the 台帳's own business: corrected by an edit.
EDITABLE = frozenset({AccountState.REQUESTED, AccountState.APPROVED})


def can_correct_url(user: Any, account: OfficialAccount) -> bool:
    """Whoever may manage the account (its manager, a role with ``manage_accounts``, an administrator), while
    its state allows a correction or a change."""
    return is_manager(user, account) and account.state in (EDITABLE | {AccountState.ACTIVE})


def earliest_change(account: OfficialAccount, today: dt.date | None = None) -> dt.date:
    """The first day a change announced today may take effect under the profile's notice rule."""
    days = profile_for(account.organization).closure.notice_before.days
    return (today or timezone.localdate()) + dt.timedelta(days=days)


@transaction.atomic
def correct_account_url(
    *,
    actor: Any,
    account: OfficialAccount,
    url: str,
    reason: str,
    handle: str = "",
    effective_on: dt.date | None = None,
) -> OfficialAccount:
    """Correct the account's URL (and the handle it names). Submitting the same correction again changes
    nothing and writes nothing."""
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    if not is_manager(actor, account):
        raise NotPermitted(_("Only the account's manager can do this."))
    if not reason.strip():
        raise InvalidInput(_("Write why the URL is corrected."), field="reason")
    url, handle = account_url(account.platform, url, handle)
    if account.state in EDITABLE:
        apply_url_unchecked(account, url, handle, actor=actor, reason=reason.strip())
        return account
    if account.state == AccountState.CHANGE_ANNOUNCED:
        pending = account.notices.filter(state=Notice.State.SCHEDULED, kind=Notice.Kind.CHANGE).first()
        if pending is not None and pending.new_url == url:
            return account  # the same change, submitted twice
        raise InvalidTransition(_("A change is already announced: carry it out or cancel it first."))
    if account.state != AccountState.ACTIVE:
        raise InvalidTransition(_("The URL of an account that is not active cannot be changed."))
    if (url, handle or account.handle) == (account.url, account.handle):
        return account
    announce(
        actor=actor,
        account=account,
        kind=Notice.Kind.CHANGE,
        effective_on=effective_on or earliest_change(account),
        description=_("The account's URL changes from %(old)s to %(new)s. %(reason)s")
        % {"old": account.url or "-", "new": url, "reason": reason.strip()},
        new_url=url,
        new_handle=handle,
    )
    account.refresh_from_db()
    return account
