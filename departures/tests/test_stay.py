"""Departure, stay, early return, return review: each transition, its permission per role, and access."""
import datetime

import pytest
from django.utils import timezone

from departures import services
from departures.tests.factories import HostOrganisationFactory
from departures.models import Incident, SiteVisit, Stay
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate

STAFF = ["reception", "mobility", "assistant", "admin"]
NOT_STAFF = ["counsellor", "manager"]


def iso(day):
    return day.isoformat()


# --- Services -----------------------------------------------------------------------------------

def test_departure_sets_the_date_and_moves_to_en_sejour(make_dossier, planned_stay, users):
    dossier = make_dossier(State.CONTRACT_SIGNED)
    planned_stay(dossier)
    services.record_departure(dossier, users["mobility"], TODAY())
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD
    assert dossier.stay.departure_date == TODAY()


def test_departure_needs_a_stay_and_a_signed_contract(make_dossier, planned_stay, users):
    dossier = make_dossier(State.CONTRACT_SIGNED)
    with pytest.raises(services.DepartureError, match="Renseignez d'abord le séjour"):
        services.record_departure(dossier, users["mobility"], TODAY())
    accepted = make_dossier(State.ACCEPTED)
    planned_stay(accepted)
    with pytest.raises(services.DepartureError):
        services.record_departure(accepted, users["mobility"], TODAY())
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    assert accepted.stay.departure_date is None  # nothing saved when the transition is refused


def test_early_return_interrupts_the_stay_with_its_reason(make_dossier, planned_stay, users):
    dossier = make_dossier(State.ABROAD)
    planned_stay(dossier, departure_date=TODAY() - datetime.timedelta(days=20))
    with pytest.raises(services.DepartureError, match="motif"):
        services.record_early_return(dossier, users["mobility"], TODAY(), "")
    services.record_early_return(dossier, users["mobility"], TODAY(), "Problème de santé")
    dossier.refresh_from_db()
    stay = Stay.objects.get(dossier=dossier)
    assert dossier.state == State.INTERRUPTED
    assert stay.interrupted and stay.interruption_reason == "Problème de santé" and stay.return_date == TODAY()


def test_return_date_cannot_precede_departure(make_dossier, planned_stay, users):
    dossier = make_dossier(State.ABROAD)
    planned_stay(dossier, departure_date=TODAY() - datetime.timedelta(days=5))
    with pytest.raises(services.DepartureError, match="précéder"):
        services.record_return(dossier, users["mobility"], TODAY() - datetime.timedelta(days=6))
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD


