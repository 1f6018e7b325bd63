"""Issue #12: one audit chain per organization (plus ``national``), a global sequence outside any lock,
checkpoints over the set of heads, and per-chain incremental verification records.

Existing entries are NOT re-linked: they stay as they were hashed, as the closed ``legacy`` chain
(positions = their global seq, head = the old head row renamed ``legacy``). Re-linking would mean
rewriting every hash, i.e. exactly the change the chain exists to make visible, and would void every
checkpoint already signed and kept outside the database. The next signed checkpoint (format 2) covers
the legacy head among the others, so the segment stays sealed; old format-1 checkpoints keep verifying
against it. Entries get their new columns without an UPDATE (a column default), so the append-only
triggers are only lifted for SQLite's table rebuild and restored at the end.
"""

from django.db import migrations, models

from ._triggers import (
    CHAINS_PG_CREATE,
    CHAINS_SQLITE_CREATE,
    CHAINS_SQLITE_DROP,
    HEAD_PG_CREATE,
    SQLITE_CREATE,
    SQLITE_DROP,
)

SEQUENCE = "audit_auditentry_global_seq"


def lift(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*SQLITE_DROP, *CHAINS_SQLITE_DROP]:
            schema_editor.execute(statement, params=None)


def restore(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in [*SQLITE_CREATE, *CHAINS_SQLITE_CREATE]:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        for statement in CHAINS_PG_CREATE:
            schema_editor.execute(statement, params=None)
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint", params=None)
        schema_editor.execute(
            f"SELECT setval('{SEQUENCE}', COALESCE((SELECT MAX(seq) FROM audit_auditentry), 0) + 1, false)",
            params=None,
        )
        # The old head row keeps id 1; the identity that AlterField added must start after it.
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_chainhead', 'id'), "
            "COALESCE((SELECT MAX(id) FROM audit_chainhead), 0) + 1, false)",
            params=None,
        )


def unrestore(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in [*SQLITE_DROP, *CHAINS_SQLITE_DROP]:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chainhead_starts_at_genesis ON audit_chainhead;")
        schema_editor.execute(HEAD_PG_CREATE[0], params=None)  # the single-chain function of 0004
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}", params=None)


def unlift(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from ._triggers import HEAD_SQLITE_CREATE

        for statement in [*SQLITE_CREATE, *HEAD_SQLITE_CREATE]:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_entry_object_history_index"),
    ]

    operations = [
        migrations.RunPython(lift, unlift),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(
                default="legacy",
                help_text="The chain the entry belongs to: org-<id>, national, or legacy (before #12).",
                max_length=40,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_seq",
            field=models.BigIntegerField(
                blank=True,
                help_text="Position in its chain, from 1 (legacy entries: none; seq is theirs).",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(
                help_text="Global order for pages and history (gaps possible since #12; not read by verification).",
                unique=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("chain", "chain_seq"), name="audit_entry_chain_position"),
        ),
        migrations.AlterField(
            model_name="chainhead",
            name="id",
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="chain",
            field=models.CharField(default="legacy", max_length=40, unique=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="checkpoint",
            name="heads",
            field=models.JSONField(
                blank=True,
                help_text="Format 2: the sorted [chain, seq, hash] leaves under the signed root.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="ChainVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.CharField(max_length=40, unique=True)),
                ("organization_id", models.BigIntegerField(blank=True, null=True)),
                ("verified_seq", models.BigIntegerField(default=0)),
                ("verified_hash", models.CharField(default="0" * 64, max_length=64)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                (
                    "verified_count",
                    models.BigIntegerField(default=0, help_text="Entries of the chain verified so far."),
                ),
                ("ok", models.BooleanField(default=True)),
                (
                    "broken_seq",
                    models.BigIntegerField(blank=True, help_text="Global seq of the first bad entry.", null=True),
                ),
                ("reason", models.CharField(blank=True, max_length=300)),
                ("requested_at", models.DateTimeField(blank=True, null=True)),
                ("requested_by_id", models.BigIntegerField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(restore, unrestore),
    ]
