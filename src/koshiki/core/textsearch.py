"""Text search that finds 「ＡＢＣ１２３」 when the user types 「ABC123」 and the other way round: NFKC on
both sides. The query is normalised in Python; the column is normalised in SQL (PostgreSQL's
``normalize(…, NFKC)``, a deterministic function registered on SQLite), so the filter stays one query
bounded by the body's rows."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func

SQLITE_FUNCTION = "koshiki_nfkc"


def nfkc(text: str) -> str:
    """The form both sides are compared in: full-width letters and digits, half-width kana folded."""
    return unicodedata.normalize("NFKC", text)


def _sqlite_nfkc(value: Any) -> str | None:
    return None if value is None else unicodedata.normalize("NFKC", str(value))


class Nfkc(Func):
    """The column's text in NFKC. Other vendors (none shipped) compare the text as it is stored."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="normalize(%(expressions)s, NFKC)", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        connection.ensure_connection()
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_nfkc, deterministic=True)
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)
