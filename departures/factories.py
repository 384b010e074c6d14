import datetime

import factory

from .models import Scheme, Stay


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dispositif {n}")
    typical_duration_weeks = 12


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    dossier = factory.SubFactory("dossiers.factories.DossierFactory")
    scheme = factory.SubFactory(SchemeFactory)
    country = "IE"
    city = "Dublin"
    departure_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=100))
    return_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
