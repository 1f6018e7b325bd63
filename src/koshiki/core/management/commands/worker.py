"""``koshiki manage worker``: django_tasks_db's db_worker, after putting the recurring jobs in place.

Every worker start ensures the recurring jobs (the sweeper among them) and puts back tasks that a dead
worker held past the lease, so a crash never leaves sweeping stopped until someone runs ensure_jobs.
While it runs, a thread polls the cheap due sweeps every KOSHIKI_DUE_POLL_SECONDS (posts due now): work due
later is never parked in the queue (issue #12), so this is what keeps a post within a second of its time.
"""

import logging
import threading
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from koshiki.core import jobs

logger = logging.getLogger(__name__)


def poll_due(stop: threading.Event, every: float) -> None:
    """Run the frequent sweeps until ``stop``; an error is logged and the next poll goes on."""
    while not stop.wait(every):
        try:
            jobs.run_frequent_sweeps()
        except Exception:
            logger.exception("due poll failed")
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "Run the background worker (ensures the recurring jobs first; options as db_worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = jobs.requeue_expired()
        queued = jobs.ensure_recurring(soon=True)
        if options.get("verbosity", 1) > 0:
            states = ", ".join(f"{name}={'queued' if new else 'waiting'}" for name, new in queued.items())
            self.stdout.write(
                f"recurring jobs: {states}; past lease: {moved['requeued']} queued again,"
                f" {moved['failed']} failed"
            )
        every = jobs.due_poll_every()
        stop = threading.Event()
        if every > 0 and not options.get("batch"):
            threading.Thread(target=poll_due, args=(stop, every), name="due-poll", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
