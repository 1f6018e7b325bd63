from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "koshiki.posts"
    label = "posts"
    verbose_name = "Posts"

    def ready(self) -> None:
        from . import attention, jobs, receivers, system_checks  # noqa: F401  (dashboard providers; jobs; 異動 listener; start-up check)
