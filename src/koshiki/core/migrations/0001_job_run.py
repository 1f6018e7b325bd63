from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                (
                    "period",
                    models.CharField(
                        blank=True, help_text="The period whose work is done (e.g. a date).", max_length=40
                    ),
                ),
                ("claim_token", models.CharField(blank=True, max_length=40)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("last_started_at", models.DateTimeField(blank=True, null=True)),
                ("last_finished_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("failures", models.PositiveIntegerField(default=0, help_text="Consecutive failed runs.")),
            ],
        ),
    ]
