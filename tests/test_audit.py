"""Audit trail: every change of the casework records who, when and which fields; reads of the sensitive
items and file downloads are logged; managers and administrators search the log (/journal/), which names
the changed fields but never shows their values."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.tests.factories import DossierFactory, dossier_in_state
from dossiers.models import Document, DocumentType, SensitiveAccess, Youth
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db

SECRET_ALLERGY = "Allergie-secrete-aux-arachides"
SECRET_RECORD = "Condamnation-secrete-2023"
SECRET_HEALTH = "Traitement-secret-quotidien"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dossier(users, structure):
    return dossier_in_state(State.INFO_DONE, users["admin"], structure=structure,
                            referring_counsellor=users["counsellor"])


def fill_diagnostic(client, dossier, **extra):
    data = {
        "conducted_on": timezone.localdate().isoformat(), "passport": "valide", "bank_card": "true",
        "mobility_experience": "false", "languages": "anglais", "language_level_self": "A2",
        "language_level_tested": "A1", "motivation": "Veut partir", "professional_project": "Cuisine",
        "outcome": "pret", "sensible-allergies": SECRET_ALLERGY, "sensible-criminal_record": "mentions",
        "sensible-criminal_record_details": SECRET_RECORD, "sensible-special_diet": "Sans porc",
        "sensible-vaccinations": "À jour", "sensible-health_notes": SECRET_HEALTH,
    }
    data.update(extra)
    response = client.post(reverse("dossiers:diagnostic", args=[dossier.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def journal(client, **params):
    response = client.get(reverse("privacy:audit_log"), params)
    assert response.status_code == 200
    return response.content.decode()


def table(page):
    """The log's rows only (not the filter form)."""
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""


def test_a_change_records_the_user_and_the_changed_fields(client_for, users, dossier):
    client = client_for("mobility")
    fill_diagnostic(client, dossier)
    fill_diagnostic(client_for("mobility"), dossier, motivation="Veut travailler à Berlin", languages="allemand")

    diagnostic = dossier.diagnostic
    latest = diagnostic.history.first()
    assert latest.history_type == "~" and latest.history_user == users["mobility"]
    assert set(latest.diff_against(latest.prev_record).changed_fields) >= {"motivation", "languages"}
    page = journal(client_for("manager"), dossier=dossier.pk, kind="dossiers.diagnostic")
    assert "Modification" in page and "Création" in page
    assert "motivation" in page and "langues étrangères" in page
    assert "Veut travailler à Berlin" not in page  # names of fields, never their values
    assert users["mobility"].get_full_name() in page

    # The workflow's step changes (the dossier's timeline) are in the log too, with their author.
    page = journal(client_for("manager"), dossier=dossier.pk, action="etape", user=users["mobility"].pk)
    assert "Changement d&#x27;étape" in page and "→ Diagnostic fait" in page


def test_sensitive_values_never_appear_in_the_log_page(client_for, users, dossier):
    fill_diagnostic(client_for("mobility"), dossier)
    fill_diagnostic(client_for("mobility"), dossier, **{"sensible-allergies": SECRET_ALLERGY + "-bis"})
    # A read of the sensitive items by a mobility counsellor is logged.
    client_for("mobility").get(reverse("dossiers:diagnostic", args=[dossier.pk]))
    assert SensitiveAccess.objects.filter(dossier=dossier, user=users["mobility"], action="lecture").exists()

    for role in ("manager", "admin"):
        page = journal(client_for(role))
        assert "allergies" in page  # the field is named…
        assert "Lecture des éléments sensibles" in page
        for secret in (SECRET_ALLERGY, SECRET_RECORD, SECRET_HEALTH):
            assert secret not in page  # …its value never shown


