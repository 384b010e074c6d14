from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Structures et fiches de liaison"

    def ready(self):
        # A dossier that moves on, is dropped or closed loses the invitations it no longer needs.
        from dossiers.signals import state_changed

        from . import meetings

        state_changed.connect(meetings.on_state_changed, dispatch_uid="referrals.withdraw_invitations")
