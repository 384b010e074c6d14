"""The Beneficiary Module file against the documented template (docs/erasmus.md), its stable mobility
activity IDs, no invented value, the pre-checks and the command."""
import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from departures.models import FundingAgreement, Platform, Stay
from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, SchemeFactory, StayFactory
from dossiers.tests.factories import DossierFactory, YouthFactory
from reporting import erasmus

pytestmark = pytest.mark.django_db
NUMBER = "2025-1-FR01-KA122-VET-000000077"
# The documented template (docs/erasmus.md), column by column.
DOCUMENTED = [
    "Data type", "Grant Agreement No.", "Mobility activity ID", "Activity type", "Participant category",
    "Participant ID", "Participant gender", "Participant date of birth", "Participant nationality",
    "Participant with fewer opportunities", "Sending Organisation OID", "Sending country", "Sending city",
    "Receiving Organisation OID", "Receiving country", "Receiving city", "Start date", "End date",
    "Funded duration including travel days (in days)", "Distance band", "Green travel", "Interrupted",
]


@pytest.fixture
def known_set(db):
    Platform.objects.create(oid="E10000001", city="Lyon", country="FR")
    scheme = SchemeFactory(name="Stages Erasmus+", activity_type="LM-SHORT-VET", participant_category="VET-LEARNER")
    agreement = FundingAgreementFactory(scheme=scheme, year=2026, call_year=2025, action_type="KA122-VET",
                                        grant_agreement_number=NUMBER, start_date=datetime.date(2025, 9, 1),
                                        end_date=datetime.date(2027, 8, 31))
    cork = HostOrganisationFactory(name="Cork Kitchens", country="IE", town="Cork", oid="E10000002")
    seville = HostOrganisationFactory(name="Taller Sevilla", country="ES", town="Sevilla", oid="E10000003")
    ines = YouthFactory(last_name="Lambert", first_name="Inès", sex="F", birth_date=datetime.date(2004, 4, 12),
                        nationality="FR", qualification_level="V")
    sami = YouthFactory(last_name="Benali", first_name="Sami", sex="M", birth_date=datetime.date(2003, 1, 2),
                        nationality="", qualification_level="IV", qpv=False, zrr=False)
    first = StayFactory(dossier=DossierFactory(youth=ines, scheme=scheme), scheme=scheme, host=cork, country="IE",
                        city="Cork", departure_date=datetime.date(2026, 3, 2), return_date=datetime.date(2026, 4, 10))
    second = StayFactory(dossier=DossierFactory(youth=sami, scheme=scheme), scheme=scheme, host=seville, country="ES",
                         city="Sevilla", departure_date=None, return_date=None, green_travel=True,
                         planned_start=datetime.date(2026, 5, 4), planned_end=datetime.date(2026, 6, 12))
    return agreement, first, second


