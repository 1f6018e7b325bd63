from django.apps import AppConfig


class LoginsConfig(AppConfig):
    name = "koshiki.logins"
    label = "logins"
    verbose_name = "Logins"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects user_logged_in)
