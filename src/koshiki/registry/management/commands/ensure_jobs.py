from typing import Any

from django.core.management.base import BaseCommand

from koshiki.registry.tasks import ensure_daily_reminders


class Command(BaseCommand):
    help = "Queue the recurring background jobs (daily reminders) unless already queued."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = ensure_daily_reminders()
        self.stdout.write("daily reminders queued" if queued else "daily reminders already queued")
