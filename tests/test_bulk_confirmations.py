"""Bulk actions say how many and which; removing a dossier from an agenda returns it to the state it had
before it was put on (a postponed dossier stays postponed)."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.enums import Decision
from dossiers.models import CommissionReview, CommissionSession
from dossiers.services import add_to_agenda, record_decision
from dossiers.tests.factories import DossierFactory, YouthFactory, dossier_in_state, validate_all_pieces
from dossiers.workflow import State
from referrals.meeting_enums import MeetingKind
from referrals.models import Meeting

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def session(users):
    return CommissionSession.objects.create(date=datetime.date.today() - datetime.timedelta(days=2), place="Salle A")


@pytest.fixture
def later_session():
    return CommissionSession.objects.create(date=datetime.date.today() + datetime.timedelta(days=30), place="Salle B")


def building(users, structure, last_name, first_name):
    dossier = dossier_in_state(
        State.FILE_BUILDING, users["admin"], structure=structure, referring_counsellor=users["counsellor"],
        scheme=SchemeFactory(), youth=YouthFactory(last_name=last_name, first_name=first_name),
    )
    validate_all_pieces(dossier, users["assistant"])
    return dossier


def test_agenda_add_message_names_the_dossiers_enrolled(client_for, users, structure, session):
    lea = building(users, structure, "Dupont", "Léa")
    nathan = building(users, structure, "Martin", "Nathan")
    left_out = building(users, structure, "Durand", "Zoé")
    response = client_for("assistant").post(reverse("dossiers:agenda_add", args=[session.pk]),
                                            {"dossiers": [lea.pk, nathan.pk]}, follow=True)
    assert "2 dossiers inscrits à l'ordre du jour : DUPONT Léa, MARTIN Nathan." in texts(response)
    assert set(CommissionReview.objects.values_list("dossier_id", flat=True)) == {lea.pk, nathan.pk}
    left_out.refresh_from_db()
    assert left_out.state == State.FILE_BUILDING


def test_removing_a_postponed_dossier_keeps_it_postponed(client_for, users, structure, session, later_session):
    dossier = building(users, structure, "Dupont", "Léa")
    record_decision(add_to_agenda(session, dossier, users["assistant"]), Decision.POSTPONED, users["mobility"],
                    "Projet à préciser", postponed_to=later_session)
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION  # put on the later session's agenda by the postponement
    review = CommissionReview.objects.get(session=later_session, dossier=dossier)
    response = client_for("assistant").post(reverse("dossiers:agenda_remove", args=[later_session.pk, review.pk]),
                                            follow=True)
    dossier.refresh_from_db()
    assert dossier.state == State.POSTPONED
    assert not CommissionReview.objects.filter(session=later_session).exists()
    assert "Dossier retiré de l'ordre du jour : il reste ajourné." in texts(response)
    assert "reste ajourné" in dossier.events.order_by("created_at", "pk").last().comment


def test_removing_a_dossier_in_building_returns_it_to_building(client_for, users, structure, session):
    dossier = building(users, structure, "Martin", "Nathan")
    review = add_to_agenda(session, dossier, users["assistant"])
    response = client_for("assistant").post(reverse("dossiers:agenda_remove", args=[session.pk, review.pk]),
                                            follow=True)
    dossier.refresh_from_db()
    assert dossier.state == State.FILE_BUILDING
    assert "Dossier retiré de l'ordre du jour : il revient en montage." in texts(response)


def test_bulk_invitation_message_names_the_young_people_invited(client_for, users, structure):
    meeting = Meeting.objects.create(
        kind=MeetingKind.INFO, date=datetime.date.today() + datetime.timedelta(days=7),
        start_time=datetime.time(14, 0), end_time=datetime.time(16, 0), place="Plateforme",
    )
    lea = DossierFactory(structure=structure, referring_counsellor=users["counsellor"],
                         youth=YouthFactory(last_name="Dupont", first_name="Léa"))
    nathan = DossierFactory(structure=structure, referring_counsellor=users["counsellor"],
                            youth=YouthFactory(last_name="Martin", first_name="Nathan"))
    response = client_for("reception").post(reverse("referrals:meeting_invite"), {
        "meeting": meeting.pk, "dossiers": [lea.pk, nathan.pk], "next": reverse("dossiers:inbox"),
    }, follow=True)
    [success] = [text for text in texts(response) if "invités" in text]
    assert success.startswith("2 jeunes invités à : ")
    assert success.startswith("2 jeunes invités à : ") and "(DUPONT Léa, MARTIN Nathan)." in success
