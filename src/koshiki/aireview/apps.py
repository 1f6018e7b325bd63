from django.apps import AppConfig


class AIReviewConfig(AppConfig):
    name = "koshiki.aireview"
    label = "aireview"
    verbose_name = "AI reviewer"

    def ready(self) -> None:
        from . import jobs, receivers  # noqa: F401  (named job and sweep; the post-submitted listener)
