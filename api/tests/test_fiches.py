"""The API of the missions locales: a fiche sent by a structure's information system, through the same
form and the same sending as the counsellor's (PostgreSQL, through the HTTP endpoints)."""
import pytest
from django.urls import reverse

from api.models import ApiCall, ApiFiche
from api.tests.conftest import ApiClient, fiche
from api.tokens import create_token, revoke
from dossiers.models import Dossier
from dossiers.workflow import State
from referrals.enums import ReferralStatus
from referrals.models import Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/fiches/"


def test_a_fiche_sent_by_the_system_opens_a_dossier_in_the_counsellors_name(api, users, structure):
    response = api.post(URL, fiche())
    assert response.status_code == 201, response.content
    data = response.json()
    referral = Referral.objects.get(pk=data["id"])
    assert referral.structure == structure and referral.counsellor == users["counsellor"]
    assert referral.status == ReferralStatus.SUBMITTED and data["status"] == "submitted"
    assert (referral.last_name, referral.phone, referral.qpv, referral.zrr) == ("Traoré", "06 12 34 56 78", True, False)
    assert data["outcome"] == "new" and data["dossier"]["step"] == State.RECEIVED
    assert data["dossier"]["step_label"] == State.RECEIVED.label
    assert Dossier.objects.get(pk=data["dossier"]["id"]).structure == structure
    # The young person appears in the counsellor's « Mes jeunes ».
    from conftest import log_in
    from django.test import Client

    page = log_in(Client(), users["counsellor"]).get(reverse("referrals:my_youths")).content.decode()
    assert "Traoré" in page or "TRAORÉ" in page


def test_the_fiche_may_name_another_counsellor_of_the_structure(api, users, structure):
    from tests.factories import UserFactory

    colleague = UserFactory(username="collegue", role="counsellor", structure=structure, email="lea@ml42.fr")
    response = api.post(URL, fiche(counsellor_email="LEA@ml42.fr"))
    assert response.status_code == 201
    assert Referral.objects.get(pk=response.json()["id"]).counsellor == colleague
    users["other_counsellor"].email = "lyon@ml69.fr"
    users["other_counsellor"].save()
    response = api.post(URL, fiche(counsellor_email="lyon@ml69.fr"))
    assert response.status_code == 400
    assert response.json()["errors"] == {"counsellor_email": ["Aucun conseiller actif de votre structure n'a ce courriel."]}


def test_the_forms_rules_answer_400_in_french_per_field(api):
    response = api.post(URL, fiche(birth_date="1950-01-01", postcode="42", motivation=..., consent=False,
                                   phone="12", email=...))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "la plateforme accueille les jeunes de 16 à 30 ans" in errors["birth_date"][0]
    assert errors["postcode"] == ["Le code postal doit comporter 5 chiffres (ex. 42000)."]
    assert errors["motivation"] == ["Ce champ est obligatoire pour envoyer la fiche."]
    assert errors["consent"] == ["Le consentement du jeune est obligatoire pour envoyer la fiche."]
    assert errors["phone"][0].startswith("Numéro de téléphone invalide")
    assert not Referral.objects.exists()


