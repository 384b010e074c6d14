import datetime

import factory

from departures.tests.factories import StayFactory
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State

from followup.models import FollowUpCall


def returned_dossier(actor, return_date, state=State.FOLLOW_UP, counsellor=None, **youth):
    """A dossier back from its stay (state « en suivi » by default) with its stay's return date."""
    dossier = dossier_in_state(state, actor, platform_counsellor=counsellor, **{f"youth__{k}": v for k, v in youth.items()})
    StayFactory(dossier=dossier, departure_date=return_date - datetime.timedelta(days=90), return_date=return_date)
    return dossier


class FollowUpCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpCall

    dossier = factory.SubFactory("dossiers.tests.factories.DossierFactory")
    month = 1
    due_date = factory.LazyFunction(datetime.date.today)
