"""Moving a post's publishing time (the calendar's form and drag): the one service both call.

Why one service: the new time must meet the same terms as the time first submitted (operating hours with the
profile's clause, no past time beyond compose's grace, within a year), a standing approval covers only its
period, and a moved approved post goes back to approval (unless the profile opts out, or an approver who
did not write it moves it); a stale page or a double drop must
change nothing. The worker finds due posts from the row (posts/jobs.py), so moving ``scheduled_at`` is all the
queue needs; a post moved to now is queued after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core import jobs
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.guidelines.workflows import chain
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.roles import HolderIndex

from ..lifecycle import MOVABLE, PostState
from ..models import Post
from ..roles import can_write, own_ids, step_holders, write_refusal
from ..rules import PostingRules, posting_rules
from .approval import (
    MAX_AHEAD,
    _check_hours,
    _reason_for_hours,
    _require_other_approvers,
    _tell_pending,
    refuse_past,
)
from .common import move


def may_reschedule(user: Any, post: Post) -> bool:
    """Whether the calendar offers 「日時を変更」 for this post (the service decides again on submit)."""
    return post.state in MOVABLE and post.scheduled_at is not None and can_write(user, post.account)


def _may_approve_alone(actor: Any, post: Post, index: HolderIndex | None = None) -> bool:
    """Whether the mover could have approved this post themselves: holds the role of every step of the
    profile's chain and did not write it (four-eyes). Their move is then their own approval of the time."""
    staff = staff_of(actor)
    if staff is None or staff.pk in own_ids(post):
        return False
    steps = chain(profile_for(post.organization), "post").steps
    return bool(steps) and all(staff in step_holders(post.account, step.role, index) for step in steps)


def _leaves_approval_terms(post: Post, rules: PostingRules, day: dt.date, actor: Any) -> tuple[str, bool]:
    """The clause under which the moved post must be approved again ('' when its approval still holds), and
    whether it holds only because an approver (not its writer) moved it.

    Why by default: an approval is of a text at a time (an embargoed release approved for Monday 09:00 must
    not go out now on the author's drag); a profile may opt out with ``reapprove_on_reschedule: false``."""
    if post.state not in (PostState.APPROVED, PostState.SCHEDULED) or post.exemption:
        return "", False
    standing = post.standing_approval
    if standing is not None:
        if standing.starts_on <= day <= standing.ends_on:
            return "", False
        clause = rules.standing_citation or rules.approval_citation or " "
    elif rules.reapprove_on_reschedule:
        clause = rules.approval_citation or " "
    else:
        return "", False
    if _may_approve_alone(actor, post):
        return "", True
    return clause, False


def move_needs_approval(actor: Any, post: Post, index: HolderIndex | None = None) -> str:
    """What the form and the calendar's drag tell before a move: "always" (the post goes back to approval),
    "outside_standing" (only if moved out of its standing approval's period), or "" (it keeps its approval).
    ``index`` when a page has read the organization's role holders already."""
    if post.state not in (PostState.APPROVED, PostState.SCHEDULED) or post.exemption:
        return ""
    if _may_approve_alone(actor, post, index):
        return ""
    if post.standing_approval_id is not None:
        return "outside_standing"
    return "always" if posting_rules(profile_for(post.organization)).reapprove_on_reschedule else ""


@transaction.atomic
def reschedule_post(*, actor: Any, post: Post, new_at: dt.datetime, expected_version: int) -> Post:
    """Move ``post`` to ``new_at``: permission, version, state, the profile's terms; audit before/after."""
    post = (
        Post.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "organization", "standing_approval")
        .get(pk=post.pk)
    )
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    if post.version != expected_version:
        raise InvalidTransition(
            _(
                "This post changed since the page was loaded (a second drop, or someone else)."
                " Nothing was moved."
            )
        )
    if post.state not in MOVABLE or post.scheduled_at is None:
        raise InvalidTransition(
            _("Only a post waiting for approval or publication can be moved (now: %(state)s).")
            % {"state": post.get_state_display()}
        )
    if timezone.is_naive(new_at):
        raise InvalidInput(_("Enter a date and time."), field="scheduled_at")
    now = timezone.now()
    refuse_past(new_at, now)
    moment = max(new_at, now)
    if moment - now > MAX_AHEAD:
        raise InvalidInput(_("Schedule within a year."), field="scheduled_at")
    if moment == post.scheduled_at:
        raise InvalidInput(_("The post is already scheduled for that time."), field="scheduled_at")
    rules = posting_rules(profile_for(post.organization))
    _check_hours(post, rules, moment, _reason_for_hours(post, rules, post.exemption, post.hours_exception))
    reapproval, kept_by_approver = _leaves_approval_terms(post, rules, timezone.localdate(moment), actor)
    if reapproval:
        _require_other_approvers(post, rules)
    before = {"state": post.state, "version": post.version, "scheduled_at": post.scheduled_at.isoformat()}
    post.scheduled_at, post.version = moment, post.version + 1
    post.save(update_fields=["scheduled_at", "version"])
    if reapproval:
        move(
            post,
            PostState.SUBMITTED,
            actor=actor,
            action="posts.post.submitted",
            clause=reapproval.strip(),
            extra={"scheduled_at": moment.isoformat()},
            approval_round=post.approval_round + 1,
            standing_approval=None,
        )
    log_action(
        "posts.post.rescheduled",
        actor=actor,
        obj=post,
        organization=post.organization,
        before=before,
        after={
            "state": post.state,
            "version": post.version,
            "scheduled_at": moment.isoformat(),
            **({"approval_kept": "moved_by_approver"} if kept_by_approver else {}),
        },
        clause=reapproval.strip() or (rules.approval_citation if kept_by_approver else ""),
    )
    if reapproval:
        _tell_pending(post)
    elif post.state == PostState.SCHEDULED and moment <= now:
        jobs.enqueue_after_commit("posts.publish", post.pk)
    return post
