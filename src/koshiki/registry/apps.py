from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "koshiki.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        # imported for what they register: dashboard items; messages; 異動 listener; reminder sweep
        from . import attention, notifications, pruning, receivers, tasks  # noqa: F401
