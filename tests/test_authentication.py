"""Logging in: two-factor (TOTP) for staff, managers and administrators; lockout after failed attempts."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_device
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def password_login(client, username, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_must_register_an_authenticator_then_give_its_code(client, users):
    response = password_login(client, "accueil")
    assert response.status_code == 302
    # Every page leads to the registration of an authenticator app first.
    response = client.get(reverse("dossiers:inbox"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_setup"))
    page = client.get(response.url).content.decode()
    assert "Activer la double authentification" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=users["reception"], confirmed=False)
    response = client.post(reverse("otp_setup"), {"token": "000000", "next": "/dossiers/"})
    assert "Code incorrect ou expiré" in response.content.decode()
    # Right after a wrong code, guessing again at once is refused (throttling)…
    response = client.post(reverse("otp_setup"), {"token": code(device), "next": "/dossiers/"})
    assert "attendez quelques secondes" in response.content.decode()
    # …a few seconds later the right code is accepted.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        response = client.post(reverse("otp_setup"), {"token": code(device), "next": "/dossiers/"})
        # Then the backup codes, shown once, and on to the page asked for.
        assert response.status_code == 302 and response.url == f"{reverse('otp_backup_codes')}?next=/dossiers/"
    assert 'href="/dossiers/"' in client.get(response.url).content.decode()
    assert client.get(reverse("dossiers:inbox")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_next_login_asks_for_the_code(client, users):
    device = totp_device(users["manager"])
    password_login(client, "responsable")
    response = client.get(reverse("dossiers:inbox"))
    assert response.url.startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_verify"), {"token": "123"}).status_code == 200
    assert client.get(reverse("dossiers:inbox")).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        response = client.post(reverse("otp_verify"), {"token": code(device), "next": "https://evil.example/"})
        assert response.url == reverse("home")  # no redirection to another site
        assert client.get(reverse("dossiers:inbox")).status_code == 200


def test_counsellors_log_in_with_their_password_alone(client, users):
    password_login(client, "conseiller")
    assert client.get(reverse("referrals:my_youths")).status_code == 200


def test_logout_is_possible_before_the_second_factor(client, users):
    password_login(client, "admin")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_repeated_failed_logins_lock_the_account(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(client, "conseiller", "mauvais mot de passe")
    response = password_login(client, "conseiller")  # even the right password is refused now
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 4 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST


def test_changing_ones_password_is_a_page_of_the_application_in_french(client_for):
    client = client_for("counsellor")
    page = client.get(reverse("password_change")).content.decode()
    assert "<h1 class=\"h3 mb-3\">Changer mon mot de passe</h1>" in page
    assert "Mot de passe actuel" in page or "Ancien mot de passe" in page
    assert "Administration de Django" not in page and "breadcrumbs" not in page  # not the admin's page
    refused = client.post(reverse("password_change"), {"old_password": "faux", "new_password1": "Un-nouveau-mot-42",
                                                       "new_password2": "Un-nouveau-mot-42"})
    assert refused.status_code == 200
    assert "Le mot de passe n'a pas été changé. À corriger :" in refused.content.decode()


def test_passwords_are_hashed_with_argon2id_and_older_hashes_are_upgraded_at_sign_in(client, users, settings):
    from django.contrib.auth.hashers import make_password

    from config import settings as production
    from tests.factories import UserFactory

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the suite hashes with MD5 for speed

    fresh = UserFactory(username="nouvelle")
    assert fresh.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    counsellor = users["counsellor"]
    type(counsellor).objects.filter(pk=counsellor.pk).update(password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256"))
    counsellor.refresh_from_db()
    assert counsellor.password.startswith("pbkdf2_sha256$")
    assert password_login(client, counsellor.username).status_code == 302  # the old hash still works…
    counsellor.refresh_from_db()
    assert counsellor.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")  # …and is replaced at once
    client.logout()
    assert password_login(client, counsellor.username).status_code == 302
    # A hash of the first OWASP setting (used before) is accepted and replaced too.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    class FirstSetting(Argon2PasswordHasher):
        time_cost, memory_cost, parallelism = 1, 47104, 1

    type(counsellor).objects.filter(pk=counsellor.pk).update(password=FirstSetting().encode(TEST_PASSWORD, FirstSetting().salt()))
    client.logout()
    assert password_login(client, counsellor.username).status_code == 302
    counsellor.refresh_from_db()
    assert counsellor.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
