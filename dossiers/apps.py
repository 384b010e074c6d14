from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Jeunes et dossiers"

    def ready(self):
        from . import transitions, workflow

        # The old name, for callers not yet moved to ``dossiers.transitions`` (followup/services.py):
        # the table module imports no model, so the function is lent to it here.
        # TODO: remove once followup/services.py calls transitions.apply_transition.
        workflow.apply_transition = transitions.apply_transition
