"""The parrainage report, the « Parrainés » filter of the funnel, and the network dashboard, on known data
sets with their exact figures, through the pages."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import StayFactory
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from ipm.enums import Role
from network.enums import Presence
from network.models import NetworkInvitation, NetworkMeeting, PairMeeting, Pairing
from referrals.enums import ReferralStatus, StructureKind
from referrals.tests.factories import ReferralFactory, StructureFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def parrainage_set(users, structure):
    """Five dossiers received in 2025: A (montage) and B (accepted) sponsored; C (received), D (information
    done) and E (abroad since June 2025) not. Two parrains received in 2024. Pairs A–S1 and B–S2 formed in
    2025, B–S1 in 2024 and ended in May 2025; three pair meetings in 2025, one in 2024."""
    admin = users["admin"]

    def dossier(state, received):
        return dossier_in_state(state, admin, structure=structure, received_on=received)

    a, b = dossier(State.FILE_BUILDING, D(2025, 1, 10)), dossier(State.ACCEPTED, D(2025, 1, 20))
    dossier(State.RECEIVED, D(2025, 2, 1))
    dossier(State.INFO_DONE, D(2025, 2, 5))
    e = dossier(State.ABROAD, D(2025, 1, 5))
    StayFactory(dossier=e, departure_date=D(2025, 6, 1), return_date=None)
    s1, s2 = dossier(State.FOLLOW_UP, D(2024, 1, 5)), dossier(State.CLOSED, D(2024, 2, 5))
    ab = Pairing.objects.create(candidate=a, sponsor=s1, started_on=D(2025, 2, 1))
    bb = Pairing.objects.create(candidate=b, sponsor=s2, started_on=D(2025, 3, 1))
    old = Pairing.objects.create(candidate=b, sponsor=s1, started_on=D(2024, 12, 1), ended_on=D(2025, 5, 1))
    for pairing, day in ((ab, D(2025, 2, 15)), (ab, D(2025, 4, 1)), (bb, D(2025, 3, 10)), (old, D(2024, 12, 15))):
        PairMeeting.objects.create(pairing=pairing, date=day, report="Rencontre")
    return a, b


def test_the_parrainage_report_gives_the_exact_figures(client_for, parrainage_set):
    client = client_for("manager")
    response = client.get(reverse("reporting:report", args=["parrainage"]), {"year_from": 2025})
    assert response.status_code == 200
    rows = [[str(c) for c in row.cells] for row in response.context["report"].rows]
    assert rows == [
        ["Activité de parrainage dans la période", "", "", "", ""],
        ["binômes formés", "2", "", "", ""],
        ["binômes terminés", "1", "", "", ""],
        ["candidats parrainés", "2", "", "", ""],
        ["parrains et marraines", "2", "", "", ""],
        ["rencontres parrain-candidat", "3", "", "", ""],
        ["Progression des candidats (fiches reçues dans la période)", "", "", "", ""],
        ["fiches reçues", "2", "100.0", "3", "100.0"],
        ["présents en information collective", "2", "100.0", "2", "66.7"],
        ["diagnostics réalisés", "2", "100.0", "1", "33.3"],
        ["dossiers présentés en commission", "1", "50.0", "1", "33.3"],
        ["dossiers acceptés", "1", "50.0", "1", "33.3"],
        ["départs", "0", "0.0", "1", "33.3"],
    ]
    for fmt in ("csv", "xlsx", "pdf"):
        download = client.get(reverse("reporting:download", args=["parrainage", fmt]), {"year_from": 2025})
        assert download.status_code == 200, fmt
    csv = client.get(reverse("reporting:download", args=["parrainage", "csv"]), {"year_from": 2025})
    assert "binômes formés,2" in csv.content.decode("utf-8-sig")


def funnel_counts(client, sponsored):
    response = client.get(reverse("reporting:report", args=["funnel"]), {"year_from": 2025, "sponsored": sponsored})
    assert response.status_code == 200
    return [row.cells[1] for row in response.context["report"].rows]


def test_the_funnel_filtered_to_sponsored_candidates(client_for, parrainage_set):
    client = client_for("reception")
    #                                      fiches youths info diag comm acc dep ret followed
    assert funnel_counts(client, "oui") == [2, 2, 2, 2, 1, 1, 0, 0, 0]
    assert funnel_counts(client, "non") == [3, 3, 2, 1, 1, 1, 1, 0, 0]
    assert funnel_counts(client, "") == [5, 5, 4, 3, 2, 2, 1, 0, 0]
    page = client.get(reverse("reporting:report", args=["funnel"])).content.decode()
    assert "Parrainés" in page
    assert "Parrainés" not in client.get(reverse("reporting:report", args=["departures"])).content.decode()
    profile = client.get(reverse("reporting:report", args=["profile"]), {"year_from": 2025, "sponsored": "oui"})
    assert profile.status_code == 200 and ("Parrainés", "oui") in profile.context["report"].filters


def test_a_counsellor_s_parrainage_report_counts_only_their_structure(client_for, parrainage_set, users):
    response = client_for("other_counsellor").get(reverse("reporting:report", args=["parrainage"]),
                                                  {"year_from": 2025})
    rows = {row.cells[0]: row.cells[1] for row in response.context["report"].rows}
    assert rows["binômes formés"] == 0 and rows["fiches reçues"] == 0


def test_the_dashboard_per_mission_locale(client_for, users, structure, other_structure):
    roanne = StructureFactory(name="Mission Locale de Roanne", department="42")
    StructureFactory(name="CRIJ Auvergne-Rhône-Alpes", kind=StructureKind.CRIJ)  # not a mission locale
    second = UserFactory(username="conseiller_bis", role=Role.COUNSELLOR, structure=structure)
    march = NetworkMeeting.objects.create(date=D(2025, 3, 10), start_time=datetime.time(9), place="Lyon")
    june = NetworkMeeting.objects.create(date=D(2025, 6, 10), start_time=datetime.time(9), place="Lyon")
    earlier = NetworkMeeting.objects.create(date=D(2024, 6, 10), start_time=datetime.time(9), place="Lyon")
    for meeting, user, status in ((march, users["counsellor"], Presence.PRESENT), (march, second, Presence.ABSENT),
                                  (march, users["other_counsellor"], Presence.PRESENT),
                                  (june, users["counsellor"], Presence.PRESENT),
                                  (earlier, second, Presence.PRESENT)):
        NetworkInvitation.objects.create(meeting=meeting, user=user, status=status)
    when = timezone.make_aware(datetime.datetime(2025, 4, 2, 10))
    for counsellor, count in ((users["counsellor"], 3), (users["other_counsellor"], 1)):
        for _ in range(count):
            ReferralFactory(counsellor=counsellor, status=ReferralStatus.SUBMITTED, submitted_at=when)
    roanne_counsellor = UserFactory(username="conseiller_roanne", role=Role.COUNSELLOR, structure=roanne)
    ReferralFactory(counsellor=roanne_counsellor)  # a draft: not sent
    ReferralFactory(counsellor=roanne_counsellor, status=ReferralStatus.SUBMITTED,
                    submitted_at=timezone.make_aware(datetime.datetime(2024, 5, 2, 10)))  # the year before
    for _ in range(2):
        StayFactory(dossier=dossier_in_state(State.ABROAD, users["admin"], structure=structure),
                    departure_date=D(2025, 7, 1), return_date=None)
    response = client_for("manager").get(reverse("network:dashboard"), {"annee": 2025})
    assert response.status_code == 200
    figures = {row.structure.name: (row.invited, row.present, row.fiches, row.departures)
               for row in response.context["rows"]}
    assert figures == {
        "Mission Locale de Saint-Étienne": (2, 1, 3, 2),
        "Mission Locale de Lyon": (1, 1, 1, 0),
        "Mission Locale de Roanne": (0, 0, 0, 0),
    }
    assert [s.name for s in response.context["silent"]] == ["Mission Locale de Roanne"]
    assert "À visiter en priorité" in response.content.decode()
    assert client_for("counsellor").get(reverse("network:dashboard")).status_code == 403
