"""A returned young person answers the questionnaire, then the 12-month survey, in their space: only
their own (another one's, or for a staff user, is a 404), once."""
import datetime
import html

import pytest
from django.utils import timezone
from django.urls import reverse

import surveys
from conftest import log_in
from departures.services import record_return_review
from dossiers.tests.factories import YouthFactory
from dossiers.workflow import State
from followup.enums import MessageKind
from followup.models import SentMessage
from space.tests.factories import signed_in_client
from surveys import schedule
from surveys.enums import Horizon, Source
from surveys.models import Response, Survey
from surveys.tests.factories import REQUIRED, returned

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def text(response):
    return html.unescape(response.content.decode())


def test_the_return_review_sends_the_questionnaire_and_the_young_person_answers_it(
        client, users, django_capture_on_commit_callbacks):
    youth = YouthFactory(first_name="Léa", email="lea@exemple.fr", phone="0612345678", sms_consent_at=timezone.now())
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=3), state=State.RETURNED,
                       youth=youth)
    with django_capture_on_commit_callbacks(execute=True):
        record_return_review(dossier, users["mobility"], TODAY, "Bon séjour")
    survey = Survey.objects.get(dossier=dossier, horizon=Horizon.RETURN)
    assert survey.due_date == TODAY and survey.version.number == 1
    sent = SentMessage.objects.filter(kind=MessageKind.SURVEY, object_key=f"survey:{survey.pk}")
    assert sorted(sent.values_list("channel", "period")) == [("email", ""), ("sms", "")]
    url = reverse("surveys:answer", args=[survey.pk])
    assert url in sent.get(channel="email").body
    # The to-do list of the space shows it.
    items = surveys.todo_items(youth, TODAY)
    assert [(i.kind, i.url, i.dossier_id) for i in items] == [("survey", url, dossier.pk)]

    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Donner votre avis sur votre séjour (questionnaire de satisfaction)" in home and url in home
    page = client.get(url)
    assert page.status_code == 200 and "Questionnaire de satisfaction au retour" in text(page)
    refused = client.post(url, {"item_stage": "4"})
    assert refused.status_code == 400 and "Cette question demande une réponse." in text(refused)
    data = {f"item_{code}": value for code, value in REQUIRED.items()}
    done = client.post(url, {**data, "item_logement_type": "Colocation", "item_commentaire": "Merci à Mary"})
    assert done.status_code == 302 and done.url == reverse("space:home")
    response = Response.objects.get(survey=survey)
    assert response.source == Source.SPACE and response.entered_by is None
    assert {a.item_code: a.value or a.text for a in response.answers.all()}["commentaire"] == "Merci à Mary"
    again = client.get(url)
    assert "Vous avez déjà répondu" in text(again)
    client.post(url, data)
    assert Response.objects.count() == 1
    assert surveys.todo_items(youth, TODAY) == []
    # No reminder for an answered questionnaire.
    assert schedule.survey_messages(TODAY + datetime.timedelta(days=6)) == 0


def test_the_12_month_survey_in_the_space(client, users):
    youth = YouthFactory(email="sami@exemple.fr")
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=366),
                       review_date=TODAY - datetime.timedelta(days=360), state=State.CLOSED, youth=youth)
    assert schedule.create_due_surveys(TODAY) == 1  # the return review was long ago: only the survey
    survey = Survey.objects.get(dossier=dossier)
    assert survey.horizon == Horizon.MONTHS_12
    signed_in_client(client, youth)
    url = reverse("surveys:answer", args=[survey.pk])
    page = text(client.get(url))
    assert "Vivez-vous ou travaillez-vous à l'étranger ?" in page and "En emploi — CDI" in page
    assert client.post(url, {"situation": "emploi_cdi", "abroad": "oui", "employer": "Hotel Harbour"}).status_code == 302
    response = Response.objects.get(survey=survey)
    assert (response.situation, response.abroad, response.employer) == ("emploi_cdi", True, "Hotel Harbour")


def test_only_the_young_person_s_own_questionnaire(client, users):
    lea = YouthFactory()
    other = YouthFactory()
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=10), review_date=TODAY, youth=other)
    schedule.create_due_surveys(TODAY)
    url = reverse("surveys:answer", args=[Survey.objects.get(dossier=dossier).pk])
    assert client.get(url).status_code == 302  # anonymous: the sign-in page (which leads to the space's)
    signed_in_client(client, lea)
    assert client.get(url).status_code == 404  # another young person's
    client.logout()
    log_in(client, users["mobility"])
    assert client.get(url).status_code == 403  # the space is the young people's, as every page of it
