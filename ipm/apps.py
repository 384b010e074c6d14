from django.apps import AppConfig


class IpmConfig(AppConfig):
    name = "ipm"
    verbose_name = "Comptes et accès"
