from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "koshiki.feedback"
    label = "feedback"
    verbose_name = "Checker feedback"
