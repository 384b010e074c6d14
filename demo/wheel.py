"""Demo data of the stages before departure, matching each demo dossier's state: information meetings
and attendance, diagnostics (with their sensitive part), mobility projects, application files, commission
sessions and decisions. Called by ``seed_demo``; idempotent (a dossier that already has its records is
left alone), so it can run on an existing demo database."""
import datetime
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ipm.enums import Role
from ipm.models import User
from ipm.uploads import MINIMAL_PDF
from referrals.meeting_enums import Attendance, MeetingKind
from referrals.models import Invitation, Meeting

from dossiers.enums import CriminalRecord, Decision, DiagnosticOutcome, DocumentStatus, LanguageLevel, Orientation
from dossiers.models import (
    CommissionCriterion,
    CommissionReview,
    CommissionScore,
    CommissionSession,
    Diagnostic,
    Document,
    Dossier,
    MobilityProject,
    SensitiveDiagnostic,
)
from dossiers.services import checklist_types
from dossiers.workflow import State

INVITED_OR_LATER = {s for s in State} - {State.RECEIVED, State.DROPPED}
DIAGNOSED_OR_LATER = INVITED_OR_LATER - {State.INVITED, State.INFO_DONE}
FILE_OR_LATER = DIAGNOSED_OR_LATER - {State.DIAGNOSED, State.ORIENTED}
DECIDED = FILE_OR_LATER - {State.FILE_BUILDING, State.IN_COMMISSION}
DESTINATIONS = [("MT", "La Valette"), ("IE", "Dublin"), ("ES", "Barcelone"), ("DE", "Berlin"), ("IT", "Bologne"),
                ("PT", "Lisbonne"), ("FI", "Helsinki")]
SECTORS = ["Hôtellerie-restauration", "Animation", "Commerce", "Bâtiment", "Aide à la personne", "Logistique"]


def seed_wheel(rng=None):
    rng = rng or random.Random(2026)
    staff = User.objects.filter(role=Role.MOBILITY).first() or User.objects.filter(is_superuser=True).first()
    reception = User.objects.filter(role=Role.RECEPTION).first() or staff
    if staff is None:
        return 0
    today = timezone.localdate()
    touched = 0
    dossiers = list(
        Dossier.objects.filter(state__in=INVITED_OR_LATER).exclude(invitations__isnull=False)
        .select_related("youth", "scheme").order_by("pk")
    )
    if not dossiers:
        return 0  # already seeded
    with transaction.atomic():
        upcoming = _meeting(today + datetime.timedelta(days=9), "Info collective — Saint-Étienne", reception, capacity=15)
        _meeting(today + datetime.timedelta(days=23), "Info collective — Roanne (visio)", reception, capacity=20,
                 video_link="https://visio.exemple.fr/info-collective")
        past = _meeting(today - datetime.timedelta(days=30), "Info collective — Saint-Étienne", reception, capacity=20)
        next_session = _session(today + datetime.timedelta(days=12), [staff, reception])
        past_session = _session(today - datetime.timedelta(days=20), [staff, reception], held=True)
        criteria = list(CommissionCriterion.objects.filter(active=True))
        for dossier in dossiers:
            touched += 1
            state = dossier.state
            if state == State.INVITED:
                Invitation.objects.create(meeting=upcoming, dossier=dossier, invited_by=reception,
                                          email_sent_at=timezone.now())
                continue
            Invitation.objects.create(meeting=past, dossier=dossier, invited_by=reception, status=Attendance.PRESENT,
                                      attendance_by=reception, attendance_at=timezone.now(), email_sent_at=timezone.now())
            if state in DIAGNOSED_OR_LATER:
                _diagnostic(rng, dossier, staff, oriented=state == State.ORIENTED)
            if state in FILE_OR_LATER or state == State.DIAGNOSED:
                _project(rng, dossier)
            if state in FILE_OR_LATER:
                _documents(rng, dossier, staff, complete=state != State.FILE_BUILDING or rng.random() < 0.4)
            if state == State.IN_COMMISSION:
                CommissionReview.objects.get_or_create(session=next_session, dossier=dossier, defaults={"added_by": staff})
            elif state in DECIDED:
                _decision(rng, past_session, dossier, staff, criteria)
    return touched


