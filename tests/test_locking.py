"""Optimistic locking: two people editing the same dossier — the second save is refused with a clear
message, keeps what they typed, and overwrites nothing."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import log_in
from departures.tests.factories import SchemeFactory
from departures.models import CoPayment, Stay
from dossiers.tests.factories import dossier_in_state
from dossiers.models import Diagnostic, Dossier, MobilityProject
from dossiers.workflow import State
from ipm.locking import StaleDossier, claim
from ipm.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "modifié par une autre personne"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def two(users):
    """Two mobility counsellors, each in their own browser."""
    first = log_in(Client(), users["mobility"])
    second = log_in(Client(), UserFactory(username="mobilite2", role=Role.MOBILITY))
    return first, second


def shown_version(response):
    match = re.search(r'name="dossier_version" value="(\d+)"', response.content.decode())
    assert match, "the form carries the dossier's version in a hidden field"
    return match.group(1)


def test_claim_is_one_conditional_update(users, structure):
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=structure)
    start = Dossier.objects.get(pk=dossier.pk).version
    assert claim(dossier, start) == start + 1
    with pytest.raises(StaleDossier):
        claim(Dossier.objects.get(pk=dossier.pk), start)  # a page shown before the first save
    assert Dossier.objects.get(pk=dossier.pk).version == start + 1


def test_second_project_save_is_refused_and_keeps_what_was_typed(two, users, structure):
    dossier = dossier_in_state(State.DIAGNOSED, users["admin"], structure=structure)
    first, second = two
    url = reverse("dossiers:project", args=[dossier.pk])
    version_first = shown_version(first.get(url))
    version_second = shown_version(second.get(url))
    assert version_first == version_second

    response = first.post(url, {"country": "IE", "town": "Dublin", "dossier_version": version_first})
    assert response.status_code == 302

    response = second.post(url, {"country": "ES", "town": "Séville", "sector": "Tourisme",
                                 "dossier_version": version_second})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and "Votre saisie est conservée" in html
    assert 'value="Séville"' in html and 'value="Tourisme"' in html  # what they typed is still there
    project = MobilityProject.objects.get(dossier=dossier)
    assert (str(project.country), project.town) == ("IE", "Dublin")  # nothing overwritten

    # The refused page carries the new version: saving again is a deliberate choice, and it works.
    again = shown_version(response)
    assert again != version_second
    response = second.post(url, {"country": "ES", "town": "Séville", "dossier_version": again})
    assert response.status_code == 302
    assert MobilityProject.objects.get(dossier=dossier).town == "Séville"


def test_second_diagnostic_save_is_refused(two, users, structure):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    first, second = two
    url = reverse("dossiers:diagnostic", args=[dossier.pk])
    version = shown_version(first.get(url))
    assert shown_version(second.get(url)) == version
    base = {"conducted_on": "2026-11-20", "sensible-criminal_record": "inconnu", "dossier_version": version}
    assert first.post(url, {**base, "motivation": "Première version"}).status_code == 302
    response = second.post(url, {**base, "motivation": "Seconde version", "sensible-allergies": "Arachide"})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and "Seconde version" in html and "Arachide" in html
    diagnostic = Diagnostic.objects.get(dossier=dossier)
    assert diagnostic.motivation == "Première version"
    assert not hasattr(diagnostic, "sensitive") or diagnostic.sensitive.allergies == ""


def test_edits_of_different_forms_of_one_dossier_are_checked_too(two, users, structure):
    """The version is the dossier's: a stay saved on a page shown before the co-payment changed is refused."""
    scheme = SchemeFactory(name="OUAT")
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure, scheme=scheme)
    first, second = two
    stay_url = reverse("departures:stay_edit", args=[dossier.pk])
    pay_url = reverse("departures:copayment", args=[dossier.pk])
    stay_version = shown_version(second.get(stay_url))
    response = first.get(pay_url)
    pay_version = shown_version(response)
    response = first.post(pay_url, {"action": "amount", "amount_due": "250", "dossier_version": pay_version})
    assert response.status_code == 302
    assert CoPayment.objects.get(dossier=dossier).amount_due == 250

    response = second.post(stay_url, {"scheme": scheme.pk, "country": "MT", "city": "La Valette", "europass_status": "non_commence",
                                      "dossier_version": stay_version})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Stay.objects.filter(dossier=dossier).exists()


def test_copayment_amount_refused_on_a_stale_page(two, users, structure):
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure, scheme=SchemeFactory())
    first, second = two
    url = reverse("departures:copayment", args=[dossier.pk])
    version = shown_version(first.get(url))
    assert first.post(url, {"action": "amount", "amount_due": "300", "dossier_version": version}).status_code == 302
    response = second.post(url, {"action": "amount", "amount_due": "150", "dossier_version": version})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and 'value="150"' in html
    assert CoPayment.objects.get(dossier=dossier).amount_due == 300


def test_follow_up_call_recorded_on_a_stale_page_is_refused(two, users, structure):
    import datetime

    from followup.models import FollowUpCall

    scheme = SchemeFactory()
    dossier = dossier_in_state(State.FOLLOW_UP, users["admin"], structure=structure, scheme=scheme)
    # Back two months ago: the calls follow the return (docs/integrity.md).
    Stay.objects.create(dossier=dossier, scheme=scheme, departure_date=datetime.date.today() - datetime.timedelta(days=150),
                        return_date=datetime.date.today() - datetime.timedelta(days=61))
    call = FollowUpCall.objects.create(dossier=dossier, month=2, due_date=datetime.date.today())
    first, second = two
    url = reverse("followup:record", args=[call.pk])
    version = shown_version(first.get(url))
    assert shown_version(second.get(url)) == version
    response = first.post(url, {"reached": "oui", "situation": "emploi_cdi", "employer": "Boulangerie Martin",
                                "dossier_version": version})
    assert response.status_code == 302
    response = second.post(url, {"reached": "oui", "situation": "recherche_emploi", "notes": "Cherche encore",
                                 "dossier_version": version})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and "Cherche encore" in html
    call.refresh_from_db()
    assert (call.situation, call.employer) == ("emploi_cdi", "Boulangerie Martin")


def test_site_visit_correction_on_a_stale_page_is_refused(two, users, structure):
    import datetime

    from departures.models import SiteVisit

    scheme = SchemeFactory()
    dossier = dossier_in_state(State.ABROAD, users["admin"], structure=structure, scheme=scheme)
    stay = Stay.objects.create(dossier=dossier, scheme=scheme, departure_date=datetime.date.today())
    visit = SiteVisit.objects.create(stay=stay, visit_date=datetime.date.today(), assessment="bien", notes="RAS")
    first, second = two
    url = reverse("departures:visit_edit", args=[dossier.pk, visit.pk])
    version = shown_version(first.get(url))
    base = {"visit_date": datetime.date.today().isoformat(), "assessment": "bien", "dossier_version": version}
    assert first.post(url, {**base, "notes": "Tuteur très satisfait"}).status_code == 302
    response = second.post(url, {**base, "notes": "Quelques retards"})
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert "Quelques retards" in response.content.decode()
    visit.refresh_from_db()
    assert visit.notes == "Tuteur très satisfait"
