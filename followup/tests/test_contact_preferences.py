"""« Mes préférences de contact » in the young person's space: the choice of email, SMS or both, and what it
changes in the messages of the next step."""
import pytest
from django.utils import timezone
from django.urls import reverse

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup.contact import choice_of, youth_channels
from followup.enums import Channel, ContactChoice, MessageKind
from followup.models import ContactPreference, SentMessage
from space.services import account_for

pytestmark = pytest.mark.django_db


def signed_in(client, youth):
    client.force_login(account_for(youth).user)
    return client


def test_the_default_is_email_if_on_file_else_sms():
    assert youth_channels(YouthFactory(email="a@exemple.fr", phone="0612345678")) == {Channel.EMAIL}
    assert youth_channels(YouthFactory(email="", phone="0612345678", sms_consent_at=timezone.now())) == {Channel.SMS}
    # Without « J'accepte de recevoir des SMS », no SMS: nothing usable on file.
    assert youth_channels(YouthFactory(email="", phone="0612345678")) == set()
    assert youth_channels(YouthFactory(email="", phone="")) == set()


def test_a_choice_that_cannot_be_honoured_falls_back_to_what_is_on_file():
    youth = YouthFactory(email="a@exemple.fr", phone="")
    ContactPreference.objects.create(youth=youth, channel=ContactChoice.SMS)
    assert youth_channels(youth) == {Channel.EMAIL}


def test_the_young_person_chooses_in_their_space_and_the_next_step_follows(client, client_for, users, structure):
    youth = YouthFactory(first_name="Léa", email="lea@exemple.fr", phone="")
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure, youth=youth)
    client = signed_in(client, youth)
    home = client.get(reverse("space:home")).content.decode()
    assert reverse("space:preferences") in home and "Mes préférences de contact" in home
    page = client.get(reverse("space:preferences"))
    assert page.status_code == 200 and "lea@exemple.fr" in page.content.decode()
    # SMS without a phone on file: refused, said why.
    response = client.post(reverse("space:preferences"), {"channel": "les_deux"})
    assert response.status_code == 400 and "Aucun numéro de téléphone" in response.content.decode()
    assert not ContactPreference.objects.exists()
    youth.phone = "06 12 34 56 78"
    youth.save()
    response = client.post(reverse("space:preferences"), {"channel": "les_deux"})
    assert response.status_code == 400 and "cochez « J&#x27;accepte de recevoir des SMS »" in response.content.decode()
    response = client.post(reverse("space:preferences"), {"channel": "les_deux", "sms_consent": "on"}, follow=True)
    assert "noté : nous vous préviendrons par courriel et par sms" in response.content.decode()
    youth.refresh_from_db()
    assert youth.sms_consent_at is not None
    assert choice_of(youth) == ContactChoice.BOTH
    # The next step goes by email and SMS.
    response = client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), {
        "conducted_on": "2026-11-20", "passport": "valide", "bank_card": "true", "mobility_experience": "false",
        "languages": "anglais", "language_level_self": "A2", "language_level_tested": "A1", "outcome": "pret",
        "sensible-criminal_record": "neant"})
    assert response.status_code == 302
    assert sorted(SentMessage.objects.filter(kind=MessageKind.DIAGNOSTIC).values_list("channel", flat=True)) == [
        Channel.EMAIL, Channel.SMS]


def test_the_preferences_page_is_the_young_persons_only(client_for):
    assert client_for("counsellor").get(reverse("space:preferences")).status_code == 403
