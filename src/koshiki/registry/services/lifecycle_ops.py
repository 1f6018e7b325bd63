"""Opening on the platform, announcing a change or closure with its notice period, and stopping.

Notice rules come from the profile: いわき市 第4 5(2) says at least one month ahead, about a year
after a change and half a year after closure on the homepage; 守谷市議会 7(2) allows an
emergency stop without notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit import catalog
from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.guidelines import cite
from koshiki.guidelines.workflows import citation, workflow
from koshiki.orgs.profiles import profile_for

from ..lifecycle import LIVE_STATES, AccountState, move_notice
from ..links import account_url
from ..models import Notice, OfficialAccount
from ..roles import is_manager
from .common import apply_url_unchecked, move, notify_after_commit

NOTICE_FIELDS = (
    "kind",
    "description",
    "announced_on",
    "effective_on",
    "keep_until",
    "state",
    "new_url",
    "new_handle",
)
# The audit code follows the notice's kind; declared here so the catalog test sees both.
ANNOUNCED = catalog.family(
    __name__,
    {
        Notice.Kind.CHANGE: "registry.account.change_announced",
        Notice.Kind.CLOSURE: "registry.account.closure_announced",
    },
)
COMPLETED = catalog.family(
    __name__,
    {
        Notice.Kind.CHANGE: "registry.account.change_completed",
        Notice.Kind.CLOSURE: "registry.account.closure_completed",
    },
)


def _locked_for_manager(actor: Any, account: OfficialAccount) -> OfficialAccount:
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    if not is_manager(actor, account):
        raise NotPermitted(_("Only the account's manager can do this."))
    return account


@transaction.atomic
def activate(
    *, actor: Any, account: OfficialAccount, url: str, handle: str = "", verified: bool = False
) -> OfficialAccount:
    """The approved account is now open on the platform (its URL is known)."""
    account = _locked_for_manager(actor, account)
    # The URL on the platform is now known: a handle typed here must be the one it names; otherwise the
    # URL's handle replaces the one given at request time (issue #13).
    url, named = account_url(account.platform, url, handle)
    before = snapshot(account, ("url", "handle", "verified"))
    account.url, account.verified = url, verified
    account.handle = named or account.handle
    account.save(update_fields=["url", "handle", "verified"])
    move(
        account,
        AccountState.ACTIVE,
        actor=actor,
        action="registry.account.activated",
        extra={"before": before, "url": account.url},
    )
    return account


@transaction.atomic
def announce(
    *,
    actor: Any,
    account: OfficialAccount,
    kind: str,
    effective_on: dt.date,
    description: str,
    announced_on: dt.date | None = None,
    new_url: str = "",
    new_handle: str = "",
) -> Notice:
    """周知: schedule a change or closure no sooner than the profile's notice period allows. A change may
    carry the account's new URL (checked by the caller, services/corrections.py), applied on completion."""
    account = _locked_for_manager(actor, account)
    profile = profile_for(account.organization)
    closure = profile.closure
    if kind not in Notice.Kind.values:
        raise InvalidInput(_("Choose a change or a closure."), field="kind")
    if not description.strip():
        raise InvalidInput(_("Describe what changes and why."), field="description")
    today = announced_on or timezone.localdate()
    earliest = today + dt.timedelta(days=closure.notice_before.days)
    if effective_on < earliest:
        where = cite(profile, closure.notice_before, default=_("(Koshiki default)"))
        raise InvalidInput(
            _("Announce at least %(days)d days ahead %(where)s: the earliest date is %(date)s.")
            % {"days": closure.notice_before.days, "where": where, "date": earliest.isoformat()},
            field="effective_on",
        )
    keep = (
        closure.keep_notice_after_change if kind == Notice.Kind.CHANGE else closure.keep_notice_after_closure
    )
    notice = Notice.objects.create(
        account=account,
        kind=kind,
        description=description.strip(),
        announced_on=today,
        effective_on=effective_on,
        keep_until=effective_on + dt.timedelta(days=keep.days),
        new_url=new_url if kind == Notice.Kind.CHANGE else "",
        new_handle=new_handle if kind == Notice.Kind.CHANGE else "",
    )
    name = "change_account" if kind == Notice.Kind.CHANGE else "close_account"
    chain = workflow(profile, name)  # type: ignore[arg-type]
    target = AccountState.CHANGE_ANNOUNCED if kind == Notice.Kind.CHANGE else AccountState.CLOSURE_ANNOUNCED
    move(
        account,
        target,
        actor=actor,
        action=ANNOUNCED[kind],
        clause=cite(profile, closure.notice_before),
        extra={"notice": snapshot(notice, NOTICE_FIELDS)},
    )
    notify_after_commit(
        account,
        list(chain.notify_before),
        f"{kind}_before",
        {"account": str(account), "date": effective_on.isoformat()},
    )
    notify_after_commit(
        account,
        list(chain.notify_after),
        f"{kind}_after",
        {"account": str(account), "date": effective_on.isoformat()},
    )
    if chain.notify_before or chain.notify_after:
        log_action(
            "registry.notice.notified",
            actor=actor,
            obj=account,
            after={"before": chain.notify_before, "after": chain.notify_after},
            clause=citation(profile, name),  # type: ignore[arg-type]
        )
    return notice