def test_document_upload_download_and_deletion_are_recorded(client_for, users, dossier):
    kind = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    client = client_for("assistant")
    response = client.post(reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]),
                           {f"piece{kind.pk}-file": uploaded_file_for_tests("piece.pdf", MINIMAL_PDF)})
    assert response.status_code == 302
    document = Document.objects.get(dossier=dossier)
    assert document.history.get().history_user == users["assistant"]

    response = client_for("reception").get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    assert response.status_code == 200
    download = SensitiveAccess.objects.get(action=SensitiveAccess.DOWNLOAD)
    assert download.user == users["reception"] and download.dossier_id == dossier.pk
    assert kind.name in download.item

    # A refused download (counsellor: 403; another structure: 404) is not a download.
    client_for("counsellor").get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    client_for("other_counsellor").get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    assert SensitiveAccess.objects.filter(action=SensitiveAccess.DOWNLOAD).count() == 1

    response = client_for("assistant").post(reverse("dossiers:document_delete", args=[dossier.pk, document.pk]))
    assert response.status_code == 302 and not Document.objects.exists()
    deletion = Document.history.filter(history_type="-").get()
    assert deletion.history_user == users["assistant"] and deletion.id == document.pk

    page = journal(client_for("manager"), dossier=dossier.pk)
    assert "Téléchargement d&#x27;un fichier" in page and kind.name in page
    assert "Suppression" in page


def test_an_automatic_change_is_shown_as_the_system(client_for, dossier):
    youth = dossier.youth
    youth.first_name = "Nouveau"
    youth.save()  # outside any request: no user
    assert youth.history.first().history_user is None
    page = journal(client_for("admin"), kind="dossiers.youth", action="~")
    assert "Système (tâche automatique)" in page


def test_filters_who_what_action_dossier_dates(client_for, users, dossier, other_structure):
    fill_diagnostic(client_for("mobility"), dossier)
    other = DossierFactory(structure=other_structure)
    manager = client_for("manager")

    by_user = table(journal(manager, user=users["mobility"].pk))
    assert f"n° {dossier.pk}<" in by_user and f"n° {other.pk}<" not in by_user
    by_dossier = table(journal(manager, dossier=other.pk))
    assert f"Dossier n° {other.pk}" in by_dossier and f"n° {dossier.pk}<" not in by_dossier
    only_reads = table(journal(manager, action="lecture"))
    assert "Lecture des éléments sensibles" in only_reads and "Création" not in only_reads
    only_youths = table(journal(manager, kind="dossiers.youth"))
    assert "Jeune n°" in only_youths and "Diagnostic de mobilité n°" not in only_youths
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Aucune action ne correspond" in journal(manager, date_from=tomorrow)
    assert "Aucune action ne correspond" not in journal(manager, date_to=tomorrow)
    # Dates in the wrong order: a clear message, no result.
    page = journal(manager, date_from=tomorrow, date_to=timezone.localdate().isoformat())
    assert "La date de fin doit être après la date de début" in page


def test_log_is_paginated(client_for, users):
    for index in range(60):
        Youth.objects.create(last_name=f"Nom{index}", first_name="Prénom", birth_date=date(2004, 1, 1))
    page = journal(client_for("manager"), kind="dossiers.youth")
    assert "Page 1 sur 2" in page and "60 actions" in page
    assert "Page 2 sur 2" in journal(client_for("manager"), kind="dossiers.youth", page=2)


@pytest.mark.parametrize("role,status", [
    ("counsellor", 403), ("other_counsellor", 403), ("reception", 403), ("mobility", 403),
    ("assistant", 403), ("manager", 200), ("admin", 200),
])
def test_only_managers_and_administrators_search_the_log(client, client_for, role, status):
    assert client_for(role).get(reverse("privacy:audit_log")).status_code == status
    client.logout()
    response = client.get(reverse("privacy:audit_log"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_menu_link_for_managers_only(client_for):
    assert 'href="/journal/"' in client_for("manager").get(reverse("dossiers:inbox")).content.decode()
    assert 'href="/journal/"' not in client_for("reception").get(reverse("dossiers:inbox")).content.decode()


def test_menu_view_shows_the_last_thirty_days_the_filters_reach_everything(client_for, users):
    old = Youth.objects.create(last_name="Ancien", first_name="Jeune", birth_date=date(2001, 5, 5))
    old.history.update(history_date=timezone.now() - timedelta(days=60))
    recent = Youth.objects.create(last_name="Récent", first_name="Jeune", birth_date=date(2003, 5, 5))
    manager = client_for("manager")
    page = journal(manager)
    assert f"Jeune n° {recent.pk}<" in table(page) and f"Jeune n° {old.pk}<" not in table(page)
    assert f"{timezone.localdate() - timedelta(days=30):%d/%m/%Y}" in page  # the period is shown in the filter
    page = journal(manager, date_from="")
    assert f"Jeune n° {old.pk}<" in table(page)
