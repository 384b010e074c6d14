"""Lists (stays, departures to come, hosts, funding agreements, schemes), the dossier panel and
preparation meetings (reusing the referrals meetings)."""
import datetime

import pytest
from django.utils import timezone

from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory
from departures.models import FundingAgreement, HostOrganisation, Scheme
from dossiers.workflow import State
from referrals.meeting_enums import MeetingKind
from referrals.models import Invitation, Meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_stays_in_progress_lists_only_abroad_with_search(make_dossier, planned_stay, client_for):
    abroad = make_dossier(State.ABROAD)
    abroad.youth.last_name = "Zidane"
    abroad.youth.save()
    planned_stay(abroad, departure_date=TODAY() - datetime.timedelta(days=5))
    returned = make_dossier(State.RETURNED)
    planned_stay(returned, departure_date=TODAY() - datetime.timedelta(days=50), return_date=TODAY())
    client = client_for("reception")
    content = client.get("/departs/").content.decode()
    assert "ZIDANE" in content and str(returned.youth) not in content
    assert "ZIDANE" not in client.get("/departs/?q=martinez").content.decode()
    assert "ZIDANE" in client.get("/departs/?q=zid&country=irl").content.decode()


def test_stays_lists_are_scoped_for_counsellors_and_closed_to_them(make_dossier, planned_stay, client_for):
    assert client_for("counsellor").get("/departs/").status_code == 403
    assert client_for("manager").get("/departs/").status_code == 200


def test_upcoming_departures_and_bulk_invitation_to_preparation(make_dossier, planned_stay, client_for, users):
    accepted = make_dossier(State.ACCEPTED)
    planned_stay(accepted)
    signed = make_dossier(State.CONTRACT_SIGNED)
    in_commission = make_dossier(State.IN_COMMISSION)
    meeting = Meeting.objects.create(kind=MeetingKind.PREPARATION, date=TODAY() + datetime.timedelta(days=7),
                                     start_time=datetime.time(14, 0), place="Plateforme, salle 2")
    client = client_for("mobility")
    content = client.get("/departs/a-venir/").content.decode()
    assert str(accepted.youth) in content and str(signed.youth) in content and str(in_commission.youth) not in content
    assert "Inviter les jeunes cochés à la préparation au départ" in content
    response = client.post("/fiches/reunions/inviter/", {
        "meeting": meeting.pk, "dossiers": [accepted.pk, signed.pk], "next": "/departs/a-venir/"})
    assert response.status_code == 302
    assert Invitation.objects.filter(meeting=meeting).count() == 2
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED  # a preparation meeting does not move the dossier
    page = client.get(f"/dossiers/{accepted.pk}/").content.decode()
    assert "Préparation au départ" in page and "Invité" in page


def test_dossier_panel_shows_next_actions_for_staff_only(make_dossier, planned_stay, client_for):
    dossier = make_dossier(State.ACCEPTED)
    planned_stay(dossier)
    staff_page = client_for("mobility").get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Départ et séjour" in staff_page and "Générer le contrat" in staff_page and "Harbour Hotel" in staff_page
    counsellor_page = client_for("counsellor").get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Départ et séjour" in counsellor_page and "Générer le contrat" not in counsellor_page


