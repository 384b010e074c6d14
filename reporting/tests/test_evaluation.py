"""The FEJ-style evaluation workbook: one sheet per table (beneficiaries, outcomes at 6, 12 and 36 months,
satisfaction), each with its source and extraction date; a counsellor's restricted to their structure."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import log_in
from surveys.tests.factories import answered, returned

pytestmark = pytest.mark.django_db


def sheets_of(response):
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_the_evaluation_workbook(client, users, structure):
    dossier = returned(users["admin"], return_date=datetime.date(2024, 5, 1), review_date=datetime.date(2024, 5, 6))
    dossier.structure = structure
    dossier.save()
    answered(dossier, {"organisation_plateforme": "3"})
    log_in(client, users["manager"])
    assert "Classeur d'évaluation (FEJ)" in client.get(reverse("reporting:index")).content.decode()
    page = client.get(reverse("reporting:evaluation"))
    assert page.status_code == 200 and "Situation à 36 mois" in page.content.decode()
    download = client.get(reverse("reporting:evaluation"), {"format": "xlsx", "year_from": 2024})
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="evaluation-fej-2024.xlsx"'
    sheets = sheets_of(download)
    assert list(sheets) == ["Bénéficiaires", "Situation à 6 mois", "Situation à 12 mois", "Situation à 36 mois",
                            "Satisfaction"]
    for title, rows in sheets.items():
        footer = [row[0] for row in rows if row[0] and str(row[0]).startswith("Source : Ipm")]
        assert len(footer) == 1 and "Extraction du" in footer[0], title
    assert sheets["Bénéficiaires"][0][:2] == ("Bénéficiaires", "2024")
    twelve = sheets["Situation à 12 mois"]
    # Percentages are fractions in XLSX (shown « 100,0 % »).
    assert ("inconnu", 1, 1.0) in twelve and ("emploi ou études", 0, 0.0) in twelve
    assert ("Année 2024",) == tuple(c for c in twelve[[r[0] for r in twelve].index("Situation douze mois après le retour") + 1] if c)
    satisfaction = sheets["Satisfaction"]
    assert satisfaction[1][:4] == ("ensemble", "répondants", None, 1)
    assert ("Organisation générale du programme", "L'organisation du programme par la plateforme", "très bien", 1,
            1.0) in satisfaction
    # A counsellor of another structure: their structure's figures only.
    log_in(client, users["other_counsellor"])
    other = sheets_of(client.get(reverse("reporting:evaluation"), {"format": "xlsx", "year_from": 2024}))
    assert other["Satisfaction"][1][:4] == ("ensemble", "répondants", None, 0)
