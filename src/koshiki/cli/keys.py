"""``koshiki keys generate|reseal``: make keys for the environment, and rotate KOSHIKI_ENCRYPTION_KEY."""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import Any

from .manage import setup_django


def _generate(args: argparse.Namespace) -> int:
    """Needs no settings, so it works before any key is configured."""
    if args.kind == "secret":
        print(secrets.token_urlsafe(50))
    else:
        from cryptography.fernet import Fernet

        print(Fernet.generate_key().decode("ascii"))
    return 0


def _reseal(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("reseal_secrets", batch_size=args.batch_size, stdout=sys.stdout)
    except CommandError as exc:
        print(f"エラー / error: {exc}", file=sys.stderr)
        return 1
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("keys", help="keys: generate, and re-seal secrets after a key rotation")
    sub = parser.add_subparsers(dest="action", required=True)
    generate = sub.add_parser("generate", help="print a new key")
    generate.add_argument(
        "--kind",
        choices=["fernet", "secret"],
        default="fernet",
        help="fernet: for KOSHIKI_ENCRYPTION_KEY (default); secret: for KOSHIKI_SECRET_KEY",
    )
    generate.set_defaults(handler=_generate)
    reseal = sub.add_parser(
        "reseal", help="re-seal every sealed secret with the first KOSHIKI_ENCRYPTION_KEY"
    )
    reseal.add_argument("--batch-size", type=int, default=200)
    reseal.set_defaults(handler=_reseal)
