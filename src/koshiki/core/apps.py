from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "koshiki.core"
    label = "koshiki_core"
