"""« Mes données »: the young person downloads everything held about them (the article 15 export without
the team's notes and the sensitive items) and sends rectification requests that staff handle from a work list."""
import datetime
import html as html_module
import json

import pytest
from django.urls import reverse

from dossiers.models import Diagnostic, DossierEvent, SensitiveDiagnostic
from dossiers.workflow import State
from followup.tests.factories import FollowUpCallFactory
from privacy.rgpd import anonymise_youth, export_json
from space.models import RectificationRequest, RectificationStatus
from space.tests.factories import signed_in_client, youth_with_dossier

pytestmark = pytest.mark.django_db


def text(response):
    return html_module.unescape(response.content.decode())


@pytest.fixture
def lea(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    youth, dossier = youth_with_dossier(State.FOLLOW_UP, users["admin"])
    DossierEvent.objects.filter(dossier=dossier).update(comment="Note interne : à surveiller")
    FollowUpCallFactory(dossier=dossier, month=1, due_date=datetime.date.today(), notes="Note d'appel interne",
                        situation="emploi_cdi", reached=True)
    return youth, dossier


def test_the_young_person_downloads_their_data_without_the_teams_notes(client, users, lea):
    youth, dossier = lea
    signed_in_client(client, youth)
    page = text(client.get(reverse("space:my_data")))
    assert "Tout ce que nous gardons sur vous" in page and reverse("space:my_data_export", args=["pdf"]) in page
    response = client.get(reverse("space:my_data_export", args=["json"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["identity"]["enregistrements"][0]["last_name"] == "Martin"
    assert data["dossiers"]["enregistrements"][0]["id"] == dossier.pk
    assert data["calls"]["enregistrements"][0]["situation"] == "En emploi — CDI"
    raw = response.content.decode()
    assert "Note interne" not in raw and "Note d'appel interne" not in raw
    assert "notes internes de l'équipe" in data["timeline"]["remarque"]
    assert data["sensitive"]["enregistrements"] == [] and "demandez-la à la plateforme" in data["sensitive"]["remarque"]
    # Staff's export keeps them.
    staff = json.loads(export_json(youth, users["mobility"]))
    assert "Note d'appel interne" in json.dumps(staff, ensure_ascii=False)
    pdf = client.get(reverse("space:my_data_export", args=["pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("space:my_data_export", args=["xml"])).status_code == 404


def test_the_sensitive_items_are_never_in_the_young_persons_copy(client, users, lea):
    youth, dossier = lea
    diagnostic, _ = Diagnostic.objects.get_or_create(dossier=dossier)
    SensitiveDiagnostic.objects.create(diagnostic=diagnostic, allergies="Arachides", health_notes="Traitement X")
    signed_in_client(client, youth)
    raw = client.get(reverse("space:my_data_export", args=["json"])).content.decode()
    assert "Arachides" not in raw and "Traitement X" not in raw


def test_a_rectification_request_goes_to_staff_and_comes_back_handled(client, client_for, users, lea):
    youth, dossier = lea
    signed_in_client(client, youth)
    url = reverse("space:my_data")
    response = client.post(url, {"wrong": "", "correct": ""})
    assert response.status_code == 400 and "Dites-nous ce qui est inexact" in text(response)
    response = client.post(url, {"wrong": "Mon adresse est fausse", "correct": "12 rue de la Paix, Lyon"})
    assert response.status_code == 302
    client.post(url, {"wrong": "Mon adresse est fausse", "correct": "12 rue de la Paix, Lyon"})  # sent twice
    request_row = RectificationRequest.objects.get(youth=youth)
    page = text(client.get(url))
    assert "Envoyée, à traiter" in page and "12 rue de la Paix, Lyon" in page

    staff = client_for("reception")
    worklists = text(staff.get(reverse("dossiers:worklists")))
    assert "Demandes de rectification des jeunes" in worklists and reverse("space:rectifications") in worklists
    listing = text(staff.get(reverse("space:rectifications")))
    assert "1 demande à traiter" in listing and "Mon adresse est fausse" in listing
    assert reverse("dossiers:detail", args=[dossier.pk]) in listing
    handle = reverse("space:rectification_handle", args=[request_row.pk])
    staff.post(handle, {"note": ""})
    assert RectificationRequest.objects.get(pk=request_row.pk).status == RectificationStatus.OPEN
    staff.post(handle, {"note": "Adresse corrigée, merci !"})
    request_row.refresh_from_db()
    assert request_row.handled and request_row.handled_by == users["reception"] and request_row.handled_at
    assert "0 demande à traiter" in text(staff.get(reverse("space:rectifications")))
    assert "Adresse corrigée, merci !" in text(staff.get(reverse("space:rectifications") + "?vue=traitees"))
    signed_in_client(client, youth)
    page = text(client.get(url))
    assert "Traitée" in page and "Adresse corrigée, merci !" in page
    # The requests are part of the export, and erased with the rest.
    assert "Mon adresse est fausse" in client.get(reverse("space:my_data_export", args=["json"])).content.decode()


def test_a_young_person_sees_only_their_own_requests_and_never_the_work_list(client, users, lea):
    youth, _ = lea
    other, _ = youth_with_dossier(State.FILE_BUILDING, users["admin"], email="sami@exemple.fr")
    RectificationRequest.objects.create(youth=other, wrong="Secret de Sami", correct="x")
    signed_in_client(client, youth)
    assert "Secret de Sami" not in text(client.get(reverse("space:my_data")))
    assert "Secret de Sami" not in client.get(reverse("space:my_data_export", args=["json"])).content.decode()
    assert client.get(reverse("space:rectifications")).status_code == 403
    row = RectificationRequest.objects.get(youth=other)
    assert client.post(reverse("space:rectification_handle", args=[row.pk]), {"note": "x"}).status_code == 403
    assert not RectificationRequest.objects.get(pk=row.pk).handled


def test_the_erasure_scrubs_the_requests(users, lea):
    youth, dossier = lea
    RectificationRequest.objects.create(youth=youth, wrong="Mon nom", correct="Léa Martin", note="Fait")
    anonymise_youth(youth)
    row = RectificationRequest.objects.get(youth=youth)
    assert (row.wrong, row.correct, row.note) == ("", "", "")
