from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Retour et suivi à six mois"

    def ready(self):
        # The outbox queues its delivery task by name: register it in every process (web, worker, commands),
        # and turn the lower apps' signals (new fiche, invitations, commission decision) into outbox messages.
        from . import notifications, tasks  # noqa: F401

        notifications.connect()