def test_dates_and_unknown_fields(api):
    response = api.post(URL, fiche(birth_date="30/02/2005", colour="bleu"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["birth_date"] == ["Saisissez une date valide."]
    assert errors["colour"] == ["Champ inconnu : voir la liste des champs de l'API."]
    birth = fiche()["birth_date"]
    french = f"{birth[8:10]}/{birth[5:7]}/{birth[:4]}"
    assert api.post(URL, fiche(birth_date=french)).status_code == 201


def test_a_young_person_with_an_open_dossier_gets_the_fiche_attached(api, users, structure):
    first = api.post(URL, fiche()).json()
    again = api.post(URL, fiche(first_name="NATHAN", last_name="traore", motivation="Autre projet"))
    assert again.status_code == 201
    data = again.json()
    assert data["outcome"] == "attached" and data["dossier"]["id"] == first["dossier"]["id"]
    assert "dossier en cours" in data["notice"]
    assert Dossier.objects.count() == 1 and Referral.objects.count() == 2


def test_an_idempotency_key_makes_a_retry_answer_the_same_without_a_second_fiche(api):
    first = api.post(URL, fiche(), HTTP_IDEMPOTENCY_KEY="9f0c7c1e-4c1f-4d55-9d4e-1c2b3a4d5e6f")
    retry = api.post(URL, fiche(), HTTP_IDEMPOTENCY_KEY="9f0c7c1e-4c1f-4d55-9d4e-1c2b3a4d5e6f")
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"] and retry.json()["status"] == first.json()["status"]
    assert Referral.objects.count() == 1 and ApiFiche.objects.count() == 1
    other = api.post(URL, fiche(first_name="Léa"), HTTP_IDEMPOTENCY_KEY="9f0c7c1e-4c1f-4d55-9d4e-1c2b3a4d5e6f")
    assert other.status_code == 422
    assert "déjà servi pour une autre fiche" in other.json()["errors"]["Idempotency-Key"][0]
    assert api.post(URL, fiche(first_name="Léa"), HTTP_IDEMPOTENCY_KEY="autre-cle").status_code == 201
    assert Referral.objects.count() == 2
    # A refused fiche does not use its key up: corrected, it is created.
    assert api.post(URL, fiche(postcode="1"), HTTP_IDEMPOTENCY_KEY="k3").status_code == 400
    assert api.post(URL, fiche(last_name="Martin"), HTTP_IDEMPOTENCY_KEY="k3").status_code == 201
    assert api.post(URL, fiche(), HTTP_IDEMPOTENCY_KEY="x" * 256).status_code == 400


def test_without_a_valid_token_401(api, token_and_key, users):
    assert ApiClient(None).post(URL, fiche()).status_code == 401
    assert ApiClient("ipm_faux").get(URL).status_code == 401
    wrong = ApiClient(None).client.get(URL, secure=True, HTTP_AUTHORIZATION="Bearer a b")
    assert wrong.status_code == 401 and "jeton" in wrong.json()["detail"].lower()
    assert api.get(URL).status_code == 200
    revoke(token_and_key[0], users["manager"])
    response = api.post(URL, fiche())
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert not Referral.objects.exists()


def test_plain_http_is_refused_in_production(api):
    response = api.post(URL, fiche(), secure=False)
    assert response.status_code == 403 and "HTTPS" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_a_structure_reads_its_own_fiches_only(api, users, other_structure):
    mine = api.post(URL, fiche()).json()
    _, lyon_key = create_token(structure=other_structure, name="i-milo Lyon", counsellor=users["other_counsellor"],
                               created_by=users["manager"])
    lyon = ApiClient(lyon_key)
    theirs = lyon.post(URL, fiche(first_name="Inès", last_name="Roux")).json()
    listing = api.get(URL).json()
    assert [row["id"] for row in listing["results"]] == [mine["id"]] and listing["count"] == 1
    detail = api.get(f"{URL}{mine['id']}/")
    assert detail.status_code == 200 and detail.json()["dossier"]["step"] == State.RECEIVED
    assert set(detail.json()) == {"id", "status", "status_label", "last_name", "first_name", "birth_date",
                                  "created_at", "submitted_at", "counsellor_email", "external_id", "dossier"}
    assert api.get(f"{URL}{theirs['id']}/").status_code == 404
    assert lyon.get(f"{URL}{mine['id']}/").status_code == 404
    assert api.get(f"{URL}{'9' * 20}/").status_code == 404
    assert api.get(URL + "?page=abc").status_code == 404


def test_every_call_is_logged_with_its_structure_not_its_body(api, structure, token_and_key):
    api.post(URL, fiche())
    api.get(URL)
    ApiClient("ipm_faux").get(URL)
    calls = list(ApiCall.objects.order_by("id").values_list("method", "path", "status", "structure_id"))
    assert calls == [("POST", URL, 201, structure.pk), ("GET", URL, 200, structure.pk), ("GET", URL, 401, None)]
    assert not any("Traoré" in repr(row) for row in ApiCall.objects.values())
    token_and_key[0].refresh_from_db()
    assert token_and_key[0].last_used_at is not None


def test_the_key_is_stored_as_a_hash_only(token_and_key):
    token, key = token_and_key
    from api.models import ApiToken

    assert key.startswith("ipm_") and len(key) > 40 and key.startswith(token.prefix)
    assert not any(key in repr(row) for row in ApiToken.objects.values())
    assert not any(key in repr(row) for row in ApiToken.history.values())


def test_throttled_per_token(api, settings, users, other_structure):
    from rest_framework.settings import api_settings

    from api.authentication import TokenRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    api_settings.reload()
    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        statuses = [api.get(URL).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = api.get(URL)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        # Another structure's token has its own count.
        _, key = create_token(structure=other_structure, name="Lyon", counsellor=users["other_counsellor"],
                              created_by=users["manager"])
        assert ApiClient(key).get(URL).status_code == 200
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": settings.IPM_API_RATE}}
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_the_openapi_schema_lists_the_endpoints_and_the_fields(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/v1/fiches/", "/api/v1/fiches/{id}/"} <= set(schema["paths"])
    post = schema["paths"]["/api/v1/fiches/"]["post"]
    assert {"201", "400", "422"} <= set(post["responses"])
    fields = schema["components"]["schemas"]["FicheInputRequest"]["properties"]
    assert {"last_name", "birth_date", "consent", "counsellor_email"} <= set(fields)
    assert schema["components"]["securitySchemes"]["jetonStructure"]["scheme"] == "bearer"
