from django.apps import AppConfig


class DeparturesConfig(AppConfig):
    name = "departures"
    verbose_name = "Départs et séjours"
