"""Every kind of email the code sends has a text and an HTML body, both rendered from the templates of
followup/email/, both ending with the platform's footer: its name and how to reach it."""
import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from departures.enums import ReminderCadence
from departures.models import Contract
from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.enums import DocumentStatus
from dossiers.models import CommissionReview, CommissionSession, Document, DocumentType
from dossiers.tests.factories import YouthFactory, dossier_in_state, validate_all_pieces
from dossiers.workflow import State
from followup import notifications, reminders, step_messages
from followup.enums import Channel, MessageKind
from followup.models import SentMessage
from followup.tests.factories import FollowUpCallFactory, returned_dossier
from ipm.enums import Role
from ipm.uploads import MINIMAL_PDF
from referrals import meetings
from referrals.models import Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOOTER = {
    "IPM_PLATFORM_NAME": "Plateforme mobilité Loire",
    "IPM_PLATFORM_PHONE": "04 77 12 34 56",
    "IPM_PLATFORM_EMAIL": "contact@mobilite-loire.example.org",
    "IPM_PLATFORM_ADDRESS": "5 rue des Jardins, 42000 Saint-Étienne",
}


@pytest.fixture(autouse=True)
def platform(settings):
    for name, value in FOOTER.items():
        setattr(settings, name, value)


def young(email):
    return {"youth": YouthFactory(first_name="Léa", email=email, phone="06 12 34 56 78")}


