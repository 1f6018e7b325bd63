from typing import Any

from django.core.management.base import BaseCommand

from koshiki.demo.data import DEMO_PASSWORD
from koshiki.demo.load import demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the demo bodies, departments and staff (idempotent) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = load_demo()
        self.stdout.write(f"Demo data: {', '.join(o.name for o in organizations)}")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, who, roles in demo_logins():
            self.stdout.write(f"  {username:22} {who}  {roles}")
        self.stdout.write("\nApprovers and credential holders sign in with a second step (二段階認証).")
        self.stdout.write(
            "Show a demo persona's current code with: "
            "KOSHIKI_ENV=local .venv/bin/koshiki manage demo_code <username>"
        )
