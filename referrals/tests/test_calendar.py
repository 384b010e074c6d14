"""Meeting invitations as calendars read them (RFC 5545/5546): each email's calendar file parsed back with
icalendar, through the pages staff and the young person use (PostgreSQL, HTTP views)."""
import datetime
import email

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from dossiers import transitions
from dossiers.tests.factories import DossierFactory, YouthFactory
from dossiers.workflow import State
from referrals.meeting_enums import Attendance, MeetingKind
from referrals.models import Invitation, Meeting
from space.models import Answer
from space.tests.factories import signed_in_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date.today() + datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def platform(settings):
    settings.IPM_BASE_URL = "https://ipm.example.org"
    settings.IPM_PLATFORM_EMAIL = "contact@ipm.example.org"
    settings.IPM_PLATFORM_NAME = "Plateforme mobilité Loire"


@pytest.fixture
def waiting(users, structure):
    counsellor = UserFactory(username="referente", email="referente@exemple.fr", first_name="Inès",
                             last_name="Roux", structure=structure)
    youth = YouthFactory(email="lea.martin@exemple.fr", first_name="Léa", last_name="Martin")
    return DossierFactory(youth=youth, structure=structure, referring_counsellor=counsellor)


@pytest.fixture
def meeting(users):
    return Meeting.objects.create(kind=MeetingKind.INFO, title="Info collective", date=DAY,
                                  start_time=datetime.time(14), end_time=datetime.time(16), place="Salle 2",
                                  created_by=users["admin"])


