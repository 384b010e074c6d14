"""The satisfaction report on a small known set of answers, cell by cell (CSV of the command), with the
host organisation filter, a multiple-choice item and the per-host rows of partner-rated items."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import log_in
from departures.tests.factories import HostOrganisationFactory, SchemeFactory
from surveys.enums import ItemKind
from surveys.models import Item, Section
from surveys.tests.factories import answered, default_questionnaire, returned

pytestmark = pytest.mark.django_db


def csv_lines(*args):
    out = io.StringIO()
    call_command("report", "satisfaction", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def known(users):
    questionnaire = default_questionnaire()
    section = Section.objects.get(questionnaire=questionnaire, title="Le cours de langue")
    Item.objects.create(section=section, code="langues", label="Les langues pratiquées", kind=ItemKind.MULTI_CHOICE,
                        options="Anglais\nEspagnol\nAllemand", position=3)
    scheme = SchemeFactory(name="Erasmus+ stages")
    alpha, beta = HostOrganisationFactory(name="Alpha Hotel"), HostOrganisationFactory(name="Beta Café")
    admin = users["admin"]

    def back(day, host):
        return returned(admin, return_date=day, review_date=day, scheme=scheme, host=host)

    d1, d2 = back(datetime.date(2024, 3, 1), alpha), back(datetime.date(2024, 6, 1), alpha)
    back(datetime.date(2024, 9, 1), beta)  # the fourth return of 2024 does not answer
    d3 = back(datetime.date(2024, 7, 1), beta)
    earlier = back(datetime.date(2023, 5, 1), beta)
    answered(d1, {"organisation_plateforme": "4", "organisation_partenaire": "4", "cours_de_langue": "ne_sait_pas",
                  "logement_problemes": "Bruit", "langues": ["Anglais", "Espagnol"]})
    answered(d2, {"organisation_plateforme": "3", "organisation_partenaire": "2", "langues": ["Anglais"]})
    answered(d3, {"organisation_plateforme": "4", "organisation_partenaire": "3", "cours_de_langue": "2"})
    answered(earlier, {"organisation_plateforme": "1"})
    return {"alpha": alpha, "beta": beta}


def test_satisfaction_figures_cell_by_cell(known):
    lines = csv_lines("--year", "2024")
    org = "Organisation générale du programme"
    partner = "L'organisation par la structure d'accueil à l'étranger"
    course = "Le cours de langue"
    assert lines[:3] == ["section,question,reponse,nombre,pourcentage", "ensemble,répondants,,3,",
                         "ensemble,taux de réponse,,4,75.0"]
    assert lines[3:8] == [
        f"{org},L'organisation du programme par la plateforme,excellent,2,66.7",
        f"{org},L'organisation du programme par la plateforme,très bien,1,33.3",
        f"{org},L'organisation du programme par la plateforme,satisfaisant,0,0.0",
        f"{org},L'organisation du programme par la plateforme,insatisfaisant,0,0.0",
        f"{org},L'organisation du programme par la plateforme,ne sait pas,0,0.0",
    ]
    assert lines[8:23] == [
        f"{org},{partner},excellent,1,33.3", f"{org},{partner},très bien,1,33.3",
        f"{org},{partner},satisfaisant,1,33.3", f"{org},{partner},insatisfaisant,0,0.0",
        f"{org},{partner},ne sait pas,0,0.0",
        f"{org},{partner} — Alpha Hotel,excellent,1,50.0", f"{org},{partner} — Alpha Hotel,très bien,0,0.0",
        f"{org},{partner} — Alpha Hotel,satisfaisant,1,50.0", f"{org},{partner} — Alpha Hotel,insatisfaisant,0,0.0",
        f"{org},{partner} — Alpha Hotel,ne sait pas,0,0.0",
        f"{org},{partner} — Beta Café,excellent,0,0.0", f"{org},{partner} — Beta Café,très bien,1,100.0",
        f"{org},{partner} — Beta Café,satisfaisant,0,0.0", f"{org},{partner} — Beta Café,insatisfaisant,0,0.0",
        f"{org},{partner} — Beta Café,ne sait pas,0,0.0",
    ]
    assert lines[23:25] == [f"{org},Les informations reçues avant le départ étaient suffisantes,oui,3,100.0",
                            f"{org},Les informations reçues avant le départ étaient suffisantes,non,0,0.0"]
    assert lines[25:27] == [f"{org},Les fiches de suivi étaient faciles à utiliser,oui,0,0.0",
                            f"{org},Les fiches de suivi étaient faciles à utiliser,non,0,0.0"]
    assert lines[29:37] == [
        f"{course},Le cours de langue,excellent,0,0.0", f"{course},Le cours de langue,très bien,0,0.0",
        f"{course},Le cours de langue,satisfaisant,1,50.0", f"{course},Le cours de langue,insatisfaisant,0,0.0",
        f"{course},Le cours de langue,ne sait pas,1,50.0",
        f"{course},Les langues pratiquées,Anglais,2,100.0", f"{course},Les langues pratiquées,Espagnol,1,50.0",
        f"{course},Les langues pratiquées,Allemand,0,0.0",
    ]
    assert "Le logement,Avez-vous eu des problèmes particuliers avec le logement ? Lesquels ?,réponses écrites,1,33.3" in lines
    assert "Votre situation aujourd'hui,Votre situation aujourd'hui,En emploi,3,100.0" in lines
    assert lines[-1] == "Votre situation aujourd'hui,Un mot à ajouter ?,réponses écrites,0,0.0"


def test_satisfaction_of_one_host_and_of_every_year(known):
    lines = csv_lines("--year", "2024", "--host", "Alpha Hotel")
    assert lines[1:3] == ["ensemble,répondants,,2,", "ensemble,taux de réponse,,2,100.0"]
    assert "Organisation générale du programme,L'organisation du programme par la plateforme,très bien,1,50.0" in lines
    assert not [line for line in lines if "Beta Café" in line]
    every = csv_lines()
    assert every[1:3] == ["ensemble,répondants,,4,", "ensemble,taux de réponse,,5,80.0"]
    assert "Organisation générale du programme,L'organisation du programme par la plateforme,insatisfaisant,1,25.0" in every


def test_satisfaction_page_and_downloads(client, users, known):
    log_in(client, users["manager"])
    url = reverse("reporting:report", args=["satisfaction"])
    page = client.get(url, {"year_from": 2024, "host": known["beta"].pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Structure d&#x27;accueil" in body and "report-chart-data" in body
    for fmt in ("csv", "xlsx", "pdf"):
        download = client.get(reverse("reporting:download", args=["satisfaction", fmt]), {"year_from": 2024})
        assert download.status_code == 200 and len(download.content) > 100
