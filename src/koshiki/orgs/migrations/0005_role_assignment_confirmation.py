"""Four-eyes (issue #10): a self-granted role waits for a second administrator (pending → confirmed/refused)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_organization_require_two_step"),
    ]

    operations = [
        migrations.AddField(
            model_name="roleassignment",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for a second administrator"),
                    ("confirmed", "Confirmed"),
                    ("refused", "Refused"),
                ],
                default="confirmed",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="granted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.staff",
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.staff",
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="decision_comment",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
