"""Network meetings: invitations to users and ambassadors by email with the calendar file, attendance,
the minutes as PDF."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup.models import SentMessage
from network.enums import Presence
from network.models import NetworkInvitation
from network.services import make_ambassador
from network.tests.factories import create_meeting

pytestmark = pytest.mark.django_db


def test_counsellors_and_ambassadors_are_invited_by_email_with_the_calendar_file(
        client_for, users, structure, eager_celery, django_capture_on_commit_callbacks):
    client = client_for("mobility")
    meeting = create_meeting(client)
    youth = YouthFactory(first_name="Lucas", email="lucas@exemple.fr")
    ambassador = make_ambassador(dossier_in_state(State.FOLLOW_UP, users["admin"], youth=youth, structure=structure),
                                 users["admin"], timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:meeting_invite", args=[meeting.pk]), {
            "users": [users["counsellor"].pk, users["other_counsellor"].pk], "ambassadors": [ambassador.pk]})
    assert response.status_code == 302
    assert NetworkInvitation.objects.filter(meeting=meeting).count() == 3
    messages = SentMessage.objects.filter(object_key__startswith="reseau:")
    assert sorted(m.recipient for m in messages) == ["conseiller@exemple.fr", "conseiller_lyon@exemple.fr",
                                                     "lucas@exemple.fr"]
    for message in messages:
        assert message.attachments[0]["name"] == "invitation.ics"
        assert "BEGIN:VEVENT" in message.attachments[0]["content"]
    sent = [m for m in mail.outbox if "conseiller@exemple.fr" in m.to]
    assert len(sent) == 1 and sent[0].attachments[0][0] == "invitation.ics"
    assert "Rencontre des conseillers" in sent[0].subject
    assert NetworkInvitation.objects.filter(email_sent_at__isnull=False).count() == 3
    # Invited twice: nothing new is sent.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:meeting_invite", args=[meeting.pk]), {"users": [users["counsellor"].pk]})
    assert SentMessage.objects.filter(object_key__startswith="reseau:").count() == 3


def test_an_empty_invitation_is_refused(client_for):
    client = client_for("mobility")
    meeting = create_meeting(client)
    response = client.post(reverse("network:meeting_invite", args=[meeting.pk]), {})
    assert response.status_code == 400 and "Cochez au moins une personne" in response.content.decode()


def test_attendance_and_minutes(client_for, users):
    client = client_for("mobility")
    meeting = create_meeting(client)
    client.post(reverse("network:meeting_invite", args=[meeting.pk]), {"users": [users["counsellor"].pk]})
    invitation = NetworkInvitation.objects.get()
    client.post(reverse("network:meeting_attendance", args=[meeting.pk]), {f"presence-{invitation.pk}": "present"})
    invitation.refresh_from_db()
    assert invitation.status == Presence.PRESENT
    response = client.get(reverse("network:meeting_minutes", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for("manager").get(reverse("network:meeting_minutes", args=[meeting.pk])).status_code == 200
    assert client_for("counsellor").get(reverse("network:meeting_detail", args=[meeting.pk])).status_code == 403
