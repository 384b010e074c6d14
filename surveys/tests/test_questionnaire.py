"""The questionnaire is data: the default one shipped, versions on editing, required items, answers once,
staff entry from the dossier page, the read-only page."""
import datetime
import html

import pytest
from django.urls import reverse

from conftest import log_in
from surveys.enums import Horizon, ItemKind, Source
from surveys.models import Item, Response, Section, Survey
from surveys.services import SurveyError, record_response
from surveys.tests.factories import REQUIRED, answered, default_questionnaire, returned

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def text(response):
    return html.unescape(response.content.decode())


def test_the_default_questionnaire_is_shipped_as_version_1():
    questionnaire = default_questionnaire()
    version = questionnaire.current_version
    assert version.number == 1
    titles = [s["title"] for s in version.sections()]
    assert titles == ["Organisation générale du programme", "Le cours de langue", "Le stage", "Le logement",
                      "Bilan général", "Votre situation aujourd'hui"]
    items = {i["code"]: i for i in version.items()}
    assert items["organisation_partenaire"]["partner_rated"] is True
    assert [o[1] for o in items["stage"]["options"]] == ["excellent", "très bien", "satisfaisant", "insatisfaisant",
                                                         "ne sait pas"]
    assert [o[0] for o in items["logement_type"]["options"]] == [
        "Famille d'accueil", "Logement individuel", "Logement fourni par l'entreprise", "Colocation"]
    assert items["logement_problemes"]["kind"] == ItemKind.FREE_TEXT
    # The frozen copy is what the live rows give: opening and saving it changes nothing.
    assert questionnaire.content() == version.content


def test_editing_without_answers_updates_the_version_and_with_answers_creates_a_new_one(users):
    questionnaire = default_questionnaire()
    item = Item.objects.get(section__questionnaire=questionnaire, code="bourse_suffisante")
    item.label = "Le montant de la bourse était suffisant"
    item.save()
    assert list(questionnaire.versions.values_list("number", flat=True)) == [1]
    assert questionnaire.current_version.items()[13]["label"] == "Le montant de la bourse était suffisant"

    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    first = answered(dossier)
    assert first.version.number == 1
    section = Section.objects.create(questionnaire=questionnaire, title="Après le séjour", position=9)
    Item.objects.create(section=section, code="ambassadeur", label="Accepteriez-vous de témoigner ?",
                        kind=ItemKind.YES_NO, position=1)
    Item.objects.filter(code="cours_de_langue").delete()
    assert list(questionnaire.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    new = questionnaire.current_version
    codes = [i["code"] for i in new.items()]
    assert "ambassadeur" in codes and "cours_de_langue" not in codes
    # The answers keep the version they were given on.
    first.refresh_from_db()
    assert first.version.number == 1 and "cours_de_langue" in [i["code"] for i in first.version.items()]
    # A dossier returning now is given version 2.
    later = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=5), review_date=TODAY)
    assert answered(later, {"ambassadeur": "oui"}).version.number == 2


def test_required_items_and_known_options(users):
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    survey = Survey.objects.create(dossier=dossier, horizon=Horizon.RETURN, due_date=TODAY,
                                   version=default_questionnaire().current_version)
    data = {**REQUIRED, "stage": "", "repartir": "peut-être", "information_avant_depart": ["oui", "non"]}
    with pytest.raises(SurveyError) as refused:
        record_response(survey, data)
    assert refused.value.errors == {
        "stage": "Cette question demande une réponse.",
        "repartir": "Choisissez parmi les réponses proposées.",
        "information_avant_depart": "Choisissez une seule réponse.",
    }
    assert not Response.objects.exists()
    response = record_response(survey, {**REQUIRED, "logement_problemes": "  Chauffage en panne  ",
                                        "cours_de_langue": "ne_sait_pas"})
    answers = {a.item_code: (a.value, a.text) for a in response.answers.all()}
    assert answers["logement_problemes"] == ("", "Chauffage en panne")
    assert answers["cours_de_langue"] == ("ne_sait_pas", "")
    assert "bourse_suffisante" not in answers  # optional, not answered: no row
    assert response.source == Source.SPACE


def test_a_questionnaire_is_answered_once(users):
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    first = answered(dossier)
    with pytest.raises(SurveyError, match="qu'une fois"):
        record_response(first.survey, REQUIRED)
    assert Response.objects.count() == 1


