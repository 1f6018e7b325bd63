"""SQL of the append-only triggers, shared by the migration and the test suite's flush."""

from __future__ import annotations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION koshiki_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_CREATE = [
    PG_FUNCTION,
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION koshiki_audit_append_only();",
    "CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION koshiki_audit_append_only();",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS koshiki_audit_append_only();",
]
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only (DELETE refused)'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
]


def statements(vendor: str, enabled: bool) -> list[str]:
    """For tests: switch the triggers on or off without touching the migration history."""
    if vendor == "postgresql":
        return [f"ALTER TABLE audit_auditentry {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER;"]
    if vendor == "sqlite":
        return SQLITE_CREATE if enabled else SQLITE_DROP
    return []
