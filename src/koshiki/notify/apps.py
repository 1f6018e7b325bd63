from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "koshiki.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (the notify.deliver job by name)