def read_xlsx(content):
    return [[c if c is not None else "" for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_headers_and_codes_match_the_documented_template_row_by_row(known_set):
    agreement, first, second = known_set
    assert erasmus.prepare(agreement)[1] == []
    rows = read_xlsx(erasmus.export(agreement))
    assert rows[0] == DOCUMENTED == erasmus.COLUMNS
    assert rows[1] == [
        "Mobility", NUMBER, "000077-MOB-00001", "LM-SHORT-VET", "VET-LEARNER", f"IPM-{first.dossier.pk}", "Female",
        "12-04-2004", "FR", "Yes", "E10000001", "FR", "Lyon", "E10000002", "IE", "Cork", "02-03-2026", "10-04-2026",
        "40", "500-1999", "No", "No",
    ]
    assert rows[2] == [
        "Mobility", NUMBER, "000077-MOB-00002", "LM-SHORT-VET", "VET-LEARNER", f"IPM-{second.dossier.pk}", "Male",
        "02-01-2003", "", "No", "E10000001", "FR", "Lyon", "E10000003", "ES", "Sevilla", "04-05-2026", "12-06-2026",
        "40", "500-1999", "Yes", "No",
    ]
    assert len(rows) == 3  # KA122-VET: no itinerary sub-rows


def test_csv_is_the_same_file_semicolon_separated_with_a_bom(known_set):
    agreement, first, _ = known_set
    content = erasmus.export(agreement, "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == read_xlsx(erasmus.export(agreement))


def test_youth_action_types_get_an_itinerary_sub_row(known_set):
    agreement, first, _ = known_set
    agreement.action_type = "KA152-YOU"
    agreement.save()
    rows = read_xlsx(erasmus.export(agreement))
    assert len(rows) == 5
    itinerary = dict(zip(erasmus.COLUMNS, rows[2]))
    assert itinerary["Data type"] == "Itinerary"
    assert [itinerary[c] for c in ["Grant Agreement No.", "Mobility activity ID", "Receiving Organisation OID",
                                   "Receiving country", "Receiving city", "Funded duration including travel days (in days)"]] == [
        NUMBER, "000077-MOB-00001", "E10000002", "IE", "Cork", "40"]
    assert itinerary["Participant gender"] == "" and itinerary["Participant date of birth"] == ""


def test_the_same_selection_exported_twice_keeps_its_mobility_ids(known_set):
    agreement, first, second = known_set
    ids = [row[2] for row in read_xlsx(erasmus.export(agreement))[1:]]
    first.refresh_from_db()
    exported_at = first.mobility_id_exported_at
    assert exported_at is not None and first.mobility_activity_id == ids[0]
    Stay.objects.filter(pk=second.pk).update(mobility_activity_id="IPM-LEGACY-9")  # e.g. declared before
    ids_again = [row[2] for row in read_xlsx(erasmus.export(agreement))[1:]]
    assert ids_again == [ids[0], "IPM-LEGACY-9"]
    first.refresh_from_db()
    assert first.mobility_id_exported_at == exported_at


def test_no_invented_value(known_set):
    agreement, first, second = known_set
    Platform.objects.update(city="")
    first.dossier.youth.sex = ""
    first.dossier.youth.save()
    row = dict(zip(erasmus.COLUMNS, read_xlsx(erasmus.export(agreement))[1]))
    assert row["Participant gender"] == "" and row["Sending city"] == ""
    row = dict(zip(erasmus.COLUMNS, read_xlsx(erasmus.export(agreement))[2]))
    assert row["Participant nationality"] == ""  # never « FR » by default
    for value in ("Undefined", "Unknown"):
        assert value not in str(read_xlsx(erasmus.export(agreement)))


def test_prechecks_list_what_the_import_would_refuse_with_links(known_set):
    agreement, first, second = known_set
    Platform.objects.update(oid="")
    first.host.oid = ""
    first.host.save()
    Stay.objects.filter(pk=second.pk).update(country="PT")  # the Seville host is in Spain
    Stay.objects.filter(pk=first.pk).update(return_date=datetime.date(2026, 3, 5))  # 4 days
    agreement.end_date = datetime.date(2026, 5, 31)
    agreement.save()
    messages = [(p.message, p.fix_url) for p in erasmus.prepare(agreement)[1]]
    text = "\n".join(m for m, _ in messages)
    assert "La plateforme n'a pas d'OID Erasmus+" in text
    assert "la structure d'accueil « Cork Kitchens » n'a pas d'OID" in text
    assert "la structure d'accueil est en Espagne, le séjour en Portugal" in text
    assert "durée financée de 4 jours, hors de la plage 10–89 jours" in text
    assert "hors de la période de la convention (01/09/2025 – 31/05/2026)" in text
    urls = {url for _, url in messages}
    assert reverse("departures:platform_edit") in urls
    assert reverse("departures:host_edit", args=[first.host_id]) in urls
    assert reverse("departures:stay_edit", args=[second.dossier_id]) in urls


def test_page_lists_the_problems_and_refuses_the_file_until_fixed(known_set, client_for):
    agreement, first, _ = known_set
    first.host.oid = ""
    first.host.save()
    client = client_for("mobility")
    url = reverse("reporting:erasmus") + f"?agreement={agreement.pk}"
    page = client.get(url).content.decode()
    assert "n&#x27;a pas d&#x27;OID" in page and reverse("departures:host_edit", args=[first.host_id]) in page
    response = client.get(url + "&format=csv", follow=True)
    assert "Corrigez d&#x27;abord" in response.content.decode()
    first.host.oid = "E10000002"
    first.host.save()
    response = client.get(url + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="beneficiary-module-{NUMBER}.csv"' in response["Content-Disposition"]


def test_command_writes_the_file_and_refuses_on_problems(known_set, tmp_path):
    agreement, first, _ = known_set
    out = tmp_path / "bm.xlsx"
    call_command("erasmus_export", "--agreement", NUMBER.lower(), "--output", str(out))
    assert read_xlsx(out.read_bytes())[0] == DOCUMENTED
    csv_out = tmp_path / "bm.csv"
    call_command("erasmus_export", "--agreement", NUMBER, "--format", "csv", "--output", str(csv_out))
    assert csv_out.read_bytes().decode("utf-8-sig").startswith("Data type;Grant Agreement No.;")
    Platform.objects.update(oid="")
    with pytest.raises(CommandError, match="problème"):
        call_command("erasmus_export", "--agreement", NUMBER, "--output", str(out))
    with pytest.raises(CommandError, match="inconnue"):
        call_command("erasmus_export", "--agreement", "2025-1-FR01-KA122-VET-000000000")


def test_the_demo_data_export_passes_its_own_prechecks(db):
    call_command("seed_demo", "--force")
    agreements = list(FundingAgreement.objects.exclude(grant_agreement_number=""))
    assert len(agreements) >= 2
    exported = 0
    for agreement in agreements:
        stays, problems, _ = erasmus.prepare(agreement)
        assert problems == [], [p.message for p in problems]
        rows = read_xlsx(erasmus.export(agreement))
        assert rows[0] == DOCUMENTED and len(rows) == len(stays) + 1
        exported += len(stays)
    assert exported > 0
    call_command("seed_demo", "--force")  # idempotent: the numbers and OIDs stay
    assert {a.grant_agreement_number for a in agreements} == set(
        FundingAgreement.objects.exclude(grant_agreement_number="").values_list("grant_agreement_number", flat=True))


def test_mobility_ids_follow_the_beneficiary_modules_pattern_and_continue_after_the_last(known_set):
    agreement, first, second = known_set
    erasmus.export(agreement)
    late = StayFactory(dossier=DossierFactory(scheme=agreement.scheme), scheme=agreement.scheme, host=first.host,
                       country="IE", city="Cork", departure_date=datetime.date(2026, 1, 5),
                       return_date=datetime.date(2026, 2, 13))
    ids = [row[2] for row in read_xlsx(erasmus.export(agreement))[1:]]
    # The late stay leaves first but was added after the first export: it takes the next number.
    assert ids == ["000077-MOB-00003", "000077-MOB-00001", "000077-MOB-00002"]
    late.refresh_from_db()
    other = FundingAgreementFactory(scheme=agreement.scheme, year=2026, call_year=2026, action_type="KA122-VET",
                                    grant_agreement_number="2026-1-FR01-KA122-VET-000000099")
    Stay.objects.filter(pk=late.pk).update(funding_agreement=other)
    assert [row[2] for row in read_xlsx(erasmus.export(other))[1:]] == ["000077-MOB-00003"]  # kept when moved
