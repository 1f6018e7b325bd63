from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "koshiki.orgs"
    label = "orgs"
    verbose_name = "Organizations"

    def ready(self) -> None:
        # imported for what they register: dashboard items; named job and the personnel-change sweep
        from . import attention, jobs  # noqa: F401
