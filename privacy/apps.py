from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Protection des données"

    def ready(self):
        from ipm.uploads import file_served

        from .audit import record_download

        file_served.connect(record_download, dispatch_uid="privacy.record_download")
