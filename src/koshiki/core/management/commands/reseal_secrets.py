"""`koshiki manage reseal_secrets`: re-seal every sealed column with the first KOSHIKI_ENCRYPTION_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koshiki.core.request_id import set_request_id
from koshiki.core.reseal import reseal_all


class Command(BaseCommand):
    help = "Re-seal every sealed secret with the first key of KOSHIKI_ENCRYPTION_KEY (key rotation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        set_request_id("cli-keys-reseal")
        counts = reseal_all(batch_size=options["batch_size"])
        for c in counts:
            self.stdout.write(
                f"{c.column}: resealed {c.resealed}, already current {c.current}, empty {c.empty}, "
                f"unreadable {c.unreadable}, changed meanwhile {c.changed}"
            )
        resealed = sum(c.resealed for c in counts)
        self.stdout.write(f"再暗号化 {resealed} 件 / resealed {resealed}")
        unreadable = sum(c.unreadable for c in counts)
        if unreadable:
            raise CommandError(
                f"{unreadable} 件はどの鍵でも開けません / {unreadable} values open with none of the "
                "keys in KOSHIKI_ENCRYPTION_KEY: add the key they were sealed with and run again."
            )
        if sum(c.changed for c in counts):
            self.stdout.write(
                "一部は処理中に変更されました。もう一度実行してください / "
                "some values changed meanwhile: run again"
            )
