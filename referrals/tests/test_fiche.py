"""The fiche de liaison: filled by a mission locale counsellor, saved as draft, sent to the platform."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse

from dossiers import transitions
from dossiers.models import Dossier, DossierEvent, Youth
from dossiers.workflow import State
from referrals.enums import ReferralStatus
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def years_ago(years, days=0):
    today = datetime.date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def fiche_data(**overrides):
    data = {
        "action": "submit",
        "last_name": "Traoré",
        "first_name": "Nathan",
        "birth_date": years_ago(21).isoformat(),
        "sex": "M",
        "nationality": "FR",
        "email": "nathan.traore@exemple.fr",
        "phone": "06.12.34.56.78",
        "address": "3 rue de la Paix",
        "postcode": "42000",
        "town": "Saint-Étienne",
        "qpv": "true",
        "zrr": "false",
        "qualification_level": "V",
        "employment_status": "demandeur_emploi",
        "registered_france_travail": "true",
        "unemployment_rights": "non",
        "housing": "parents",
        "social_security": "css",
        "resources": "cej",
        "driving_licence": "false",
        "passport": "valide",
        "languages": "Anglais A2",
        "wished_destination": "Irlande",
        "wished_sector": "Hôtellerie",
        "motivation": "Apprendre l'anglais en travaillant.",
        "availability": "Dès le mois prochain",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def counsellor_client(client_for):
    return client_for("counsellor")


def test_valid_fiche_creates_youth_and_dossier_and_tells_reception(counsellor_client, users, eager_celery,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = counsellor_client.post(reverse("referrals:create"), fiche_data(), follow=True)
    assert response.status_code == 200
    youth = Youth.objects.get()
    assert (youth.last_name, youth.first_name, youth.qpv, youth.zrr) == ("Traoré", "Nathan", True, False)
    assert youth.phone == "06 12 34 56 78"
    dossier = Dossier.objects.get()
    assert dossier.state == State.RECEIVED
    assert dossier.structure == users["counsellor"].structure
    assert dossier.referring_counsellor == users["counsellor"]
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.from_state, event.to_state, event.actor) == ("", State.RECEIVED, users["counsellor"])
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SUBMITTED and referral.dossier == dossier
    assert referral.consent_date == datetime.date.today()
    # Reception is told by email, after commit, without the young person's full name.
    assert len(mail.outbox) == 1
    assert users["reception"].email in mail.outbox[0].to
    assert f"dossier n° {dossier.pk}" in mail.outbox[0].subject
    # The counsellor lands on "Mes jeunes" and sees the young person there.
    assert "TRAORÉ Nathan" in response.content.decode()
    assert "Fiche envoyée" in response.content.decode()


def test_invalid_fiche_is_refused_with_french_messages_and_keeps_what_was_typed(counsellor_client):
    data = fiche_data(phone="12345", postcode="4200", motivation="", consent=None)
    response = counsellor_client.post(reverse("referrals:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Numéro de téléphone invalide" in html
    assert "Le code postal doit comporter 5 chiffres" in html
    assert "Ce champ est obligatoire pour envoyer la fiche." in html
    assert "Le consentement du jeune est obligatoire" in html
    # What was typed is still there.
    assert 'value="Traoré"' in html and 'value="12345"' in html and "Apprendre" not in html
    assert 'value="Nathan"' in html
    assert not Referral.objects.exists() and not Dossier.objects.exists() and not Youth.objects.exists()


def test_age_outside_16_30_is_refused_and_outside_18_26_warned(counsellor_client):
    response = counsellor_client.post(reverse("referrals:create"), fiche_data(birth_date=years_ago(31).isoformat()))
    assert "la plateforme accueille les jeunes de 16 à 30 ans" in response.content.decode()
    assert not Dossier.objects.exists()
    response = counsellor_client.post(reverse("referrals:create"), fiche_data(birth_date=years_ago(15, -1).isoformat()))
    assert "16 à 30 ans" in response.content.decode()
    assert not Dossier.objects.exists()
    response = counsellor_client.post(
        reverse("referrals:create"), fiche_data(birth_date=years_ago(17).isoformat()), follow=True
    )
    assert "hors de la tranche habituelle" in response.content.decode()
    assert Dossier.objects.count() == 1


def test_french_typed_date_is_accepted(counsellor_client):
    birth = years_ago(20)
    counsellor_client.post(reverse("referrals:create"), fiche_data(birth_date=birth.strftime("%d/%m/%Y")))
    assert Youth.objects.get().birth_date == birth


def test_draft_saves_partial_fiche_then_submits_later(counsellor_client, users):
    response = counsellor_client.post(
        reverse("referrals:create"), {"action": "draft", "last_name": "Martin", "first_name": "Léa", "phone": ""}
    )
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    assert response.url == reverse("referrals:edit", args=[referral.pk])
    assert not Dossier.objects.exists()
    page = counsellor_client.get(reverse("referrals:my_youths")).content.decode()
    assert "Fiches en brouillon" in page and "MARTIN Léa" in page
    # A draft still refuses malformed values.
    response = counsellor_client.post(reverse("referrals:edit", args=[referral.pk]), {"action": "draft", "last_name": "Martin", "phone": "abc"})
    assert "Numéro de téléphone invalide" in response.content.decode()
    counsellor_client.post(reverse("referrals:edit", args=[referral.pk]), fiche_data(last_name="Martin", first_name="Léa", sex="F"))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.dossier.youth.first_name == "Léa"
    # Once sent, the edit page leads to the dossier instead.
    response = counsellor_client.get(reverse("referrals:edit", args=[referral.pk]))
    assert response.url == reverse("dossiers:detail", args=[referral.dossier.pk])


def test_draft_deletion(counsellor_client):
    counsellor_client.post(reverse("referrals:create"), {"action": "draft", "last_name": "Martin"})
    referral = Referral.objects.get()
    assert counsellor_client.get(reverse("referrals:delete", args=[referral.pk])).status_code == 405
    counsellor_client.post(reverse("referrals:delete", args=[referral.pk]))
    assert not Referral.objects.exists()


def test_returning_youth_is_found_whatever_case_and_accents(counsellor_client, client_for, users):
    counsellor_client.post(reverse("referrals:create"), fiche_data())
    # The first dossier dropped: a new fiche opens a new dossier (while it is open, the fiche is attached).
    transitions.apply_transition(Dossier.objects.get(), State.DROPPED, users["admin"])
    response = counsellor_client.post(
        reverse("referrals:create"), fiche_data(last_name="TRAORE", first_name="nathan ", email="autre@exemple.fr"), follow=True
    )
    assert "déjà connu de la plateforme" in response.content.decode()
    assert Youth.objects.count() == 1
    youth = Youth.objects.get()
    assert youth.dossiers.count() == 2
    assert youth.email == "autre@exemple.fr"
    # Staff see on the new dossier that this young person came before.
    newest = youth.dossiers.order_by("-id").first()
    page = client_for("reception").get(reverse("dossiers:detail", args=[newest.pk])).content.decode()
    assert "Ce jeune est déjà venu" in page


def test_same_name_other_birth_date_is_another_youth(counsellor_client):
    counsellor_client.post(reverse("referrals:create"), fiche_data())
    counsellor_client.post(reverse("referrals:create"), fiche_data(birth_date=years_ago(22).isoformat()))
    assert Youth.objects.count() == 2


def test_double_submission_of_a_draft_creates_one_dossier(counsellor_client):
    counsellor_client.post(reverse("referrals:create"), {"action": "draft", "last_name": "Traoré"})
    referral = Referral.objects.get()
    url = reverse("referrals:edit", args=[referral.pk])
    counsellor_client.post(url, fiche_data())
    counsellor_client.post(url, fiche_data())
    assert Dossier.objects.count() == 1


def test_my_youths_lists_only_own_structure(client_for, users):
    client = client_for("other_counsellor")
    client.post(reverse("referrals:create"), fiche_data(last_name="Lyonnais"))
    client = client_for("counsellor")
    client.post(reverse("referrals:create"), fiche_data(last_name="Stéphanois"))
    page = client.get(reverse("referrals:my_youths")).content.decode()
    assert "STÉPHANOIS" in page and "LYONNAIS" not in page
    page = client.get(reverse("referrals:my_youths"), {"q": "lyon"}).content.decode()
    assert "Aucun dossier" in page


def test_my_youths_search_lists_the_matches_newest_first(client_for, users, structure):
    from dossiers.tests.factories import DossierFactory, YouthFactory

    for day, first_name in ((3, "Chloé"), (20, "Alice"), (11, "Basile")):
        DossierFactory(youth=YouthFactory(last_name="Moreau", first_name=first_name), structure=structure,
                       received_on=datetime.date(2026, 3, day))
    DossierFactory(youth=YouthFactory(last_name="Moreau", first_name="Zéphyrine"), structure=users["other_counsellor"].structure)
    page = client_for("counsellor").get(reverse("referrals:my_youths"), {"q": "moreau"}).content.decode()
    assert "Zéphyrine" not in page
    assert page.index("Alice") < page.index("Basile") < page.index("Chloé")


def test_administrator_without_structure_chooses_the_prescriber(client_for, other_structure):
    client = client_for("admin")
    response = client.post(reverse("referrals:create"), fiche_data())
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Dossier.objects.exists()
    client.post(reverse("referrals:create"), fiche_data(structure=other_structure.pk))
    assert Dossier.objects.get().structure == other_structure
