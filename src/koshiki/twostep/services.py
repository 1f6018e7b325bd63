"""Enrol, confirm, verify and reset a staff member's authenticator; each step audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.crypto import seal_text, unseal_text
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import staff_of

from . import totp
from .models import TOTPDevice

MAX_FAILURES = 5  # wrong codes per person, across all sessions, within FAILURE_WINDOW
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_DURATION = dt.timedelta(minutes=30)


def _now() -> dt.datetime:
    """The clock (tests replace it)."""
    return timezone.now()


def _organization(user: Any) -> Any:
    staff = staff_of(user)
    return staff.organization if staff else None


@transaction.atomic
def start_enrolment(*, user: Any) -> tuple[str, str]:
    """A new unconfirmed seed for this user (replacing an unconfirmed one); returns (secret, otpauth URI)."""
    device = TOTPDevice.objects.select_for_update(of=("self",), no_key=True).filter(user=user).first()
    if device is not None and device.confirmed:
        raise InvalidInput(_("Two-step login is already set up for you."))
    secret = totp.new_secret()
    if device is None:
        TOTPDevice.objects.create(user=user, sealed_secret=seal_text(secret))
    else:
        device.sealed_secret = seal_text(secret)
        device.save(update_fields=["sealed_secret"])
    log_action("twostep.enrolment_started", actor=user, obj=user, organization=_organization(user))
    return secret, totp.provisioning_uri(secret, user.get_username())


def pending_secret(user: Any) -> str | None:
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return unseal_text(device.sealed_secret) if device else None


def _accept(device: TOTPDevice, code: str) -> bool:
    """Check the code and use up its time step (compare-and-set), so a code works once."""
    step = totp.matching_step(unseal_text(device.sealed_secret), code, after_step=device.last_step)
    if step is None:
        return False
    return TOTPDevice.objects.filter(pk=device.pk, last_step=device.last_step).update(last_step=step) == 1


@transaction.atomic
def confirm_enrolment(*, user: Any, code: str) -> TOTPDevice:
    device = (
        TOTPDevice.objects.select_for_update(of=("self",), no_key=True)
        .filter(user=user, confirmed_at__isnull=True)
        .first()
    )
    if device is None:
        raise InvalidInput(_("Start the set-up again."))
    if not _accept(device, code):
        raise InvalidInput(
            _("The code is not correct. Check the time on your phone and enter the current code."),
            field="code",
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    log_action("twostep.enrolled", actor=user, obj=user, organization=_organization(user))
    return device


def verify(*, user: Any, code: str) -> bool:
    """The second step at sign-in. A failure is counted for the person (every session adds to the same count)
    and audited; MAX_FAILURES within FAILURE_WINDOW lock two-step login for LOCK_DURATION."""
    now = _now()
    with transaction.atomic():
        # The person's device row is locked first, so parallel attempts take turns: each one is counted
        # (and may set the lock) before the next is checked. Rows first, the audit chain head last.
        device = (
            TOTPDevice.objects.select_for_update(of=("self",), no_key=True)
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        if device is not None and is_locked(user, now=now):
            log_action(
                "twostep.failed",
                actor=user,
                obj=user,
                organization=_organization(user),
                after={"locked": True},
            )
            return False
        if device is not None and _accept(device, code):
            TOTPDevice.objects.filter(pk=device.pk).update(failed_attempts=0, failure_window_start=None)
            log_action("twostep.verified", actor=user, obj=user, organization=_organization(user))
            return True
        log_action("twostep.failed", actor=user, obj=user, organization=_organization(user))
        if device is not None:
            _count_failure(device, now)
        return False


def code_already_used(*, user: Any, code: str) -> bool:
    """After a refused code: was it right but of a time step already used? Read-only, for the message."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    return totp.is_spent(unseal_text(device.sealed_secret), code, last_step=device.last_step)


def _count_failure(device: TOTPDevice, now: dt.datetime) -> None:
    """One atomic UPDATE adds the failure (or starts a new window); the lock is set by compare-and-set."""
    in_window = Q(failure_window_start__gt=now - FAILURE_WINDOW)
    TOTPDevice.objects.filter(pk=device.pk).update(
        failed_attempts=Case(When(in_window, then=F("failed_attempts") + 1), default=Value(1)),
        failure_window_start=Case(When(in_window, then=F("failure_window_start")), default=Value(now)),
    )
    failures = TOTPDevice.objects.filter(pk=device.pk).values_list("failed_attempts", flat=True).get()
    if failures < MAX_FAILURES:
        return
    locked = (
        TOTPDevice.objects.filter(pk=device.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=now + LOCK_DURATION, failed_attempts=0, failure_window_start=None)
    )
    if locked:
        log_action(
            "twostep.locked",
            actor=device.user,
            obj=device.user,
            organization=_organization(device.user),
            after={"failures": failures, "until": (now + LOCK_DURATION).isoformat()},
        )


def is_locked(user: Any, *, now: dt.datetime | None = None) -> bool:
    """Too many wrong codes lately: no code is accepted until the cool-off
    passes or an administrator unlocks."""
    return TOTPDevice.objects.filter(user=user, locked_until__gt=now or _now()).exists()


def clear_lock(user: Any) -> bool:
    """Forget the person's wrong codes and lift a lock (the caller checks permission and audits)."""
    was_locked = is_locked(user)
    TOTPDevice.objects.filter(user=user).update(
        failed_attempts=0, failure_window_start=None, locked_until=None
    )
    return was_locked


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def reset(*, actor: Any, staff: Any, reason: str, keep_session: str | None = None) -> None:
    """An administrator removes a lost authenticator; the person sets up a new one at next sign-in.
    Every session of theirs ends (except ``keep_session``: the administrator's own, resetting themselves)."""
    if not can_manage_org(actor, staff.organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), field="reason")
    deleted, _rows = TOTPDevice.objects.filter(user=staff.user).delete()
    if not deleted:
        raise InvalidInput(_("%(name)s has no two-step login to reset.") % {"name": staff})
    from koshiki.logins.sessions import end_sessions

    ended = end_sessions(staff.user, keep=keep_session)
    from koshiki.posts.services.calendar_feed import revoke_feed_of

    revoke_feed_of(staff, actor=actor, cause="two_step_reset")
    log_action(
        "twostep.reset", actor=actor, obj=staff, after={"reason": reason.strip(), "sessions_ended": ended}
    )
