"""Information collective and other meetings: invitations, email with .ics, attendance, the wheel."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse

from dossiers.tests.factories import DossierFactory, YouthFactory, dossier_in_state
from dossiers.workflow import State
from referrals.meeting_enums import Attendance, MeetingKind
from referrals.calendar import build_meeting
from referrals.meetings import invite, record_attendance
from referrals.models import Invitation, Meeting

pytestmark = pytest.mark.django_db


def make_meeting(kind=MeetingKind.INFO, capacity=None, days=7, **kwargs):
    return Meeting.objects.create(
        kind=kind, date=datetime.date.today() + datetime.timedelta(days=days), start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0), place="Plateforme, 3 rue de la Paix, Saint-Étienne", capacity=capacity,
        **kwargs,
    )


@pytest.fixture
def waiting(users, structure):
    youth = YouthFactory(email="lea.martin@exemple.fr", first_name="Léa")
    dossier = DossierFactory(youth=youth, structure=structure, referring_counsellor=users["counsellor"])
    return dossier


def test_invite_moves_dossier_and_sends_email_with_ics_and_copy(users, waiting, eager_celery,
                                                                django_capture_on_commit_callbacks):
    meeting = make_meeting(facilitator=users["reception"])
    with django_capture_on_commit_callbacks(execute=True):
        result = invite(meeting, [waiting], users["reception"])
    assert [i.dossier for i in result.invited] == [waiting]
    waiting.refresh_from_db()
    assert waiting.state == State.INVITED
    assert waiting.events.last().actor == users["reception"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea.martin@exemple.fr"]
    assert message.cc == [users["counsellor"].email]
    assert meeting.date.strftime("%d/%m/%Y") in message.body
    assert "3 rue de la Paix" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "BEGIN:VTIMEZONE" in content
    # 14:00 in Paris, written as Paris time with its time zone (referrals/tests/test_calendar.py parses it).
    assert f"DTSTART;TZID=Europe/Paris:{meeting.date:%Y%m%d}T140000" in content
    assert Invitation.objects.get(dossier=waiting).email_sent_at is not None


def test_invitation_unique_and_already_invited_skipped(users, waiting):
    meeting = make_meeting()
    invite(meeting, [waiting], users["reception"], send_email=False)
    result = invite(meeting, [waiting], users["reception"], send_email=False)
    assert result.invited == []
    assert "déjà invité" in result.skipped[0][1]
    assert Invitation.objects.filter(meeting=meeting, dossier=waiting).count() == 1


def test_capacity_is_respected(users, structure):
    meeting = make_meeting(capacity=1)
    first, second = DossierFactory(structure=structure), DossierFactory(structure=structure)
    result = invite(meeting, [first, second], users["reception"], send_email=False)
    assert len(result.invited) == 1
    assert result.skipped[0][0] == second and "plus de place" in result.skipped[0][1]
    second.refresh_from_db()
    assert second.state == State.RECEIVED


def test_dossier_at_a_later_step_is_not_invited_to_information_meeting(users, structure):
    later = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    result = invite(make_meeting(), [later], users["reception"], send_email=False)
    assert result.invited == [] and "étape" in result.skipped[0][1]


def test_present_moves_dossier_to_info_done(users, waiting):
    meeting = make_meeting(days=0)
    invitation = invite(meeting, [waiting], users["reception"], send_email=False).invited[0]
    record_attendance(invitation, Attendance.PRESENT, users["reception"])
    waiting.refresh_from_db()
    assert waiting.state == State.INFO_DONE
    invitation.refresh_from_db()
    assert invitation.status == Attendance.PRESENT and invitation.attendance_by == users["reception"]


@pytest.mark.parametrize("status", [Attendance.ABSENT, Attendance.EXCUSED])
def test_absent_goes_back_to_be_invited_again(users, waiting, status):
    first = make_meeting(days=0)
    invitation = invite(first, [waiting], users["reception"], send_email=False).invited[0]
    record_attendance(invitation, status, users["reception"])
    waiting.refresh_from_db()
    assert waiting.state == State.RECEIVED
    # Re-invited to a later session.
    second = make_meeting(days=14)
    result = invite(second, [waiting], users["reception"], send_email=False)
    assert len(result.invited) == 1
    waiting.refresh_from_db()
    assert waiting.state == State.INVITED
    assert Invitation.objects.filter(dossier=waiting).count() == 2


def test_individual_interview_replaces_the_collective(users, waiting):
    meeting = make_meeting(kind=MeetingKind.INTERVIEW, capacity=1, days=0)  # « présent » on the day, not before
    invitation = invite(meeting, [waiting], users["mobility"], send_email=False).invited[0]
    record_attendance(invitation, Attendance.PRESENT, users["mobility"])
    waiting.refresh_from_db()
    assert waiting.state == State.INFO_DONE


def test_preparation_meeting_does_not_touch_the_workflow(users, structure):
    accepted = dossier_in_state(State.ACCEPTED, users["admin"], structure=structure)
    meeting = make_meeting(kind=MeetingKind.PREPARATION, days=0)  # « présent » on the day, not before
    invitation = invite(meeting, [accepted], users["assistant"], send_email=False).invited[0]
    record_attendance(invitation, Attendance.PRESENT, users["assistant"])
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    assert invitation.status == Attendance.PRESENT


def test_ics_is_valid_text(users):
    meeting = make_meeting(video_link="https://visio.exemple.fr/salle-42", title="Info collective, Roanne")
    text = build_meeting(meeting).decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Info collective\\, Roanne" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


# --- Screens ------------------------------------------------------------------------------------------


def test_bulk_invite_from_inbox(client_for, users, structure, eager_celery, django_capture_on_commit_callbacks):
    meeting = make_meeting()
    dossiers = [DossierFactory(structure=structure, referring_counsellor=users["counsellor"]) for _ in range(3)]
    client = client_for("reception")
    page = client.get(reverse("dossiers:inbox"))
    assert page.status_code == 200
    assert f'name="dossiers" value="{dossiers[0].pk}"' in page.content.decode()
    assert f'<option value="{meeting.pk}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:meeting_invite"), {
            "meeting": meeting.pk, "dossiers": [d.pk for d in dossiers[:2]], "next": reverse("dossiers:inbox"),
        })
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:inbox")
    states = {d.pk: d.state for d in (type(d).objects.get(pk=d.pk) for d in dossiers)}
    assert states == {dossiers[0].pk: State.INVITED, dossiers[1].pk: State.INVITED, dossiers[2].pk: State.RECEIVED}
    assert len(mail.outbox) == 2


def test_attendance_screen_moves_dossiers(client_for, users, waiting):
    meeting = make_meeting(days=0)
    invitation = invite(meeting, [waiting], users["reception"], send_email=False).invited[0]
    client = client_for("assistant")
    page = client.get(reverse("referrals:meeting_detail", args=[meeting.pk]))
    assert str(waiting.youth) in page.content.decode()
    response = client.post(reverse("referrals:meeting_attendance", args=[meeting.pk]), {f"presence_{invitation.pk}": "present"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.INFO_DONE


@pytest.mark.parametrize("role", ["counsellor", "manager"])
def test_meeting_actions_refused_to_non_staff(client_for, users, waiting, role):
    meeting = make_meeting()
    client = client_for(role)
    assert client.post(reverse("referrals:meeting_invite"), {"meeting": meeting.pk, "dossiers": [waiting.pk]}).status_code == 403
    assert client.get(reverse("referrals:meeting_create")).status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == State.RECEIVED


def test_create_meeting_requires_place_or_link(client_for):
    client = client_for("reception")
    day = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("referrals:meeting_create"), {
        "kind": MeetingKind.INFO, "date": day, "start_time": "09:30", "capacity": "12",
    })
    assert response.status_code == 200
    assert "Indiquez un lieu ou un lien" in response.content.decode()
    assert 'value="12"' in response.content.decode()  # what was typed is kept
    response = client.post(reverse("referrals:meeting_create"), {
        "kind": MeetingKind.INFO, "date": day, "start_time": "09:30", "capacity": "12", "place": "Salle 2",
    })
    assert response.status_code == 302
    assert Meeting.objects.get().place == "Salle 2"


def test_invite_never_redirects_to_another_site(client_for, users, waiting):
    meeting = make_meeting()
    response = client_for("reception").post(reverse("referrals:meeting_invite"), {
        "meeting": meeting.pk, "dossiers": [waiting.pk], "next": "https://exemple.com/piege",
    })
    assert response["Location"] == reverse("dossiers:inbox")
