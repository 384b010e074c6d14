"""Submitting a fiche de liaison: find or create the young person, open the dossier, tell reception."""
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dossiers import transitions
from dossiers.models import Dossier, Youth
from ipm.enums import Role
from ipm.models import User
from ipm.text import person_key

from .enums import ReferralStatus
from .models import Referral

# Fields copied from the fiche onto the young person (the fiche keeps its own copy as filled).
YOUTH_FIELDS = [
    "nationality", "email", "phone", "address", "postcode", "town", "qpv", "zrr", "qualification_level", "employment_status",
]


class ReferralError(Exception):
    pass


def find_youth(last_name, first_name, birth_date):
    """The existing young person with the same names (case and accents ignored) and birth date."""
    return Youth.objects.filter(match_key=person_key(last_name, first_name, birth_date)).first()


def submit_referral(referral, user):
    """Send a fiche: in one transaction, find or create the ``Youth``, open a ``Dossier`` in state
    "fiche reçue" with its first timeline event, and mark the fiche sent. Reception is told by email
    once the transaction is committed. Returns the dossier and whether the young person came before."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != ReferralStatus.DRAFT:
            raise ReferralError("Cette fiche a déjà été envoyée.")
        youth = (
            Youth.objects.select_for_update()
            .filter(match_key=person_key(referral.last_name, referral.first_name, referral.birth_date))
            .first()
        )
        returning = youth is not None
        if youth is None:
            youth = Youth(last_name=referral.last_name, first_name=referral.first_name,
                          birth_date=referral.birth_date, sex=referral.sex)
        for name in YOUTH_FIELDS:
            value = getattr(referral, name)
            if value not in ("", None):
                setattr(youth, name, value)
        youth.sex = referral.sex or youth.sex
        youth.save()
        dossier = Dossier.objects.create(
            youth=youth,
            structure=referral.structure,
            referring_counsellor=referral.counsellor,
            received_on=timezone.localdate(),
        )
        comment = "Fiche de liaison envoyée par " + str(user)
        if returning:
            comment += " — ce jeune est déjà connu de la plateforme"
        transitions.record_creation(dossier, user, comment)
        referral.youth = youth
        referral.dossier = dossier
        referral.status = ReferralStatus.SUBMITTED
        referral.submitted_at = timezone.now()
        referral.save()
        transaction.on_commit(lambda: notify_reception(dossier.pk))
    return dossier, returning


def reception_recipients():
    emails = list(
        User.objects.filter(role=Role.RECEPTION, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if settings.IPM_RECEPTION_EMAIL:
        emails.append(settings.IPM_RECEPTION_EMAIL)
    return sorted(set(emails))


def notify_reception(dossier_id):
    dossier = Dossier.objects.select_related("youth", "structure", "referring_counsellor").get(pk=dossier_id)
    recipients = reception_recipients()
    if not recipients:
        return 0
    url = settings.IPM_BASE_URL.rstrip("/") + reverse("dossiers:detail", args=[dossier.pk])
    body = (
        "Bonjour,\n\n"
        f"Une nouvelle fiche de liaison est arrivée de {dossier.structure} "
        f"(conseiller : {dossier.referring_counsellor or 'non précisé'}).\n"
        f"Dossier n° {dossier.pk} ({dossier.youth.first_name} {dossier.youth.last_name[:1].upper()}.)\n\n"
        f"Ouvrir le dossier : {url}\n\n"
        "— Ipm"
    )
    return send_mail(f"Nouvelle fiche de liaison — dossier n° {dossier.pk}", body, None, recipients)
