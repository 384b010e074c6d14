import datetime

import factory

from dossiers import transitions, workflow
from dossiers.models import Dossier, Youth


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(days=n))
    sex = factory.Iterator(["F", "M"])
    postcode = "42000"
    town = "Saint-Étienne"


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier in state "fiche reçue" (use ``dossier_in_state`` for another state)."""

    class Meta:
        model = Dossier

    youth = factory.SubFactory(YouthFactory)
    structure = factory.SubFactory("referrals.tests.factories.StructureFactory")
    received_on = factory.LazyFunction(datetime.date.today)


def dossier_in_state(state, actor, **kwargs):
    """A dossier brought to ``state`` through the real workflow (every event written), by ``actor``
    (a platform user whose role may perform each step, e.g. an administrator)."""
    dossier = DossierFactory(**kwargs)
    transitions.record_creation(dossier, actor)
    for step in workflow.path_to(state):
        transitions.apply_transition(dossier, step, actor)
    return dossier


def validate_all_pieces(dossier, actor):
    """Give ``dossier`` every required piece of its checklist, validated (a complete file)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ipm.uploads import MINIMAL_PDF

    from dossiers.enums import DocumentStatus
    from dossiers.models import Document
    from dossiers.services import checklist_types

    for document_type in checklist_types(dossier.scheme).filter(required=True):
        document, _ = Document.objects.get_or_create(
            dossier=dossier, document_type=document_type,
            defaults={"file": ContentFile(MINIMAL_PDF, name="piece.pdf"), "original_name": "piece.pdf",
                      "size": len(MINIMAL_PDF), "uploaded_by": actor},
        )
        document.status = DocumentStatus.VALIDATED
        document.reviewed_by = actor
        document.reviewed_at = timezone.now()
        document.save()


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    """A piece of the checklist; with no scheme (the default list) unless given one."""

    class Meta:
        model = "dossiers.DocumentType"

    name = factory.Sequence(lambda n: f"Pièce n° {n}")
    required = True


class CommissionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.CommissionCriterion"

    name = factory.Sequence(lambda n: f"Critère n° {n}")
    max_score = 5
    order = factory.Sequence(lambda n: 100 + n)
