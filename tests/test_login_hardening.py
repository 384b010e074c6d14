"""Logging in under hostile input: over-long identifiers, one password tried on every account (throttle of
one address across accounts), and the session key renewed once the second factor is given."""
import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from conftest import totp_device
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- Over-long or odd identifiers ----------------------------------------------------------------------


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_over_long_username_is_refused_with_a_french_message(client, users, length):
    response = login(client, "a" * length)
    assert response.status_code == 200
    page = response.content.decode()
    assert "L&#x27;identifiant ne peut pas dépasser 150 caractères" in page
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()  # nothing tried, nothing logged


def test_the_longest_allowed_username_is_still_tried(client, users):
    response = login(client, "a" * 150, "mauvais mot de passe")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert AccessAttempt.objects.filter(username="a" * 150).exists()


def test_the_admin_login_refuses_an_over_long_username_too(client, users):
    response = client.post("/admin/login/", {"username": "a" * 256, "password": "x"})
    assert response.status_code == 200
    assert "L&#x27;identifiant ne peut pas dépasser 150 caractères" in response.content.decode()


@pytest.mark.parametrize("username,password", [("conseil\x00ler", TEST_PASSWORD), ("conseiller", "mot\x00de passe"),
                                               ("", ""), ("conseiller", "x" * 100_000)])
def test_odd_credentials_give_the_form_again(client, users, username, password):
    response = login(client, username, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- One address trying many accounts -----------------------------------------------------------------


def test_failed_logins_on_many_accounts_from_one_address_lock_that_address(client, users, settings):
    limit = settings.IPM_LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # One password tried on many accounts, once each: no single account reaches its own limit…
    for number in range(limit - 1):
        assert login(client, f"compte{number}", "Printemps2026!").status_code == 200
    # …and one short of the address's limit a real user of the same office still gets in.
    assert login(client, "conseiller").status_code == 302
    client.logout()
    response = login(client, "compte-dernier", "Printemps2026!")
    assert response.status_code == 429
    # Now every login from that address is refused, even a right password, with the French page.
    response = login(client, "accueil")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion temporairement bloquée" in page and "depuis votre réseau" in page
    assert "_auth_user_id" not in client.session
    # Another address is not concerned.
    assert login(Client(), "conseiller", REMOTE_ADDR="10.1.2.3").status_code == 302
    # After the cool-off, the address may log in again.
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)):
        assert login(Client(), "conseiller").status_code == 302


def test_one_account_still_locks_on_its_own_limit_with_its_own_page(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "conseiller", "mauvais mot de passe")
    response = login(client, "conseiller")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Compte temporairement bloqué" in page and "depuis votre réseau" not in page
    # The address is not locked for the others.
    assert login(Client(), "conseiller_lyon").status_code == 302


# --- The second factor renews the session key -----------------------------------------------------------


def test_the_session_key_changes_when_the_code_is_accepted(client, users):
    device = totp_device(users["manager"])
    login(client, "responsable")
    before = client.session.session_key
    response = client.post(reverse("otp_verify"), {"token": code(device), "next": "/dossiers/"})
    assert response.status_code == 302 and response.url == "/dossiers/"
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(reverse("dossiers:inbox")).status_code == 200  # verified under the new key
    # The old key is worth nothing: a browser holding it is not signed in.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(reverse("dossiers:inbox")).status_code == 302


def test_the_session_key_changes_when_an_authenticator_is_registered(client, users):
    login(client, "accueil")
    client.get(reverse("otp_setup"))
    before = client.session.session_key
    device = users["reception"].totpdevice_set.get(confirmed=False)
    response = client.post(reverse("otp_setup"), {"token": code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("dossiers:inbox")).status_code == 200


@pytest.mark.parametrize("next_url", ["foo", "//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_the_code_page_follows_only_paths_of_this_site(client, users, next_url):
    device = totp_device(users["manager"])
    login(client, "responsable")
    response = client.post(reverse("otp_verify"), {"token": code(device), "next": next_url})
    assert response.status_code == 302 and response.url == reverse("home")
