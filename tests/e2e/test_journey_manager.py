"""Journey 3: a manager opens the departures report, filters one year, downloads the XLSX and the PDF, and
the files say what the data say (read back with openpyxl and pypdf). Accessibility (axe-core) on the way,
no JavaScript error nor CSP violation (the chart is drawn by Chart.js)."""
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import DossierFactory

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def departures(scheme, structure, *days):
    for day in days:
        StayFactory(dossier=DossierFactory(structure=structure), scheme=scheme, departure_date=day,
                    return_date=day + datetime.timedelta(days=60))


def test_manager_downloads_the_departures_report_of_one_year(page, users, structure, other_structure):
    year = timezone.localdate().year - 1
    erasmus = SchemeFactory(name="Erasmus+ stage")
    volunteering = SchemeFactory(name="Volontariat européen")
    SchemeFactory(name="Zéro départ")  # no departure that year: no row
    # The year asked for: 3 + 1 departures, in two structures (a manager sees them all).
    departures(erasmus, structure, datetime.date(year, 3, 2), datetime.date(year, 6, 15))
    departures(erasmus, other_structure, datetime.date(year, 12, 31))
    departures(volunteering, structure, datetime.date(year, 1, 1))
    # Other years: not counted.
    departures(volunteering, structure, datetime.date(year - 1, 12, 31), datetime.date(year - 1, 5, 5))
    departures(erasmus, other_structure, datetime.date(year + 1, 1, 1))
    expected = [["Erasmus+ stage", 3, 3], ["Volontariat européen", 1, 1], ["Total", 4, 4]]

    login(page, "responsable")
    page.get_by_role("link", name="Rapports", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Départs par dispositif et par année").click()
    assert_accessible(page)  # every year, before filtering
    page.get_by_label("Année (ou début)").fill(str(year))
    page.get_by_role("button", name="Afficher").click()
    assert f"year_from={year}" in page.url
    assert_accessible(page)

    # On screen: one column for the year, the total, one row per scheme that had a departure.
    table = page.get_by_role("table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["Dispositif", str(year), "Total"]
    rows = [[c.strip() for c in row.locator("th, td").all_inner_texts()] for row in table.locator("tbody tr").all()]
    assert rows == [[str(v) for v in r] for r in expected]

    # XLSX: the same table, numbers as numbers, the period and the extraction date under it.
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX").click()
    xlsx = info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.path().read_bytes()), read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Dispositif", str(year), "Total"]
    assert [r[:3] for r in values[1:4]] == expected
    below = " ".join(str(r[0]) for r in values[4:] if r and r[0])
    assert "Départs par dispositif et par année" in below and str(year) in below

    # PDF: title, period and the same figures, in words a funder reads.
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = info.value
    assert pdf.suggested_filename.endswith(".pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf.path()).pages))
    assert "Départs par dispositif et par année" in text
    assert str(year) in text
    for name, count, total in expected:
        assert re.search(rf"{re.escape(name)} {count} {total}\b", text), (name, text)
    assert not page.js_errors, page.js_errors
