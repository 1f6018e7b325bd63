from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "koshiki.security"
    label = "security"
    verbose_name = "Account security"

    def ready(self) -> None:
        # imported for what they register: dashboard providers; listener; reminder sweep
        from . import attention, receivers, tasks  # noqa: F401
