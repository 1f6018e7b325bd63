"""Submitting a post and deciding on it: the profile's chain, standing approvals, after-the-fact exemptions,
and operating hours with the next allowed time suggested."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.guidelines.schema import ApprovalStep
from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.roles import HolderIndex

from ..lifecycle import PostState
from ..models import AfterReport, Post, PostApproval, StandingApproval
from ..roles import can_write, own_ids, step_holders
from ..rules import PostingRules, outside_hours, posting_rules
from .common import blocking, move, unacknowledged_warnings

MAX_AHEAD = dt.timedelta(days=366)
HOURS_REASONS = ("correction", "damage", "emergency")


@dataclass(frozen=True)
class PendingStep:
    index: int
    step: ApprovalStep
    waiting_for: list[Staff]


def pending_step(post: Post, *, index: HolderIndex | None = None,
                 decisions: list[PostApproval] | None = None) -> PendingStep | None:
    """The first step not yet done and who may decide it; ``index``/``decisions`` let a list page batch the reads."""
    if post.state != PostState.SUBMITTED:
        return None
    rules = posting_rules(profile_for(post.organization))
    if decisions is None:
        decisions = list(PostApproval.objects.filter(post=post, round=post.approval_round, decision="approved"))
    own = own_ids(post)
    for index_, step in enumerate(rules.steps):
        holders = [h for h in step_holders(post.account, step.role, index) if h.pk not in own]  # four-eyes
        approved = {d.approver_id for d in decisions if d.step == index_}
        done = bool(approved) if step.mode == "any" else bool(holders) and all(h.pk in approved for h in holders)
        if not done:
            return PendingStep(index_, step, [h for h in holders if h.pk not in approved])
    return None


def pending_steps(posts: list[Post]) -> dict[int, PendingStep | None]:
    """``pending_step`` for many posts of one organization in a constant number of queries (list pages)."""
    submitted = [p for p in posts if p.state == PostState.SUBMITTED]
    if not submitted:
        return {p.pk: None for p in posts}
    index = HolderIndex(submitted[0].organization)
    rounds = {p.pk: p.approval_round for p in submitted}
    decided: dict[int, list[PostApproval]] = {pk: [] for pk in rounds}
    for decision in PostApproval.objects.filter(post_id__in=rounds, decision="approved"):
        if decision.round == rounds[decision.post_id]:
            decided[decision.post_id].append(decision)
    result: dict[int, PendingStep | None] = {p.pk: None for p in posts}
    for post in submitted:
        if post.organization_id != index.organization.pk:
            raise ValueError("pending_steps takes posts of one organization")
        result[post.pk] = pending_step(post, index=index, decisions=decided[post.pk])
    return result


def _require_other_approvers(post: Post, rules: PostingRules) -> None:
    """Refuse to send a post for approval when a step has no holder besides its writers: it could never be approved."""
    own = own_ids(post)
    for step in rules.steps:
        if not [h for h in step_holders(post.account, step.role) if h.pk not in own]:
            role = profile_for(post.organization).role(step.role).name
            raise InvalidInput(_("Nobody but the writer of this post holds the role that approves it (%(role)s)."
                                 " Ask an administrator to give the role to a second person (%(rule)s).")
                               % {"role": role, "rule": rules.four_eyes_citation})


def _reason_for_hours(post: Post, exemption: str, hours_exception: str) -> str:
    if post.corrects_id is not None:
        return "correction"
    if exemption == "emergency" or hours_exception == "emergency":
        return "emergency"
    return hours_exception if hours_exception in HOURS_REASONS else ""


def _check_hours(post: Post, rules: PostingRules, moment: dt.datetime, reason: str) -> None:
    suggestion = outside_hours(post.account, rules, moment)
    if suggestion is None or (reason and rules.hours_exception(reason) is not None):
        return
    message = _("Outside the account's operating hours. The next allowed time is %(next)s.") % {
        "next": timezone.localtime(suggestion).strftime("%Y-%m-%d %H:%M")}
    if rules.hours_citation:
        message = _("%(message)s (%(clause)s)") % {"message": message, "clause": rules.hours_citation}
    raise InvalidInput(message, field="scheduled_at")


def _standing_approval(post: Post, day: dt.date) -> StandingApproval | None:
    """The standing approval whose scope (account, category, period) covers this post, if any. A standing
    approval is its granter's approval given in advance, so it never covers the granter's own posts (four-eyes)."""
    current = StandingApproval.objects.filter(account=post.account, revoked_at__isnull=True, starts_on__lte=day,
                                              ends_on__gte=day).exclude(granted_by__in=own_ids(post)).order_by("-starts_on")
    return next((sa for sa in current if post.category in sa.categories), None)


@transaction.atomic
def submit(*, actor: Any, post: Post, scheduled_at: dt.datetime | None = None, exemption: str = "",
           hours_exception: str = "", expected_version: int | None = None) -> Post:
    post = Post.objects.select_for_update().select_related("account", "organization").get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(_("Only the account's manager and operators can write its posts."))
    if post.state != PostState.CHECKED:
        raise InvalidTransition(_("Only a checked draft can be submitted."))
    if expected_version is not None and post.version != expected_version:
        raise InvalidTransition(_("Someone else changed this at the same time. Reload and try again."))
    blocks = blocking(post)
    if blocks and not post.override_reason:
        raise InvalidInput(_("The check found problems that block this post (%(items)s). Fix the text, or ask an approver to override in writing.")
                           % {"items": "、".join(f"{b['excerpt']} {' '.join(b['clauses'])}".strip() for b in blocks)}, field="text")
    pending = unacknowledged_warnings(post)
    if pending:
        raise InvalidInput(_("Acknowledge each warning first (%(n)d left).") % {"n": len(pending)}, field="text")
    rules = posting_rules(profile_for(post.organization))
    now = timezone.now()
    moment = max(scheduled_at or now, now)
    if moment - now > MAX_AHEAD:
        raise InvalidInput(_("Schedule within a year."), field="scheduled_at")
    if exemption and rules.exemption(exemption) is None:
        raise InvalidInput(_("This guideline has no such exemption."), field="exemption")
    submitter = staff_of(actor)
    if exemption and exemption not in rules.self_publish and submitter is not None and submitter.pk in own_ids(post):
        raise InvalidInput(_("Your guideline does not let the writer publish this kind of post alone: ask another"
                             " member of staff to send it, or submit it for approval (%(rule)s).")
                           % {"rule": rules.four_eyes_citation}, field="exemption")
    _check_hours(post, rules, moment, _reason_for_hours(post, exemption, hours_exception))
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
        clause = profile_for(post.organization).cite(item.clause) if item and item.clause and not item.silent else ""
        move(post, PostState.APPROVED, actor=actor, action="posts.post.exempted", clause=clause,
             extra={"exemption": exemption})
        AfterReport.objects.create(post=post, reason=exemption, due_on=today + dt.timedelta(days=1))
        post.scheduled_at = now
        post.save(update_fields=["scheduled_at"])
        return schedule(post, actor=actor)
    if standing is not None:
        move(post, PostState.APPROVED, actor=actor, action="posts.post.standing_approved", clause=rules.standing_citation,
             extra={"standing_approval": standing.pk}, standing_approval=standing)
        AfterReport.objects.create(post=post, reason="standing", due_on=today + dt.timedelta(days=7))
        return schedule(post, actor=actor)
    move(post, PostState.SUBMITTED, actor=actor, action="posts.post.submitted", clause=rules.approval_citation,
         extra={"scheduled_at": moment.isoformat()}, approval_round=post.approval_round + 1)
    return post


@transaction.atomic
def decide(*, actor: Any, post: Post, approve: bool, comment: str = "") -> Post:
    post = Post.objects.select_for_update().select_related("account", "organization").get(pk=post.pk)
    step = pending_step(post)
    staff = staff_of(actor)
    if step is not None and staff is not None and staff.pk in own_ids(post):
        rules = posting_rules(profile_for(post.organization))
        raise NotPermitted(_("You wrote or last edited this post, so another approver must decide on it (%(rule)s).")
                           % {"rule": rules.four_eyes_citation})
    if step is None or staff is None or staff not in step.waiting_for:
        raise NotPermitted(_("This post is not waiting for your decision."))
    if not approve and not comment.strip():
        raise InvalidInput(_("Say what to change."), field="comment")
    rules = posting_rules(profile_for(post.organization))
    PostApproval.objects.create(post=post, round=post.approval_round, step=step.index, role_id=step.step.role,
                                approver=staff, decision="approved" if approve else "rejected", comment=comment.strip())
    if not approve:
        move(post, PostState.DRAFT, actor=actor, action="posts.post.rejected", clause=rules.approval_citation,
             extra={"comment": comment.strip()})
        return post
    log_action("posts.post.step_approved", actor=actor, obj=post, organization=post.organization,
               after={"step": step.index, "role": step.step.role, "comment": comment.strip()}, clause=rules.approval_citation)
    if pending_step(post) is None:
        move(post, PostState.APPROVED, actor=actor, action="posts.post.approved", clause=rules.approval_citation)
        if post.scheduled_at is None or post.scheduled_at < timezone.now():
            post.scheduled_at = timezone.now()
            post.save(update_fields=["scheduled_at"])
        return schedule(post, actor=actor)
    return post


def schedule(post: Post, *, actor: Any) -> Post:
    """approved → scheduled; the publish job is queued for the scheduled time once this commits."""
    key = post.idempotency_key or f"post-{post.pk}-{uuid.uuid4().hex[:12]}"
    move(post, PostState.SCHEDULED, actor=actor, action="posts.post.scheduled",
         extra={"scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None}, idempotency_key=key)
    from ..tasks import enqueue_publish

    post_id, run_after = post.pk, post.scheduled_at
    transaction.on_commit(lambda: enqueue_publish(post_id, run_after))
    return post


@transaction.atomic
def withdraw(*, actor: Any, post: Post, reason: str = "") -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(_("Only the account's manager and operators can write its posts."))
    move(post, PostState.WITHDRAWN, actor=actor, action="posts.post.withdrawn", extra={"reason": reason.strip()})
    return post
