"""Submitting a fiche de liaison: find or create the young person, open the dossier (or attach the fiche to
the one already open), tell reception."""
from django.db import transaction
from django.utils import timezone

from dossiers import transitions
from dossiers.carry_over import carry_over_documents
from dossiers.models import Dossier, Youth
from dossiers.workflow import ACTIVE_STATES
from ipm.text import person_key

from .enums import ReferralStatus
from .models import Referral
from .signals import referral_sent

# Fields copied from the fiche onto the young person (the fiche keeps its own copy as filled).
YOUTH_FIELDS = [
    "nationality", "email", "phone", "address", "postcode", "town", "qpv", "zrr", "qualification_level", "employment_status",
]


class ReferralError(Exception):
    pass


def find_youth(last_name, first_name, birth_date):
    """The existing young person with the same names (case and accents ignored) and birth date."""
    return Youth.objects.filter(match_key=person_key(last_name, first_name, birth_date)).first()


# What ``submit_referral`` did: opened the young person's first dossier, opened a new one for a young
# person known before (none open), or attached the fiche to the dossier they already have open.
NEW, RETURNING, ATTACHED = "new", "returning", "attached"


def open_dossier_of(youth):
    """The young person's open dossier (not closed, not dropped), or None. There is at most one."""
    if youth is None or youth.pk is None:
        return None
    return youth.dossiers.filter(state__in=ACTIVE_STATES).order_by("pk").first()


def submit_referral(referral, user):
    """Send a fiche: in one transaction, find or create the ``Youth`` and mark the fiche sent.

    One open dossier per young person: when they already have one, the fiche is attached to it (a note on
    its timeline, no new dossier); otherwise a ``Dossier`` opens in state "fiche reçue" with its first
    timeline event, and a young person coming back gets their pieces still valid (``carry_over``).
    Reception is told by email either way (``signals.referral_sent``: the outbox records it in this
    transaction, sends it once committed). Returns the dossier and NEW, RETURNING or ATTACHED."""
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
        if referral.sms_consent and youth.sms_consent_at is None:
            youth.sms_consent_at = timezone.now()
        youth.save()
        dossier = open_dossier_of(youth)
        if dossier is not None:
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            outcome = ATTACHED
            transitions.record_note(dossier, user, (
                f"Nouvelle fiche de liaison envoyée par {user} ({referral.structure}), rattachée à ce dossier "
                "en cours." + (f" Motivation : {referral.motivation}" if referral.motivation else "")
            ))
        else:
            outcome = RETURNING if returning else NEW
            dossier = Dossier.objects.create(
                youth=youth,
                structure=referral.structure,
                referring_counsellor=referral.counsellor,
                received_on=timezone.localdate(),
                origin=referral.origin,
            )
            comment = "Fiche de liaison envoyée par " + str(user)
            if returning:
                comment += " — ce jeune est déjà connu de la plateforme"
            transitions.record_creation(dossier, user, comment)
            if returning:
                carry_over_documents(dossier)
        referral.youth = youth
        referral.dossier = dossier
        referral.status = ReferralStatus.SUBMITTED
        referral.submitted_at = timezone.now()
        referral.save()
        referral_sent.send(sender=Referral, referral=referral, dossier=dossier, attached=outcome == ATTACHED)
    return dossier, outcome
