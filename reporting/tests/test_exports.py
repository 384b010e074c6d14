"""Downloads and the command line: CSV as the contract, XLSX read back, PDF text, Erasmus+ export."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory
from departures.models import Platform, Stay
from dossiers.models import Youth
from reporting import erasmus, renderers, reports
from reporting.filters import ReportFilters

pytestmark = pytest.mark.django_db


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_report_command_prints_the_contract_csv(world, capsys):
    call_command("report", "departures", "--from", "2022", "--to", "2023")
    assert capsys.readouterr().out == (
        "Dispositif,2022,2023,Total\nChantier international,0,1,1\nErasmus+ stages,1,1,2\nTotal,1,2,3\n"
    )
    call_command("report", "funnel", "--year", "2022", "--structure", "Mission Locale de Saint-Étienne")
    assert capsys.readouterr().out.splitlines()[1] == "fiches reçues,1,100.0"
    call_command("report", "outcomes", "--year", "2022", "--scheme", "Erasmus+ stages")
    assert capsys.readouterr().out.splitlines()[1] == "emploi_cdi,1,100.0"


def test_report_command_writes_xlsx_and_pdf_files(world, tmp_path):
    xlsx = tmp_path / "fej.xlsx"
    call_command("report", "fej", "--from", "2021", "--to", "2023", "--format", "xlsx", "--output", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == ["Bénéficiaires", "2021", "2022", "2023", "Total"]
    assert [c.value for c in sheet[3]] == ["Nombre total de bénéficiaires", 1, 4, 1, 5]
    pdf = tmp_path / "fej.pdf"
    call_command("report", "fej", "--year", "2022", "--format", "pdf", "--output", str(pdf))
    assert "Nombre total de bénéficiaires" in pdf_text(pdf.read_bytes())


def test_report_command_refuses_an_unknown_scheme(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="inconnu"):
        call_command("report", "departures", "--scheme", "Nulle part")


def test_xlsx_is_formatted_and_holds_the_table_and_totals(world):
    content = renderers.to_xlsx(reports.build("departures", ReportFilters(year_from=2022, year_to=2023)))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Dispositif", "2022", "2023", "Total"]
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[4]] == ["Total", 1, 2, 3]
    assert sheet["A4"].font.bold
    assert sheet.column_dimensions["A"].width >= len("Chantier international")
    assert sheet.freeze_panes == "A2"
    texts = [row[0].value for row in sheet.iter_rows(min_row=5)]
    assert "Années 2022 à 2023" in texts
    assert any(t and t.startswith("Source : Ipm") for t in texts)


def test_xlsx_percentages_are_percentages_with_one_decimal(world):
    content = renderers.to_xlsx(reports.build("funnel", ReportFilters(year_from=2022, year_to=2022)))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["C1"].value == "Taux (%)"
    # The CSV's 100.0 and 75.0, as fractions shown « 100,0 % » and « 75,0 % ».
    assert sheet["C3"].value == 1.0 and sheet["C4"].value == 0.75
    assert sheet["C4"].number_format == "0.0 %"


def test_pdf_has_the_platform_period_filters_table_and_extraction_footer(world, structure, settings):
    settings.IPM_PLATFORM_NAME = "Plateforme Loire Mobilité"
    content = renderers.to_pdf(reports.build("funnel", ReportFilters(year_from=2022, year_to=2022, structure=structure)))
    text = pdf_text(content)
    assert content.startswith(b"%PDF")
    for expected in ["Plateforme Loire Mobilité", "De la fiche au départ", "Année 2022",
                     "Structure : Mission Locale de Saint-Étienne", "fiches reçues", "présents en information",
                     "Source : Ipm", "Extraction du"]:
        assert expected in text, expected


def test_erasmus_export_one_row_per_departure_of_the_agreement(world, schemes):
    Platform.objects.create(oid="E10000001", city="Lyon", country="FR")
    schemes["A"].activity_type = "LM-LONG-VET"
    schemes["A"].save()
    agreement = FundingAgreementFactory(scheme=schemes["A"], year=2023, grant_agreement_number="2023-1-FR01-KA122-VET-000000042",
                                        call_year=2023, action_type="KA122-VET")
    stay = Stay.objects.get(dossier=world["D4"])
    stay.host = HostOrganisationFactory(name="Hotel Liffey", country="IE", town="Dublin", oid="E10000002")
    stay.save()
    content = erasmus.export(agreement)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == erasmus.COLUMNS
    assert len(rows) == 2  # D4 only: D1 departed in 2022, D2 is another scheme
    row = {k: v or "" for k, v in zip(erasmus.COLUMNS, rows[1])}
    assert row["Data type"] == "Mobility"
    assert row["Grant Agreement No."] == "2023-1-FR01-KA122-VET-000000042"
    assert row["Mobility activity ID"] == "000042-MOB-00001"  # the BM's own pattern
    assert row["Participant ID"] == f"IPM-{world['D4'].pk}"
    assert row["Participant gender"] == "Female"
    assert row["Participant date of birth"] == "31-12-1995"
    assert row["Participant with fewer opportunities"] == "Yes"  # level IV, but lives in a ZRR
    assert (row["Sending Organisation OID"], row["Receiving Organisation OID"]) == ("E10000001", "E10000002")
    assert (row["Receiving country"], row["Receiving city"]) == ("IE", "Dublin")
    assert (row["Start date"], row["End date"]) == ("15-01-2023", "15-04-2023")
    assert row["Funded duration including travel days (in days)"] == "91"


@pytest.mark.parametrize("level,qpv,zrr,expected", [
    ("V", None, None, True), ("3", False, False, True), ("Vbis", None, None, True), ("IV", None, None, False),
    ("", None, None, False), ("4", True, None, True), ("III", False, True, True), ("I", False, False, False),
])
def test_fewer_opportunities_rule(level, qpv, zrr, expected):
    assert erasmus.fewer_opportunities(Youth(qualification_level=level, qpv=qpv, zrr=zrr)) is expected


def test_download_views_match_the_renderers(world, client_for):
    client = client_for("manager")
    url = reverse("reporting:download", args=["departures", "csv"]) + "?year_from=2022&year_to=2023"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="rapport-departures-2022-2023.csv"' in response["Content-Disposition"]
    assert response.content.decode().endswith("Total,1,2,3\n")
    response = client.get(reverse("reporting:download", args=["profile", "xlsx"]) + "?year_from=2022")
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "Section"
    response = client.get(reverse("reporting:download", args=["outcomes", "pdf"]) + "?year_from=2022")
    assert "Sortie positive (CDI" in pdf_text(response.content)
    assert client.get(reverse("reporting:download", args=["departures", "doc"])).status_code == 404


def test_erasmus_view_downloads_for_staff_and_is_closed_to_counsellors(world, schemes, client_for):
    agreement = FundingAgreementFactory(scheme=schemes["A"], year=2023, grant_agreement_number="2023-1-FR01-KA122-VET-000000042")
    url = reverse("reporting:erasmus") + f"?agreement={agreement.pk}&format=xlsx&anyway=1"
    response = client_for("assistant").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for("counsellor").get(url).status_code == 403
    page = client_for("manager").get(reverse("reporting:erasmus"))
    assert "Participant with fewer opportunities" in page.content.decode()
