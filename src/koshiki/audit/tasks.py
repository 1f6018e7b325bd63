"""Worker sweeps: sign a checkpoint over the chains' heads when they moved and the last one is old enough.

It runs on every sweeper pass (core/jobs.py), so it needs no self-queueing task of its own and survives
a dead worker like every other sweep; it signs at most every KOSHIKI_AUDIT_CHECKPOINT_MINUTES.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from koshiki.core import jobs

from .models import Checkpoint

logger = logging.getLogger(__name__)


def checkpoint_every() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "KOSHIKI_AUDIT_CHECKPOINT_MINUTES", 60)))


def checkpoint_if_moved() -> Checkpoint | None:
    """A new signed checkpoint if the head moved past the latest one; None otherwise."""
    from .checkpoints import current_heads, latest, make_checkpoint

    heads = current_heads()
    last = latest()
    if not any(seq for _, seq, _ in heads):
        return None
    if last is not None and [tuple(h) for h in last.heads or []] == heads:
        return None
    return make_checkpoint()


@jobs.sweep("audit.checkpoint")
def checkpoint_when_due(now: dt.datetime | None = None) -> int:
    """Sign when the head moved and the latest checkpoint is older than the interval (or there is none)."""
    from .checkpoints import latest

    moment = now or timezone.now()
    last = latest()
    if last is not None and moment - dt.datetime.fromisoformat(last.signed_at) < checkpoint_every():
        return 0
    made = checkpoint_if_moved()
    if made is not None:
        logger.info("audit checkpoint #%s %s signed by %s", made.seq, made.entry_hash, made.public_key)
    return made.seq if made is not None else 0


from . import verification  # noqa: E402,F401  (the incremental verification job and sweep)