def calendar_parts(message):
    """The calendar parts of a sent email, as (Content-Type header, parsed calendar)."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    return [(part["Content-Type"], Calendar.from_ical(part.get_payload(decode=True)))
            for part in parsed.walk() if part.get_content_type() == "text/calendar"]


def the_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def sent_calendars(subject_start):
    found = [(m, *part) for m in mail.outbox if m.subject.startswith(subject_start) for part in calendar_parts(m)]
    assert found, f"aucun courriel « {subject_start}… » avec son agenda : {[m.subject for m in mail.outbox]}"
    return found


def invite_through_the_inbox(client_for, meeting, dossier, capture):
    client = client_for("reception")
    with capture(execute=True):
        response = client.post(reverse("referrals:meeting_invite"), {
            "meeting": meeting.pk, "dossiers": [dossier.pk], "next": reverse("dossiers:inbox")})
    assert response.status_code == 302
    return Invitation.objects.get(meeting=meeting, dossier=dossier)


def test_the_invitation_email_is_a_calendar_request(client_for, meeting, waiting, eager_celery,
                                                    django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    [(message, content_type, calendar)] = sent_calendars("Invitation")
    assert message.to == ["lea.martin@exemple.fr"] and message.cc == ["referente@exemple.fr"]
    assert content_type == "text/calendar; method=REQUEST; charset=utf-8"
    assert calendar["METHOD"] == "REQUEST"
    event = the_event(calendar)
    assert event["UID"] == f"meeting-{meeting.pk}-invitation-{invitation.pk}@ipm.example.org"
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:contact@ipm.example.org"
    assert event["ORGANIZER"].params["CN"] == "Plateforme mobilité Loire"
    youth, counsellor = event["ATTENDEE"]
    assert str(youth) == "mailto:lea.martin@exemple.fr" and youth.params["CN"] == "Léa Martin"
    assert youth.params["RSVP"] == "TRUE" and youth.params["PARTSTAT"] == "NEEDS-ACTION"
    assert youth.params["ROLE"] == "REQ-PARTICIPANT"
    assert str(counsellor) == "mailto:referente@exemple.fr" and counsellor.params["ROLE"] == "NON-PARTICIPANT"
    # Local time with its time zone, not UTC.
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime.combine(DAY, datetime.time(14))
    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Paris" and zone.walk("STANDARD") and zone.walk("DAYLIGHT")
    raw = calendar.to_ical().decode()
    assert "DTSTART;TZID=Europe/Paris:" in raw and "PRODID:" in raw
    assert reverse("space:meeting", args=[invitation.pk]) in str(event["DESCRIPTION"])


def test_the_downloads_share_the_email_s_uid(client, client_for, meeting, waiting, eager_celery,
                                             django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    [(_, _, emailed)] = sent_calendars("Invitation")
    uid = the_event(emailed)["UID"]
    # The young person's own download, from their meeting page.
    signed_in_client(client, waiting.youth)
    page = client.get(reverse("space:meeting", args=[invitation.pk])).content.decode()
    assert reverse("space:meeting_ics", args=[invitation.pk]) in page
    response = client.get(reverse("space:meeting_ics", args=[invitation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    downloaded = Calendar.from_ical(response.content)
    assert downloaded["METHOD"] == "REQUEST" and the_event(downloaded)["UID"] == uid
    assert the_event(downloaded)["SEQUENCE"] == the_event(emailed)["SEQUENCE"]
    # Staff's download of the same invitation, from the attendance sheet.
    staff = client_for("reception")
    sheet = staff.get(reverse("referrals:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("referrals:invitation_ics", args=[invitation.pk]) in sheet
    from_sheet = Calendar.from_ical(staff.get(reverse("referrals:invitation_ics", args=[invitation.pk])).content)
    assert the_event(from_sheet)["UID"] == uid
    # The meeting's own file (the staff's agenda) is another entry, without attendees.
    own = Calendar.from_ical(staff.get(reverse("referrals:meeting_ics", args=[meeting.pk])).content)
    assert own["METHOD"] == "PUBLISH" and the_event(own)["UID"] == f"meeting-{meeting.pk}@ipm.example.org"
    assert "ATTENDEE" not in the_event(own)


def test_a_moved_meeting_sends_an_update_with_a_higher_sequence(client_for, meeting, waiting, eager_celery,
                                                                django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    uid = the_event(sent_calendars("Invitation")[0][2])["UID"]
    client = client_for("admin")
    form = {"kind": MeetingKind.INFO, "title": "Info collective", "date": DAY.isoformat(), "start_time": "10:00",
            "end_time": "12:00", "place": "Salle 2"}
    for start in ("10:00", "11:00"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("referrals:meeting_edit", args=[meeting.pk]), {**form, "start_time": start})
        assert response.status_code == 302
    updates = sent_calendars("Nouvel horaire")
    assert len(updates) == 2
    sequences = []
    for (message, content_type, calendar), hour in zip(updates, (10, 11)):
        assert message.to == ["lea.martin@exemple.fr"] and message.cc == ["referente@exemple.fr"]
        assert content_type == "text/calendar; method=REQUEST; charset=utf-8" and calendar["METHOD"] == "REQUEST"
        event = the_event(calendar)
        assert event["UID"] == uid and event.decoded("DTSTART").hour == hour
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        sequences.append(event["SEQUENCE"])
    assert sequences == [1, 2]
    invitation.refresh_from_db()
    assert invitation.sequence == 2 and invitation.status == Attendance.INVITED
    # Saving the same time again tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:meeting_edit", args=[meeting.pk]), {**form, "start_time": "11:00"})
    assert len(sent_calendars("Nouvel horaire")) == 2


def test_a_cancelled_meeting_sends_the_calendar_s_cancel(client, client_for, meeting, waiting, eager_celery,
                                                         django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    uid = the_event(sent_calendars("Invitation")[0][2])["UID"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(reverse("referrals:meeting_cancel", args=[meeting.pk]))
    assert response.status_code == 302
    [(message, content_type, calendar)] = sent_calendars("Réunion annulée")
    assert message.cc == ["referente@exemple.fr"]
    assert content_type == "text/calendar; method=CANCEL; charset=utf-8"
    assert calendar["METHOD"] == "CANCEL"
    event = the_event(calendar)
    assert event["UID"] == uid and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert str(event["ORGANIZER"]) == "mailto:contact@ipm.example.org"
    # The young person's download now says so too.
    signed_in_client(client, waiting.youth)
    downloaded = Calendar.from_ical(client.get(reverse("space:meeting_ics", args=[invitation.pk])).content)
    assert downloaded["METHOD"] == "CANCEL" and the_event(downloaded)["UID"] == uid


def test_staff_withdraw_an_invitation_and_the_calendar_cancels_it(client_for, meeting, waiting, eager_celery,
                                                                  django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    uid = the_event(sent_calendars("Invitation")[0][2])["UID"]
    client = client_for("mobility")
    sheet = client.get(reverse("referrals:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("referrals:invitation_withdraw", args=[invitation.pk]) in sheet
    assert 'data-confirm="Retirer l\'invitation de' in sheet
    for _ in range(2):  # the second time: nothing left to withdraw
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("referrals:invitation_withdraw", args=[invitation.pk]), follow=True)
        assert response.status_code == 200
    assert "Seule une invitation en attente" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Attendance.WITHDRAWN and "retirée par" in invitation.withdrawn_reason
    [(message, content_type, calendar)] = sent_calendars("Invitation retirée")
    assert message.to == ["lea.martin@exemple.fr"] and "retirée" in message.body
    assert content_type == "text/calendar; method=CANCEL; charset=utf-8" and calendar["METHOD"] == "CANCEL"
    event = the_event(calendar)
    assert event["UID"] == uid and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    # Invited again: the same entry comes back, with a sequence above the cancel's.
    mail.outbox.clear()
    invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    [(_, _, again)] = sent_calendars("Invitation")
    assert again["METHOD"] == "REQUEST" and the_event(again)["UID"] == uid and the_event(again)["SEQUENCE"] == 2


def test_a_dossier_moving_on_withdraws_with_the_calendar_s_cancel(users, meeting, waiting, eager_celery,
                                                                  django_capture_on_commit_callbacks):
    from referrals.meetings import invite

    with django_capture_on_commit_callbacks(execute=True):
        invite(meeting, [waiting], users["reception"])
        transitions.apply_transition(waiting, State.DROPPED, users["admin"], comment="Déménage")
    [(_, content_type, calendar)] = sent_calendars("Invitation retirée")
    assert content_type.startswith("text/calendar; method=CANCEL") and the_event(calendar)["STATUS"] == "CANCELLED"


def test_the_young_person_s_answer_reaches_the_attendance_sheet(client, client_for, meeting, waiting, users,
                                                                eager_celery, django_capture_on_commit_callbacks):
    invitation = invite_through_the_inbox(client_for, meeting, waiting, django_capture_on_commit_callbacks)
    client.logout()
    signed_in_client(client, waiting.youth)
    page = client.get(reverse("space:meeting", args=[invitation.pk])).content.decode()
    assert "Je viendrai" in page and "Je ne pourrai pas venir" in page
    response = client.post(reverse("space:meeting", args=[invitation.pk]), {"answer": Answer.CONFIRMED}, follow=True)
    assert "votre réponse est enregistrée" in response.content.decode()
    # Another young person's invitation stays hidden.
    other = DossierFactory(youth=YouthFactory(email="autre@exemple.fr"), structure=waiting.structure)
    hidden = Invitation.objects.create(meeting=meeting, dossier=other)
    assert client.get(reverse("space:meeting", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("space:meeting_ics", args=[hidden.pk])).status_code == 404
    sheet = client_for("reception").get(reverse("referrals:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Confirmé par le jeune" in sheet