def test_return_then_review_starts_the_follow_up(make_dossier, planned_stay, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = make_dossier(State.ABROAD)
    planned_stay(dossier, departure_date=TODAY() - datetime.timedelta(days=90), planned_end=TODAY())  # back as planned
    services.record_return(dossier, users["mobility"], TODAY() - datetime.timedelta(days=2))
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    report = uploaded_file_for_tests("rapport.pdf", MINIMAL_PDF)
    services.record_return_review(dossier, users["mobility"], TODAY(), "Très bon séjour", report, True, "complet")
    dossier.refresh_from_db()
    stay = Stay.objects.get(dossier=dossier)
    assert dossier.state == State.FOLLOW_UP
    assert stay.review_date == TODAY() and stay.review_by == users["mobility"]
    assert stay.europass_mobility_issued is True and stay.europass_status == "complet"
    assert stay.activity_report.name


def test_review_after_an_interrupted_stay_also_starts_the_follow_up(make_dossier, planned_stay, users):
    dossier = make_dossier(State.ABROAD)
    planned_stay(dossier, departure_date=TODAY() - datetime.timedelta(days=10))
    services.record_early_return(dossier, users["mobility"], TODAY(), "Mal du pays")
    services.record_return_review(dossier, users["mobility"], TODAY(), "Bilan du retour anticipé")
    dossier.refresh_from_db()
    assert dossier.state == State.FOLLOW_UP


# --- Views: permission per role for each transition ---------------------------------------------

def _prepare(make_dossier, planned_stay, state, **stay_kwargs):
    dossier = make_dossier(state)
    planned_stay(dossier, **stay_kwargs)
    return dossier


TRANSITION_CASES = [
    # (source state, url suffix, POST data, expected target, stay kwargs)
    (State.CONTRACT_SIGNED, "depart", lambda: {"departure_date": iso(TODAY())}, State.ABROAD, {}),
    (State.ABROAD, "retour", lambda: {"return_date": iso(TODAY())}, State.RETURNED,
     {"departure_date": TODAY() - datetime.timedelta(days=30), "planned_end": TODAY()}),
    (State.ABROAD, "retour-anticipe", lambda: {"return_date": iso(TODAY()), "reason": "Santé"}, State.INTERRUPTED,
     {"departure_date": TODAY() - datetime.timedelta(days=30)}),
    (State.RETURNED, "bilan", lambda: {"review_date": iso(TODAY()), "notes": "Bilan", "europass_status": "complet"},
     State.FOLLOW_UP, {"departure_date": TODAY() - datetime.timedelta(days=30), "return_date": TODAY()}),
    (State.INTERRUPTED, "bilan", lambda: {"review_date": iso(TODAY()), "notes": "Bilan", "europass_status": "en_cours"},
     State.FOLLOW_UP, {"departure_date": TODAY() - datetime.timedelta(days=30), "return_date": TODAY(), "interrupted": True}),
]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("source,suffix,data,target,stay_kwargs", TRANSITION_CASES)
def test_platform_staff_perform_each_transition(role, source, suffix, data, target, stay_kwargs, make_dossier, planned_stay, client_for):
    dossier = _prepare(make_dossier, planned_stay, source, **stay_kwargs)
    client = client_for(role)
    assert client.get(f"/departs/dossier/{dossier.pk}/{suffix}/").status_code == 200
    response = client.post(f"/departs/dossier/{dossier.pk}/{suffix}/", data())
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier.refresh_from_db()
    assert dossier.state == target


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize("source,suffix,data,target,stay_kwargs", TRANSITION_CASES)
def test_counsellors_and_managers_may_not_perform_transitions(role, source, suffix, data, target, stay_kwargs, make_dossier, planned_stay, client_for):
    dossier = _prepare(make_dossier, planned_stay, source, **stay_kwargs)
    response = client_for(role).post(f"/departs/dossier/{dossier.pk}/{suffix}/", data())
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == source


@pytest.mark.parametrize("role", NOT_STAFF)
def test_counsellors_and_managers_may_not_sign_or_accept(role, make_dossier, client_for):
    accepted = make_dossier(State.ACCEPTED)
    in_commission = make_dossier(State.IN_COMMISSION)
    client = client_for(role)
    assert client.post(f"/departs/dossier/{accepted.pk}/contrat/signer/", {"signed_on": iso(TODAY())}).status_code == 403
    assert client.post(f"/departs/dossier/{in_commission.pk}/accepter/", {}).status_code == 403


def test_a_wrong_state_is_refused_with_a_message(make_dossier, planned_stay, client_for):
    dossier = _prepare(make_dossier, planned_stay, State.ACCEPTED)
    response = client_for("mobility").post(f"/departs/dossier/{dossier.pk}/depart/", {"departure_date": iso(TODAY())})
    assert response.status_code == 200
    assert "ne peut pas passer" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED


def test_form_errors_keep_what_was_typed(make_dossier, planned_stay, client_for):
    dossier = _prepare(make_dossier, planned_stay, State.ABROAD, departure_date=TODAY() - datetime.timedelta(days=3))
    response = client_for("mobility").post(f"/departs/dossier/{dossier.pk}/retour-anticipe/", {"return_date": "", "reason": "Blessure"})
    content = response.content.decode()
    assert response.status_code == 200 and "Blessure" in content and "Rien n'a été enregistré" in content


def test_other_structure_counsellor_gets_404(make_dossier, planned_stay, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = _prepare(make_dossier, planned_stay, State.FOLLOW_UP, departure_date=TODAY() - datetime.timedelta(days=30),
                       return_date=TODAY(), activity_report=uploaded_file_for_tests("r.pdf", MINIMAL_PDF))
    assert client_for("counsellor").get(f"/departs/dossier/{dossier.pk}/rapport-activite/").status_code == 200
    assert client_for("other_counsellor").get(f"/departs/dossier/{dossier.pk}/rapport-activite/").status_code == 404
    assert client_for("other_counsellor").get(f"/dossiers/{dossier.pk}/").status_code == 404


# --- Stay planning, visits, incidents -----------------------------------------------------------

def test_stay_form_creates_the_stay_from_the_host(make_dossier, client_for):
    dossier = make_dossier(State.ACCEPTED)
    host = HostOrganisationFactory(name="Valletta Bay Hotel", country="MT", town="La Valette")
    response = client_for("mobility").post(f"/departs/dossier/{dossier.pk}/sejour/", {
        "scheme": dossier.scheme_id, "host": host.pk, "country": "", "city": "",
        "planned_start": iso(TODAY() + datetime.timedelta(days=30)), "planned_end": iso(TODAY() + datetime.timedelta(days=10)),
        "europass_status": "non_commence",
    })
    assert response.status_code == 200
    assert "Le retour prévu doit suivre le départ prévu" in response.content.decode()
    response = client_for("mobility").post(f"/departs/dossier/{dossier.pk}/sejour/", {
        "scheme": dossier.scheme_id, "host": host.pk, "country": "", "city": "",
        "planned_start": iso(TODAY() + datetime.timedelta(days=30)), "planned_end": iso(TODAY() + datetime.timedelta(days=120)),
        "europass_status": "non_commence",
    })
    assert response.status_code == 302
    stay = Stay.objects.get(dossier=dossier)
    assert (stay.country.code, stay.city, stay.host) == ("MT", "La Valette", host)


def test_visits_and_incidents_are_recorded_on_the_stay(make_dossier, planned_stay, client_for, users):
    dossier = _prepare(make_dossier, planned_stay, State.ABROAD, departure_date=TODAY() - datetime.timedelta(days=20))
    client = client_for("mobility")
    response = client.post(f"/departs/dossier/{dossier.pk}/visite/", {
        "visit_date": iso(TODAY()), "met_employer": "on", "assessment": "bien", "notes": "Bonne intégration dans l'équipe",
    })
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.met_employer and visit.visited_by == users["mobility"]
    client.post(f"/departs/dossier/{dossier.pk}/incident/", {
        "occurred_on": iso(TODAY()), "kind": "logement", "description": "Colocation bruyante", "action_taken": "",
    })
    assert Incident.objects.get().kind == "logement"
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Bonne intégration" in page and "Colocation bruyante" in page


def test_transition_pages_are_given_for_the_departure_transitions(make_dossier):
    dossier = make_dossier(State.ABROAD)
    assert services.transition_page(dossier, State.RETURNED) == f"/departs/dossier/{dossier.pk}/retour/"
    assert services.transition_page(dossier, State.INTERRUPTED) == f"/departs/dossier/{dossier.pk}/retour-anticipe/"
    assert services.transition_page(dossier, State.DROPPED) is None


def test_a_new_stay_starts_from_the_mobility_project(make_dossier, client_for):
    from dossiers.models import MobilityProject

    dossier = make_dossier(State.ACCEPTED)
    MobilityProject.objects.create(dossier=dossier, scheme=dossier.scheme, country="ES", town="Barcelone",
                                   period_start=TODAY() + datetime.timedelta(days=40))
    content = client_for("mobility").get(f"/departs/dossier/{dossier.pk}/sejour/").content.decode()
    assert 'value="Barcelone"' in content
    assert f'value="{TODAY() + datetime.timedelta(days=40):%d/%m/%Y}"' in content  # shown JJ/MM/AAAA


def test_a_visit_can_be_corrected_and_deleted(make_dossier, planned_stay, client_for, users):
    dossier = _prepare(make_dossier, planned_stay, State.ABROAD, departure_date=TODAY() - datetime.timedelta(days=20))
    visit = SiteVisit.objects.create(stay=dossier.stay, visit_date=TODAY(), assessment="bien", notes="Premier jet",
                                     visited_by=users["mobility"])
    client = client_for("assistant")
    url = f"/departs/dossier/{dossier.pk}/visite/{visit.pk}/"
    assert "Premier jet" in client.get(url).content.decode()
    client.post(url, {"visit_date": iso(TODAY()), "assessment": "a_surveiller", "notes": "Texte corrigé"})
    visit.refresh_from_db()
    assert visit.notes == "Texte corrigé" and visit.visited_by == users["mobility"]
    other = _prepare(make_dossier, planned_stay, State.ABROAD, departure_date=TODAY() - datetime.timedelta(days=2))
    assert client.post(f"/departs/dossier/{other.pk}/visite/{visit.pk}/supprimer/").status_code == 404
    assert client_for("manager").post(f"{url}supprimer/").status_code == 403
    assert client_for("assistant").post(f"{url}supprimer/").status_code == 302
    assert not SiteVisit.objects.exists()