def _meeting(day, title, facilitator, capacity, video_link=""):
    meeting, _ = Meeting.objects.get_or_create(
        kind=MeetingKind.INFO, title=title, date=day,
        defaults=dict(start_time=datetime.time(14, 0), end_time=datetime.time(16, 0), capacity=capacity,
                      place="" if video_link else "Plateforme mobilité, 12 rue de la République, Saint-Étienne",
                      video_link=video_link, facilitator=facilitator, created_by=facilitator,
                      notes="Venir avec une pièce d'identité et un CV si possible."),
    )
    return meeting


def _session(day, members, held=False):
    session, created = CommissionSession.objects.get_or_create(
        date=day, defaults=dict(time=datetime.time(9, 30), place="Salle du conseil, plateforme mobilité",
                                status="tenue" if held else "prevue",
                                external_members="Représentante de la Région\nChargé de mission Erasmus+"),
    )
    if created:
        session.members.set(members)
    return session


def _diagnostic(rng, dossier, staff, oriented):
    diagnostic, created = Diagnostic.objects.get_or_create(dossier=dossier, defaults=dict(
        conducted_by=staff, conducted_on=dossier.received_on + datetime.timedelta(days=20),
        passport=rng.choice(["valide", "valide", "expire"]), bank_card=rng.random() < 0.8,
        languages="anglais", language_level_self=rng.choice([LanguageLevel.A1, LanguageLevel.A2, LanguageLevel.B1]),
        language_level_tested=rng.choice([LanguageLevel.A1, LanguageLevel.A2]),
        mobility_experience=rng.random() < 0.2, motivation="Envie de découvrir un autre pays et de progresser en anglais.",
        professional_project="Travailler dans le secteur visé à son retour.",
        outcome=DiagnosticOutcome.NOT_YET if oriented else DiagnosticOutcome.READY,
        orientation=rng.choice([Orientation.TRAINING, Orientation.INTERNSHIP]) if oriented else "",
        come_back_on=timezone.localdate() + datetime.timedelta(days=180) if oriented else None,
    ))
    if created:
        SensitiveDiagnostic.objects.create(
            diagnostic=diagnostic, special_diet=rng.choice(["", "", "Végétarien"]),
            allergies=rng.choice(["", "", "Pollen"]), vaccinations="À jour",
            criminal_record=CriminalRecord.NONE,
        )


def _project(rng, dossier):
    country, town = rng.choice(DESTINATIONS)
    MobilityProject.objects.get_or_create(dossier=dossier, defaults=dict(
        scheme=dossier.scheme, country=country, town=town, sector=rng.choice(SECTORS),
        duration_weeks=(dossier.scheme.typical_duration_weeks if dossier.scheme else 12),
    ))


def _documents(rng, dossier, staff, complete):
    types = list(checklist_types(dossier.scheme).filter(required=True))
    for index, document_type in enumerate(types):
        if not complete and index % 3 == 2:
            continue  # missing
        status = DocumentStatus.VALIDATED if complete or index % 3 == 0 else DocumentStatus.RECEIVED
        if Document.objects.filter(dossier=dossier, document_type=document_type).exists():
            continue
        Document.objects.create(
            dossier=dossier, document_type=document_type, status=status, original_name="piece-demo.pdf",
            file=ContentFile(MINIMAL_PDF, name="piece-demo.pdf"), size=len(MINIMAL_PDF), uploaded_by=staff,
            reviewed_by=staff if status == DocumentStatus.VALIDATED else None,
            reviewed_at=timezone.now() if status == DocumentStatus.VALIDATED else None,
        )


def _decision(rng, session, dossier, staff, criteria):
    state = dossier.state
    if state == State.REFUSED:
        decision, orientation = Decision.REFUSED, Orientation.FIRST_EXPERIENCE
    elif state == State.POSTPONED:
        decision, orientation = Decision.POSTPONED, ""
    else:
        decision, orientation = Decision.ACCEPTED, ""
    review, created = CommissionReview.objects.get_or_create(session=session, dossier=dossier, defaults=dict(
        added_by=staff, decision=decision, orientation=orientation, decided_by=staff, decided_at=timezone.now(),
        comment={Decision.ACCEPTED: "Projet cohérent, motivation confirmée.",
                 Decision.REFUSED: "Projet encore fragile.",
                 Decision.POSTPONED: "Attendre le résultat du test de langue."}[decision],
    ))
    if created:
        for criterion in criteria:
            CommissionScore.objects.create(review=review, criterion=criterion,
                                           score=rng.randint(2, criterion.max_score))
