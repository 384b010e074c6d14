"""Journey: a returned young person, on a phone (375 px), signs in to their space, answers the satisfaction
questionnaire from their to-do list, then the survey at 12 months. axe-core on every page of the way."""
import datetime
import re

import pytest

from dossiers.tests.factories import YouthFactory
from dossiers.workflow import State
from space.tests.factories import last_link
from surveys import schedule, services
from surveys.enums import Horizon, Source
from surveys.models import Response
from surveys.tests.factories import returned

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def question(page, label):
    return page.get_by_role("group", name=re.compile("^" + re.escape(label)))


def test_a_returned_young_person_answers_the_questionnaire_and_the_12_month_survey(page, users):
    today = datetime.date.today()
    youth = YouthFactory(first_name="Léa", last_name="Martin", email="lea.martin@exemple.fr")
    dossier = returned(users["admin"], return_date=today - datetime.timedelta(days=366),
                       review_date=today - datetime.timedelta(days=360), state=State.CLOSED, youth=youth)
    services.open_survey(dossier, Horizon.RETURN, dossier.stay.review_date)  # sent at the review, not answered
    assert schedule.create_due_surveys(today) == 1  # the 12-month survey
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto("/espace/connexion/")
    page.get_by_label("Votre adresse e-mail ou votre numéro de téléphone").fill("lea.martin@exemple.fr")
    page.get_by_role("button", name="Recevoir mon lien").click()
    page.goto(last_link(youth))
    page.get_by_role("button", name="Entrer dans mon espace").click()
    page.wait_for_url(re.compile(r"/espace/$"))

    # The questionnaire, from the to-do list.
    page.get_by_role("link", name=re.compile("Donner votre avis sur votre séjour")).click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Envoyer mes réponses").click()  # nothing filled: what is missing
    assert page.get_by_role("alert").filter(has_text="Cette question demande une réponse").is_visible()
    assert_accessible(page)
    question(page, "L'organisation du programme par la plateforme").get_by_label("excellent").check()
    question(page, "L'organisation par la structure d'accueil").get_by_label("très bien").check()
    question(page, "Les informations reçues avant le départ").get_by_label("oui", exact=True).check()
    question(page, "Le stage (ou l'emploi) à l'étranger").get_by_label("excellent").check()
    question(page, "Votre logement").get_by_label("Colocation").check()
    question(page, "L'expérience a été enrichissante").get_by_label("oui", exact=True).check()
    question(page, "Votre situation aujourd'hui").get_by_label("En emploi").check()
    question(page, "Repartiriez-vous à l'étranger").get_by_label("oui", exact=True).check()
    page.get_by_label("Un mot à ajouter ?").fill("Merci pour tout !")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(re.compile(r"/espace/$"))
    assert page.get_by_role("status").filter(has_text="Vos réponses sont bien enregistrées").is_visible()
    response = Response.objects.get(survey__dossier=dossier, survey__horizon=Horizon.RETURN)
    assert response.source == Source.SPACE
    assert {a.item_code: a.value or a.text for a in response.answers.all()}["commentaire"] == "Merci pour tout !"

    # The survey at 12 months.
    assert page.get_by_role("link", name=re.compile("Donner votre avis")).count() == 0
    page.get_by_role("link", name=re.compile("où en êtes-vous un an après votre retour")).click()
    assert_accessible(page)
    question(page, "Votre situation aujourd'hui").get_by_label("En emploi — CDI").check()
    page.get_by_label("Votre employeur ou votre organisme de formation").fill("Hotel Harbour")
    question(page, "Vivez-vous ou travaillez-vous à l'étranger").get_by_label("Oui").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(re.compile(r"/espace/$"))
    survey = Response.objects.get(survey__dossier=dossier, survey__horizon=Horizon.MONTHS_12)
    assert (survey.situation, survey.employer, survey.abroad) == ("emploi_cdi", "Hotel Harbour", True)
