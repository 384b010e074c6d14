"""Dates that agree with the wheel, before departure: plain functions called both by the forms (the
message goes under the field) and by the services that write (the same message, raised), so that no
page, task or command records a date the wheel contradicts. Each returns the French message refusing
the date, or None. See docs/integrity.md."""
from django.utils import timezone

from ipm import dates

from .models import DossierEvent
from .workflow import State


def acceptance_day(dossier):
    """The (local) day the commission last accepted ``dossier``, or None."""
    when = (DossierEvent.objects.filter(dossier=dossier, to_state=State.ACCEPTED)
            .exclude(from_state=State.ACCEPTED)  # a note written while accepted is not an acceptance
            .order_by("-created_at").values_list("created_at", flat=True).first())
    return timezone.localdate(when) if when else None


def decision_date_problem(session, today=None):
    """A decision is taken on the session's day or after it."""
    today = today or timezone.localdate()
    if today < session.date:
        return (f"La commission du {session.date:%d/%m/%Y} n'a pas encore eu lieu : sa décision s'enregistre "
                "le jour de la commission ou après.")
    return None


def decision_date_error(session, comment="", today=None):
    """``decision_date_problem``, unless the comment recorded with the decision carries the confirmed
    exception (a decision taken by correspondence before the session), ``ipm.dates.exceptional_note``."""
    if dates.has_exceptional_note(comment):
        return None
    problem = decision_date_problem(session, today)
    if problem:
        return problem + " Pour une décision prise par correspondance, confirmez la date exceptionnelle avec son motif."
    return None
