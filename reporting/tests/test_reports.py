"""Every report on the data of conftest.world, with its edges; the CSV layouts byte for byte."""
import pytest

from departures.tests.factories import FundingAgreementFactory
from departures.enums import Funder
from reporting import renderers, reports
from reporting.filters import ReportFilters

pytestmark = pytest.mark.django_db


def csv_of(name, **filters):
    return renderers.to_csv(reports.build(name, ReportFilters(**filters))).decode("utf-8")


def test_departures_per_scheme_and_year_of_departure(world):
    # D1: fiche 2021, departure 2022; D4: fiche 2022, departure 2023; Y1 departs twice (2022 and 2023).
    assert csv_of("departures") == (
        "Dispositif,2022,2023,Total\n"
        "Chantier international,0,1,1\n"
        "Erasmus+ stages,1,1,2\n"
        "Total,1,2,3\n"
    )


def test_departures_range_keeps_empty_years_and_drops_schemes_without_departures(world):
    assert csv_of("departures", year_from=2021, year_to=2022) == (
        "Dispositif,2021,2022,Total\n"
        "Erasmus+ stages,0,1,1\n"
        "Total,0,1,1\n"
    )


def test_departures_with_nothing_in_the_period_has_a_zero_total(world):
    assert csv_of("departures", year_from=2015, year_to=2015) == "Dispositif,2015,Total\nTotal,0,0\n"


def test_departures_filtered_by_structure_and_department(world, structure):
    expected = "Dispositif,2022,2023,Total\nChantier international,0,1,1\nErasmus+ stages,1,0,1\nTotal,1,1,2\n"
    assert csv_of("departures", year_from=2022, year_to=2023, structure=structure) == expected
    assert csv_of("departures", year_from=2022, year_to=2023, department="42") == expected


def test_departures_filtered_by_funder_follows_the_funding_agreements(world, schemes):
    # The Erasmus+ agency funds scheme A in 2023 only: D4 (A, 2023) counts, D1 (A, 2022) and D2 (B) do not.
    FundingAgreementFactory(funder=Funder.ERASMUS, scheme=schemes["A"], year=2023)
    FundingAgreementFactory(funder=Funder.REGION, scheme=schemes["B"], year=2023)
    assert csv_of("departures", year_from=2022, year_to=2023, funder=Funder.ERASMUS) == (
        "Dispositif,2022,2023,Total\nErasmus+ stages,0,1,1\nTotal,0,1,1\n"
    )


def test_funnel_counts_each_step_from_the_timeline_for_the_fiches_of_the_year(world):
    # 2022: D3 dropped at once, D4 went all the way (departure in 2023), D5 refused, D6 oriented.
    assert csv_of("funnel", year_from=2022, year_to=2022) == (
        "Etape,Nombre,Taux\n"
        "fiches reçues,4,100.0\n"
        "jeunes distincts,4,100.0\n"
        "présents en information collective,3,75.0\n"
        "diagnostics réalisés,3,75.0\n"
        "dossiers présentés en commission,2,50.0\n"
        "dossiers acceptés,1,25.0\n"
        "départs,1,25.0\n"
        "retours,1,25.0\n"
        "suivis à six mois complets,1,25.0\n"
    )


def test_funnel_counts_one_young_person_once_over_two_fiches(world):
    rows = {r.cells[0]: r.cells[1] for r in reports.build("funnel", ReportFilters(year_from=2021, year_to=2023)).rows}
    assert rows["fiches reçues"] == 6
    assert rows["jeunes distincts"] == 5
    assert rows["départs"] == 3


def test_funnel_of_an_empty_year_is_zero_not_an_error(world):
    assert csv_of("funnel", year_from=2010, year_to=2010).splitlines()[1] == "fiches reçues,0,0.0"


def profile_rows(**filters):
    return {(r.cells[0], r.cells[1]): r.cells[2:] for r in reports.build("profile", ReportFilters(**filters)).rows}


