"""Guard the chain head (forward only, never deleted) and make checkpoints append-only, in the database."""

from django.db import migrations

from ._triggers import HEAD_PG_CREATE, HEAD_PG_DROP, HEAD_SQLITE_CREATE, HEAD_SQLITE_DROP

CREATE = {"postgresql": HEAD_PG_CREATE, "sqlite": HEAD_SQLITE_CREATE}
DROP = {"postgresql": HEAD_PG_DROP, "sqlite": HEAD_SQLITE_DROP}


def forwards(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_checkpoint_retained_text")]
    operations = [migrations.RunPython(forwards, backwards)]