def every_kind_of_email(users):
    """Make the code send each kind of email once (the outbox records them; nothing is delivered)."""
    admin, today = users["admin"], timezone.localdate()
    counsellor = UserFactory(username="referente", email="referente@exemple.fr")
    UserFactory(username="accueil2", role=Role.RECEPTION, email="accueil@exemple.fr")
    # The fiche arrives (to reception); the meeting's invitation, its new time, its cancel; a withdrawal.
    received = dossier_in_state(State.RECEIVED, admin, referring_counsellor=counsellor, **young("a@exemple.fr"))
    notifications.on_referral_sent(None, received)
    meeting = Meeting.objects.create(date=today + datetime.timedelta(days=2), start_time=datetime.time(14),
                                     place="Salle 2")
    [invitation] = meetings.invite(meeting, [received], admin).invited
    before = meetings.schedule_of(meeting)
    meeting.start_time = datetime.time(15)
    meeting.save()
    meetings.meeting_saved(meeting, before)
    assert reminders.meeting_messages(today)  # two days before
    meetings.cancel_meeting(meeting, admin)
    other = Meeting.objects.create(date=today + datetime.timedelta(days=5), start_time=datetime.time(9), place="Salle 1")
    meetings.withdraw_invitation(meetings.invite(other, [received], admin).invited[0], admin)
    # The diagnostic, a refused piece, the file complete.
    diagnosed = dossier_in_state(State.DIAGNOSED, admin, referring_counsellor=counsellor, **young("b@exemple.fr"))
    step_messages.on_diagnostic_recorded(None, None, diagnosed.events.order_by("pk").last())
    building = dossier_in_state(State.FILE_BUILDING, admin, referring_counsellor=counsellor, **young("c@exemple.fr"))
    validate_all_pieces(building, admin)
    step_messages.tell_file_complete(Document.objects.filter(dossier=building).first())
    piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order").last()
    refused = Document.objects.filter(dossier=building, document_type=piece).first() or Document(
        dossier=building, document_type=piece, file=ContentFile(MINIMAL_PDF, name="piece.pdf"), size=1)
    refused.status, refused.rejection_reason, refused.uploaded_at = DocumentStatus.REJECTED, "Illisible", timezone.now()
    refused.save()
    step_messages.tell_piece_refused(refused)
    # The commission: its reminder, its decision (to the counsellor and to the young person).
    session = CommissionSession.objects.create(date=today + datetime.timedelta(days=2), time=datetime.time(9),
                                               place="Siège")
    in_commission = dossier_in_state(State.IN_COMMISSION, admin, referring_counsellor=counsellor,
                                     **young("d@exemple.fr"))
    review = CommissionReview.objects.create(session=session, dossier=in_commission)
    assert reminders.commission_messages(today)
    CommissionReview.objects.filter(pk=review.pk).update(decision="accepte")
    notifications.on_decision_recorded(None, review)
    step_messages.on_decision_for_youth(None, review)
    # The contract, the departure (J-7), the Europass and the return report abroad.
    accepted = dossier_in_state(State.ACCEPTED, admin, referring_counsellor=counsellor, **young("e@exemple.fr"))
    contract = Contract.objects.create(dossier=accepted, version=1, generated_by=admin,
                                       pdf=ContentFile(MINIMAL_PDF, name="contrat.pdf"))
    step_messages.on_contract_generated(None, contract)
    signed = dossier_in_state(State.ACCEPTED, admin, referring_counsellor=counsellor, **young("f@exemple.fr"))
    StayFactory(dossier=signed, departure_date=None, return_date=None, planned_start=today + datetime.timedelta(days=3))
    assert reminders.departure_messages(today)
    abroad = dossier_in_state(State.ABROAD, admin, **young("g@exemple.fr"))
    StayFactory(dossier=abroad, scheme=SchemeFactory(europass_cadence=ReminderCadence.DAILY),
                departure_date=today - datetime.timedelta(days=30), return_date=None,
                planned_end=today + datetime.timedelta(days=3))
    assert reminders.europass_messages(today) and reminders.return_report_messages(today)
    # After the return: the follow-up link, the counsellor's digest, the survey.
    back = returned_dossier(admin, today - datetime.timedelta(days=40), counsellor=users["mobility"],
                            email="h@exemple.fr")
    FollowUpCallFactory(dossier=back, month=1, due_date=today, assigned_to=users["mobility"])
    assert reminders.followup_link_messages(today) and reminders.digest_messages(today)
    from surveys import schedule, services
    from surveys.enums import Horizon

    survey = services.open_survey(back, Horizon.RETURN, today)
    assert survey is not None and schedule._send(survey, "")
    # The young person asks for their sign-in link.
    from space.services import send_link

    assert send_link(received.youth) == Channel.EMAIL
    # A member of staff forgot their password (« Mot de passe oublié »).
    from followup.password_reset import PlatformPasswordResetForm

    form = PlatformPasswordResetForm({"email": counsellor.email})
    assert form.is_valid()
    form.save()
    # A manager's scheduled export (its file attached).
    from reporting import schedules
    from reporting.models import ExportSubscription

    subscription = ExportSubscription.objects.create(
        owner=UserFactory(username="responsable2", role=Role.MANAGER, email="resp@exemple.fr"), report="funnel",
        fmt="csv", day=1, created_at=timezone.now() - datetime.timedelta(days=40))
    assert schedules.send(subscription.pk, today)


def test_every_kind_of_email_has_both_bodies_and_the_footer(users):
    every_kind_of_email(users)
    emails = list(SentMessage.objects.filter(channel=Channel.EMAIL))
    assert {message.kind for message in emails} == set(MessageKind)
    for message in emails:
        where = f"{message.get_kind_display()} ({message.subject})"
        assert message.body.strip() and message.html_body.strip(), where
        assert message.html_body.lstrip().startswith("<!DOCTYPE html>") and 'lang="fr"' in message.html_body, where
        assert "<" not in message.body.replace("<http", ""), where  # the text body is text
        for value in FOOTER.values():
            assert value in message.body, f"{where}: « {value} » absent du texte"
            assert value.replace("'", "&#x27;") in message.html_body, f"{where}: « {value} » absent du HTML"
        assert 'href="tel:0477123456"' in message.html_body and 'href="mailto:contact@mobilite-loire' in message.html_body
        assert message.body.rstrip().endswith("/"), where  # the footer closes the text, with the site's address
