"""Browser journey of platform staff through departures: contract, signature, departure, site visit,
return and return review, in a real Chromium (Content-Security-Policy and accessibility checked)."""

import pytest
from django.utils import timezone

from departures.tests.factories import HostOrganisationFactory, SchemeFactory
from departures.models import Contract, SiteVisit, Stay
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_take_an_accepted_young_person_from_contract_to_follow_up(page, users, structure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_in_state(State.ACCEPTED, users["admin"], structure=structure, scheme=SchemeFactory(name="OUAT"))
    today = timezone.localdate()
    Stay.objects.create(dossier=dossier, scheme=dossier.scheme, host=HostOrganisationFactory(name="Harbour Hotel"),
                        country="IE", city="Dublin", planned_start=today, planned_end=today)  # back on the planned day
    login(page, "mobilite")
    page.goto(f"/dossiers/{dossier.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Départ et séjour"))
    assert panel.is_visible()
    assert_accessible(page)

    panel.get_by_role("button", name="Générer le contrat").click()
    page.wait_for_load_state()
    assert page.get_by_text("Contrat généré (version 1)").is_visible()
    assert Contract.objects.filter(dossier=dossier, version=1).exists()
    panel = page.locator("section", has=page.get_by_role("heading", name="Départ et séjour"))
    assert panel.get_by_role("link", name="Contrat v1 (PDF)").is_visible()

    panel.get_by_role("link", name="Enregistrer la signature").click()
    assert_accessible(page)
    page.get_by_label("Copie signée (scan, facultatif)").set_input_files(
        files=[{"name": "contrat-signe.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    page.get_by_role("button", name="Enregistrer la signature").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == State.CONTRACT_SIGNED

    page.get_by_role("link", name="Enregistrer le départ").click()
    page.get_by_role("button", name="Enregistrer le départ").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD

    page.get_by_role("link", name="Ajouter une visite").click()
    page.get_by_label("Appréciation").select_option("bien")
    page.get_by_label("Notes").fill("Tuteur satisfait, jeune ponctuel.")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert SiteVisit.objects.filter(stay__dossier=dossier).exists()
    assert page.get_by_text("Tuteur satisfait, jeune ponctuel.").is_visible()

    page.get_by_role("link", name="Enregistrer le retour").click()
    page.get_by_role("button", name="Enregistrer le retour").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED

    page.get_by_role("link", name="Faire le bilan de retour").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le bilan").click()  # the review text is missing
    assert page.get_by_role("alert").filter(has_text="Rien n'a été enregistré").is_visible()
    page.get_by_label("Bilan du séjour").fill("Séjour réussi, projet de formation en hôtellerie.")
    page.get_by_label("Rapport d'activité (fichier)").set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    page.get_by_label("Europass du jeune").select_option("complet")
    page.get_by_role("button", name="Enregistrer le bilan").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == State.FOLLOW_UP
    stay = Stay.objects.get(dossier=dossier)
    assert stay.review_date == timezone.localdate() and stay.activity_report.name
    assert stay.departure_date == stay.return_date == timezone.localdate()
    assert page.get_by_role("link", name="rapport d'activité").is_visible()
    assert not page.js_errors, page.js_errors
