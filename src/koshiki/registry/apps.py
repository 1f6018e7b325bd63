from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "koshiki.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        # imported for what they register: dashboard items; messages; reminder sweep
        from . import attention, notifications, tasks  # noqa: F401
