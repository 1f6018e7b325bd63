"""Submitting a post and deciding on it: the profile's chain, standing approvals, after-the-fact exemptions,
and operating hours with the next allowed time suggested."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core import jobs
from koshiki.core.approvals import PendingStep, Subject
from koshiki.core.approvals import pending_step as engine_pending_step
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.core.services.approvals import Wording, record_decision
from koshiki.guidelines import cite
from koshiki.guidelines.workflows import chain, unstaffed_steps
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.roles import HolderIndex

from .. import notifications
from ..channels import channel_kind
from ..lifecycle import PostState
from ..models import AfterReport, Post, PostApproval, StandingApproval
from ..roles import approvers, can_write, own_ids, report_reviewers, step_holders, write_refusal
from ..rules import PostingRules, outside_hours, posting_rules
from ..signals import post_submitted
from .common import blocking, move, unacknowledged_warnings

MAX_AHEAD = dt.timedelta(days=366)
# A time typed as "now" is a minute or two old by the time it is sent: within this it means "now".
PAST_GRACE = dt.timedelta(minutes=5)


def refuse_past(scheduled_at: dt.datetime | None, now: dt.datetime) -> None:
    """A publishing time in the past is a typing slip (2025 for 2026), not a wish to publish now (#13)."""
    if scheduled_at is not None and scheduled_at < now - PAST_GRACE:
        raise InvalidInput(
            _(
                "The publishing time %(when)s is in the past. Enter a future time, or leave it empty to"
                " publish as soon as the post is approved."
            )
            % {"when": timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")},
            field="scheduled_at",
        )


def subject(
    post: Post, *, index: HolderIndex | None = None, decisions: list[PostApproval] | None = None
) -> Subject:
    """The post on its approval chain, for the approval engine: its writers may not decide (four-eyes).
    ``index``/``decisions`` (the current round's rows) let a list page batch the reads."""
    if decisions is None:
        decisions = list(PostApproval.objects.filter(post=post, round=post.approval_round))
    return Subject(
        chain=chain(profile_for(post.organization), "post"),
        decisions=decisions,
        holders=lambda role_id: step_holders(post.account, role_id, index),
        excluded=frozenset(own_ids(post)),
        round=post.approval_round,
    )


def pending_step(
    post: Post, *, index: HolderIndex | None = None, decisions: list[PostApproval] | None = None
) -> PendingStep | None:
    """The first step not yet done and who may decide it; ``index``/``decisions``
    let a list page batch the reads."""
    if post.state != PostState.SUBMITTED:
        return None
    return engine_pending_step(subject(post, index=index, decisions=decisions))


def pending_steps(posts: list[Post], *, index: HolderIndex | None = None) -> dict[int, PendingStep | None]:
    """``pending_step`` for many posts of one organization in a constant number of queries (list pages);
    ``index`` when the caller has read the organization's role holders already."""
    submitted = [p for p in posts if p.state == PostState.SUBMITTED]
    if not submitted:
        return {p.pk: None for p in posts}
    index = index or HolderIndex(submitted[0].organization)
    rounds = {p.pk: p.approval_round for p in submitted}
    decided: dict[int, list[PostApproval]] = {pk: [] for pk in rounds}
    for decision in PostApproval.objects.filter(post_id__in=rounds):
        if decision.round == rounds[decision.post_id]:
            decided[decision.post_id].append(decision)
    result: dict[int, PendingStep | None] = {p.pk: None for p in posts}
    for post in submitted:
        if post.organization_id != index.organization.pk:
            raise ValueError("pending_steps takes posts of one organization")
        result[post.pk] = pending_step(post, index=index, decisions=decided[post.pk])
    return result


def _require_other_approvers(post: Post, rules: PostingRules) -> None:
    """Refuse to send a post for approval when a step has no holder besides its
    writers: it could never be approved."""
    on_chain = subject(post)
    for index in unstaffed_steps(on_chain.chain.steps, on_chain.holder_ids, on_chain.excluded)[:1]:
        role = profile_for(post.organization).role(on_chain.chain.steps[index].role).name
        raise InvalidInput(
            _(
                "Nobody but the writer of this post holds the role that approves it (%(role)s)."
                " Ask an administrator to give the role to a second person (%(rule)s)."
            )
            % {"role": role, "rule": rules.four_eyes_citation}
        )


def _reason_for_hours(post: Post, rules: PostingRules, exemption: str, hours_exception: str) -> str:
    """Which of the profile's operating-hours exceptions the post claims: a
    correction is one by itself, the urgent
    notice is one whether claimed as an exemption or as an hours exception;
    any other must be the profile's."""
    if post.corrects_id is not None:
        return rules.correction_exception
    if rules.emergency_exemption in (exemption, hours_exception):
        return rules.emergency_exemption
    return hours_exception if rules.hours_exception(hours_exception) is not None else ""


def _check_hours(post: Post, rules: PostingRules, moment: dt.datetime, reason: str) -> None:
    suggestion = outside_hours(post.account, rules, moment)
    if suggestion is None or (reason and rules.hours_exception(reason) is not None):
        return
    message = _("Outside the account's operating hours. The next allowed time is %(next)s.") % {
        "next": timezone.localtime(suggestion).strftime("%Y-%m-%d %H:%M")
    }
    if rules.hours_citation:
        message = _("%(message)s (%(clause)s)") % {"message": message, "clause": rules.hours_citation}
    raise InvalidInput(message, field="scheduled_at")


def _standing_approval(post: Post, day: dt.date) -> StandingApproval | None:
    """The standing approval whose scope (account, category, period) covers this post, if any. A standing
    approval is its granter's approval given in advance, so it never covers the granter's own posts
    (four-eyes), and it lapses once the granter no longer holds a role of the account's approval chain (a
    異動, a role ended, leaving): it is honoured only while they could still approve the post themselves."""
    current = (
        StandingApproval.objects.filter(
            account=post.account, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day
        )
        .exclude(granted_by__in=own_ids(post))
        .order_by("-starts_on")
    )
    covering = [sa for sa in current if post.category in sa.categories]
    if not covering:
        return None
    approving = {staff.pk for staff in approvers(post.account)}
    return next((sa for sa in covering if sa.granted_by_id in approving), None)


@transaction.atomic
def submit(
    *,
    actor: Any,
    post: Post,
    scheduled_at: dt.datetime | None = None,
    exemption: str = "",
    hours_exception: str = "",
    expected_version: int | None = None,
) -> Post:
    post = (
        Post.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "organization")
        .get(pk=post.pk)
    )
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    if post.state != PostState.CHECKED:
        raise InvalidTransition(_("Only a checked draft can be submitted."))
    if expected_version is not None and post.version != expected_version:
        raise InvalidTransition(_("Someone else changed this at the same time. Reload and try again."))
    blocks = blocking(post)
    if blocks and not post.override_reason:
        raise InvalidInput(
            _(
                "The check found problems that block this post (%(items)s). Fix the text, or ask an approver to override in writing."  # noqa: E501
            )
            % {"items": "、".join(f"{b['excerpt']} {' '.join(b['clauses'])}".strip() for b in blocks)},
            field="text",
        )
    pending = unacknowledged_warnings(post)
    if pending:
        raise InvalidInput(
            _("Acknowledge each warning first (%(n)d left).") % {"n": len(pending)}, field="text"
        )
    rules = posting_rules(profile_for(post.organization))
    now = timezone.now()
    refuse_past(scheduled_at, now)
    moment = max(scheduled_at or now, now)
    if moment - now > MAX_AHEAD:
        raise InvalidInput(_("Schedule within a year."), field="scheduled_at")
    if exemption and rules.exemption(exemption) is None:
        raise InvalidInput(_("This guideline has no such exemption."), field="exemption")
    submitter = staff_of(actor)
    if (
        exemption
        and exemption not in rules.self_publish
        and submitter is not None
        and submitter.pk in own_ids(post)
    ):
        raise InvalidInput(
            _(
                "Your guideline does not let the writer publish this kind of post alone: ask another"
                " member of staff to send it, or submit it for approval (%(rule)s)."
            )
            % {"rule": rules.four_eyes_citation},
            field="exemption",
        )
    _check_hours(post, rules, moment, _reason_for_hours(post, rules, exemption, hours_exception))
    standing = None if exemption else _standing_approval(post, timezone.localdate(moment))
    if not exemption and standing is None:
        _require_other_approvers(post, rules)
    post.scheduled_at = moment
    post.exemption = exemption
    post.hours_exception = hours_exception
    post.submitted_by = submitter
    post.save(update_fields=["scheduled_at", "exemption", "hours_exception", "submitted_by"])
    today = timezone.localdate()
    if exemption:
        item = rules.exemption(exemption)
        clause = cite(profile_for(post.organization), item)
        move(
            post,
            PostState.APPROVED,
            actor=actor,
            action="posts.post.exempted",
            clause=clause,
            extra={"exemption": exemption},
        )
        report = AfterReport.objects.create(
            post=post, reason=exemption, due_on=today + dt.timedelta(days=rules.exemption_report_days)
        )
        notifications.after_report_waiting(post, report, report_reviewers(post))
        post.scheduled_at = now
        post.save(update_fields=["scheduled_at"])
        return schedule(post, actor=actor)
    if standing is not None:
        move(
            post,
            PostState.APPROVED,
            actor=actor,
            action="posts.post.standing_approved",
            clause=rules.standing_citation,
            extra={"standing_approval": standing.pk},
            standing_approval=standing,
        )
        report = AfterReport.objects.create(
            post=post, reason="standing", due_on=today + dt.timedelta(days=rules.standing_report_days)
        )
        notifications.after_report_waiting(post, report, report_reviewers(post))
        return schedule(post, actor=actor)
    move(
        post,
        PostState.SUBMITTED,
        actor=actor,
        action="posts.post.submitted",
        clause=rules.approval_citation,
        extra={"scheduled_at": moment.isoformat()},
        approval_round=post.approval_round + 1,
    )
    _tell_pending(post)
    post_submitted.send(sender=Post, post=post, actor=actor)
    return post


def _tell_pending(post: Post) -> None:
    """Those who may take the step now pending (the engine's own answer), once per step and round."""
    step = pending_step(post)
    if step is not None:
        role = profile_for(post.organization).role(step.step.role).name
        notifications.approval_requested(post, step, role)


def _changed_since_seen(post: Post) -> str:
    """Why a decision on a page older than the post is refused: while it waits, what changes is its time."""
    when = timezone.localtime(post.scheduled_at).strftime("%Y-%m-%d %H:%M") if post.scheduled_at else "—"
    return _(
        "This post changed after you opened it: its publishing time is now %(when)s. Nothing was decided;"
        " check the post and decide again."
    ) % {"when": when}


@transaction.atomic
def decide(
    *, actor: Any, post: Post, approve: bool, comment: str = "", expected_version: int | None = None
) -> Post:
    """One approver's decision on the pending step. ``expected_version`` is the version the approver saw
    (the post page and bulk approve send it): a post changed since (e.g. moved to another time) is refused,
    not approved unseen."""
    post = (
        Post.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "organization")
        .get(pk=post.pk)
    )
    profile = profile_for(post.organization)
    rules = posting_rules(profile)
    not_waiting = _("This post is not waiting for your decision.")
    if post.state != PostState.SUBMITTED:
        raise NotPermitted(not_waiting)
    if expected_version is not None and post.version != expected_version:
        raise InvalidTransition(_changed_since_seen(post))
    recorded = record_decision(
        actor=actor,
        subject=subject(post),
        obj=post,
        model=PostApproval,
        link={"post": post},
        approve=approve,
        comment=comment,
        four_eyes_rule=rules.four_eyes_citation,
        role_name=lambda role_id: profile.role(role_id).name,
        action_prefix="posts.post",
        organization=post.organization,
        wording=Wording(
            self_approval=_(
                "You wrote or last edited this post, so another approver must decide on it (%(rule)s)."
            ),
            not_holder=not_waiting,
            closed=NotPermitted(not_waiting),
            reason_required=_("Say what to change."),
        ),
    )
    if not recorded.approved:
        move(
            post,
            PostState.DRAFT,
            actor=actor,
            action="posts.post.rejected",
            clause=rules.approval_citation,
            extra={"comment": comment.strip()},
        )
        notifications.rejected(post, staff_of(actor), comment.strip())
        return post
    if recorded.complete:
        move(
            post,
            PostState.APPROVED,
            actor=actor,
            action="posts.post.approved",
            clause=rules.approval_citation,
        )
        if post.scheduled_at is None or post.scheduled_at < timezone.now():
            post.scheduled_at = timezone.now()
            post.save(update_fields=["scheduled_at"])
        schedule(post, actor=actor)
        if channel_kind(post.account) == "manual":
            notifications.approved_manual(post)
        return post
    _tell_pending(post)
    return post


