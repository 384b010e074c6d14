"""« Ce qu'il me reste à faire »: computed from each dossier's state and data each time it is shown,
never stored. Each item says what to do, why, and by when."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from departures.models import CoPayment, Stay
from dossiers.enums import DocumentStatus
from dossiers.services import completeness
from dossiers.workflow import AGENDA_STATES
from dossiers.workflow import FINAL_STATES, FOLLOWUP_STATES, State

from . import services


@dataclass
class Item:
    what: str
    why: str
    url: str
    when: datetime.date | None = None
    detail: str = ""  # e.g. the reason a piece was refused
    kind: str = ""
    dossier_id: int | None = None


def _meetings(youth, today):
    items = []
    for invitation in services.invitations_of(youth):
        if invitation.dossier.state in FINAL_STATES or not services.can_answer(invitation, today):
            continue
        if services.answer_of(invitation) is not None:
            continue
        meeting = invitation.meeting
        label = meeting.title or meeting.get_kind_display()
        items.append(Item(
            what=f"Dire si vous venez : {label}, le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}",
            why="Pour que l'équipe vous garde une place, ou vous propose une autre date.",
            url=reverse("space:meeting", args=[invitation.pk]), when=meeting.date, kind="meeting",
            dossier_id=invitation.dossier_id,
        ))
    return items


def _pieces(dossier):
    if dossier.state not in AGENDA_STATES:
        return []
    items = []
    for line in completeness(dossier).lines:
        if not line.document_type.required or line.status in (DocumentStatus.VALIDATED, DocumentStatus.RECEIVED):
            continue
        url = reverse("space:pieces", args=[dossier.pk]) + f"#piece-{line.document_type.pk}"
        if line.status == DocumentStatus.REJECTED:
            items.append(Item(
                what=f"Renvoyer la pièce « {line.document_type.name} »",
                why="Elle a été refusée : votre dossier passe en commission quand toutes les pièces sont validées.",
                url=url, detail=line.document.rejection_reason, kind="piece", dossier_id=dossier.pk,
            ))
        else:
            items.append(Item(
                what=f"Envoyer la pièce « {line.document_type.name} »",
                why="Votre dossier passe en commission quand toutes les pièces sont validées.",
                url=url, detail=line.document_type.description, kind="piece", dossier_id=dossier.pk,
            ))
    return items


def _stay(dossier):
    try:
        return dossier.stay
    except Stay.DoesNotExist:
        return None


def _contract(dossier):
    contract = services.latest_contract(dossier)
    if contract is None or contract.is_signed or services.accepted(contract) is not None:
        return []
    stay = _stay(dossier)
    return [Item(
        what=f"Lire et accepter votre contrat d'engagement (version {contract.version})",
        why="Votre départ se prépare quand le contrat est accepté.",
        url=reverse("space:contract", args=[dossier.pk]), when=stay.planned_start if stay else None,
        kind="contract", dossier_id=dossier.pk,
    )]


def _copayment(dossier):
    try:
        copayment = dossier.copayment
    except CoPayment.DoesNotExist:
        return []
    if copayment.settled:
        return []
    stay = _stay(dossier)
    return [Item(
        what=f"Régler votre participation : il reste {copayment.balance:.2f} € à payer".replace(".", ","),
        why="C'est votre part des frais du séjour. Une difficulté ? Parlez-en à votre conseiller.",
        url=reverse("space:dossier", args=[dossier.pk]), when=stay.planned_start if stay else None,
        kind="copayment", dossier_id=dossier.pk,
    )]


def _activity_report(dossier, today):
    stay = _stay(dossier)
    if stay is None or stay.activity_report or stay.review_date:
        return []
    horizon = today + datetime.timedelta(days=settings.IPM_RETURN_REMINDER_DAYS)
    back = dossier.state in FOLLOWUP_STATES and dossier.state != State.FOLLOW_UP
    soon_back = dossier.state == State.ABROAD and stay.planned_end and stay.planned_end <= horizon
    if not (back or soon_back):
        return []
    return [Item(
        what="Préparer votre rapport d'activité",
        why="Nous ferons ensemble le bilan de votre séjour : apportez-le ou envoyez-le à votre conseiller.",
        url=reverse("space:dossier", args=[dossier.pk]), when=stay.return_date or stay.planned_end,
        kind="report", dossier_id=dossier.pk,
    )]


EUROPASS_URL = "https://europass.europa.eu/fr"


def _europass(dossier, today):
    """During the stay, while the young person's Europass is not complete."""
    from departures.enums import EuropassStatus, ReminderCadence

    stay = _stay(dossier)
    if (dossier.state != State.ABROAD or stay is None or stay.return_date or not stay.departure_date
            or stay.europass_status == EuropassStatus.COMPLETED
            or stay.scheme.europass_cadence == ReminderCadence.NONE):
        return []
    often = "chaque jour" if stay.scheme.europass_cadence == ReminderCadence.DAILY else "chaque semaine"
    return [Item(
        what="Compléter votre Europass",
        why=f"Notez {often} ce que vous apprenez et réalisez : à votre retour, il montre vos compétences à un "
            "employeur ou à une formation.",
        url=EUROPASS_URL, when=stay.planned_end, kind="europass", dossier_id=dossier.pk,
    )]


def _followup(dossier, today):
    """The monthly « Où en êtes-vous ? » of the six months after the return, once fallen due."""
    if dossier.state not in FOLLOWUP_STATES:
        return []
    items = []
    for call in dossier.followup_calls.filter(done_at__isnull=True, due_date__lte=today).order_by("month"):
        items.append(Item(
            what=f"Répondre à la question « Où en êtes-vous ? » ({call.month} mois après votre retour)",
            why="Votre conseiller suit votre parcours pendant six mois après le séjour : deux minutes suffisent.",
            url=reverse("space:followup", args=[call.pk]),
            when=call.due_date + datetime.timedelta(days=settings.IPM_FOLLOWUP_LINK_DAYS),
            kind="followup", dossier_id=dossier.pk,
        ))
    return items


def todo(youth, today=None):
    """Every item still to do for the young person, the dated ones first (soonest first)."""
    today = today or timezone.localdate()
    items = _meetings(youth, today)
    for dossier in services.dossiers_of(youth):
        if dossier.state in FINAL_STATES:
            continue
        items += _pieces(dossier) + _contract(dossier) + _copayment(dossier) + _europass(dossier, today)
        items += _activity_report(dossier, today) + _followup(dossier, today)
    import surveys  # the questionnaires and surveys to answer (closed dossiers included)

    items += surveys.todo_items(youth, today)
    return sorted(items, key=lambda item: (item.when is None, item.when or today))
