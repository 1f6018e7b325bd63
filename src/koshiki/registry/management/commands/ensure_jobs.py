from typing import Any

from django.core.management.base import BaseCommand

from koshiki.audit.tasks import ensure_audit_checkpoints
from koshiki.posts.tasks import ensure_publish_sweeper
from koshiki.registry.tasks import ensure_daily_reminders
from koshiki.security.tasks import ensure_security_reminders


class Command(BaseCommand):
    help = "Queue the recurring background jobs (reminders, publish sweeper, audit checkpoints) unless already queued."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = ensure_daily_reminders()
        self.stdout.write("daily reminders queued" if queued else "daily reminders already queued")
        queued = ensure_security_reminders()
        self.stdout.write("security reminders queued" if queued else "security reminders already queued")
        queued = ensure_publish_sweeper()
        self.stdout.write("publish sweeper queued" if queued else "publish sweeper already queued")
        queued = ensure_audit_checkpoints()
        self.stdout.write("audit checkpoints queued" if queued else "audit checkpoints already queued")
