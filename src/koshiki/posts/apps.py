from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "koshiki.posts"
    label = "posts"
    verbose_name = "Posts"

    def ready(self) -> None:
        from . import attention, jobs  # noqa: F401  (dashboard providers; named jobs and sweeps)
