"""Ambassadors (consent, withdrawal, search) and parrainage (pairs and their meetings)."""
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import invitations
from .models import Ambassador, PairMeeting, Pairing
from .rules import NetworkError, ambassador_error, pairing_end_error, pairing_error


# --- Ambassadors ----------------------------------------------------------------------------------------

AMBASSADOR_FIELDS = ("availability", "months", "preferred_contact", "contact_shared")


def make_ambassador(dossier, user, consent_on, **fields):
    """The young person of ``dossier`` (back from their stay) agreed on ``consent_on``: they become an
    ambassador, or are again one after a withdrawal (a new consent, a new date)."""
    if problem := ambassador_error(dossier):
        raise NetworkError(problem)
    values = {name: fields[name] for name in AMBASSADOR_FIELDS if name in fields}
    with transaction.atomic():
        ambassador, created = Ambassador.objects.select_for_update().get_or_create(
            youth=dossier.youth, defaults={"dossier": dossier, "consent_on": consent_on, "created_by": user, **values})
        if not created:
            if ambassador.is_active:
                raise NetworkError("Ce jeune est déjà ambassadeur.")
            for name, value in {"dossier": dossier, "consent_on": consent_on, "withdrawn_at": None,
                                "withdrawn_by": None, "withdrawal_note": "", **values}.items():
                setattr(ambassador, name, value)
            ambassador.save()
    return ambassador


def withdraw(ambassador, user, note=""):
    """The young person withdrew their agreement (``user``: themselves in their space, or staff on their
    word): they leave every search and list; their invitations still to come are marked excused, and the
    calendar's cancel of each goes to them by email."""
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
        if not ambassador.is_active:
            raise NetworkError("L'accord de ce jeune est déjà retiré.")
        ambassador.withdrawn_at = timezone.now()
        ambassador.withdrawn_by = user
        ambassador.withdrawal_note = note[:255]
        ambassador.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        invitations.withdraw_ambassador_invitations(ambassador)
    return ambassador


def search(queryset, destination="", scheme=None, department="", structure=None, text=""):
    """Ambassadors of ``queryset`` matching the criteria: destination (country code, or a word of the town),
    scheme (of the stay, else of the dossier), territory (department or structure), name."""
    if destination:
        queryset = queryset.filter(Q(dossier__stay__country__iexact=destination)
                                   | Q(dossier__stay__city__icontains=destination))
    if scheme is not None:
        queryset = queryset.filter(Q(dossier__stay__scheme=scheme)
                                   | Q(dossier__stay__isnull=True, dossier__scheme=scheme))
    if department:
        queryset = queryset.filter(dossier__structure__department=department)
    if structure is not None:
        queryset = queryset.filter(dossier__structure=structure)
    for word in text.split():
        queryset = queryset.filter(Q(youth__last_name__icontains=word) | Q(youth__first_name__icontains=word))
    return queryset


def participations(ambassador):
    """(upcoming, past) participations of an ambassador: their talks at the wheel's meetings and their
    invitations to network meetings (a cancelled one says so), as (date, time, label, status label, object,
    "speaker" or "network") tuples, by date."""
    rows = [
        (s.meeting.date, s.meeting.start_time, f"Intervention : {s.meeting}", s.get_status_display(), s, "speaker")
        for s in ambassador.speaker_invitations.select_related("meeting")
        if s.meeting.cancelled_at is None
    ] + [
        (n.meeting.date, n.meeting.start_time, str(n.meeting),
         "Réunion annulée" if n.meeting.cancelled_at else n.get_status_display(), n, "network")
        for n in ambassador.network_invitations.select_related("meeting")
    ]
    rows.sort(key=lambda row: (row[0], row[1]))
    today = timezone.localdate()
    return [r for r in rows if r[0] >= today], [r for r in rows if r[0] < today][::-1]


def ambassador_of(youth):
    """The ambassador record of a young person (withdrawn or not), or None."""
    return Ambassador.objects.filter(youth=youth).select_related("dossier__stay__scheme", "dossier__scheme").first()


# --- Parrainage -----------------------------------------------------------------------------------------

def make_pairing(candidate, sponsor, user, started_on):
    if problem := pairing_error(candidate, sponsor):
        raise NetworkError(problem)
    with transaction.atomic():
        if Pairing.objects.filter(candidate=candidate, sponsor=sponsor).exists():
            raise NetworkError("Ce binôme existe déjà.")
        return Pairing.objects.create(candidate=candidate, sponsor=sponsor, started_on=started_on, created_by=user)


def ended_error(pairing):
    if pairing.ended_on is not None:
        return (f"Le binôme est terminé depuis le {pairing.ended_on:%d/%m/%Y} : aucune rencontre ne peut plus y "
                "être saisie.")
    return ""


def record_pair_meeting(pairing, user, date, place, report):
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)  # not ended meanwhile
        if problem := ended_error(pairing):
            raise NetworkError(problem)
        if date < pairing.started_on:
            raise NetworkError(f"Le binôme a été formé le {pairing.started_on:%d/%m/%Y} : la rencontre ne peut "
                               "pas être antérieure.")
        return PairMeeting.objects.create(pairing=pairing, date=date, place=place, report=report, recorded_by=user)


def end_pairing(pairing, user, ended_on):
    """« Binôme terminé » on ``ended_on``: not before it was formed nor before its last meeting, not in the
    future; an ended pair records no more meetings."""
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if pairing.ended_on is not None:
            raise NetworkError(f"Ce binôme est déjà terminé (le {pairing.ended_on:%d/%m/%Y}).")
        last = pairing.meetings.aggregate(last=Max("date"))["last"]
        if problem := pairing_end_error(pairing, ended_on, timezone.localdate(), last):
            raise NetworkError(problem)
        pairing.ended_on = ended_on
        pairing.ended_by = user
        pairing.save(update_fields=["ended_on", "ended_by"])
    return pairing


def pairings_of(dossier, queryset):
    """The pairings ``dossier`` belongs to, as candidate or as parrain/marraine, among ``queryset`` (the
    pairings the user may see), with their meetings."""
    return (queryset.filter(Q(candidate=dossier) | Q(sponsor=dossier))
            .select_related("candidate__youth", "sponsor__youth").prefetch_related("meetings"))
