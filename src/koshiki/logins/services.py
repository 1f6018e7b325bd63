"""Password changes and sign-in unlocks: check permission → execute → audit, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs.permissions import can_manage_org

from .passwords import check_new_password
from .sessions import end_sessions


@transaction.atomic
def change_password(
    *,
    actor: Any,
    staff: Any,
    new_password: str,
    current_password: str | None = None,
    keep_session: str | None = None,
) -> int:
    """The person (who must give the current password) or an administrator of their organization sets a new
    password. The person's other sessions end (all of them when an
    administrator sets it); returns how many."""
    user = staff.user
    by_self = actor is not None and actor.pk == user.pk
    if by_self:
        if not current_password or not user.check_password(current_password):
            raise InvalidInput(_("The current password is not correct."), field="current_password")
    elif not can_manage_org(actor, staff.organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
    related = [user.get_username(), staff.display_name, user.email, staff.organization.name]
    check_new_password(new_password, user=user, related=related)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ended = end_sessions(user, keep=keep_session if by_self else None)
    _end_feed(staff, actor=actor, cause="password_changed")
    log_action(
        "logins.password_changed",
        actor=actor,
        obj=staff,
        after={"by": "self" if by_self else "administrator", "sessions_ended": ended},
    )
    return ended


def _end_feed(staff: Any, *, actor: Any, cause: str) -> None:
    """An account-recovery event also ends the person's calendar feed URL (a bearer secret)."""
    from koshiki.posts.services.calendar_feed import revoke_feed_of

    revoke_feed_of(staff, actor=actor, cause=cause)


def password_attempts(username: str) -> int:
    """Failed password logins for this login name still inside the cool-off (what django-axes counts)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def sign_in_locked(staff: Any) -> bool:
    """Locked out by wrong passwords (django-axes) or by wrong two-step codes."""
    from django.conf import settings

    from koshiki.twostep.services import is_locked

    limit = settings.AXES_FAILURE_LIMIT
    return (isinstance(limit, int) and password_attempts(staff.user.get_username()) >= limit) or is_locked(
        staff.user
    )


@transaction.atomic
def unlock_sign_in(*, actor: Any, staff: Any, reason: str) -> None:
    """An administrator of the person's own organization forgets their failed passwords and two-step codes."""
    from axes.utils import reset

    from koshiki.twostep.services import clear_lock

    if not can_manage_org(actor, staff.organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), field="reason")
    cleared = reset(username=staff.user.get_username())
    two_step_was_locked = clear_lock(staff.user)
    _end_feed(staff, actor=actor, cause="sign_in_unlocked")
    log_action(
        "logins.unlocked",
        actor=actor,
        obj=staff,
        after={
            "reason": reason.strip(),
            "password_attempts_cleared": cleared,
            "two_step_was_locked": two_step_was_locked,
        },
    )