def _scheduled(account: OfficialAccount) -> Notice:
    notice = account.notices.filter(state=Notice.State.SCHEDULED).order_by("-created_at").first()
    if notice is None:
        raise InvalidTransition(_("No change or closure is scheduled."))
    return notice


@transaction.atomic
def complete_notice(*, actor: Any, account: OfficialAccount, on: dt.date | None = None) -> OfficialAccount:
    """The date has come: the change is done (back to active) or the account is closed."""
    account = _locked_for_manager(actor, account)
    notice = _scheduled(account)
    today = on or timezone.localdate()
    if today < notice.effective_on:
        raise InvalidInput(
            _("This takes effect on %(date)s, not before.") % {"date": notice.effective_on.isoformat()}
        )
    move_notice(notice, Notice.State.DONE)
    if notice.kind == Notice.Kind.CHANGE and notice.new_url:
        apply_url_unchecked(
            account, notice.new_url, notice.new_handle, actor=actor, reason=notice.description
        )
    target = AccountState.CLOSED if notice.kind == Notice.Kind.CLOSURE else AccountState.ACTIVE
    move(
        account,
        target,
        actor=actor,
        action=COMPLETED[notice.kind],
        extra={"keep_notice_until": notice.keep_until.isoformat() if notice.keep_until else None},
    )
    return account


@transaction.atomic
def take_down_notice(*, actor: Any, notice: Notice, on: dt.date | None = None) -> Notice:
    """The notice of a carried-out change or closure has come down from the
    homepage after its keep-until date.

    This is what clears the 'may come down' reminder; before the date it is
    refused (the guideline keeps it up).
    """
    _locked_for_manager(actor, notice.account)  # the account may be closed: its manager still answers for it
    notice = Notice.objects.select_for_update(of=("self",), no_key=True).get(pk=notice.pk)
    if notice.state != Notice.State.DONE:
        raise InvalidTransition(
            _("Only the notice of a change or closure that has been carried out can come down.")
        )
    today = on or timezone.localdate()
    if notice.keep_until and today < notice.keep_until:
        raise InvalidInput(
            _("The notice must stay up until %(date)s.") % {"date": notice.keep_until.isoformat()}
        )
    closure = profile_for(notice.account.organization).closure
    keep = (
        closure.keep_notice_after_change
        if notice.kind == Notice.Kind.CHANGE
        else closure.keep_notice_after_closure
    )
    before = snapshot(notice, NOTICE_FIELDS)
    move_notice(notice, Notice.State.TAKEN_DOWN)
    log_action(
        "registry.notice.taken_down",
        actor=actor,
        obj=notice.account,
        organization=notice.account.organization,
        before={"notice": before},
        after={"notice": snapshot(notice, NOTICE_FIELDS), "on": today.isoformat()},
        clause=cite(profile_for(notice.account.organization), keep),
    )
    return notice


@transaction.atomic
def cancel_notice(*, actor: Any, account: OfficialAccount, reason: str) -> OfficialAccount:
    account = _locked_for_manager(actor, account)
    notice = _scheduled(account)
    if not reason.strip():
        raise InvalidInput(_("Write why it is cancelled."), field="reason")
    move_notice(notice, Notice.State.CANCELLED)
    move(
        account,
        AccountState.ACTIVE,
        actor=actor,
        action="registry.notice.cancelled",
        extra={"reason": reason.strip()},
    )
    return account


@transaction.atomic
def emergency_stop(*, actor: Any, account: OfficialAccount, reason: str, confirmed: bool) -> OfficialAccount:
    """緊急停止 without notice (e.g. takeover), where the guideline allows it; reported after the fact.
    ``confirmed``: the person ticked that the account goes down at once (one click must not do it, #13)."""
    account = _locked_for_manager(actor, account)
    profile = profile_for(account.organization)
    if account.state not in LIVE_STATES:
        raise InvalidTransition(_("Only a live account can be stopped."))
    if not reason.strip():
        raise InvalidInput(_("Write the reason for the emergency stop."), field="reason")
    if not confirmed:
        raise InvalidInput(
            _(
                "Confirm the emergency stop: tick that the account stops at once, without notice, and that"
                " its scheduled notices are cancelled."
            ),
            field="confirm",
        )
    rule = profile.closure.emergency_stop
    cancelled = []
    for notice in account.notices.filter(state=Notice.State.SCHEDULED).order_by("pk"):
        move_notice(notice, Notice.State.CANCELLED)
        cancelled.append(notice.pk)
    move(
        account,
        AccountState.SUSPENDED,
        actor=actor,
        action="registry.account.emergency_stopped",
        clause=cite(profile, rule),
        extra={"reason": reason.strip(), "cancelled_notices": cancelled},
    )
    chain = workflow(profile, "close_account")
    notify_after_commit(
        account,
        [*chain.notify_before, *chain.notify_after],
        "emergency_stop",
        {"account": str(account), "reason": reason.strip()},
    )
    return account


@transaction.atomic
def resume(*, actor: Any, account: OfficialAccount) -> OfficialAccount:
    account = _locked_for_manager(actor, account)
    move(account, AccountState.ACTIVE, actor=actor, action="registry.account.resumed")
    return account
