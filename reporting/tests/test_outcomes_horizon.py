"""The outcomes report's headline rows (« sortie positive », « emploi ou études ») on a known set, at six
months (the month-6 contact) and at 12 and 36 months (the surveys)."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import log_in
from departures.tests.factories import SchemeFactory
from dossiers.workflow import State
from followup.enums import Situation
from reporting.tests.factories import reported_dossier
from surveys.enums import Horizon, Source
from surveys.models import Survey
from surveys.services import record_response

pytestmark = pytest.mark.django_db


def csv_lines(*args):
    out = io.StringIO()
    call_command("report", "outcomes", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def known(users):
    scheme = SchemeFactory(name="Erasmus+ stages")
    six = [Situation.CDI, Situation.CDD_SHORT, Situation.TEMPORARY, Situation.STUDIES, Situation.JOB_SEEKING]
    twelve = [Situation.CDI, Situation.STUDIES, None, Situation.CIVIC_SERVICE, "no survey"]
    for at_six, at_twelve in zip(six, twelve):
        dossier = reported_dossier(users["admin"], State.CLOSED, datetime.date(2023, 1, 10), scheme=scheme,
                                   departure=datetime.date(2023, 3, 1), return_date=datetime.date(2023, 6, 1),
                                   situation6=at_six)
        if at_twelve == "no survey":
            continue
        survey = Survey.objects.create(dossier=dossier, horizon=Horizon.MONTHS_12, due_date=datetime.date(2024, 6, 1))
        if at_twelve is not None:
            record_response(survey, {}, source=Source.PHONE, situation=at_twelve, abroad=False)
    return scheme


def test_headline_rows_at_six_months(known):
    lines = csv_lines("--year", "2023", "--scheme", "Erasmus+ stages")
    assert lines == [
        "Situation,Nombre,Pourcentage", "emploi_cdi,1,20.0", "emploi_cdd_6_mois_plus,0,0.0",
        "emploi_cdd_moins_6_mois,2,40.0", "formation_qualifiante,0,0.0", "etudes,1,20.0", "recherche_emploi,1,20.0",
        "autre,0,0.0", "inconnu,0,0.0", "sortie positive,1,20.0", "emploi ou études,4,80.0",
    ]
    assert csv_lines("--year", "2023") == csv_lines("--year", "2023", "--horizon", "6")


def test_headline_rows_at_twelve_months(known):
    lines = csv_lines("--year", "2023", "--horizon", "12")
    assert lines == [
        "Situation,Nombre,Pourcentage", "Erasmus+ stages,,", "emploi_cdi,1,20.0", "emploi_cdd_6_mois_plus,0,0.0",
        "emploi_cdd_moins_6_mois,0,0.0", "formation_qualifiante,0,0.0", "etudes,1,20.0", "recherche_emploi,0,0.0",
        "autre,1,20.0", "inconnu,2,40.0", "sortie positive,1,20.0", "emploi ou études,2,40.0",
        "Tous dispositifs,,", "emploi_cdi,1,20.0", "emploi_cdd_6_mois_plus,0,0.0",
        "emploi_cdd_moins_6_mois,0,0.0", "formation_qualifiante,0,0.0", "etudes,1,20.0", "recherche_emploi,0,0.0",
        "autre,1,20.0", "inconnu,2,40.0", "sortie positive,1,20.0", "emploi ou études,2,40.0",
    ]
    assert csv_lines("--year", "2023", "--horizon", "36")[-3:] == ["inconnu,5,100.0", "sortie positive,0,0.0",
                                                                    "emploi ou études,0,0.0"]


def test_the_page_offers_the_horizon_and_gives_the_response_rate(client, users, known):
    log_in(client, users["manager"])
    page = client.get(reverse("reporting:report", args=["outcomes"]), {"year_from": 2023, "horizon": 12})
    body = page.content.decode()
    assert page.status_code == 200 and "Situation douze mois après le retour" in body
    assert "Taux de réponse : 3 réponse(s) pour 5 séjour(s), soit 60.0 %" in body
    assert 'name="horizon"' in body
    other = client.get(reverse("reporting:report", args=["funnel"])).content.decode()
    assert 'name="horizon"' not in other and 'name="host"' not in other
