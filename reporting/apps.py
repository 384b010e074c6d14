from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapports et imports"

    def ready(self):
        from . import cache

        cache.connect()
