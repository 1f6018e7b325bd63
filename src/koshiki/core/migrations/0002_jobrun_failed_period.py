from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("koshiki_core", "0001_job_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobrun",
            name="failed_period",
            field=models.CharField(
                blank=True,
                help_text="The period the failures count for (attempts are per period).",
                max_length=40,
            ),
        ),
    ]
