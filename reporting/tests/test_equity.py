"""Territorial equity: fiches and departures per department and per structure, departures per 10,000
young people of 16-25 where a manager entered the population, ratio to the best department, the map's
classes — on a known set, through the pages — and the population pages."""
import re
from datetime import date

import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import DossierFactory
from referrals.tests.factories import StructureFactory
from reporting import reports
from reporting.filters import ReportFilters
from reporting.models import PopulationFigure
from reporting.reports.equity import map_class

pytestmark = pytest.mark.django_db


def fiches(structure, count, left, scheme, year=2024):
    """``count`` fiches of ``year`` at ``structure``, ``left`` of them departed during that year."""
    for index in range(count):
        dossier = DossierFactory(structure=structure, received_on=date(year, 1, 1 + index), scheme=scheme)
        if index < left:
            StayFactory(dossier=dossier, scheme=scheme, departure_date=date(year, 6, 1 + index),
                        return_date=date(year, 9, 1))


@pytest.fixture
def territories(structure, other_structure):
    """42 (St-Étienne): 4 fiches, 2 departures, 80,000 young people → 0.25 per 10,000.
    69 (Lyon): 5 fiches, 5 departures (one of scheme B), 100,000 → 0.5, the best.
    01 (Bourg-en-Bresse): 2 fiches, 1 departure, 50,000 in 2022 (and 10,000 in 2025, after the year) → 0.2.
    38: 150,000 young people, no structure → 0. 73 (Chambéry): 1 fiche, no population. A 2023 departure."""
    A, B = SchemeFactory(name="Erasmus+ stages"), SchemeFactory(name="Chantier international")
    bourg = StructureFactory(name="Mission Locale de Bourg-en-Bresse", department="01")
    chambery = StructureFactory(name="Mission Locale de Chambéry", department="73")
    fiches(structure, 4, 2, A)
    fiches(other_structure, 4, 4, A)
    fiches(other_structure, 1, 1, B)
    fiches(bourg, 2, 1, A)
    fiches(chambery, 1, 0, A)
    fiches(structure, 1, 1, A, year=2023)
    for department, year, population in [("42", 2024, 80000), ("69", 2024, 100000), ("01", 2022, 50000),
                                         ("01", 2025, 10000), ("38", 2024, 150000)]:
        PopulationFigure.objects.create(department=department, year=year, population=population,
                                        source="Chiffres de test")
    return {"A": A, "B": B}


HEADER = ("territoire,departement,fiches,departs,departs_pour_100_fiches,population_16_25,"
          "departs_pour_10000_jeunes,rapport_au_meilleur")


def test_the_figures_per_department_and_structure(client_for, territories):
    response = client_for("manager").get(reverse("reporting:download", args=["equity", "csv"]), {"year_from": 2024})
    assert response.content.decode().splitlines() == [
        HEADER,
        "Départements",
        "Ain,01,2,1,50.0,50000,0.2,2.5",
        "Isère,38,0,0,0.0,150000,0.0,",
        "Loire,42,4,2,50.0,80000,0.3,2.0",
        "Rhône,69,5,5,100.0,100000,0.5,1.0",
        "Savoie,73,1,0,0.0,,,",
        "Structures",
        "Mission Locale de Bourg-en-Bresse,01,2,1,50.0,,,",
        "Mission Locale de Chambéry,73,1,0,0.0,,,",
        "Mission Locale de Lyon,69,5,5,100.0,,,",
        "Mission Locale de Saint-Étienne,42,4,2,50.0,,,",
        "Total,,12,8,66.7,,,",
    ]


def test_the_map_classes_departments_by_their_share_of_the_best_rate(client_for, territories):
    report = reports.build("equity", ReportFilters(year_from=2024, year_to=2024))
    classes = report.map["classes"]
    # 69: the best (c4); 42: half of it (c3); 01: 40 % (c2); 38: no departure (c1); 73 and 75: no population.
    assert {code: classes[code] for code in ("69", "42", "01", "38", "73", "75")} == {
        "69": "c4", "42": "c3", "01": "c2", "38": "c1", "73": "none", "75": "none"}
    assert len(classes) == 96 and sum(1 for c in classes.values() if c == "none") == 92
    page = client_for("manager").get(reverse("reporting:report", args=["equity"]), {"year_from": 2024}).content.decode()
    drawn = dict(re.findall(r'data-department="(\w+)" data-class="(\w+)"', page))
    assert drawn == classes
    assert "pas de donnée (population non saisie) — 92 départements" in page
    assert "au moins 75 % du meilleur taux — 1 département" in page
    assert "<title>Rhône (69) : 0,5 départs pour 10 000 jeunes</title>" in page
    assert "<title>Savoie (73) : pas de donnée</title>" in page