def test_staff_enter_the_answers_given_on_paper_from_the_dossier_page(client, users):
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    log_in(client, users["mobility"])
    page = text(client.get(dossier.get_absolute_url()))
    entry = reverse("surveys:staff_entry", args=[dossier.pk, Horizon.RETURN])
    assert "Questionnaire et enquêtes après le retour" in page and entry in page
    form = client.get(entry)
    assert form.status_code == 200 and "L'organisation du programme par la plateforme" in text(form)
    missing = client.post(entry, {"source": Source.PAPER, "item_stage": "4"})
    assert missing.status_code == 400 and "Cette question demande une réponse." in text(missing)
    data = {f"item_{code}": value for code, value in REQUIRED.items()}
    done = client.post(entry, {**data, "source": Source.PAPER, "item_logement_problemes": "Trop loin du travail"})
    assert done.status_code == 302
    response = Response.objects.get(survey__dossier=dossier)
    assert (response.source, response.entered_by, response.version.number) == (Source.PAPER, users["mobility"], 1)
    page = text(client.get(dossier.get_absolute_url()))
    assert "Saisie par l'équipe (questionnaire papier) (mobilite)" in page or "questionnaire papier" in page
    detail = text(client.get(reverse("surveys:response", args=[response.survey.pk])))
    assert "Trop loin du travail" in detail and "excellent" in detail
    again = client.get(entry)
    assert again.status_code == 302 and again.url == reverse("surveys:response", args=[response.survey.pk])


def test_staff_enter_a_12_month_survey_by_phone_only_once_it_is_due(client, users):
    young = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=100), review_date=TODAY,
                     state="clos")
    log_in(client, users["mobility"])
    early = client.get(reverse("surveys:staff_entry", args=[young.pk, Horizon.MONTHS_12]))
    assert early.status_code == 302 and not Survey.objects.filter(horizon=Horizon.MONTHS_12).exists()
    old = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=400), review_date=TODAY, state="clos")
    url = reverse("surveys:staff_entry", args=[old.pk, Horizon.MONTHS_12])
    done = client.post(url, {"source": Source.PHONE, "situation": "etudes", "abroad": "oui", "employer": "Trinity College"})
    assert done.status_code == 302
    response = Response.objects.get(survey__dossier=old, survey__horizon=Horizon.MONTHS_12)
    assert (response.situation, response.abroad, response.source) == ("etudes", True, Source.PHONE)


def test_the_questionnaire_page_is_read_only_and_a_counsellor_cannot_enter_answers(client, users):
    questionnaire = default_questionnaire()
    log_in(client, users["manager"])
    page = text(client.get(reverse("surveys:questionnaire", args=[questionnaire.pk])))
    assert "Version 1" in page and "Le logement" in page and "par structure d'accueil" in page
    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    log_in(client, users["counsellor"])
    assert client.get(reverse("surveys:staff_entry", args=[dossier.pk, Horizon.RETURN])).status_code == 403
    assert client.get(reverse("surveys:questionnaire", args=[questionnaire.pk])).status_code == 403


def test_erasure_removes_the_young_person_s_words_and_keeps_the_figures(users):
    from privacy import rgpd
    from reporting import renderers, reports
    from reporting.filters import ReportFilters

    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    response = answered(dossier, {"logement_problemes": "Mon logeur M. Dupont était absent"})
    before = renderers.to_csv(reports.build("satisfaction", ReportFilters()))
    rgpd.anonymise_youth(dossier.youth)
    assert not response.answers.exclude(text="").exists()
    assert response.answers.filter(item_code="logement_problemes").count() == 1
    assert renderers.to_csv(reports.build("satisfaction", ReportFilters())) == before


def test_the_subject_access_export_holds_the_answers(users):
    from privacy import rgpd

    dossier = returned(users["admin"], return_date=TODAY - datetime.timedelta(days=20), review_date=TODAY)
    answered(dossier, {"commentaire": "Super séjour"}, user=users["mobility"])
    section = {s.key: s for s in rgpd.subject_access(dossier.youth, users["mobility"])}["surveys"]
    record = dict((name, value) for name, _label, value in section.records[0])
    assert record["horizon"] == "Questionnaire de satisfaction au retour"
    assert record["source"] == "Saisie par l'équipe (téléphone)"
    assert "commentaire : Super séjour" in record["answers"] and "stage : 4" in record["answers"]
