"""``koshiki manage ...``: Django's management commands (migrate, runserver, db_worker...)."""

from __future__ import annotations

import argparse
import os
from typing import Any


def setup_django() -> None:
    """Configure Django for commands that need the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    import django

    django.setup()


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["koshiki manage", *args.rest])
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("manage", help="Django management commands", add_help=False)
    parser.set_defaults(handler=_run)
