from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "koshiki.demo"
    label = "demo"