def test_profile_counts_distinct_young_people_received_and_departed(world):
    rows = profile_rows(year_from=2022, year_to=2023)
    as_text = {k: [renderers.csv_cell(v) for v in vals] for k, vals in rows.items()}
    # Received: Y1 (2023), Y2..Y5 (2022) = 5. Departed: Y1 (twice: once) and Y3 = 2.
    assert as_text[("sexe", "F")] == ["3", "60.0", "2", "100.0"]
    assert as_text[("sexe", "M")] == ["2", "40.0", "0", "0.0"]
    # Ages: at the fiche (Y2 16, Y4 18, Y5 20, Y1 22, Y3 27 on their birthday) and at the departure.
    assert as_text[("age", "moins de 18")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("age", "18-19")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("age", "20-24")] == ["2", "40.0", "1", "50.0"]
    assert as_text[("age", "25-26")] == ["0", "0.0", "0", "0.0"]
    assert as_text[("age", "plus de 26")] == ["1", "20.0", "1", "50.0"]
    # Levels: 2019 level 4 counts as IV; unknown level is "inconnu".
    assert as_text[("niveau", "VI")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("niveau", "V")] == ["1", "20.0", "1", "50.0"]
    assert as_text[("niveau", "IV")] == ["1", "20.0", "1", "50.0"]
    assert as_text[("niveau", "III")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("niveau", "inconnu")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("qpv", "oui")] == ["2", "40.0", "1", "50.0"]
    assert as_text[("qpv", "inconnu")] == ["1", "20.0", "0", "0.0"]
    assert as_text[("zrr", "oui")] == ["1", "20.0", "1", "50.0"]
    assert as_text[("zrr", "inconnu")] == ["2", "40.0", "0", "0.0"]


def test_profile_csv_layout(world):
    lines = csv_of("profile", year_from=2022, year_to=2022).splitlines()
    assert lines[0] == "section,categorie,recus,recus_pct,partis,partis_pct"
    assert lines[1] == "sexe,F,2,50.0,1,100.0"
    assert lines[2] == "sexe,M,2,50.0,0,0.0"
    assert [line.split(",")[1] for line in lines[3:8]] == ["moins de 18", "18-19", "20-24", "25-26", "plus de 26"]
    assert [line.split(",")[1] for line in lines[8:15]] == ["VI", "Vbis", "V", "IV", "III", "I-II", "inconnu"]
    assert [line.split(",")[:2] for line in lines[15:]] == [
        ["qpv", "oui"], ["qpv", "non"], ["qpv", "inconnu"], ["zrr", "oui"], ["zrr", "non"], ["zrr", "inconnu"]]
    assert "total" not in csv_of("profile", year_from=2022, year_to=2022)  # display-only subtotal rows


def test_outcomes_by_scheme_then_all_schemes(world):
    # Returns in 2022-2023: D1 (A, CDI), D4 (A, interim → CDD de moins de six mois), D2 (B, interrupted, no call).
    assert csv_of("outcomes", year_from=2022, year_to=2023) == (
        "Situation,Nombre,Pourcentage\n"
        "Chantier international,,\n"
        "emploi_cdi,0,0.0\nemploi_cdd_6_mois_plus,0,0.0\nemploi_cdd_moins_6_mois,0,0.0\n"
        "formation_qualifiante,0,0.0\netudes,0,0.0\nrecherche_emploi,0,0.0\nautre,0,0.0\ninconnu,1,100.0\n"
        "sortie positive,0,0.0\nemploi ou études,0,0.0\n"
        "Erasmus+ stages,,\n"
        "emploi_cdi,1,50.0\nemploi_cdd_6_mois_plus,0,0.0\nemploi_cdd_moins_6_mois,1,50.0\n"
        "formation_qualifiante,0,0.0\netudes,0,0.0\nrecherche_emploi,0,0.0\nautre,0,0.0\ninconnu,0,0.0\n"
        "sortie positive,1,50.0\nemploi ou études,2,100.0\n"
        "Tous dispositifs,,\n"
        "emploi_cdi,1,33.3\nemploi_cdd_6_mois_plus,0,0.0\nemploi_cdd_moins_6_mois,1,33.3\n"
        "formation_qualifiante,0,0.0\netudes,0,0.0\nrecherche_emploi,0,0.0\nautre,0,0.0\ninconnu,1,33.3\n"
        "sortie positive,1,33.3\nemploi ou études,2,66.7\n"
    )


def test_outcomes_for_one_scheme_is_a_single_block(world, schemes):
    assert csv_of("outcomes", year_from=2022, year_to=2022, scheme=schemes["A"]) == (
        "Situation,Nombre,Pourcentage\n"
        "emploi_cdi,1,100.0\nemploi_cdd_6_mois_plus,0,0.0\nemploi_cdd_moins_6_mois,0,0.0\n"
        "formation_qualifiante,0,0.0\netudes,0,0.0\nrecherche_emploi,0,0.0\nautre,0,0.0\ninconnu,0,0.0\n"
        "sortie positive,1,100.0\nemploi ou études,1,100.0\n"
    )


