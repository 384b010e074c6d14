"""Pages showing personal data are not cached (Cache-Control: private, no-store); a refused form (CSRF) gives
a French page."""
import pytest
from django.test import Client
from django.urls import reverse

from conftest import log_in
from dossiers.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(structure, users):
    return DossierFactory(structure=structure, referring_counsellor=users["counsellor"])


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("role,url_name", [
    ("reception", "dossiers:inbox"), ("reception", "dossiers:detail"), ("counsellor", "dossiers:detail"),
    ("counsellor", "referrals:my_youths"), ("manager", "dossiers:detail"),
])
def test_pages_of_a_signed_in_user_are_not_kept_by_any_cache(client_for, dossier, role, url_name):
    url = reverse(url_name, args=[dossier.pk]) if url_name == "dossiers:detail" else reverse(url_name)
    response = client_for(role).get(url)
    assert response.status_code == 200
    assert cache_directives(response) == {"private", "no-store"}


def test_redirects_and_error_pages_of_a_signed_in_user_too(client_for, dossier, other_structure):
    client = client_for("counsellor")
    other = DossierFactory(structure=other_structure)
    response = client.get(reverse("dossiers:detail", args=[other.pk]))  # another structure's: 404
    assert response.status_code == 404 and cache_directives(response) == {"private", "no-store"}
    response = client.get(reverse("home"))
    assert response.status_code == 302 and cache_directives(response) == {"private", "no-store"}


def test_a_page_that_sets_its_own_cache_control_keeps_it(client_for):
    # The login page is marked never_cache by Django: its header is kept as it is, signed in or not.
    expected = cache_directives(Client().get(reverse("login")))
    assert {"no-store", "private", "no-cache"} <= expected
    assert cache_directives(client_for("reception").get(reverse("login"))) == expected


def test_anonymous_pages_are_not_affected(client):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200 and "Cache-Control" not in response


def test_a_signed_in_user_page_has_no_store_even_before_the_second_factor(client, users):
    client.force_login(users["reception"])  # password given, code not yet: the setup page shows a secret
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 200 and cache_directives(response) == {"private", "no-store"}


# --- CSRF -----------------------------------------------------------------------------------------------


def test_a_form_without_its_csrf_token_gets_the_french_page(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "conseiller", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    # The whole page of the site (rendered with the request: platform name, menu), not a bare template.
    assert f"<title>Formulaire expiré — {settings.IPM_PLATFORM_NAME}</title>" in page
    assert "Formulaire expiré" in page and "rechargez-la" in page and "Rien n'a été modifié" in page
    assert "CSRF" not in page  # no technical wording


@pytest.mark.parametrize("referer,back", [
    ("http://testserver/comptes/login/?next=/dossiers/", "/comptes/login/?next=/dossiers/"),
    ("https://evil.example/comptes/login/", None), ("//evil.example/x", None), ("", None),
])
def test_the_csrf_page_leads_back_to_the_form_of_this_site_only(referer, back):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x"}, HTTP_REFERER=referer)
    assert response.status_code == 403
    links = response.content.decode()
    if back:
        assert f'href="{back}">Revenir à la page du formulaire</a>' in links
    else:
        assert "Revenir à la page du formulaire" not in links and "evil" not in links


def test_a_signed_in_user_posting_a_stale_form_is_refused_and_nothing_changes(users, dossier):
    client = log_in(Client(enforce_csrf_checks=True), users["reception"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403 and "Formulaire expiré" in response.content.decode()
    assert "Se déconnecter" in response.content.decode()  # the signed-in user's menu
    assert client.get(reverse("dossiers:inbox")).status_code == 200  # still signed in
    # With the page's token, the same form goes through.
    client.get(reverse("dossiers:inbox"))
    token = client.cookies["csrftoken"].value
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
