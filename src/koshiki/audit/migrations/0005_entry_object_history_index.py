"""An index for one object's history (audit/queries.py history_for), issue #12.

Adding an index is allowed on the append-only table: the triggers refuse UPDATE/DELETE of entries only.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_head_and_checkpoint_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["object_type", "object_id", "organization_id", "seq"],
                name="audit_entry_object_history",
            ),
        ),
    ]
