from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "koshiki.orgs"
    label = "orgs"
    verbose_name = "Organizations"