def schedule(post: Post, *, actor: Any) -> Post:
    """approved → scheduled. A post already due is queued once this commits; a later one is left to the
    row-state sweep (posts/jobs.py), which queues it when due: no task is parked with a future run time."""
    key = post.idempotency_key or f"post-{post.pk}-{uuid.uuid4().hex[:12]}"
    move(
        post,
        PostState.SCHEDULED,
        actor=actor,
        action="posts.post.scheduled",
        extra={"scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None},
        idempotency_key=key,
    )
    if (
        post.scheduled_at is None
        or post.state_changed_at is None
        or post.scheduled_at <= post.state_changed_at
    ):
        jobs.enqueue_after_commit("posts.publish", post.pk)
    return post


@transaction.atomic
def withdraw(*, actor: Any, post: Post, reason: str = "") -> Post:
    """Withdraw a post; someone else's needs the reason, and its author is told who withdrew it and why."""
    post = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    by = staff_of(actor)
    others = by is None or by.pk != post.author_id
    if others and not reason.strip():
        raise InvalidInput(_("Write why you withdraw a post someone else wrote."), field="reason")
    move(
        post,
        PostState.WITHDRAWN,
        actor=actor,
        action="posts.post.withdrawn",
        extra={"reason": reason.strip()},
    )
    if others:
        notifications.withdrawn(post, by, reason.strip())
    return post
