from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "koshiki.web"
    label = "web"

    def ready(self) -> None:
        from . import worker_health  # noqa: F401  (dashboard items for stuck background work)
