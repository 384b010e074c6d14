"""Dates that agree with the wheel, for the six-month follow-up: plain functions called by the service
that records a call (``followup.services.record_call``) so that no page, task or command records a call
the wheel contradicts. Each returns the French message refusing, or None. See docs/integrity.md."""
from django.utils import timezone

from departures.models import Stay


def call_date_error(call, today=None):
    """A follow-up call is made after the return, and each month's call not before its month (its due
    date: the return date plus that many months)."""
    today = today or timezone.localdate()
    returned = Stay.objects.filter(dossier_id=call.dossier_id).values_list("return_date", flat=True).first()
    if returned is None or today <= returned:
        return "Le suivi commence après le retour du jeune : enregistrez d'abord son retour de séjour."
    if today < call.due_date:
        return (f"Le suivi du mois {call.month} se fait à partir du {call.due_date:%d/%m/%Y} : "
                "il ne peut pas être enregistré avant.")
    return None
