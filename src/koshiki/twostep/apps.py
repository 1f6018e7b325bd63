from django.apps import AppConfig


class TwoStepConfig(AppConfig):
    name = "koshiki.twostep"
    label = "twostep"
    verbose_name = "Two-step login"