def test_the_panel_shows_only_when_there_is_a_departure_story_and_reads_nothing_before(make_dossier, planned_stay,
                                                                                       client_for):
    """Before the commission the panel is not shown and costs no query on the contracts or co-payments; a
    dossier dropped with nothing recorded shows none either; one dropped after its contract keeps it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("mobility")
    early = make_dossier(State.INFO_DONE)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/dossiers/{early.pk}/").content.decode()
    assert "Départ et séjour" not in page
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"departures_contract"' not in read and '"departures_copayment"' not in read
    dropped = make_dossier(State.DROPPED)
    assert "Départ et séjour" not in client.get(f"/dossiers/{dropped.pk}/").content.decode()
    left = make_dossier(State.DROPPED)
    planned_stay(left)
    assert "Départ et séjour" in client.get(f"/dossiers/{left.pk}/").content.decode()


def test_panel_in_commission_shows_places_left(make_dossier, scheme, client_for):
    FundingAgreementFactory(scheme=scheme, places=3)
    make_dossier(State.ACCEPTED)
    dossier = make_dossier(State.IN_COMMISSION)
    page = client_for("assistant").get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "2 restantes" in page and "Accepter en vérifiant les places" in page


def test_host_list_detail_and_youths_hosted(make_dossier, planned_stay, client_for):
    host = HostOrganisationFactory(name="Malta Diving Center", country="MT", town="Sliema", sector="Tourisme")
    dossier = make_dossier(State.ABROAD)
    planned_stay(dossier, host=host, departure_date=TODAY())
    client = client_for("reception")
    content = client.get("/departs/structures-accueil/?country=malte").content.decode()
    assert "Malta Diving Center" in content
    assert "Malta Diving Center" not in client.get("/departs/structures-accueil/?sector=bâtiment").content.decode()
    detail = client.get(f"/departs/structures-accueil/{host.pk}/").content.decode()
    assert str(dossier.youth) in detail


def test_host_creation_by_staff_not_by_manager(client_for):
    data = {"name": "Dublin Café", "country": "IE", "town": "Dublin", "sector": "Restauration"}
    assert client_for("manager").post("/departs/structures-accueil/nouvelle/", data).status_code == 403
    response = client_for("reception").post("/departs/structures-accueil/nouvelle/", data)
    assert response.status_code == 302
    assert HostOrganisation.objects.filter(name="Dublin Café").exists()


def test_funding_agreements_are_managed_by_managers(scheme, client_for):
    year = TODAY().year
    data = {"funder": "entreprise", "funder_name": "", "year": year, "scheme": scheme.pk, "places": 12,
            "amount": "42000", "amount_per_participant": "3500"}
    assert client_for("mobility").post("/departs/conventions/nouvelle/", data).status_code == 403
    client = client_for("manager")
    response = client.post("/departs/conventions/nouvelle/", data)
    assert response.status_code == 200 and "Précisez le nom" in response.content.decode()
    data["funder_name"] = "Fondation Entreprise X"
    assert client.post("/departs/conventions/nouvelle/", data).status_code == 302
    agreement = FundingAgreement.objects.get()
    content = client.get(f"/departs/conventions/?year={year}").content.decode()
    assert "Fondation Entreprise X" in content and ">12<" in content
    assert client.post(f"/departs/conventions/{agreement.pk}/supprimer/").status_code == 302
    assert not FundingAgreement.objects.exists()


def test_schemes_are_data_managers_maintain(client_for):
    data = {"name": "Ready to work", "description": "3 semaines en Angleterre", "typical_duration_weeks": 3,
            "format": "groupe", "contract_variant": "collectif", "europass_cadence": "quotidien",
            "default_copayment": "150", "active": "on"}
    assert client_for("reception").post("/departs/dispositifs/nouveau/", data).status_code == 403
    assert client_for("manager").post("/departs/dispositifs/nouveau/", data).status_code == 302
    scheme = Scheme.objects.get(name="Ready to work")
    assert scheme.europass_cadence == "quotidien" and scheme.contract_variant == "collectif"
    assert "Ready to work" in client_for("reception").get("/departs/dispositifs/").content.decode()


def test_upcoming_list_query_count_does_not_grow_with_rows(make_dossier, planned_stay, client_for, users, django_assert_max_num_queries):
    from departures import services

    client = client_for("mobility")
    for _ in range(6):
        dossier = make_dossier(State.ACCEPTED)
        planned_stay(dossier)
        services.record_payment(dossier, users["assistant"], TODAY(), 100, "especes")
    with django_assert_max_num_queries(20):
        response = client.get("/departs/a-venir/")
    assert response.content.decode().count("reste 200,00") == 6
