"""Bulk approve (#13): the approver ticks several posts of the queue and approves them in one go.

Nothing is approved in bulk that would not be approved one by one: each post goes through ``decide`` on its
own (its own transaction, the approver's permission and four-eyes, compare-and-set on the version the
approver saw), and ``decide`` writes the same audit entries as a single approval. A post whose check found a
prohibited item (禁止) is never approved in a batch, even when overridden: it is refused here, citing the
finding's clauses, so it is decided on its own page. The batch itself writes no audit entry of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from koshiki.core.errors import InvalidInput, ServiceError
from koshiki.orgs.scoping import scoped

from ..models import Post
from .approval import decide
from .common import blocking

MAX_BATCH = 50  # posts per bulk approval (one queue page)


@dataclass(frozen=True)
class BulkResult:
    """What happened to one ticked post: approved (this step), or refused with the reason and clause."""

    post_id: int
    post: Post | None  # None: not a post of the approver's body (nothing about it is shown)
    approved: bool
    reason: str = ""
    clause: str = ""


def _picks(picks: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ticked (post id, version) pairs, each post once, within the batch limit."""
    seen: dict[int, int] = {}
    for post_id, version in picks:
        seen.setdefault(post_id, version)
    if not seen:
        raise InvalidInput(_("Select at least one post to approve."))
    if len(seen) > MAX_BATCH:
        raise InvalidInput(
            _("Approve at most %(max)d posts at a time (%(n)d selected).")
            % {"max": MAX_BATCH, "n": len(seen)}
        )
    return list(seen.items())


def _blocked(post: Post) -> BulkResult | None:
    blocks = blocking(post)
    if not blocks:
        return None
    clauses = sorted({clause for finding in blocks for clause in finding.get("clauses", [])})
    return BulkResult(
        post.pk,
        post,
        False,
        _("The check found a prohibited item (%(items)s). Open the post and decide on it by itself.")
        % {"items": "、".join(str(f.get("excerpt", "")) for f in blocks)},
        " ".join(clauses),
    )


def bulk_approve(*, actor: Any, picks: Sequence[tuple[int, int]]) -> list[BulkResult]:
    """Approve each ticked post through ``decide``, one transaction each; one result per post, in order.
    Raises InvalidInput (and changes nothing) for an empty or too large batch."""
    wanted = _picks(picks)
    found = {
        p.pk: p
        for p in scoped(Post.objects, actor)
        .select_related("account", "organization")
        .filter(pk__in=[post_id for post_id, _version in wanted])
    }
    results: list[BulkResult] = []
    for post_id, version in wanted:
        post = found.get(post_id)
        if post is None:
            results.append(BulkResult(post_id, None, False, _("No such post in your organization.")))
            continue
        refused = _blocked(post)
        if refused is not None:
            results.append(refused)
            continue
        try:
            decide(actor=actor, post=post, approve=True, expected_version=version)
        except ServiceError as error:
            results.append(BulkResult(post_id, post, False, str(error.message)))
        else:
            results.append(BulkResult(post_id, post, True))
    return results
