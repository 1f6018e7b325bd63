from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "koshiki.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (the checkpoint sweep)
