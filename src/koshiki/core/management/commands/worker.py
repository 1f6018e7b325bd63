"""``koshiki manage worker``: django_tasks_db's db_worker, after putting the recurring jobs in place.

Every worker start ensures the recurring jobs (the sweeper among them) and puts back tasks that a dead
worker held past the lease, so a crash never leaves sweeping stopped until someone runs ensure_jobs.
"""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from koshiki.core import jobs


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
        super().handle(*args, **options)
