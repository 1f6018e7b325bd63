from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from koshiki.core.crypto import unseal_text
from koshiki.demo.data import DEMO_PASSWORD
from koshiki.demo.load import demo_logins
from koshiki.twostep import totp
from koshiki.twostep.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo only: print the current two-step code of a demo persona (as their authenticator app would)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if (
            user is None
            or username not in {row[0] for row in demo_logins()}
            or not user.check_password(DEMO_PASSWORD)
        ):
            raise CommandError("Only demo personas with the demo password have codes shown here.")
        device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            raise CommandError(f"{username} has no two-step login set up.")
        secret = unseal_text(device.sealed_secret)
        self.stdout.write(totp.code_at(secret, max(totp.current_step(), device.last_step + 1)))
