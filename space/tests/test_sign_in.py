"""Signing in without a password: the link asked for with the email or phone on file, sent through
the outbox, single use, valid 30 minutes; the same answer for an unknown address; the rate limit; the
session that ends after 30 minutes without a request."""
import datetime
import html as html_module

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dossiers.workflow import State
from followup.enums import Channel
from followup.models import SentMessage
from followup.outbox import deliver
from ipm.enums import Role
from ipm.twofactor import requires_2fa
from space.models import YouthAccount
from space.services import LINK_KIND, SAME_ANSWER, account_for
from space.tests.factories import last_link, token_of, youth_with_dossier

pytestmark = pytest.mark.django_db

LOGIN = reverse("space:login")
HOME = reverse("space:home")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lea(users):
    youth, _ = youth_with_dossier(State.FILE_BUILDING, users["admin"])
    return youth


def text(response):
    return html_module.unescape(response.content.decode())


def ask(client, address, ip="203.0.113.7"):
    return client.post(LOGIN, {"address": address}, REMOTE_ADDR=ip)


def links_sent():
    return SentMessage.objects.filter(kind=LINK_KIND).count()


def sign_in_with(client, link):
    page = client.get(link)
    assert page.status_code == 200
    assert "Entrer dans mon espace" in text(page)
    return client.post(reverse("space:link"), {"sesame": token_of(link)})


def test_a_known_email_gets_a_link_by_email_and_the_page_says_the_same_sentence(client, lea):
    response = ask(client, "  LEA.Martin@exemple.fr ")
    assert response.status_code == 200
    assert SAME_ANSWER in text(response)
    message = SentMessage.objects.get(kind=LINK_KIND)
    assert message.channel == Channel.EMAIL and message.recipient == "lea.martin@exemple.fr"
    assert "/espace/lien/?sesame=" in message.body and "30 minutes" in message.body
    account = YouthAccount.objects.get(youth=lea)
    assert account.user.role == Role.YOUTH and not account.user.has_usable_password()
    # The outbox sends it as every other message.
    assert deliver(message.pk) == ("sent", None)
    assert mail.outbox[-1].to == ["lea.martin@exemple.fr"] and "/espace/lien/?sesame=" in mail.outbox[-1].body
    # Once sent, the stored text no longer holds the live link (staff read « Messages »).
    message.refresh_from_db()
    assert "sesame" not in message.body and "retiré après l'envoi" in message.body


def test_an_unknown_address_gets_the_very_same_answer_and_nothing_is_sent(client, lea):
    known = text(ask(client, "lea.martin@exemple.fr"))
    cache.clear()
    unknown = text(ask(client, "personne@exemple.fr"))
    assert SAME_ANSWER in unknown
    assert links_sent() == 1
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731 — the token differs
    assert strip(known) == strip(unknown)
    assert not YouthAccount.objects.exclude(youth=lea).exists()


def test_a_phone_number_on_file_without_email_gets_the_link_by_sms(client, users):
    youth, _ = youth_with_dossier(State.RECEIVED, users["admin"], email="", phone="06 12 34 56 78")
    response = ask(client, "+33 6 12 34 56 78")
    assert SAME_ANSWER in text(response)
    message = SentMessage.objects.get(kind=LINK_KIND)
    assert message.channel == Channel.SMS and message.recipient == "+33612345678"  # E.164; asked for: no consent needed
    assert "/espace/lien/?sesame=" in message.body


def test_an_empty_address_is_an_error_tied_to_the_field(client, lea):
    response = ask(client, "")
    assert response.status_code == 400
    html = text(response)
    assert 'aria-invalid="true"' in html and 'id="id_address-erreur"' in html
    assert "Indiquez votre adresse e-mail" in html
    assert links_sent() == 0


def test_requests_are_limited_per_address_and_per_ip_with_the_same_answer(client, lea):
    for _ in range(5):
        ask(client, "lea.martin@exemple.fr")
    assert links_sent() == 5
    response = ask(client, "lea.martin@exemple.fr", ip="198.51.100.9")  # another IP: the address is limited
    html = text(response)
    assert SAME_ANSWER in html and "Trop de demandes en peu de temps. Réessayez dans 15 minutes, ou appelez la plateforme" in html
    assert links_sent() == 5
    # Per IP: five different addresses from one machine, then the sixth is refused too.
    cache.clear()
    for n in range(5):
        ask(client, f"inconnu{n}@exemple.fr", ip="192.0.2.1")
    assert "Trop de demandes en peu de temps. Réessayez dans 15 minutes, ou appelez la plateforme" in text(ask(client, "lea.martin@exemple.fr", ip="192.0.2.1"))
    assert links_sent() == 5
    # The window passes: a link again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        cache.clear()  # the local-memory cache does not follow the travelling clock: what expiry does
        ask(client, "lea.martin@exemple.fr", ip="192.0.2.1")
    assert links_sent() == 6


def test_the_link_signs_in_once_only(client, lea):
    ask(client, "lea.martin@exemple.fr")
    link = last_link(lea)
    response = sign_in_with(client, link)
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200
    client.logout()
    again = client.post(reverse("space:link"), {"sesame": token_of(link)})
    assert again.status_code == 410
    assert "plus valable" in text(again)
    assert client.get(HOME).status_code == 302


def test_opening_the_link_does_not_spend_it(client, lea):
    """Mail scanners open links: only pressing the button signs in."""
    ask(client, "lea.martin@exemple.fr")
    link = last_link(lea)
    client.get(link)
    client.get(link)
    assert sign_in_with(client, link).url == HOME


