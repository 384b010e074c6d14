import datetime

import pytest
from django.utils import timezone

from departures.tests.factories import SchemeFactory
from departures.models import HostOrganisation, Stay
from dossiers.tests.factories import dossier_in_state
from dossiers.models import DossierEvent


@pytest.fixture
def scheme(db):
    return SchemeFactory(name="OUAT", typical_duration_weeks=12, contract_variant="stage")


@pytest.fixture
def make_dossier(users, structure, scheme):
    """make_dossier(state, **kwargs): a dossier of ``structure`` on ``scheme`` brought to ``state``."""

    def make(state, **kwargs):
        kwargs.setdefault("structure", structure)
        kwargs.setdefault("scheme", scheme)
        return dossier_in_state(state, users["admin"], **kwargs)

    return make


@pytest.fixture
def planned_stay():
    def make(dossier, **kwargs):
        today = timezone.localdate()
        host = kwargs.pop("host", None) or HostOrganisation.objects.get_or_create(
            name="Harbour Hotel", country="IE", town="Dublin", defaults={"sector": "Hôtellerie-restauration"})[0]
        defaults = dict(scheme=dossier.scheme, host=host, country="IE", city="Dublin",
                        planned_start=today + datetime.timedelta(days=20), planned_end=today + datetime.timedelta(days=110))
        defaults.update(kwargs)
        return Stay.objects.create(dossier=dossier, **defaults)

    return make


def set_acceptance_year(dossier, year, month=6):
    """Move the dossier's acceptance event(s) to a day of ``year``."""
    when = timezone.make_aware(datetime.datetime(year, month, 15, 10, 0))
    DossierEvent.objects.filter(dossier=dossier, to_state="accepte").update(created_at=when)
