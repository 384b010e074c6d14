import datetime

import factory

from referrals.enums import ReferralStatus, StructureKind
from referrals.models import Referral, Structure


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Mission Locale n° {n}")
    kind = StructureKind.MISSION_LOCALE
    department = "42"
    town = "Saint-Étienne"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft fiche with every field needed to send it."""

    class Meta:
        model = Referral

    status = ReferralStatus.DRAFT
    counsellor = factory.SubFactory("tests.factories.UserFactory", role="counsellor")
    structure = factory.LazyAttribute(lambda r: r.counsellor.structure)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.LazyFunction(lambda: datetime.date.today().replace(day=1) - datetime.timedelta(days=365 * 21))
    sex = "F"
    phone = "06 12 34 56 78"
    postcode = "42000"
    town = "Saint-Étienne"
    qualification_level = "V"
    employment_status = "demandeur_emploi"
    motivation = "Partir travailler en Irlande pour apprendre l'anglais."
    consent = True
    consent_date = factory.LazyFunction(datetime.date.today)
