"""Four-eyes (issue #10): who last edited a post's text and who submitted it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_organization_require_two_step"),
        ("posts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who last changed the text: like the author, they may not approve it (four-eyes).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.staff",
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who sent it for approval or published it under an exemption.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.staff",
            ),
        ),
    ]
