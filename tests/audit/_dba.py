"""What someone with database access can do: lift the audit triggers and write raw SQL."""

from __future__ import annotations

from typing import Any

from django.db import connection

from koshiki.audit.migrations import _triggers


def lift_triggers() -> None:
    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, False):
            cursor.execute(statement)


def restore_triggers() -> None:
    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, True):
            cursor.execute(statement)


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
