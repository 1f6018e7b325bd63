from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "koshiki.web"
    label = "web"
