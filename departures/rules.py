"""Dates that agree with the wheel, from the contract to the return: plain functions called both by the
forms (the message goes under the field) and by the services that write (``departures.services``, the
same message raised as ``DepartureError``), so that no page, task or command records a date the wheel
contradicts. Each returns the French message refusing the date, or None. See docs/integrity.md.

- the contract is signed on or after the dossier's acceptance by the commission;
- the young person leaves on or after the (first) signature;
- the return is on or after the departure; more than the scheme's ``early_return_tolerance_days``
  before the planned end, it is an interruption (« Retour anticipé », with its reason);
- a site visit or an incident falls within the stay: from the departure to the return, or to today
  while abroad (a visit just before departure is an exception, confirmed with its reason);
- all of them have happened: none is in the future, none before the platform's first year.
"""
import datetime


from dossiers.rules import acceptance_day
from ipm import dates

from .models import Contract, Scheme, Stay

DEFAULT_TOLERANCE = Scheme._meta.get_field("early_return_tolerance_days").default


def first_signature_day(dossier):
    """The day the dossier's contract was first signed, or None."""
    return (Contract.objects.filter(dossier=dossier, signed_on__isnull=False)
            .order_by("signed_on").values_list("signed_on", flat=True).first())


def stay_of(dossier):
    return Stay.objects.filter(dossier=dossier).select_related("scheme").first()


def signature_date_error(dossier, day, today=None):
    problem = dates.range_error(day, dates.PAST, today, "La date de signature ne peut pas être dans le futur.")
    if problem:
        return problem
    accepted = acceptance_day(dossier)
    if accepted and day < accepted:
        return (f"La signature ne peut pas précéder l'acceptation du dossier par la commission "
                f"({accepted:%d/%m/%Y}).")
    return None


def departure_date_error(dossier, day, today=None):
    problem = dates.range_error(
        day, dates.PAST, today,
        "Enregistrez le départ le jour où le jeune part (la date ne peut pas être dans le futur).",
    )
    if problem:
        return problem
    signed = first_signature_day(dossier)
    if signed and day < signed:
        return f"Le départ ne peut pas précéder la signature du contrat ({signed:%d/%m/%Y})."
    return None


RETURN_FUTURE = "La date de retour ne peut pas être dans le futur : enregistrez le retour une fois le jeune rentré."


def return_date_error(stay, day, today=None):
    problem = dates.range_error(day, dates.PAST, today, RETURN_FUTURE)
    if problem:
        return problem
    if stay is not None and stay.departure_date and day < stay.departure_date:
        return f"La date de retour ne peut pas précéder la date de départ ({stay.departure_date:%d/%m/%Y})."
    return None


def tolerance_days(stay):
    return stay.scheme.early_return_tolerance_days if stay.scheme_id else DEFAULT_TOLERANCE


def early_return_error(stay, day):
    """On the normal return screen: a return earlier than the planned end by more than the scheme's
    tolerance is an interruption, recorded on the « Retour anticipé » screen with its reason."""
    if stay is None or not stay.planned_end:
        return None
    tolerance = tolerance_days(stay)
    if day < stay.planned_end - datetime.timedelta(days=tolerance):
        return (f"Retour le {day:%d/%m/%Y}, plus de {tolerance} jours avant la fin prévue du séjour "
                f"({stay.planned_end:%d/%m/%Y}) : c'est une interruption. Enregistrez-la avec l'écran "
                "« Retour anticipé », qui en demande le motif.")
    return None


def stay_window_error(stay, day, subject):
    """``subject`` (« La visite », « L'incident ») falls within the stay: from the departure to the
    return, or to today while abroad."""
    if stay is None or stay.departure_date is None:
        return f"{subject} se date pendant le séjour : le départ du jeune n'est pas encore enregistré."
    if day < stay.departure_date:
        return (f"{subject} se date pendant le séjour : le {day:%d/%m/%Y} précède le départ "
                f"({stay.departure_date:%d/%m/%Y}).")
    if stay.return_date and day > stay.return_date:
        return (f"{subject} se date pendant le séjour : le {day:%d/%m/%Y} suit le retour "
                f"({stay.return_date:%d/%m/%Y}).")
    return None


VISIT_FUTURE = "La date de la visite ne peut pas être dans le futur."
INCIDENT_FUTURE = "La date de l'incident ne peut pas être dans le futur."


def visit_date_error(stay, day, notes="", today=None):
    """A visit within the stay; outside it only with the confirmed exception recorded in its notes."""
    problem = dates.range_error(day, dates.PAST, today, VISIT_FUTURE)
    if problem or dates.has_exceptional_note(notes):
        return problem
    return stay_window_error(stay, day, "La visite")


def incident_date_error(stay, day, today=None):
    return dates.range_error(day, dates.PAST, today, INCIDENT_FUTURE) or stay_window_error(stay, day, "L'incident")