def test_the_link_expires_after_30_minutes(client, lea):
    ask(client, "lea.martin@exemple.fr")
    link = last_link(lea)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = client.post(reverse("space:link"), {"sesame": token_of(link)})
    assert response.status_code == 410
    assert client.get(HOME).status_code == 302


def test_a_tampered_link_is_refused(client, lea):
    ask(client, "lea.martin@exemple.fr")
    token = token_of(last_link(lea))
    assert client.post(reverse("space:link"), {"sesame": token[:-2] + "xx"}).status_code == 410


def test_the_session_ends_after_30_minutes_without_a_request(client, lea):
    ask(client, "lea.martin@exemple.fr")
    start = timezone.now()
    sign_in_with(client, last_link(lea))
    # Active: each request pushes the end back.
    with time_machine.travel(start + datetime.timedelta(minutes=25)):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=50)):
        assert client.get(HOME).status_code == 200
    # Idle for 31 minutes: signed out.
    with time_machine.travel(start + datetime.timedelta(minutes=82)):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("space:login"))


def test_a_link_from_a_message_opened_signed_out_leads_to_the_space_sign_in_page(client, lea):
    """The messages link to the page of the step (« Mes pièces »…): signed out, the young person lands on
    their own sign-in page — not on the staff's login, which asks for a password they do not have."""
    pieces = reverse("space:pieces", args=[lea.dossiers.first().pk])
    response = client.get(pieces)
    assert response.status_code == 302
    assert response.url.startswith(reverse("space:login")) and "next=" in response.url
    page = client.get(response.url).content.decode()
    assert "Recevoir mon lien" in page and "Mot de passe" not in page
    # A staff page still leads to the staff login.
    assert client.get(reverse("dossiers:inbox")).url.startswith(reverse("login"))


def test_a_youth_lands_on_the_space_and_never_needs_a_second_factor(client, lea):
    user = account_for(lea).user
    assert not requires_2fa(user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == HOME


def test_staff_send_the_link_from_the_dossier_page(client, users, client_for):
    youth, dossier = youth_with_dossier(State.RECEIVED, users["admin"])
    url = reverse("space:send_link", args=[dossier.pk])
    assert client_for("counsellor").post(url).status_code == 403
    assert links_sent() == 0
    response = client_for("reception").post(url, follow=True)
    assert "Lien de connexion à son espace envoyé à lea.martin@exemple.fr" in text(response)
    message = SentMessage.objects.get(kind=LINK_KIND)
    assert message.dossier == dossier and message.recipient == youth.email


def test_staff_are_told_when_there_is_nowhere_to_send(client, users, client_for):
    _, dossier = youth_with_dossier(State.RECEIVED, users["admin"], email="")
    response = client_for("reception").post(reverse("space:send_link", args=[dossier.pk]), follow=True)
    assert "Aucun courriel ni téléphone" in text(response)
    assert links_sent() == 0


def test_the_staff_panel_shows_the_button(client, users, client_for):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    _, dossier = youth_with_dossier(State.RECEIVED, users["admin"])
    request = RequestFactory().get("/")
    request.user = users["reception"]
    html = render_to_string("space/_staff_panel.html", {"dossier": dossier}, request=request)
    assert reverse("space:send_link", args=[dossier.pk]) in html and "lea.martin@exemple.fr" in html
    request.user = users["counsellor"]
    assert "Envoyer le lien" not in render_to_string("space/_staff_panel.html", {"dossier": dossier}, request=request)


def test_repeated_bad_links_are_refused_calmly_and_staff_login_still_works(client, lea, users):
    """django-axes (first backend) counts the failed link sign-ins: after 5 from one address, that
    address is locked out (429) like a password guesser; nothing breaks elsewhere."""
    ask(client, "lea.martin@exemple.fr")
    good = token_of(last_link(lea))
    statuses = [client.post(reverse("space:link"), {"sesame": f"faux{n}"}, REMOTE_ADDR="203.0.113.99").status_code
                for n in range(7)]
    assert statuses[:4] == [410] * 4 and statuses[-1] == 429
    # Another address: the good link still works.
    response = client.post(reverse("space:link"), {"sesame": good}, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302 and response.url == HOME
    client.logout()
    response = client.post(reverse("login"), {"username": "conseiller", "password": "Mot-de-passe-de-test-42"},
                           REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302


def test_a_locked_out_young_person_reads_plain_words_not_the_staff_page(client, lea, settings):
    settings.IPM_PLATFORM_PHONE = "04 72 00 00 00"
    for n in range(6):
        response = client.post(reverse("space:link"), {"sesame": f"faux{n}"}, REMOTE_ADDR="203.0.113.98")
    assert response.status_code == 429
    page = text(response)
    assert "Trop de demandes" in page and "Réessayez dans 30 minutes, ou appelez la plateforme au" in page
    assert '<a href="tel:0472000000">04 72 00 00 00</a>' in page
    assert "mot de passe" not in page and "Compte temporairement bloqué" not in page
    assert reverse("space:login") in page
    # Staff keep their own page.
    for _ in range(6):
        response = client.post(reverse("login"), {"username": "conseiller", "password": "faux"}, REMOTE_ADDR="203.0.113.97")
    assert response.status_code == 429 and "Compte temporairement bloqué" in text(response)


def test_too_many_link_requests_say_what_to_do(client, lea, settings):
    settings.IPM_PLATFORM_PHONE = "04 72 00 00 00"
    for _ in range(6):
        response = ask(client, "lea.martin@exemple.fr", ip="192.0.2.50")
    assert "Réessayez dans 15 minutes, ou appelez la plateforme au 04 72 00 00 00." in text(response)
