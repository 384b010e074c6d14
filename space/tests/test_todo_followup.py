"""The to-do list during and after the stay: the Europass to fill, and the monthly « Où en êtes-vous ? »
answered from the space (recorded as the personal link records it)."""
import datetime
import html as html_module

import pytest
from django.urls import reverse

from departures.enums import EuropassStatus, ReminderCadence
from departures.tests.factories import StayFactory
from dossiers.workflow import State
from followup.enums import CallSource, Situation
from followup.models import FollowUpCall
from followup.tests.factories import FollowUpCallFactory
from space.tests.factories import signed_in_client, youth_with_dossier

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def text(response):
    return html_module.unescape(response.content.decode())


def test_the_europass_is_on_the_list_during_the_stay(client, users):
    youth, dossier = youth_with_dossier(State.ABROAD, users["admin"])
    stay = StayFactory(dossier=dossier, return_date=None, planned_end=TODAY + datetime.timedelta(days=40))
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Compléter votre Europass" in home and "chaque semaine" in home
    assert f"Avant le {stay.planned_end:%d/%m/%Y}" in home and "https://europass.europa.eu/fr" in home
    stay.europass_status = EuropassStatus.COMPLETED
    stay.save()
    assert "Compléter votre Europass" not in text(client.get(reverse("space:home")))
    stay.europass_status = EuropassStatus.IN_PROGRESS
    stay.save()
    stay.scheme.europass_cadence = ReminderCadence.NONE
    stay.scheme.save()
    assert "Compléter votre Europass" not in text(client.get(reverse("space:home")))


def test_the_young_person_answers_the_months_question_from_the_space(client, users):
    youth, dossier = youth_with_dossier(State.FOLLOW_UP, users["admin"])
    StayFactory(dossier=dossier)
    call = FollowUpCallFactory(dossier=dossier, month=1, due_date=TODAY - datetime.timedelta(days=2))
    later = FollowUpCallFactory(dossier=dossier, month=2, due_date=TODAY + datetime.timedelta(days=28))
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Répondre à la question « Où en êtes-vous ? » (1 mois après votre retour)" in home
    assert reverse("space:followup", args=[call.pk]) in home
    assert reverse("space:followup", args=[later.pk]) not in home  # not due yet
    url = reverse("space:followup", args=[call.pk])
    assert "Quelle est votre situation aujourd'hui ?" in text(client.get(url))

    response = client.post(url, {"situation": ""})
    assert response.status_code == 400 and "Choisissez votre situation" in text(response)
    response = client.post(url, {"situation": Situation.CDI, "employer": "Boulangerie Rhône", "notes": "Tout va bien"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.done_at and call.reached and call.situation == Situation.CDI and call.source == CallSource.YOUTH
    assert call.employer == "Boulangerie Rhône" and "[Réponse du jeune] Tout va bien" in call.notes
    home = text(client.get(reverse("space:home")))
    assert "Votre réponse est transmise à votre conseiller" in home and "Où en êtes-vous" not in home
    # Sent again: nothing changes; the month not due yet cannot be answered.
    client.post(url, {"situation": Situation.JOB_SEEKING})
    call.refresh_from_db()
    assert call.situation == Situation.CDI
    client.post(reverse("space:followup", args=[later.pk]), {"situation": Situation.CDI})
    assert FollowUpCall.objects.get(pk=later.pk).done_at is None


def test_another_young_persons_call_is_404(client, users):
    youth, _ = youth_with_dossier(State.FILE_BUILDING, users["admin"])
    _, other = youth_with_dossier(State.FOLLOW_UP, users["admin"], email="sami@exemple.fr")
    call = FollowUpCallFactory(dossier=other, month=1, due_date=TODAY)
    signed_in_client(client, youth)
    assert client.get(reverse("space:followup", args=[call.pk])).status_code == 404
    assert client.post(reverse("space:followup", args=[call.pk]), {"situation": Situation.CDI}).status_code == 404
    assert FollowUpCall.objects.get(pk=call.pk).done_at is None
