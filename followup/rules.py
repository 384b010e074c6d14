"""Dates that agree with the wheel, for the six-month follow-up: plain functions called by the service
that records a call (``followup.calls.record_call``) so that no page, task or command records a call
the wheel contradicts. Each returns the French message refusing, or None. See docs/integrity.md."""
from django.utils import timezone

from departures.models import Stay
from ipm.dates import add_months


def month_start(returned, month):
    """The first day of follow-up month ``month`` (1–6): month m begins m − 1 months after the return
    (and ends on the call's due date, the return plus m months)."""
    return add_months(returned, month - 1)


def call_date_error(call, today=None):
    """A follow-up call is made after the return, and each month's call not before its month began."""
    today = today or timezone.localdate()
    returned = Stay.objects.filter(dossier_id=call.dossier_id).values_list("return_date", flat=True).first()
    if returned is None or today <= returned:
        return "Le suivi commence après le retour du jeune : enregistrez d'abord son retour de séjour."
    start = month_start(returned, call.month)
    if today < start:
        return (f"Le suivi du mois {call.month} se fait à partir du {start:%d/%m/%Y} : "
                "il ne peut pas être enregistré avant.")
    return None
