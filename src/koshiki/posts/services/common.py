"""Shared pieces of post services: guarded moves with their audit entry, snapshots, and lookups."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from koshiki.audit.services import log_action
from koshiki.core.statemachine import check_transition, compare_and_set

from ..lifecycle import TRANSITIONS, labels
from ..models import Post


def move(
    post: Post,
    target: str,
    *,
    actor: Any,
    action: str,
    clause: str = "",
    extra: dict[str, Any] | None = None,
    **also: Any,
) -> None:
    """Guarded compare-and-set on state (and version, so a stale form cannot act) plus the audit entry."""
    check_transition(TRANSITIONS, post.state, target, labels=labels())
    before = {"state": post.state, "version": post.version}
    compare_and_set(post, "state", post.state, target, state_changed_at=timezone.now(), **also)
    log_action(
        action,
        actor=actor,
        obj=post,
        organization=post.organization,
        before=before,
        after={"state": target, "version": post.version, **(extra or {})},
        clause=clause,
    )


def finding_key(finding: dict[str, Any]) -> str:
    """A warning is acknowledged for its category and exact span of this version's text."""
    return f"{finding['category']}:{finding['start']}:{finding['end']}"


def blocking(post: Post) -> list[dict[str, Any]]:
    return [f for f in post.findings if f["severity"] == "block"]


def unacknowledged_warnings(post: Post) -> list[dict[str, Any]]:
    done = set(post.acknowledged)
    return [f for f in post.findings if f["severity"] == "warn" and finding_key(f) not in done]
