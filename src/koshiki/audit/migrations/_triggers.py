"""SQL of the audit triggers, shared by the migrations and the test suite's flush.

- audit_auditentry and audit_checkpoint: append-only (no UPDATE, DELETE or TRUNCATE).
- audit_chainhead: never deleted; an UPDATE must advance seq by exactly one and change the hash,
  which is all that chain.append ever does; since #12 (one head per chain) it never changes chain and
  a new head starts at 0 with the genesis hash.
"""

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

# --- the head row and the checkpoints (migration 0004) ---------------------------------------------
# Nested IFs: PL/pgSQL does not promise to short-circuit, and NEW is NULL for TRUNCATE and DELETE.
HEAD_PG_CREATE = [
    """
CREATE OR REPLACE FUNCTION koshiki_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.seq = OLD.seq + 1 AND NEW.last_hash <> OLD.last_hash THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_chainhead only moves forward one entry at a time (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
""",
    "CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE OR DELETE ON audit_chainhead "
    "FOR EACH ROW EXECUTE FUNCTION koshiki_audit_head_forward_only();",
    "CREATE TRIGGER audit_chainhead_no_truncate BEFORE TRUNCATE ON audit_chainhead "
    "FOR EACH STATEMENT EXECUTE FUNCTION koshiki_audit_head_forward_only();",
    """
CREATE OR REPLACE FUNCTION koshiki_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_checkpoint is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
""",
    "CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint "
    "FOR EACH ROW EXECUTE FUNCTION koshiki_audit_checkpoint_append_only();",
    "CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint "
    "FOR EACH STATEMENT EXECUTE FUNCTION koshiki_audit_checkpoint_append_only();",
]
HEAD_PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;",
    "DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_chainhead;",
    "DROP FUNCTION IF EXISTS koshiki_audit_head_forward_only();",
    "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint;",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_checkpoint;",
    "DROP FUNCTION IF EXISTS koshiki_audit_checkpoint_append_only();",
]
HEAD_SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead "
    "BEGIN SELECT RAISE(ABORT, 'audit_chainhead is never deleted (DELETE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_forward_only BEFORE UPDATE ON audit_chainhead "
    "WHEN NEW.id != OLD.id OR NEW.seq != OLD.seq + 1 OR NEW.last_hash = OLD.last_hash "
    "BEGIN SELECT RAISE(ABORT, 'audit_chainhead only moves forward one entry at a time (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only (DELETE refused)'); END;",
]
HEAD_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_chainhead_no_delete;",
    "DROP TRIGGER IF EXISTS audit_chainhead_forward_only;",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update;",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete;",
]

# --- per-chain heads (migration 0006, issue #12) -----------------------------------------------------
# Each chain's head moves forward one entry at a time and never changes chain; a new head starts at 0
# with the genesis hash (a head inserted further on would let a deleted chain restart where it stood).
CHAINS_PG_CREATE = [
    """
CREATE OR REPLACE FUNCTION koshiki_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.chain = OLD.chain AND NEW.seq = OLD.seq + 1
           AND NEW.last_hash <> OLD.last_hash THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq = 0 AND NEW.last_hash = repeat('0', 64) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_chainhead only moves forward one entry at a time (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
""",
    "CREATE TRIGGER audit_chainhead_starts_at_genesis BEFORE INSERT ON audit_chainhead "
    "FOR EACH ROW EXECUTE FUNCTION koshiki_audit_head_forward_only();",
]
CHAINS_PG_DROP = ["DROP TRIGGER IF EXISTS audit_chainhead_starts_at_genesis ON audit_chainhead;"]
CHAINS_SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead "
    "BEGIN SELECT RAISE(ABORT, 'audit_chainhead is never deleted (DELETE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_forward_only BEFORE UPDATE ON audit_chainhead "
    "WHEN NEW.id != OLD.id OR NEW.chain != OLD.chain OR NEW.seq != OLD.seq + 1 OR NEW.last_hash = OLD.last_hash "
    "BEGIN SELECT RAISE(ABORT, 'audit_chainhead only moves forward one entry at a time (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_starts_at_genesis BEFORE INSERT ON audit_chainhead "
    "WHEN NEW.seq != 0 OR NEW.last_hash != '" + "0" * 64 + "' "
    "BEGIN SELECT RAISE(ABORT, 'audit_chainhead starts at the genesis (INSERT refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only (DELETE refused)'); END;",
]
CHAINS_SQLITE_DROP = [*HEAD_SQLITE_DROP, "DROP TRIGGER IF EXISTS audit_chainhead_starts_at_genesis;"]
GUARDED_TABLES = ("audit_auditentry", "audit_chainhead", "audit_checkpoint")


def statements(vendor: str, enabled: bool) -> list[str]:
    """For tests: switch the triggers on or off without touching the migration history."""
    if vendor == "postgresql":
        verb = "ENABLE" if enabled else "DISABLE"
        return [f"ALTER TABLE {table} {verb} TRIGGER USER;" for table in GUARDED_TABLES]
    if vendor == "sqlite":
        return [*SQLITE_CREATE, *CHAINS_SQLITE_CREATE] if enabled else [*SQLITE_DROP, *CHAINS_SQLITE_DROP]
    return []
