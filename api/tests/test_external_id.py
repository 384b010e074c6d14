"""The young person's identifier in the structure's own system (``external_id``): sent with the fiche,
kept, read back, searched by — within the structure only — and erased with the young person."""
import pytest
from django.test import Client
from django.urls import reverse

from api.tests.conftest import fiche
from conftest import log_in
from dossiers.models import Dossier
from privacy import rgpd
from referrals.models import Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/fiches/"


def test_the_identifier_is_kept_and_read_back(api, users):
    response = api.post(URL, fiche(external_id="  IMILO-0042  "))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["external_id"] == "IMILO-0042"
    assert Referral.objects.get(pk=data["id"]).external_id == "IMILO-0042"
    assert api.get(f"{URL}{data['id']}/").json()["external_id"] == "IMILO-0042"
    assert api.get(URL).json()["results"][0]["external_id"] == "IMILO-0042"
    # A number is taken as its text; without one, the field is empty.
    assert api.post(URL, fiche(first_name="Léa", last_name="Roux", external_id=1234)).json()["external_id"] == "1234"
    assert api.post(URL, fiche(first_name="Inès", last_name="Petit")).json()["external_id"] == ""
    # The staff read it on the dossier's page.
    page = log_in(Client(), users["manager"]).get(reverse("dossiers:detail", args=[data["dossier"]["id"]]))
    text = page.content.decode()
    assert "Identifiant dans le système de la structure" in text and "IMILO-0042" in text


def test_the_system_finds_its_young_persons_fiches_by_it_within_its_structure_only(api, lyon):
    first = api.post(URL, fiche(external_id="1234")).json()
    api.post(URL, fiche(first_name="Léa", last_name="Roux", external_id="5678"))
    again = api.post(URL, fiche(motivation="Un autre projet", external_id="1234")).json()  # attached to the open dossier
    theirs = lyon.post(URL, fiche(first_name="Inès", last_name="Petit", external_id="1234")).json()
    found = api.get(URL + "?external_id=1234").json()
    assert [row["id"] for row in found["results"]] == [again["id"], first["id"]] and found["count"] == 2
    # Lyon's « 1234 » is another young person: each system sees its own only.
    assert [row["id"] for row in lyon.get(URL + "?external_id=1234").json()["results"]] == [theirs["id"]]
    assert api.get(URL + "?external_id=0000").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_an_invalid_identifier_is_refused_in_french(api):
    for bad in ("x" * 65, "12\x0034", "ligne\nsuivante"):
        response = api.post(URL, fiche(external_id=bad))
        assert response.status_code == 400
        assert response.json()["errors"]["external_id"][0].startswith("L'identifiant du jeune dans votre système")
    assert api.post(URL, fiche(external_id=["1234"])).json()["errors"]["external_id"] == [
        "Valeur attendue : un texte, un nombre ou un booléen."]
    assert not Referral.objects.exists()
    assert api.post(URL, fiche(external_id="x" * 64)).status_code == 201
    for query in ("?external_id=" + "x" * 65, "?external_id=", "?external_id=%20", "?external_id=a%0Ab"):
        response = api.get(URL + query)
        assert response.status_code == 400, query
        assert "external_id" in response.json()["errors"]
    assert api.get(URL + "?external_id=%00").status_code == 400  # (a NUL: refused by ipm's middleware)


def test_a_retry_with_its_key_is_still_one_fiche_with_the_identifier(api):
    key = {"HTTP_IDEMPOTENCY_KEY": "3f1c8a52-8f0e-4b47-a9c3-1f0e4b47a9c3"}
    first = api.post(URL, fiche(external_id="IMILO-7"), **key)
    retry = api.post(URL, fiche(external_id="IMILO-7"), **key)
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"] and retry.json()["external_id"] == "IMILO-7"
    assert Referral.objects.filter(external_id="IMILO-7").count() == 1 and Referral.objects.count() == 1
    # The same key with another identifier is another fiche: refused.
    assert api.post(URL, fiche(external_id="IMILO-8"), **key).status_code == 422
    assert api.get(URL + "?external_id=IMILO-7").json()["count"] == 1


def test_the_erasure_of_the_young_person_erases_the_identifier(api):
    data = api.post(URL, fiche(external_id="IMILO-0042")).json()
    referral = Referral.objects.get(pk=data["id"])
    referral.comments = "une modification"
    referral.save()  # a history row holding the identifier too
    assert Referral.history.filter(id=referral.pk, external_id="IMILO-0042").exists()
    rgpd.anonymise_youth(Dossier.objects.get(pk=data["dossier"]["id"]).youth)
    referral.refresh_from_db()
    assert referral.external_id == ""
    assert not Referral.history.filter(id=referral.pk, external_id="IMILO-0042").exists()
    assert api.get(URL + "?external_id=IMILO-0042").json()["count"] == 0


def test_the_schema_has_the_identifier(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "external_id" in schema["components"]["schemas"]["FicheInputRequest"]["properties"]
    assert "external_id" in schema["components"]["schemas"]["Fiche"]["properties"]
    assert "external_id" in {p["name"] for p in schema["paths"]["/api/v1/fiches/"]["get"]["parameters"]}
