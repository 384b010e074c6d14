"""Ambassadors through the pages: the consent, the search, the withdrawal (by staff, by the young person),
the RGPD erasure and export, and who sees what."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from network.models import Ambassador
from network.services import make_ambassador
from privacy import rgpd
from space.services import account_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(users, structure):
    youth = YouthFactory(last_name="Moreau", first_name="Inès", email="ines.moreau@exemple.fr", phone="0611223344")
    dossier = dossier_in_state(State.RETURNED, users["admin"], youth=youth, structure=structure)
    StayFactory(dossier=dossier, scheme=SchemeFactory(name="Service volontaire européen"), country="ES", city="Valence")
    return dossier


def test_staff_register_the_consent_and_find_the_ambassador(client_for, users, returned):
    client = client_for("mobility")
    page = client.get(reverse("network:ambassador_create") + f"?dossier={returned.pk}")
    assert "MOREAU Inès" in page.content.decode()
    response = client.post(reverse("network:ambassador_create"), {
        "dossier": returned.pk, "consent": "on", "consent_on": "2026-11-20", "availability": "Le mercredi",
        "months": ["3", "4"], "preferred_contact": "sms",
    })
    ambassador = Ambassador.objects.get(youth=returned.youth)
    assert response.status_code == 302 and response.url == ambassador.get_absolute_url()
    assert ambassador.consent_on == datetime.date(2026, 11, 20) and ambassador.months == [3, 4]
    listing = client.get(reverse("network:ambassador_list"), {"destination": "ES"}).content.decode()
    assert "Inès Moreau" in listing and "Valence" in listing
    assert "Inès Moreau" not in client.get(reverse("network:ambassador_list"), {"destination": "IT"}).content.decode()
    assert "Inès Moreau" in client.get(reverse("network:ambassador_list"), {"department": "42"}).content.decode()
    assert "Inès Moreau" not in client.get(reverse("network:ambassador_list"), {"department": "69"}).content.decode()


def test_the_consent_is_required_and_the_form_keeps_what_was_typed(client_for, returned):
    response = client_for("mobility").post(reverse("network:ambassador_create"), {
        "dossier": returned.pk, "consent_on": "2026-11-20", "availability": "Le samedi matin"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le samedi matin" in html and 'role="alert"' in html
    assert not Ambassador.objects.exists()


def test_only_a_returned_young_person_may_be_an_ambassador(client_for, users, structure):
    candidate = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    response = client_for("mobility").post(reverse("network:ambassador_create"), {
        "dossier": candidate.pk, "consent": "on", "consent_on": "2026-11-20", "preferred_contact": "email"})
    assert response.status_code == 400 and not Ambassador.objects.exists()


def test_withdrawn_by_staff_the_ambassador_leaves_the_searches(client_for, users, returned):
    ambassador = make_ambassador(returned, users["admin"], timezone.localdate())
    client = client_for("reception")
    assert "Inès Moreau" in client.get(reverse("network:ambassador_list")).content.decode()
    asked = client.get(reverse("network:ambassador_withdraw", args=[ambassador.pk]))
    assert asked.status_code == 200 and "Retirer l" in asked.content.decode()
    client.post(reverse("network:ambassador_withdraw", args=[ambassador.pk]), {"note": "Au téléphone"})
    ambassador.refresh_from_db()
    assert ambassador.withdrawn_at is not None and ambassador.withdrawn_by == users["reception"]
    listing = client.get(reverse("network:ambassador_list")).content.decode()
    assert "est retiré" in listing and ambassador.get_absolute_url() not in listing
    assert "Inès Moreau" not in client.get(reverse("network:ambassador_list"), {"q": "Moreau"}).content.decode()


def test_the_young_person_sees_their_status_and_withdraws_from_their_space(client, users, returned):
    make_ambassador(returned, users["admin"], datetime.date(2026, 10, 1))
    client.force_login(account_for(returned.youth).user)
    home = client.get(reverse("space:home")).content.decode()
    assert "Ambassadeur du réseau" in home and "01/10/2026" in home
    assert reverse("network:youth_withdraw") in home
    assert "Ne plus être ambassadeur" in client.get(reverse("network:youth_withdraw")).content.decode()
    assert client.post(reverse("network:youth_withdraw")).status_code == 302
    assert Ambassador.objects.get().withdrawn_at is not None
    assert "Ambassadeur du réseau" not in client.get(reverse("space:home")).content.decode()
    assert client.get(reverse("network:youth_withdraw")).status_code == 404


def test_erasure_removes_the_ambassador_and_the_export_holds_it(users, structure):
    youth = YouthFactory(last_name="Girard", email="g@exemple.fr")
    dossier = dossier_in_state(State.CLOSED, users["admin"], youth=youth, structure=structure)
    make_ambassador(dossier, users["admin"], datetime.date(2026, 9, 1), availability="Le jeudi soir")
    sections = {s.key: s for s in rgpd.subject_access(youth, users["admin"])}
    values = [value for record in sections["network"].records for _name, _label, value in record]
    assert "Le jeudi soir" in values
    rgpd.anonymise_youth(youth)
    assert not Ambassador.objects.exists()


def test_a_counsellor_sees_their_structure_s_ambassadors_contact_only_when_shared(client_for, users, returned,
                                                                                  other_structure):
    ambassador = make_ambassador(returned, users["admin"], timezone.localdate())
    own = client_for("counsellor")
    page = own.get(ambassador.get_absolute_url()).content.decode()
    assert "Inès Moreau" in page and "ines.moreau@exemple.fr" not in page
    Ambassador.objects.filter(pk=ambassador.pk).update(contact_shared=True)
    assert "ines.moreau@exemple.fr" in own.get(ambassador.get_absolute_url()).content.decode()
    assert "ines.moreau@exemple.fr" in client_for("reception").get(ambassador.get_absolute_url()).content.decode()
    other = client_for("other_counsellor")
    assert other.get(ambassador.get_absolute_url()).status_code == 404
    assert "Inès Moreau" not in other.get(reverse("network:ambassador_list")).content.decode()
