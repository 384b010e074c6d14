from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau : ambassadeurs, parrainage, réunions du réseau"

    def ready(self):
        from followup.outbox import message_sent
        from referrals.signals import meeting_changed

        from . import invitations

        message_sent.connect(invitations.on_message_sent, dispatch_uid="network_message_sent")
        meeting_changed.connect(invitations.on_meeting_changed, dispatch_uid="network_speakers_meeting_changed")
