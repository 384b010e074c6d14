"""Phone numbers in E.164: the fiche accepts what people type, stores E.164, shows the French way, refuses
an invalid number with a French message that keeps what was typed; « J'accepte de recevoir des SMS »
reaches the young person, dated; the data migration converts stored numbers without losing any."""
import io

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Youth
from dossiers.tests.factories import YouthFactory
from ipm.phones import Phone, convert_stored, display, e164
from referrals.models import Referral

from .test_fiche import fiche_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor_client(client_for):
    return client_for("counsellor")


def stored(model, pk, column="phone"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("typed, e164_form, shown", [
    ("06 13 75 70 51", "+33613757051", "06 13 75 70 51"),
    ("0613757051", "+33613757051", "06 13 75 70 51"),
    ("06.13.75.70.51", "+33613757051", "06 13 75 70 51"),
    ("+33 6 13 75 70 51", "+33613757051", "06 13 75 70 51"),
    ("0033 6 13 75 70 51", "+33613757051", "06 13 75 70 51"),
    ("+49 30 1234567", "+49301234567", "+49 30 1234567"),
    ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
])
def test_the_fiche_takes_what_people_type_and_stores_e164(counsellor_client, typed, e164_form, shown):
    response = counsellor_client.post(reverse("referrals:create"), fiche_data(action="draft", phone=typed))
    assert response.status_code == 302, response.content.decode()[-2000:]
    referral = Referral.objects.get()
    assert stored(Referral, referral.pk) == e164_form
    assert str(referral.phone) == shown
    page = counsellor_client.get(reverse("referrals:edit", args=[referral.pk])).content.decode()
    assert f'value="{shown}"' in page


@pytest.mark.parametrize("typed", ["12345", "06 13 75", "abc", "+33 1"])
def test_an_invalid_number_is_refused_in_french_keeping_what_was_typed(counsellor_client, typed):
    response = counsellor_client.post(reverse("referrals:create"), fiche_data(action="draft", phone=typed))
    html = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    assert f"Numéro de téléphone invalide : « {typed} »" in html
    assert f'value="{typed}"' in html


def test_sms_consent_on_the_fiche_reaches_the_young_person_dated(counsellor_client, client_for):
    counsellor_client.post(reverse("referrals:create"), fiche_data(phone="06 13 75 70 51", sms_consent="on"))
    youth = Youth.objects.get()
    assert youth.sms_consent_at is not None and stored(Youth, youth.pk) == "+33613757051"
    page = client_for("reception").get(reverse("dossiers:detail", args=[youth.dossiers.get().pk])).content.decode()
    assert "06 13 75 70 51" in page and f"SMS acceptés le {timezone.localtime(youth.sms_consent_at):%d/%m/%Y}" in page


def test_without_consent_on_the_fiche_no_consent_is_recorded(counsellor_client, client_for):
    counsellor_client.post(reverse("referrals:create"), fiche_data(phone="06 13 75 70 51"))
    youth = Youth.objects.get()
    assert youth.sms_consent_at is None
    page = client_for("reception").get(reverse("dossiers:detail", args=[youth.dossiers.get().pk])).content.decode()
    assert "SMS non acceptés" in page


def test_the_data_migration_converts_and_keeps_what_it_cannot_read():
    readable, foreign, unreadable = YouthFactory(), YouthFactory(), YouthFactory()
    Youth.objects.filter(pk=readable.pk).update(phone="06.13.75.70.51")
    Youth.objects.filter(pk=foreign.pk).update(phone="+49 30 1234567")
    with connection.cursor() as cursor:  # a value typed before numbers were checked
        cursor.execute("UPDATE dossiers_youth SET phone = %s WHERE id = %s", ["appeler sa mère", unreadable.pk])
    out = io.StringIO()
    kept = convert_stored(apps, "dossiers", "Youth", "phone", out=out)
    assert stored(Youth, readable.pk) == "+33613757051" and stored(Youth, foreign.pk) == "+49301234567"
    assert stored(Youth, unreadable.pk) == "appeler sa mère" and kept == [(unreadable.pk, "appeler sa mère")]
    assert f"n° {unreadable.pk} « appeler sa mère »" in out.getvalue()
    youth = Youth.objects.get(pk=unreadable.pk)
    assert str(youth.phone) == "appeler sa mère" and e164(youth.phone) == ""  # shown as typed, never texted


def test_display_and_e164():
    assert display("0613757051") == "06 13 75 70 51" and display("+4930 1234567") == "+49 30 1234567"
    assert e164("06 13 75 70 51") == "+33613757051" and e164("") == "" and e164("n'importe quoi") == ""
    assert isinstance(YouthFactory(phone="0613757051").phone, Phone)
