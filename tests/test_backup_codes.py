"""Backup codes of the second factor, through the pages: ten codes shown once at enrolment, each accepted
once instead of the authenticator's code (under the same throttle), regenerated on demand (the old ones
stop working), and an administrator's reset that forces a new enrolment and is written in the journal."""
import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import log_in, totp_device
from ipm.models import AccountEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
CODE = re.compile(r"<li class=\"col\">([a-z2-7]{4} [a-z2-7]{4})</li>")


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def later(seconds=10):
    """After django-otp's throttle delay."""
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds))


def password_login(client, username):
    assert client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD}).status_code == 302


def enrol(client, user):
    """Register an authenticator through the pages; returns (device, the codes page's codes)."""
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("otp_setup"), {"token": code(device), "next": "/dossiers/"})
    assert response.status_code == 302 and response.url == f"{reverse('otp_backup_codes')}?next=/dossiers/"
    page = client.get(response.url).content.decode()
    return device, CODE.findall(page), page


def verify(username, token):
    client = Client()
    password_login(client, username)
    return client, client.post(reverse("otp_verify"), {"token": token, "next": "/dossiers/"})


def test_ten_codes_are_shown_once_at_enrolment(client, users):
    password_login(client, "accueil")
    device, codes, page = enrol(client, users["reception"])
    assert len(codes) == len(set(codes)) == 10
    assert "Ces codes ne vous seront plus jamais affichés." in page
    assert "data-print-codes" in page and "data-copy-codes" in page and 'href="/dossiers/"' in page
    assert StaticToken.objects.filter(device__user=users["reception"]).count() == 10
    # Shown once: the page opened again shows none of them.
    again = client.get(reverse("otp_backup_codes")).content.decode()
    assert CODE.findall(again) == [] and "ont déjà été affichés" in again
    assert not any(c in again for c in codes)
    # The security page (linked from every page) counts them, never shows them.
    assert f'href="{reverse("account_security")}"' in client.get(reverse("dossiers:inbox")).content.decode()
    security = client.get(reverse("account_security")).content.decode()
    assert "<strong>10</strong> sur 10" in security and not any(c in security for c in codes)


def test_a_backup_code_works_once_instead_of_the_authenticator_s_code(client, users):
    password_login(client, "accueil")
    _device, codes, _page = enrol(client, users["reception"])
    first = codes[0]
    signed_in, response = verify("accueil", first.upper().replace(" ", "-"))  # any case, a dash or a space
    assert response.status_code == 302 and response.url == "/dossiers/"
    inbox = signed_in.get(reverse("dossiers:inbox"))
    assert inbox.status_code == 200 and "Code de secours accepté : il ne servira plus. Il vous en reste 9" in \
        inbox.content.decode()
    assert AccountEvent.objects.filter(action=AccountEvent.CODE_USED, account=users["reception"]).count() == 1
    # The same code a second time: refused, the session stays unverified.
    with later():
        refused_client, refused = verify("accueil", first)
    assert refused.status_code == 200 and "un code de secours que vous n&#x27;avez pas encore utilisé" in \
        refused.content.decode()
    assert refused_client.get(reverse("dossiers:inbox")).status_code == 302
    # Another code still works.
    with later(20):
        _client, response = verify("accueil", codes[1])
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=users["reception"]).count() == 8


def test_backup_codes_share_the_authenticator_s_throttle(client, users):
    password_login(client, "accueil")
    device, codes, _page = enrol(client, users["reception"])
    client, response = verify("accueil", "zzzz-zzzz")  # a wrong backup code…
    assert response.status_code == 200
    response = client.post(reverse("otp_verify"), {"token": codes[0], "next": "/dossiers/"})
    assert "attendez quelques secondes" in response.content.decode()  # …then even a right one waits
    response = client.post(reverse("otp_verify"), {"token": code(device), "next": "/dossiers/"})
    assert "attendez quelques secondes" in response.content.decode()  # and so does the authenticator's
    assert StaticToken.objects.filter(device__user=users["reception"]).count() == 10  # nothing consumed
    with later():
        response = client.post(reverse("otp_verify"), {"token": codes[0], "next": "/dossiers/"})
    assert response.status_code == 302


def test_regenerating_asks_first_then_invalidates_the_old_codes(client, users):
    password_login(client, "accueil")
    _device, old_codes, _page = enrol(client, users["reception"])
    url = reverse("otp_backup_codes_regenerate")
    page = client.get(url).content.decode()
    assert "ne fonctionneront plus" in page and 'name="confirm"' in page
    # Not confirmed: nothing changes.
    assert client.post(url, {}).status_code == 302
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(c.replace(" ", "") for c in old_codes)
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and response.url.startswith(reverse("otp_backup_codes"))
    new_codes = CODE.findall(client.get(response.url).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert AccountEvent.objects.filter(action=AccountEvent.CODES_REGENERATED, account=users["reception"]).exists()
    with later():
        _c, response = verify("accueil", old_codes[0])
    assert response.status_code == 200  # an old code is worth nothing now
    with later(20):
        _c, response = verify("accueil", new_codes[0])
    assert response.status_code == 302


def test_an_administrator_s_reset_forces_a_new_enrolment_and_is_in_the_journal(client, users):
    account = users["manager"]
    device = totp_device(account)
    signed_in = log_in(Client(), account)  # an open, verified session of the account
    assert signed_in.get(reverse("reporting:index")).status_code == 200
    admin = log_in(client, users["admin"])
    changelist = reverse("admin:ipm_user_changelist")
    asked = admin.post(changelist, {"action": "reset_second_factor", "_selected_action": [account.pk]})
    assert asked.status_code == 200 and "Oui, réinitialiser" in asked.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # asked first, nothing done yet
    done = admin.post(changelist, {"action": "reset_second_factor", "_selected_action": [account.pk],
                                   "confirm": "oui"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=account).exists()
    # The open session must enrol again before any page.
    response = signed_in.get(reverse("reporting:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_setup"))
    # In the audit journal: who reset whose second factor.
    event = AccountEvent.objects.get(action=AccountEvent.RESET_2FA)
    assert (event.account, event.actor) == (account, users["admin"])
    journal = admin.get(reverse("privacy:audit_log")).content.decode()
    assert "Réinitialisation de la double authentification" in journal and "Compte responsable" in journal
    filtered = admin.get(reverse("privacy:audit_log"), {"kind": "ipm.accountevent"}).content.decode()
    assert "Compte responsable" in filtered


def test_the_reset_is_refused_to_people_outside_the_admin(client, users):
    account = users["reception"]
    totp_device(account)
    log_in(client, users["manager"])
    response = client.post(reverse("admin:ipm_user_changelist"),
                           {"action": "reset_second_factor", "_selected_action": [account.pk], "confirm": "oui"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert TOTPDevice.objects.filter(user=account).exists()
    assert not AccountEvent.objects.exists()
