"""Files that open right in a French Excel and PDFs that are tagged: the CSV pour Excel of every report
(read back with Python's csv and `;`), XLSX with French titles and real percentages (openpyxl), tagged
PDFs in one font (pypdf), and thousands separated the French way on the report pages."""
import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ipm.pdf import html_to_pdf
from reporting import renderers, reports
from reporting.filters import ReportFilters
from reporting.reports.common import Column, Report, Row

pytestmark = pytest.mark.django_db

# The French titles each report's XLSX, PDF and CSV pour Excel carry (the CSV keeps its keys).
TITLES = {
    "departures": ["Dispositif", "2022", "2023", "Total"],
    "funnel": ["Étape", "Nombre", "Taux (%)"],
    "profile": ["Section", "Catégorie", "Reçus", "Reçus (%)", "Partis", "Partis (%)"],
    "outcomes": ["Situation", "Nombre", "Part des séjours (%)"],
    "fej": ["Bénéficiaires", "2022", "2023", "Total"],
    "satisfaction": ["Section", "Question", "Réponse", "Nombre", "Part des répondants (%)"],
}
FILTERS = {"year_from": 2022, "year_to": 2023}


def contract_rows(name):
    text = renderers.to_csv(reports.build(name, ReportFilters(**FILTERS))).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def excel_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM a French Excel needs to read UTF-8
    text = content[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("name", list(TITLES))
def test_every_report_page_offers_the_excel_csv_and_it_reads_back_in_french(world, client_for, name):
    client = client_for("manager")
    query = "year_from=2022&year_to=2023"
    page = client.get(reverse("reporting:report", args=[name]) + "?" + query).content.decode()
    url = reverse("reporting:download", args=[name, "excel-csv"]) + "?" + query
    assert f'href="{url.replace("&", "&amp;")}"' in page and "CSV pour Excel</a>" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="rapport-{name}-2022-2023-excel.csv"' in response["Content-Disposition"]
    rows = excel_rows(response.content)
    assert rows[0] == TITLES[name]
    contract = contract_rows(name)
    # The same rows and figures as the contract CSV, the decimals with a comma.
    assert len(rows) == len(contract)
    for excel, plain in zip(rows[1:], contract[1:]):
        assert excel == [cell.replace(".", ",") if cell.replace(".", "").isdigit() else cell for cell in plain]


def test_the_excel_csv_has_decimal_commas_and_the_contract_csv_is_unchanged(world):
    report = reports.build("funnel", ReportFilters(year_from=2022, year_to=2022))
    rows = excel_rows(renderers.to_excel_csv(report))
    assert rows[1] == ["fiches reçues", "4", "100,0"]
    assert all(re.fullmatch(r"\d+,\d", row[2]) for row in rows[1:]) and "75,0" in [row[2] for row in rows]
    assert renderers.to_csv(report).decode().splitlines()[:2] == ["Etape,Nombre,Taux", "fiches reçues,4,100.0"]


def test_a_semicolon_in_a_label_is_quoted_in_the_excel_csv():
    report = Report("x", "X", [Column("a", "A ; B"), Column("n", "N")], [Row(["un ; deux", 3])], [2024])
    assert renderers.to_excel_csv(report) == '\ufeff"A ; B";N\r\n"un ; deux";3\r\n'.encode("utf-8")


def test_the_report_command_writes_the_excel_csv(world, tmp_path):
    path = tmp_path / "profil.csv"
    call_command("report", "profile", "--year", "2022", "--format", "excel-csv", "--output", str(path))
    rows = excel_rows(path.read_bytes())
    assert rows[0] == TITLES["profile"] and rows[1][:2] == ["sexe", "F"] and "," in rows[1][3]


@pytest.mark.parametrize("name", list(TITLES))
def test_xlsx_has_french_titles_and_percentages_equal_to_the_csv(world, name):
    report = reports.build(name, ReportFilters(**FILTERS))
    sheet = load_workbook(io.BytesIO(renderers.to_xlsx(report))).active
    assert [c.value for c in sheet[1]] == TITLES[name]
    percent = report.percent_indexes
    assert percent == {i for i, title in enumerate(TITLES[name]) if title.endswith("(%)")}
    data = [r for r in report.rows]
    for row, xlsx_row in zip(data, sheet.iter_rows(min_row=2, max_row=len(data) + 1)):
        for index, (value, cell) in enumerate(zip(row.cells, xlsx_row)):
            if isinstance(value, Decimal) and index in percent:
                assert cell.number_format == "0.0 %"
                assert round(cell.value * 100, 1) == float(value)  # 33.3 in the CSV, 0.333 shown « 33,3 % »
            elif isinstance(value, int):
                assert cell.number_format == "#,##0" and cell.value == value


def test_xlsx_groups_large_counts_by_thousands():
    report = Report("x", "X", [Column("n", "Nombre"), Column("p", "Part (%)", percent=True)],
                    [Row([250000, Decimal("33.3")])], [2024])
    sheet = load_workbook(io.BytesIO(renderers.to_xlsx(report))).active
    assert (sheet["A2"].value, sheet["A2"].number_format) == (250000, "#,##0")
    assert (sheet["B2"].value, sheet["B2"].number_format) == (pytest.approx(0.333), "0.0 %")


def pdf_facts(content):
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    text = "\n".join(page.extract_text() for page in reader.pages)
    return root, reader.metadata, fonts, text


@pytest.mark.parametrize("name", list(TITLES))
def test_every_report_pdf_is_tagged_in_french_with_its_titles(world, name):
    report = reports.build(name, ReportFilters(**FILTERS))
    root, metadata, fonts, text = pdf_facts(renderers.to_pdf(report))
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "fr"
    assert metadata.title == report.title
    assert fonts and all(font.startswith("DejaVu-Sans") for font in fonts), fonts
    for title in TITLES[name]:
        assert title in text, title


def test_any_pdf_of_the_app_is_tagged_in_one_font_with_a_language_and_a_title(settings):
    settings.IPM_PLATFORM_NAME = "Plateforme Loire Mobilité"
    html = ("<html><head><style>body { font-family: 'Liberation Serif', serif } code { font-family: monospace }"
            "</style></head><body><h1>Procès-verbal</h1><p>Texte <code>code</code> <b>gras</b></p></body></html>")
    root, metadata, fonts, text = pdf_facts(html_to_pdf(html))
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "fr" and metadata.title == "Plateforme Loire Mobilité"
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    assert "Procès-verbal" in text
    _root, metadata, _fonts, _text = pdf_facts(html_to_pdf(html, title="Contrat"))
    assert metadata.title == "Contrat"


def test_the_report_page_separates_thousands_the_french_way(world, client_for, monkeypatch):
    from reporting.reports import departures

    def big(filters):
        return Report(departures.NAME, departures.TITLE,
                      [departures.FIRST_COLUMN, Column("2024"), departures.TOTAL_COLUMN],
                      [Row(["Erasmus+ stages", 250000, 250000]), Row(["Total", 1234, 1234], "total")], [2024])

    monkeypatch.setitem(reports.REPORTS, "departures", big)
    page = client_for("manager").get(reverse("reporting:report", args=["departures"])).content.decode()
    assert "250\xa0000" in page and "1\xa0234" in page and "250000" not in page
    # The contract CSV of the same report stays plain.
    csv_text = client_for("manager").get(reverse("reporting:download", args=["departures", "csv"])).content.decode()
    assert "Erasmus+ stages,250000,250000" in csv_text


def test_the_filter_form_keeps_plain_numbers_in_its_fields(world, client_for):
    page = client_for("manager").get(reverse("reporting:report", args=["departures"]) + "?year_from=2022").content
    assert b'value="2022"' in page


def test_amounts_are_shown_with_french_thousands():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr"):
        shown = Template('{{ amount|floatformat:"2g" }} €').render(Context({"amount": Decimal("1234.5")}))
    assert shown == "1\xa0234,50 €"


def test_the_documented_excel_csv_example_is_what_the_code_gives(capsys):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    call_command("import_legacy", str(Path(__file__).resolve().parent / "fixtures" / "example-legacy.csv"))
    produced = renderers.to_excel_csv(reports.build("funnel", ReportFilters())).decode("utf-8-sig").split("\r\n")
    section = (root / "docs" / "report-formats.md").read_text(encoding="utf-8").split("## CSV pour Excel")[1]
    example = [line[4:] for line in section.split("\n## ")[0].splitlines() if line.startswith("    ")]
    assert len(example) == 3 and produced[:3] == example


def test_the_budget_excel_csv_has_its_own_file_name():
    from types import SimpleNamespace

    from reporting import erasmus_budget

    agreement = SimpleNamespace(grant_agreement_number="2031-1-FR01", pk=4)
    assert erasmus_budget.filename(agreement, "excel-csv") == "budget-convention-2031-1-FR01-excel.csv"
    assert erasmus_budget.filename(agreement, "csv") == "budget-convention-2031-1-FR01.csv"
