from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "koshiki.registry"
    label = "registry"
    verbose_name = "Registry"
