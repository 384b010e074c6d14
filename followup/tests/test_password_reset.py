"""« Mot de passe oublié »: the email goes through the outbox with the platform's templates and footer, its
link works, and once sent the link is kept nowhere — neither on the pages « Messages envoyés » nor in the
outbox table. Django's rules stay: an unknown address gets the same page and no message."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import log_in
from followup import outbox
from followup.enums import Channel, MessageKind, MessageStatus
from followup.models import SentMessage
from followup.password_reset import PlatformPasswordResetForm, _duration
from followup.tests.test_every_email import FOOTER
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2027"
LINK = re.compile(r"https?://[^\s\"<]+/comptes/reset/[^\s\"<]+/")


@pytest.fixture(autouse=True)
def platform(settings):
    for name, value in FOOTER.items():
        setattr(settings, name, value)
    settings.IPM_BASE_URL = "https://mobilite.example.org"


def ask_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_the_reset_email_is_html_and_text_with_the_footer_and_its_link_sets_a_new_password(
        client, users, eager_celery, django_capture_on_commit_callbacks):
    user = users["reception"]
    response = ask_reset(client, user.email.upper(), django_capture_on_commit_callbacks)
    assert "Courriel envoyé" in response.content.decode()
    [email] = mail.outbox
    assert email.to == [user.email] and email.subject == "Choisir un nouveau mot de passe"
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and html.lstrip().startswith("<!DOCTYPE html>") and 'lang="fr"' in html
    assert "nouveau mot de passe" in email.body and "accueil" in email.body and "3 jours" in email.body
    for value in FOOTER.values():
        assert value in email.body and value.replace("'", "&#x27;") in html
    [url] = set(LINK.findall(email.body))
    assert url.startswith("https://mobilite.example.org/comptes/reset/") and f'href="{url}"' in html

    # Follow the link (Django swaps the token for a session and redirects), choose a password, sign in with it.
    path = url.removeprefix("https://mobilite.example.org")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       follow=True)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(TEST_PASSWORD)
    client.post(reverse("login"), {"username": "accueil", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    # The link served once: it is refused afterwards.
    client.logout()
    assert "Lien expiré" in client.get(path, follow=True).content.decode()


def test_once_sent_the_link_is_kept_nowhere(client, users, eager_celery, django_capture_on_commit_callbacks):
    ask_reset(client, users["reception"].email, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    [url] = set(LINK.findall(email.body))
    token = url.rstrip("/").rsplit("/", 1)[1]
    [message] = SentMessage.objects.filter(kind=MessageKind.PASSWORD_RESET)
    assert message.status == MessageStatus.SENT and message.recipient == users["reception"].email
    assert message.body == "(Lien de réinitialisation du mot de passe, non conservé.)" and message.html_body == ""
    stored = " ".join(str(value) for value in SentMessage.objects.values_list().get(pk=message.pk))
    assert token not in stored and "/comptes/reset/" not in stored
    # Staff see that a link was sent, and to whom — not the link.
    staff = log_in(client, users["mobility"])
    page = staff.get(reverse("followup:messages"), {"status": MessageStatus.SENT, "kind": MessageKind.PASSWORD_RESET})
    text = page.content.decode()
    assert "Lien pour choisir un nouveau mot de passe" in text and users["reception"].email in text
    assert token not in text and "/comptes/reset/" not in text
    admin = log_in(client, users["admin"])
    change = admin.get(reverse("admin:followup_sentmessage_change", args=[message.pk])).content.decode()
    assert token not in change and "non conservé" in change


def test_an_unknown_address_gets_the_same_page_and_no_message(client, users, eager_celery,
                                                              django_capture_on_commit_callbacks):
    known = ask_reset(client, users["reception"].email, django_capture_on_commit_callbacks)
    unknown = ask_reset(client, "personne@exemple.fr", django_capture_on_commit_callbacks)
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert unknown.content == known.content
    assert SentMessage.objects.filter(kind=MessageKind.PASSWORD_RESET).count() == 1 and len(mail.outbox) == 1


def test_no_link_for_an_inactive_account_nor_an_account_without_password(client, users, eager_celery,
                                                                         django_capture_on_commit_callbacks):
    UserFactory(username="parti", email="parti@exemple.fr", is_active=False)
    without = UserFactory(username="sans", email="sans@exemple.fr")
    without.set_unusable_password()
    without.save()
    for address in ("parti@exemple.fr", "sans@exemple.fr"):
        assert "Courriel envoyé" in ask_reset(client, address, django_capture_on_commit_callbacks).content.decode()
    assert not SentMessage.objects.filter(kind=MessageKind.PASSWORD_RESET).exists() and mail.outbox == []


def refuse(message):
    raise ConnectionRefusedError("serveur de courriel injoignable")


def test_a_reset_email_that_fails_for_good_is_scrubbed_and_not_offered_again(client, users, settings, monkeypatch):
    settings.IPM_MESSAGE_MAX_ATTEMPTS = 1
    monkeypatch.setattr(outbox, "_send", refuse)
    form = PlatformPasswordResetForm({"email": users["reception"].email})
    assert form.is_valid()
    form.save()  # queued; delivered by hand below, its send failing
    [message] = SentMessage.objects.filter(kind=MessageKind.PASSWORD_RESET)
    assert "/comptes/reset/" in message.body  # pending: the text is still needed to send it
    assert outbox.deliver(message.pk)[0] == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "/comptes/reset/" not in message.body + message.html_body
    staff = log_in(client, users["mobility"])
    page = staff.get(reverse("followup:messages"), {"status": MessageStatus.FAILED}).content.decode()
    assert "Lien non conservé" in page and reverse("followup:resend", args=[message.pk]) not in page
    assert staff.post(reverse("followup:resend", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_other_messages_still_keep_their_text_and_can_be_resent(client, users, settings, monkeypatch):
    settings.IPM_MESSAGE_MAX_ATTEMPTS = 1
    monkeypatch.setattr(outbox, "_send", refuse)
    outbox.queue_message(MessageKind.FILE_COMPLETE, Channel.EMAIL, "dossier:1", "", "a@exemple.fr", "Texte", "Objet")
    message = SentMessage.objects.get(kind=MessageKind.FILE_COMPLETE)
    assert outbox.deliver(message.pk)[0] == "failed"
    message.refresh_from_db()
    assert message.body == "Texte"
    staff = log_in(client, users["mobility"])
    assert staff.post(reverse("followup:resend", args=[message.pk])).status_code == 302


def test_how_long_the_link_is_valid_in_words():
    assert [_duration(m) for m in (3 * 24 * 60, 24 * 60, 60, 90, 30, 1)] == [
        "3 jours", "1 jour", "1 heure", "90 minutes", "30 minutes", "1 minute"]
