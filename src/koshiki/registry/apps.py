from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "koshiki.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from . import attention, notifications, tasks  # noqa: F401  (dashboard items; messages; reminder sweep)
