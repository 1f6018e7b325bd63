from typing import Any

from django.core.management.base import BaseCommand

from koshiki.core import jobs


class Command(BaseCommand):
    help = (
        "Queue the recurring background jobs (the sweeper) unless already queued;"
        " `koshiki manage worker` does this itself."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, queued in jobs.ensure_recurring(soon=True).items():
            self.stdout.write(f"{name} queued" if queued else f"{name} already queued")
