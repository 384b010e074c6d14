"""A structure's system reads its reports: the figures of the « Rapports » pages of its own counsellors,
never another structure's (PostgreSQL, through the HTTP endpoints)."""
import datetime

import pytest
from django.test import Client

from api.models import ApiCall
from api.tests.conftest import ApiClient
from api.tokens import revoke
from conftest import log_in
from reporting import reports
from reporting.tests import conftest as reporting_world

# The reports' small world (fixtures): Saint-Étienne (``structure``) D1, D2, D5; Lyon (``other_structure``) D3, D4, D6.
world, schemes = reporting_world.world, reporting_world.schemes

pytestmark = pytest.mark.django_db
URL = "/api/v1/rapports/"


def cells(data):
    return [(row["kind"], row["cells"]) for row in data["rows"]]


def test_the_list_gives_every_report_with_its_filters(api):
    response = api.get(URL)
    assert response.status_code == 200
    listing = response.json()
    assert [entry["key"] for entry in listing] == list(reports.REPORTS)
    departures = listing[0]
    assert departures["title"] == "Départs par dispositif et par année"
    assert departures["url"].endswith("/api/v1/rapports/departures/")
    names = [f["name"] for f in departures["filters"]]
    # The page's filters, but never the structure nor the department: its reports are its own structure's.
    assert {"year", "year_from", "year_to", "scheme"} <= set(names)
    assert "structure" not in names and "department" not in names
    by_key = {entry["key"]: {f["name"] for f in entry["filters"]} for entry in listing}
    assert "horizon" in by_key["outcomes"] and "horizon" not in by_key["departures"]
    assert "sponsored" in by_key["funnel"] and "host" in by_key["satisfaction"]


def test_a_structure_reads_the_figures_its_counsellor_sees_and_never_anothers(api, lyon, world, users):
    mine = api.get(URL + "departures/?year_from=2022&year_to=2023")
    assert mine.status_code == 200, mine.content
    data = mine.json()
    assert data["key"] == "departures" and data["years"] == [2022, 2023] and data["period"] == "Années 2022 à 2023"
    assert [(c["key"], c["label"]) for c in data["columns"]] == [
        ("Dispositif", "Dispositif"), ("2022", "2022"), ("2023", "2023"), ("Total", "Total")]
    assert cells(data) == [
        ("data", {"Dispositif": "Chantier international", "2022": 0, "2023": 1, "Total": 1}),
        ("data", {"Dispositif": "Erasmus+ stages", "2022": 1, "2023": 0, "Total": 1}),
        ("total", {"Dispositif": "Total", "2022": 1, "2023": 1, "Total": 2}),
    ]
    assert {"label": "Structure", "value": str(users["counsellor"].structure)} in data["filters"]
    # Lyon's system reads Lyon's single departure, not Saint-Étienne's.
    theirs = lyon.get(URL + "departures/?year_from=2022&year_to=2023").json()
    assert theirs["rows"][-1]["cells"] == {"Dispositif": "Total", "2022": 0, "2023": 1, "Total": 1}
    # The same figures as the counsellor's page (its CSV download).
    page = log_in(Client(), users["counsellor"]).get("/rapports/departures/telecharger.csv?year_from=2022&year_to=2023")
    assert page.content.decode().endswith("Total,1,1,2\n")
    # A filter naming another structure is refused, not obeyed.
    other = users["other_counsellor"].structure
    refused = api.get(URL + f"departures/?year_from=2022&year_to=2023&structure={other.pk}")
    assert refused.status_code == 400 and "Filtre inconnu" in refused.json()["errors"]["structure"][0]


def test_percentages_and_words_as_on_the_page(api, world):
    data = api.get(URL + "funnel/?year=2022").json()
    assert data["years"] == [2022]
    assert data["rows"][0]["cells"] == {"Etape": "fiches reçues", "Nombre": 1, "Taux": 100.0}
    assert [c["key"] for c in data["columns"] if c["percent"]] == ["Taux"]
    profile = api.get(URL + "profile/?year_from=2021&year_to=2023").json()
    women = next(row for row in profile["rows"] if "F" in row["cells"].values())
    assert set(women["labels"].values()) == {"Sexe", "Femmes"}  # the codes in words, as on the page
    assert data["rows"][0]["labels"] == {}


