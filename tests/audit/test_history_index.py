"""An object's history (account and post pages) is read through an index (issue #12).

Without one, history_for scanned the whole national audit log for one object's entries (~240 ms a page).
The planner is asked directly: the history query names the (object_type, object_id, seq) index.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from koshiki.audit.queries import history_for

INDEX = "audit_entry_object_history"


def _plan(sql: str, params: tuple[Any, ...]) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table would be scanned anyway, and without statistics the planner cannot tell
            # the object index (one object's rows) from the body index (every row of the body).
            cursor.execute("ANALYZE audit_auditentry")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


def test_an_objects_history_is_read_through_the_object_index(iwaki: Any) -> None:
    entries, complete = history_for(iwaki.ciso.user, iwaki.tanto)
    assert complete and entries.exists()
    sql, params = entries.query.sql_with_params()
    assert INDEX in _plan(sql, params)
