from django.apps import AppConfig


class SpaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "space"
    verbose_name = "Espace du jeune"
