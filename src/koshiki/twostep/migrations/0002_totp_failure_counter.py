from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("twostep", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="totpdevice",
            name="failed_attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="failure_window_start",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="locked_until",
            field=models.DateTimeField(
                blank=True, help_text="No code is accepted before this time.", null=True
            ),
        ),
    ]
