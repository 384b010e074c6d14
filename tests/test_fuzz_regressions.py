"""The server errors the fuzz walk (tests/test_fuzz.py) found or was asked to keep away, each through the
screen a user would use: a French refusal, never a 500."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from departures.models import Contract, Scheme
from departures.tests.factories import SchemeFactory
from dossiers import services
from dossiers.enums import CommissionStatus
from dossiers.models import CommissionSession, MobilityProject
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from ipm.locking import VERSION_FIELD
from ipm.middleware import NULL_CHARACTER_MESSAGE
from ipm.uploads import MINIMAL_PDF, STORAGE_UNAVAILABLE_MESSAGE, uploaded_file_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(users, structure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                            referring_counsellor=users["counsellor"], scheme=SchemeFactory(name="OUAT"))


@pytest.mark.parametrize("value", ["31/12/9999", "01/01/0001", "9999-12-31", "0001-01-01", "2026-02-30"])
def test_a_commission_dated_out_of_range_is_refused_on_the_form(client_for, value):
    response = client_for("assistant").post(reverse("dossiers:commission_create"), {
        "date": value, "time": "14:00", "place": "Salle du conseil", "status": CommissionStatus.PLANNED})
    assert response.status_code in (200, 400)
    assert "date" in response.context["form"].errors
    assert not CommissionSession.objects.exists()


@pytest.mark.parametrize("path", ["/departs/dispositifs/?q=a%00b", "/dossiers/?q=%00", "/departs/dispositifs/?%00=1"])
def test_a_query_string_with_a_nul_character_gets_a_french_400(client_for, path):
    response = client_for("admin").get(path)
    assert response.status_code == 400 and response.content.decode() == NULL_CHARACTER_MESSAGE


def test_a_first_project_saved_twice_at_once_gives_one_project(users, building):
    scheme = SchemeFactory(name="Job")
    # Both requests read « no project yet » before either saved (a double click on the first save).
    first = MobilityProject(scheme=scheme, country="ES", town="Valence")
    second = MobilityProject(scheme=scheme, country="ES", town="Valence")
    services.save_project(building, first)
    saved = services.save_project(building, second)
    assert MobilityProject.objects.filter(dossier=building).count() == 1
    assert saved.pk == first.pk and MobilityProject.objects.get(dossier=building).town == "Valence"


def test_the_project_form_sent_twice_saves_one_project(client_for, building):
    client = client_for("assistant")
    page = client.get(reverse("dossiers:project", args=[building.pk]))
    data = {"country": "IE", "town": "Dublin", VERSION_FIELD: page.context["form"].fields[VERSION_FIELD].initial}
    for _ in range(2):
        response = client.post(reverse("dossiers:project", args=[building.pk]), data)
        assert response.status_code in (200, 302)
    assert MobilityProject.objects.filter(dossier=building).count() == 1


def test_a_signed_copy_on_an_unusable_disk_shows_the_message_on_the_form(client_for, users, structure, settings,
                                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"], scheme=SchemeFactory(name="OUAT"))
    contract = Contract.objects.create(dossier=dossier, version=1, generated_by=users["admin"],
                                       pdf=ContentFile(MINIMAL_PDF, name="contrat.pdf"))
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"  # under a regular file: no directory can be created there
    response = client_for("assistant").post(
        reverse("departures:contract_scan_upload", args=[dossier.pk, 1]),
        {"scan": uploaded_file_for_tests("contrat-signe.pdf", MINIMAL_PDF)})
    assert response.status_code == 400
    assert STORAGE_UNAVAILABLE_MESSAGE in response.context["form"].errors["scan"]
    assert "Le dépôt du fichier a échoué" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.signed_scan


def test_a_new_scheme_sent_twice_is_created_once(client_for):
    from tests.test_fuzz import baseline, forms_of

    client = client_for("manager")
    url = reverse("departures:scheme_create")
    forms = forms_of(client.get(url).content.decode())
    form = next(f for f in forms if f["method"] == "post" and "name" in f["fields"])
    data = {**baseline(form), "name": "Service civique européen", "typical_duration_weeks": "12",
            "default_copayment": "0", "early_return_tolerance_days": "0"}
    first = client.post(url, data)
    assert first.status_code == 302, first.context["form"].errors
    second = client.post(url, data, follow=True)
    assert second.redirect_chain[-1][0] == reverse("departures:schemes")
    assert "déjà été envoyé (double clic ou page renvoyée)" in second.content.decode()
    assert Scheme.objects.filter(name="Service civique européen").count() == 1
