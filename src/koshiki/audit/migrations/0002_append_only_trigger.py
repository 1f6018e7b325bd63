"""Refuse UPDATE and DELETE on audit entries in the database itself (PostgreSQL and SQLite)."""

from django.db import migrations

from ._triggers import PG_CREATE, PG_DROP, SQLITE_CREATE, SQLITE_DROP

CREATE = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}
DROP = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}


def forwards(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
