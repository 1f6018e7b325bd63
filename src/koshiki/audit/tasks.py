"""Worker job: sign a checkpoint of the audit chain whenever its head has moved.

The job queues its next run (every KOSHIKI_AUDIT_CHECKPOINT_MINUTES), so one run keeps it going;
``ensure_audit_checkpoints`` (called by ``ensure_jobs``) starts it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from koshiki.core.request_id import set_request_id

from .models import Checkpoint

logger = logging.getLogger(__name__)


def checkpoint_every() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "KOSHIKI_AUDIT_CHECKPOINT_MINUTES", 60)))


def checkpoint_if_moved() -> Checkpoint | None:
    """A new signed checkpoint if the head moved past the latest one; None otherwise."""
    from .checkpoints import latest, make_checkpoint
    from .models import ChainHead

    head = ChainHead.objects.filter(id=1).first()
    last = latest()
    if head is None or head.seq == 0 or (last is not None and last.seq >= head.seq):
        return None
    return make_checkpoint()


@task()
def audit_checkpoint_task() -> int:
    set_request_id("job-audit-checkpoint")
    audit_checkpoint_task.using(run_after=timezone.now() + checkpoint_every()).enqueue()
    made = checkpoint_if_moved()
    if made is not None:
        logger.info("audit checkpoint #%s %s signed by %s", made.seq, made.entry_hash, made.public_key)
    return made.seq if made is not None else 0


def ensure_audit_checkpoints() -> bool:
    """Queue the checkpoint job unless a run is already waiting (safe to call at every start)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    path = audit_checkpoint_task.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return False
    audit_checkpoint_task.using(run_after=timezone.now() + checkpoint_every()).enqueue()
    return True
