"""Bulk forms under hostile input (to apply after the move of the meeting and commission views): junk ids
and return addresses give the French message of an empty choice, never a server error."""
import datetime

import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.models import CommissionSession
from dossiers.tests.factories import DossierFactory, dossier_in_state, validate_all_pieces
from dossiers.workflow import State
from referrals.meeting_enums import MeetingKind
from referrals.models import Invitation, Meeting

pytestmark = pytest.mark.django_db

NO_MEETING = "Choisissez la réunion à laquelle inviter les jeunes cochés."
NO_YOUTH = "Cochez au moins un jeune à inviter."
NO_DOSSIER = "Cochez au moins un dossier à inscrire."


@pytest.fixture
def meeting():
    return Meeting.objects.create(kind=MeetingKind.INFO, date=datetime.date.today() + datetime.timedelta(days=7),
                                  start_time=datetime.time(14, 0), place="Plateforme")


@pytest.fixture
def waiting(users, structure):
    return DossierFactory(structure=structure, referring_counsellor=users["counsellor"])


def invite(client, **data):
    return client.post(reverse("referrals:meeting_invite"), data, follow=True)


@pytest.mark.parametrize("value", ["abc", "", " ", "-1", "0", "1.5", "9" * 30, "1; DROP TABLE"])
def test_invite_with_a_junk_meeting_id_asks_to_choose_the_meeting(client_for, waiting, value):
    response = invite(client_for("reception"), meeting=value, dossiers=[waiting.pk])
    assert response.status_code == 200 and NO_MEETING in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dossiers:inbox")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("ids", [[""], ["abc"], ["", "abc", "-3", "9" * 30]])
def test_invite_with_only_junk_dossier_ids_asks_to_tick_a_youth(client_for, meeting, waiting, ids):
    response = invite(client_for("reception"), meeting=meeting.pk, dossiers=ids)
    assert response.status_code == 200 and NO_YOUTH in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_drops_the_junk_and_invites_the_ticked_youth(client_for, meeting, waiting):
    invite(client_for("reception"), meeting=meeting.pk, dossiers=["abc", "", str(waiting.pk)])
    waiting.refresh_from_db()
    assert waiting.state == State.INVITED


@pytest.mark.parametrize("next_url", ["foo", "dossiers/", "//evil.example/", "https://evil.example/",
                                      "javascript:alert(1)"])
def test_invite_returns_only_to_a_path_of_this_site(client_for, meeting, waiting, next_url):
    response = client_for("reception").post(reverse("referrals:meeting_invite"), {
        "meeting": meeting.pk, "dossiers": [waiting.pk], "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:inbox")


def test_invite_returns_to_the_given_path(client_for, meeting, waiting):
    response = client_for("reception").post(reverse("referrals:meeting_invite"), {
        "meeting": meeting.pk, "dossiers": [waiting.pk], "next": "/dossiers/a-traiter/?liste=inviter"})
    assert response["Location"] == "/dossiers/a-traiter/?liste=inviter"


@pytest.mark.parametrize("ids", [["abc"], [""], ["", "-1", "9" * 30]])
def test_agenda_with_only_junk_dossier_ids_asks_to_tick_a_dossier(client_for, users, structure, ids):
    session = CommissionSession.objects.create(date=datetime.date(2026, 12, 3), place="Salle du conseil")
    response = client_for("assistant").post(reverse("dossiers:agenda_add", args=[session.pk]), {"dossiers": ids},
                                            follow=True)
    assert response.status_code == 200 and NO_DOSSIER in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dossiers:commission_detail", args=[session.pk])
    assert not session.reviews.exists()


def test_agenda_drops_the_junk_and_adds_the_ticked_dossier(client_for, users, structure):
    session = CommissionSession.objects.create(date=datetime.date(2026, 12, 3), place="Salle du conseil")
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"], scheme=SchemeFactory(name="OUAT"))
    validate_all_pieces(dossier, users["assistant"])
    client_for("assistant").post(reverse("dossiers:agenda_add", args=[session.pk]),
                                 {"dossiers": ["abc", str(dossier.pk)]})
    assert list(session.reviews.values_list("dossier", flat=True)) == [dossier.pk]
