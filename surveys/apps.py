from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Questionnaires et enquêtes après le retour"

    def ready(self):
        from . import signals, tasks  # noqa: F401

        signals.connect()
