"""Test data for reports: dossiers brought to a state through the real workflow, with their stay and
month-6 follow-up call."""
import datetime

from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import YouthFactory, dossier_in_state
from followup.models import FollowUpCall


def noon(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def reported_dossier(actor, state, received_on, *, youth=None, structure=None, scheme=None, departure=None,
                     return_date=None, interrupted=False, situation6=None, **youth_fields):
    """A dossier received on ``received_on``, brought to ``state`` by ``actor`` through the workflow;
    with a stay when ``departure`` is given, and a done month-6 call when ``situation6`` is given."""
    youth = youth or YouthFactory(**youth_fields)
    kwargs = {"youth": youth, "received_on": received_on}
    if structure is not None:
        kwargs["structure"] = structure
    if scheme is not None:
        kwargs["scheme"] = scheme
    dossier = dossier_in_state(state, actor, **kwargs)
    if departure is not None:
        StayFactory(dossier=dossier, scheme=scheme or SchemeFactory(), departure_date=departure,
                    return_date=return_date, interrupted=interrupted)
    if situation6 is not None:
        due = return_date + datetime.timedelta(days=182)
        FollowUpCall.objects.create(dossier=dossier, month=6, due_date=due, done_at=noon(due),
                                    reached=True, situation=situation6)
    return dossier