def test_the_class_boundaries():
    from fractions import Fraction

    best = Fraction(4)
    assert [map_class(Fraction(r), best) for r in (4, 3, 2, 1, 0)] == ["c4", "c4", "c3", "c2", "c1"]
    assert map_class(Fraction(299, 100), best) == "c3" and map_class(None, best) == "none"


def test_the_scheme_filter(client_for, territories):
    response = client_for("manager").get(reverse("reporting:download", args=["equity", "csv"]),
                                         {"year_from": 2024, "scheme": territories["B"].pk})
    lines = response.content.decode().splitlines()
    assert "Rhône,69,1,1,100.0,100000,0.1,1.0" in lines
    assert "Loire,42,0,0,0.0,80000,0.0," in lines
    assert lines[-1] == "Total,,1,1,100.0,,,"


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_report_downloads(client_for, territories, fmt):
    response = client_for("manager").get(reverse("reporting:download", args=["equity", fmt]), {"year_from": 2024})
    assert response.status_code == 200 and len(response.content) > 1000


def test_a_counsellor_sees_only_their_structure(client_for, territories):
    response = client_for("counsellor").get(reverse("reporting:download", args=["equity", "csv"]), {"year_from": 2024})
    assert response.content.decode().splitlines() == [
        HEADER, "Départements", "Loire,42,4,2,50.0,80000,0.3,1.0", "Structures",
        "Mission Locale de Saint-Étienne,42,4,2,50.0,,,", "Total,,4,2,50.0,,,",
    ]


def test_the_command_line(territories, capsys):
    from django.core.management import call_command

    call_command("report", "equity", "--year", "2024")
    assert "Rhône,69,5,5,100.0,100000,0.5,1.0" in capsys.readouterr().out


# --- The population pages ----------------------------------------------------------------------------------

def test_a_manager_enters_a_population_with_its_source(client_for):
    client = client_for("manager")
    response = client.post(reverse("reporting:population_create"),
                           {"department": "1", "year": 2024, "population": 61234, "source": "INSEE, RP 2021"}, follow=True)
    assert "Population du département 01 pour 2024 enregistrée." in response.content.decode()
    figure = PopulationFigure.objects.get()
    assert (figure.department, figure.year, figure.population, figure.source) == ("01", 2024, 61234, "INSEE, RP 2021")
    page = client.get(reverse("reporting:population"), {"q": "ain"}).content.decode()
    assert "01 — Ain" in page and "INSEE, RP 2021" in page
    client.post(reverse("reporting:population_edit", args=[figure.pk]),
                {"department": "01", "year": 2024, "population": 60000, "source": "INSEE, RP 2022"})
    figure.refresh_from_db()
    assert (figure.population, figure.source) == (60000, "INSEE, RP 2022")


def test_wrong_population_entries_are_refused_in_french(client_for):
    client = client_for("manager")
    PopulationFigure.objects.create(department="69", year=2024, population=1, source="x")
    response = client.post(reverse("reporting:population_create"),
                           {"department": "99", "year": 2024, "population": 0, "source": ""})
    errors = response.context["form"].errors
    assert errors["department"] == ["« 99 » n'est pas un numéro de département (ex. : 01, 2A, 69, 974)."]
    assert errors["population"] == ["La population doit être supérieure à zéro."]
    assert errors["source"] == ["Indiquez la source du chiffre."]
    response = client.post(reverse("reporting:population_create"),
                           {"department": "69", "year": 2024, "population": 5, "source": "y"})
    assert response.context["form"].errors["year"][0].startswith("La population du département 69 pour 2024 est déjà")
    assert PopulationFigure.objects.count() == 1


def test_deleting_a_population_asks_first(client_for):
    figure = PopulationFigure.objects.create(department="2A", year=2024, population=12000, source="INSEE")
    client = client_for("manager")
    page = client.get(reverse("reporting:population_delete", args=[figure.pk])).content.decode()
    assert "sera supprimée" in page and PopulationFigure.objects.exists()
    client.post(reverse("reporting:population_delete", args=[figure.pk]))
    assert not PopulationFigure.objects.exists()


@pytest.mark.parametrize("role", ["counsellor", "mobility", "reception"])
def test_only_managers_enter_populations(client_for, role):
    client = client_for(role)
    assert client.get(reverse("reporting:population")).status_code == 403
    client.post(reverse("reporting:population_create"), {"department": "01", "year": 2024, "population": 5, "source": "x"})
    assert not PopulationFigure.objects.exists()
