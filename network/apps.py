from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau : ambassadeurs, parrainage, réunions du réseau"

    def ready(self):
        from followup.outbox import message_sent

        from . import invitations

        message_sent.connect(invitations.on_message_sent, dispatch_uid="network_message_sent")