def test_every_report_answers_and_its_rows_match_its_columns(api, world):
    for name in reports.REPORTS:
        response = api.get(f"{URL}{name}/?year_from=2021&year_to=2023")
        assert response.status_code == 200, (name, response.content)
        data = response.json()
        keys = [c["key"] for c in data["columns"]]
        assert len(set(keys)) == len(keys), name
        assert all(set(row["cells"]) <= set(keys) for row in data["rows"]), name


def test_bad_filters_are_400_in_french_and_an_unknown_report_404(api, world):
    response = api.get(URL + "departures/?year_from=deux-mille")
    assert response.status_code == 400
    assert response.json()["errors"]["year_from"] == ["Saisissez un nombre entier."]
    errors = api.get(URL + "departures/?year_from=2023&year_to=2021").json()["errors"]
    assert errors["year_to"] == ["L'année de fin doit suivre l'année de début."]
    assert "supérieure ou égale à 1990" in api.get(URL + "departures/?year=1800").json()["errors"]["year_from"][0]
    assert "pas les deux" in api.get(URL + "departures/?year=2022&year_to=2023").json()["errors"]["year"][0]
    assert api.get(URL + "outcomes/?horizon=7").json()["errors"]["horizon"][0].startswith("Sélectionnez un choix valide")
    assert "Filtre inconnu" in api.get(URL + "departures/?horizon=12").json()["errors"]["horizon"][0]
    assert api.get(URL + "departures/?scheme=999999").status_code == 400
    assert api.get(URL + "inconnu/").status_code == 404
    assert api.get(URL + "d%C3%A9parts%00/").status_code == 404


def test_without_a_valid_token_401_and_every_call_is_audited(api, token_and_key, users, structure, world):
    assert ApiClient(None).get(URL).status_code == 401
    assert ApiClient("ipm_faux").get(URL + "departures/").status_code == 401
    # A signed-in counsellor's session is no token either.
    assert log_in(Client(), users["counsellor"]).get(URL + "departures/", secure=True).status_code == 401
    api.get(URL + "departures/?year=2022")
    api.get(URL + "inconnu/")
    revoke(token_and_key[0], users["manager"])
    assert api.get(URL + "departures/").status_code == 401
    calls = list(ApiCall.objects.order_by("id").values_list("method", "path", "status", "structure_id"))
    assert calls[-3:] == [("GET", URL + "departures/", 200, structure.pk), ("GET", URL + "inconnu/", 404, structure.pk),
                          ("GET", URL + "departures/", 401, None)]


def test_a_token_whose_counsellor_moved_to_another_structure_reads_nothing_of_it(api, token_and_key, users, world,
                                                                                  other_structure):
    counsellor = users["counsellor"]
    counsellor.structure = other_structure
    counsellor.save()
    data = api.get(URL + "departures/?year_from=2022&year_to=2023").json()
    assert data["rows"] == [{"kind": "total", "cells": {"Dispositif": "Total", "2022": 0, "2023": 0, "Total": 0},
                             "labels": {}}]


def test_the_schema_describes_the_reports(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/rapports/", "/api/v1/rapports/{key}/"} <= set(schema["paths"])
    detail = schema["paths"]["/api/v1/rapports/{key}/"]["get"]
    assert {"200", "400", "404"} <= set(detail["responses"])
    assert {"year", "year_from", "year_to", "scheme"} <= {p["name"] for p in detail["parameters"]}


def test_the_pages_caveat_comes_with_the_figures_for_the_structure_only(api, lyon, world, users):
    from departures.tests.factories import StayFactory

    query = "departures/?year_from=2021&year_to=2023"
    mine, theirs = api.get(URL + query).json()["flagged_dossiers"], lyon.get(URL + query).json()["flagged_dossiers"]
    # D5 (Saint-Étienne) gets a stay back before it left: a broken rule of the wheel.
    StayFactory(dossier=world["D5"], departure_date=datetime.date(2022, 6, 1), return_date=datetime.date(2022, 5, 1))
    assert api.get(URL + query).json()["flagged_dossiers"] == mine + 1
    assert lyon.get(URL + query).json()["flagged_dossiers"] == theirs
    page = log_in(Client(), users["counsellor"]).get("/rapports/" + query)
    assert page.context["flagged"] == mine + 1
