"""Concurrent writers on PostgreSQL (issue #12): no deadlocks, no lost updates.

Several threads, each with its own database connection, take posts from draft to published (create →
submit → approve → record the manual publication) in one body and across bodies at the same time. Before
issue #12, ``select_for_update().select_related(..., "organization")`` locked the organization row FOR
UPDATE, which blocks every other writer's foreign-key check on it (KEY SHARE) while that writer may hold
the audit chain head: a deadlock. Bounded (4 writers × 25 posts) so it runs in seconds.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from koshiki.audit.chain import verify_chain
from koshiki.audit.models import AuditEntry
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..security.conftest import SEEDS
from .conftest import CLEAN_POST, PostingBody, build_posting_body

WRITERS_PER_BODY = 2
POSTS_PER_WRITER = 25


def _publish_one(body: PostingBody, text: str) -> int:
    post = services.create_post(actor=body.operator.user, account=body.account, text=text)
    post = services.submit(actor=body.operator.user, post=post)
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    services.record_manual_publication(
        actor=body.operator.user,
        post=post,
        url=f"https://bsky.app/profile/{body.account.handle}/post/p{post.pk}",
    )
    return int(post.pk)


def _writer(body: PostingBody, name: str, done: list[int], errors: list[BaseException]) -> None:
    try:
        for n in range(POSTS_PER_WRITER):
            done.append(_publish_one(body, f"{CLEAN_POST}（{name}-{n}）"))
    except BaseException as error:  # collected and asserted on by the test thread
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and deadlock detection need PostgreSQL"
)
def test_concurrent_writers_in_one_body_and_across_bodies_neither_deadlock_nor_lose_updates(
    transactional_db: Any, system_admin: Any, within_hours: Any
) -> None:
    bodies = [build_posting_body(system_admin, *SEEDS[0]), build_posting_body(system_admin, *SEEDS[3])]
    entries_before = AuditEntry.objects.count()
    done: list[int] = []
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_writer, args=(body, f"{body.account.pk}-{w}", done, errors))
        for body in bodies
        for w in range(WRITERS_PER_BODY)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    deadlocks = [e for e in errors if isinstance(e, OperationalError) and "deadlock" in str(e)]
    assert deadlocks == [] and errors == []
    total = len(bodies) * WRITERS_PER_BODY * POSTS_PER_WRITER
    assert len(done) == len(set(done)) == total
    published = Post.objects.filter(pk__in=done, state=PostState.PUBLISHED)
    assert published.count() == total
    # No lost update: every post's last move is on record and each post's version counted every change once.
    for post in published:
        moves = AuditEntry.objects.filter(object_type="posts.post", object_id=str(post.pk)).count()
        assert (
            moves >= 5
            and post.remote_url == f"https://bsky.app/profile/{post.account.handle}/post/p{post.pk}"
        )
    assert AuditEntry.objects.count() > entries_before
    assert verify_chain().ok
