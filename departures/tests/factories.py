import datetime

import factory

from departures.enums import Funder
from departures.models import FundingAgreement, HostOrganisation, Scheme, Stay


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dispositif {n}")
    typical_duration_weeks = 12


class HostOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostOrganisation

    name = factory.Sequence(lambda n: f"Hotel Harbour {n}")
    country = "IE"
    town = "Dublin"
    sector = "Hôtellerie-restauration"
    contact_name = "Mary O'Brien"


class FundingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingAgreement

    funder = Funder.ERASMUS
    year = factory.LazyFunction(lambda: datetime.date.today().year)
    scheme = factory.SubFactory(SchemeFactory)
    places = 10
    amount = factory.LazyAttribute(lambda a: a.places * 3500)
    amount_per_participant = 3500


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    dossier = factory.SubFactory("dossiers.tests.factories.DossierFactory")
    scheme = factory.SubFactory(SchemeFactory)
    country = "IE"
    city = "Dublin"
    departure_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=100))
    return_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
