"""The page of the API tokens: a manager creates a structure's token (its key shown once), sees the list,
revokes one after confirmation; the key works until then."""
import re

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_manager_creates_sees_once_and_revokes_a_token(client_for, users, structure):
    manager = client_for("manager")
    form = manager.get(reverse("api:token_create")).content.decode()
    submission = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', form).group(1)
    response = manager.post(reverse("api:token_create"), {
        "structure": structure.pk, "name": "i-milo", "counsellor": users["counsellor"].pk,
        "submission_token": submission,
    })
    assert response.status_code == 200
    page = response.content.decode()
    key = re.search(r'value="(ipm_[^"]+)"', page).group(1)
    assert "ne sera plus jamais affichée" in page
    token = ApiToken.objects.get()
    assert token.structure == structure and token.created_by == users["manager"] and key not in token.key_hash
    # Sent twice (double click): one token.
    again = manager.post(reverse("api:token_create"), {
        "structure": structure.pk, "name": "i-milo", "counsellor": users["counsellor"].pk,
        "submission_token": submission,
    })
    assert again.status_code == 302 and ApiToken.objects.count() == 1
    listing = manager.get(reverse("api:tokens")).content.decode()
    assert "i-milo" in listing and token.prefix in listing and key not in listing
    assert ApiClient(key).get("/api/v1/fiches/").status_code == 200
    confirm = manager.get(reverse("api:token_revoke", args=[token.pk])).content.decode()
    assert "Révoquer le jeton" in confirm
    assert ApiToken.objects.get().revoked_at is None  # opening the confirmation revokes nothing
    response = manager.post(reverse("api:token_revoke", args=[token.pk]), follow=True)
    assert "est révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == users["manager"]
    assert ApiClient(key).get("/api/v1/fiches/").status_code == 401


def test_the_counsellor_must_belong_to_the_structure(client_for, users, structure):
    response = client_for("manager").post(reverse("api:token_create"), {
        "structure": structure.pk, "name": "i-milo", "counsellor": users["other_counsellor"].pk,
    })
    assert response.status_code == 200
    assert "Choisissez un conseiller de cette structure" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["counsellor", "reception", "mobility", "assistant"])
def test_only_managers_and_administrators_see_the_tokens(client_for, role):
    assert client_for(role).get(reverse("api:tokens")).status_code == 403


def test_the_audit_journal_shows_each_call_with_its_structure_and_the_tokens_life(client_for, api, token_and_key):
    api.post("/api/v1/fiches/", {"last_name": "Traoré"})
    api.get("/api/v1/fiches/")
    page = client_for("manager").get(reverse("privacy:audit_log")).content.decode()
    assert "API : Mission Locale de Saint-Étienne" in page
    assert "POST /api/v1/fiches/ → 400" in page and "GET /api/v1/fiches/ → 200" in page
    assert f"Jeton d&#x27;api n° {token_and_key[0].pk}" in page  # its creation, by whom
    assert "Traoré" not in page  # the body is never logged
    only_api = client_for("manager").get(reverse("privacy:audit_log"), {"kind": "api.apicall"}).content.decode()
    assert only_api.count("API : Mission Locale") == 2
