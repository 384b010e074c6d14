import factory

from ipm.enums import Role
from ipm.models import User

TEST_PASSWORD = "Mot-de-passe-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.fr")
    role = Role.RECEPTION

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.lazy_attribute
    def structure(self):
        if self.role == Role.COUNSELLOR:
            from referrals.tests.factories import StructureFactory

            return StructureFactory()
        return None
