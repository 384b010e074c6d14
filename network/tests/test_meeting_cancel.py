"""Cancelling a network meeting: every guest gets the calendar's cancel (same UID, higher SEQUENCE), once;
an ambassador who withdraws gets the cancel of their invitations; an invitation renewed within the same
second is sent again (the key carries the calendar sequence)."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup.enums import MessageKind
from followup.models import SentMessage
from network import invitations, services
from network.enums import Presence
from network.models import NetworkInvitation, NetworkMeeting
from network.tests.factories import create_meeting
from referrals.models import Meeting

pytestmark = pytest.mark.django_db


def event_of(message):
    """(METHOD, UID, SEQUENCE, STATUS) of the calendar file attached to an outbox message."""
    attachment = message.attachments[0]
    assert attachment["name"] == "invitation.ics"
    calendar = Calendar.from_ical(attachment["content"])
    event = calendar.walk("VEVENT")[0]
    return str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])


@pytest.fixture
def ambassador(users, structure):
    youth = YouthFactory(first_name="Lucas", email="lucas@exemple.fr")
    dossier = dossier_in_state(State.FOLLOW_UP, users["admin"], youth=youth, structure=structure)
    return services.make_ambassador(dossier, users["admin"], timezone.localdate())


@pytest.fixture
def meeting(client_for):
    return create_meeting(client_for("mobility"))


def test_cancelling_tells_every_guest_once_with_the_calendar_cancel(
        client_for, users, ambassador, meeting, eager_celery, django_capture_on_commit_callbacks):
    client = client_for("mobility")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:meeting_invite", args=[meeting.pk]), {
            "users": [users["counsellor"].pk], "ambassadors": [ambassador.pk]})
    invited = {m.recipient: event_of(m) for m in SentMessage.objects.filter(kind=MessageKind.INVITATION)}
    assert sorted(invited) == ["conseiller@exemple.fr", "lucas@exemple.fr"]
    assert all(method == "REQUEST" for method, *_ in invited.values())

    page = client.get(reverse("network:meeting_cancel", args=[meeting.pk])).content.decode()
    assert "2 personnes invitées seront prévenues" in page
    assert not NetworkMeeting.objects.get().is_cancelled  # the page only asks

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("network:meeting_cancel", args=[meeting.pk]))
        second = client.post(reverse("network:meeting_cancel", args=[meeting.pk]))  # double click: no error
    assert first.status_code == 302 and second.status_code == 302
    cancels = SentMessage.objects.filter(kind=MessageKind.MEETING_CANCELLED)
    assert cancels.count() == 2  # one each, not two
    for message in cancels:
        method, uid, sequence, status = event_of(message)
        _, first_uid, first_sequence, _ = invited[message.recipient]
        assert (method, status) == ("CANCEL", "CANCELLED")
        assert uid == first_uid and sequence > first_sequence
        assert message.attachments[0]["mimetype"] == "text/calendar; method=CANCEL; charset=utf-8"
    assert sorted(m.to[0] for m in mail.outbox) == ["conseiller@exemple.fr", "lucas@exemple.fr"]
    assert all("Réunion annulée" in m.subject for m in mail.outbox)

    detail = client.get(reverse("network:meeting_detail", args=[meeting.pk])).content.decode()
    assert "annulée" in detail and "Inviter les personnes cochées" not in detail
    assert "annulée" in client.get(reverse("network:meeting_list")).content.decode()
    # No more invitations to a cancelled meeting.
    response = client.post(reverse("network:meeting_invite", args=[meeting.pk]),
                           {"users": [users["other_counsellor"].pk]})
    assert response.status_code == 302
    assert NetworkInvitation.objects.filter(meeting=meeting).count() == 2
    assert invitations.invite_users(meeting, [users["other_counsellor"]], users["mobility"]).skipped


def test_only_staff_cancel_and_a_past_meeting_cannot_be_cancelled(client_for, meeting):
    assert client_for("counsellor").post(reverse("network:meeting_cancel", args=[meeting.pk])).status_code == 403
    assert client_for("manager").post(reverse("network:meeting_cancel", args=[meeting.pk])).status_code == 403
    assert not NetworkMeeting.objects.get().is_cancelled
    NetworkMeeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    response = client_for("mobility").post(reverse("network:meeting_cancel", args=[meeting.pk]), follow=True)
    assert "a déjà eu lieu" in response.content.decode()
    assert not NetworkMeeting.objects.get().is_cancelled


def test_an_invitation_renewed_within_the_same_second_is_sent_again(users, meeting):
    with time_machine.travel(timezone.now(), tick=False):
        invitations.invite_users(meeting, [users["counsellor"]], users["mobility"])
        invitation = NetworkInvitation.objects.get()
        invitations.record_presence(invitation, Presence.EXCUSED)
        renewed = invitations.invite_users(meeting, [users["counsellor"]], users["mobility"])
    assert len(renewed.invited) == 1
    sent = SentMessage.objects.filter(kind=MessageKind.INVITATION, object_key=f"reseau:{invitation.pk}")
    assert sent.count() == 2
    uids, sequences = zip(*(event_of(m)[1:3] for m in sent.order_by("pk")))
    assert uids[0] == uids[1] and sequences == (0, 1)


def test_a_withdrawn_ambassador_gets_the_cancel_of_their_invitations(users, ambassador, meeting):
    talk = Meeting.objects.create(date=timezone.localdate() + datetime.timedelta(days=5),
                                  start_time=datetime.time(10, 0), place="Salle 1", created_by=users["admin"])
    invitations.invite_ambassadors(meeting, [ambassador], users["mobility"])
    invitations.invite_speakers(talk, [ambassador], users["mobility"])
    requests = {m.object_key: event_of(m) for m in SentMessage.objects.filter(kind=MessageKind.INVITATION)}
    assert len(requests) == 2
    services.withdraw(ambassador, users["mobility"], "Au téléphone")
    cancels = SentMessage.objects.filter(kind=MessageKind.MEETING_CANCELLED)
    assert sorted(m.object_key for m in cancels) == sorted(requests)
    for message in cancels:
        method, uid, sequence, _ = event_of(message)
        assert method == "CANCEL" and uid == requests[message.object_key][1]
        assert sequence > requests[message.object_key][2]
        assert message.recipient == "lucas@exemple.fr" and "Invitation retirée" in message.subject
    assert set(ambassador.network_invitations.values_list("status", flat=True)) == {Presence.EXCUSED}
    # The meeting cancelled afterwards: the withdrawn ambassador is not told a second time.
    assert invitations.cancel_meeting(meeting, users["mobility"]) == (True, 0)


def test_the_speakers_of_a_wheel_meeting_are_told_when_it_moves_or_is_cancelled(users, ambassador):
    from referrals import meetings

    talk = Meeting.objects.create(date=timezone.localdate() + datetime.timedelta(days=8),
                                  start_time=datetime.time(10, 0), place="Salle 1", created_by=users["admin"])
    invitations.invite_speakers(talk, [ambassador], users["mobility"])  # no young person invited
    [request] = SentMessage.objects.filter(kind=MessageKind.INVITATION)
    _, uid, sequence, _ = event_of(request)

    before = meetings.schedule_of(talk)
    talk.start_time = datetime.time(15, 30)
    talk.save()
    meetings.meeting_saved(talk, before)
    [moved] = SentMessage.objects.filter(kind=MessageKind.MEETING_MOVED)
    method, moved_uid, moved_sequence, _ = event_of(moved)
    assert (method, moved_uid) == ("REQUEST", uid) and moved_sequence > sequence
    assert "DTSTART;TZID=Europe/Paris:" in moved.attachments[0]["content"]
    assert "T153000" in moved.attachments[0]["content"] and "15:30" in moved.subject

    meetings.cancel_meeting(talk, users["mobility"])
    [cancel] = SentMessage.objects.filter(kind=MessageKind.MEETING_CANCELLED)
    method, cancel_uid, cancel_sequence, _ = event_of(cancel)
    assert (method, cancel_uid) == ("CANCEL", uid) and cancel_sequence > moved_sequence
    assert cancel.recipient == "lucas@exemple.fr"


def test_a_network_meeting_moved_sends_its_guests_the_update_once(client_for, users, meeting):
    client = client_for("mobility")
    client.post(reverse("network:meeting_invite", args=[meeting.pk]), {"users": [users["counsellor"].pk]})
    _, uid, sequence, _ = event_of(SentMessage.objects.get(kind=MessageKind.INVITATION))
    data = {"kind": meeting.kind, "title": meeting.title, "date": meeting.date.isoformat(), "start_time": "15:00",
            "end_time": "17:00", "place": meeting.place}
    assert client.post(reverse("network:meeting_edit", args=[meeting.pk]), data).status_code == 302
    assert client.post(reverse("network:meeting_edit", args=[meeting.pk]), data).status_code == 302  # same again
    [moved] = SentMessage.objects.filter(kind=MessageKind.MEETING_MOVED)
    method, moved_uid, moved_sequence, _ = event_of(moved)
    assert (method, moved_uid) == ("REQUEST", uid) and moved_sequence > sequence
    assert "T150000" in moved.attachments[0]["content"]
    # Only the minutes changed: nothing is sent.
    client.post(reverse("network:meeting_edit", args=[meeting.pk]), data | {"minutes": "Compte rendu"})
    assert SentMessage.objects.filter(kind=MessageKind.MEETING_MOVED).count() == 1


def test_the_ambassador_s_page_shows_the_meeting_cancelled(client_for, users, ambassador, meeting):
    invitations.invite_ambassadors(meeting, [ambassador], users["mobility"])
    invitations.cancel_meeting(meeting, users["mobility"])
    page = client_for("mobility").get(reverse("network:ambassador_detail", args=[ambassador.pk])).content.decode()
    assert "Réunion annulée" in page
