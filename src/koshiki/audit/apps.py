from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "koshiki.audit"
    label = "audit"
    verbose_name = "Audit"