def test_fej_table_by_year_of_entry(world):
    assert csv_of("fej", year_from=2021, year_to=2023) == (
        "Bénéficiaires,2021,2022,2023,Total\n"
        "Jeunes,1,1,1,2\n"
        "Nombre total de bénéficiaires,1,4,1,5\n"
        "Nombre d'abandons ou exclusions,0,1,1,2\n"
        "16-18,0,1,0,1\n"
        "18-25,1,2,1,3\n"
        "Autres,0,1,0,1\n"
        "Demandeurs d'emploi,1,0,1,1\n"
        "Actifs occupés,0,1,0,1\n"
        "Étudiants,0,1,0,1\n"
        "Autres,0,2,0,2\n"
        "Infra V,0,1,0,1\n"
        "Niveau V,1,0,1,1\n"
        "Niveau IV,0,1,0,1\n"
        "Niveau III,0,1,0,1\n"
        "Niveau II,0,0,0,0\n"
        "Niveau I,0,0,0,0\n"
        "Filles,1,2,1,3\n"
        "Garçons,0,2,0,2\n"
    )


def test_fej_counts_a_young_person_at_the_first_fiche_of_each_year_and_of_the_period(users, structure):
    from datetime import date

    from dossiers.tests.factories import YouthFactory
    from dossiers.workflow import State
    from reporting.tests.factories import reported_dossier

    admin = users["admin"]
    # Camille: 25 at her 2021 fiche, 26 at her two 2022 fiches → 18-25 in 2021 and in Total, Autres in 2022.
    camille = YouthFactory(sex="F", birth_date=date(1996, 1, 15), employment_status="etudiant")
    for day in (date(2021, 3, 1), date(2022, 2, 1), date(2022, 12, 1)):
        reported_dossier(admin, State.RECEIVED, day, youth=camille, structure=structure)
    # Noah: 17 at his first 2023 fiche, 18 at the second one, which he dropped → once, 16-18, dropped.
    noah = YouthFactory(sex="M", birth_date=date(2005, 6, 10), employment_status="demandeur_emploi")
    reported_dossier(admin, State.RECEIVED, date(2023, 1, 5), youth=noah, structure=structure)
    reported_dossier(admin, State.DROPPED, date(2023, 7, 1), youth=noah, structure=structure)

    report = reports.build("fej", ReportFilters(year_from=2021, year_to=2023))
    rows = {(i, r.cells[0]): r.cells[1:] for i, r in enumerate(report.rows)}
    by_label = {label: cells for (_, label), cells in rows.items()}
    assert report.columns == ["Bénéficiaires", "2021", "2022", "2023", "Total"]
    assert by_label["Nombre total de bénéficiaires"] == [1, 1, 1, 2]
    assert by_label["Nombre d'abandons ou exclusions"] == [0, 0, 1, 1]
    assert by_label["Jeunes"] == [0, 0, 0, 0]
    assert by_label["16-18"] == [0, 0, 1, 1]
    assert by_label["18-25"] == [1, 0, 0, 1]
    assert rows[(5, "Autres")] == [0, 1, 0, 0]  # the age band "Autres"
    assert by_label["Étudiants"] == [1, 1, 0, 1]
    assert by_label["Demandeurs d'emploi"] == [0, 0, 1, 1]
    assert by_label["Filles"] == [1, 1, 0, 1]
    assert by_label["Garçons"] == [0, 0, 1, 1]


def test_counsellor_sees_only_their_structure(world, users):
    counsellor = users["counsellor"]  # Saint-Étienne: D1, D2, D5
    assert csv_of("departures", year_from=2022, year_to=2023, user=counsellor) == (
        "Dispositif,2022,2023,Total\nChantier international,0,1,1\nErasmus+ stages,1,0,1\nTotal,1,1,2\n"
    )
    assert csv_of("funnel", year_from=2022, year_to=2022, user=counsellor).splitlines()[1] == "fiches reçues,1,100.0"
    # Asking for another structure does not widen the scope.
    lyon = users["other_counsellor"].structure
    assert csv_of("departures", year_from=2022, year_to=2023, user=counsellor, structure=lyon) == (
        "Dispositif,2022,2023,Total\nTotal,0,0,0\n"
    )
    assert csv_of("departures", year_from=2022, year_to=2023, user=users["manager"]).endswith("Total,1,2,3\n")


def test_reports_never_write(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for name in reports.REPORTS:
            reports.build(name, ReportFilters())
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) == {"SELECT"}
