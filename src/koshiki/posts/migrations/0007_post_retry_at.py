from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0006_post_published_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="retry_at",
            field=models.DateTimeField(
                blank=True,
                help_text="After a platform error: not before this time (the sweep queues it).",
                null=True,
            ),
        ),
    ]
