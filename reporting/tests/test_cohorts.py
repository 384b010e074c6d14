"""Outreach cohorts in the reports: the import's ``origine`` column, and the « repérage » report (repérés
and réactivés per structure, share of minors, the funnel per cohort) on a known set, through the pages."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.workflow import State
from followup.enums import Situation
from reporting.enums import ImportStatus
from reporting.models import ImportJob
from reporting.tests.factories import reported_dossier

pytestmark = pytest.mark.django_db

HEADER = "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final,origine"
ROWS = [
    "C1,Martin,Léa,01/01/2000,F,ML Test,01/02/2019,en_cours,repere",
    "C2,Petit,Hugo,01/01/2001,M,ML Test,01/02/2019,en_cours,REACTIVE",
    "C3,Roux,Inès,01/01/2002,F,ML Test,01/02/2019,en_cours,",
    "C4,Simon,Enzo,01/01/2003,M,ML Test,01/02/2019,en_cours,habituel",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_lines(client, lines):
    content = "\n".join([HEADER, *lines]).encode()
    client.post(reverse("reporting:import"), {"file": SimpleUploadedFile("historique.csv", content, "text/csv")})
    job = ImportJob.objects.latest("pk")
    if job.status == ImportStatus.CHECKED:
        client.post(reverse("reporting:import_confirm", args=[job.pk]))
        job.refresh_from_db()
    return job


def test_the_import_reads_the_origin_column(client_for):
    job = import_lines(client_for("manager"), ROWS)
    assert job.status == ImportStatus.DONE
    assert dict(Dossier.objects.values_list("legacy_reference", "origin")) == {
        "C1": "repere", "C2": "reactive", "C3": "habituel", "C4": "habituel"}


def test_a_file_without_the_origin_column_is_the_usual_path(client_for):
    content = "\n".join([HEADER.rsplit(",", 1)[0], ROWS[0].rsplit(",", 1)[0]]).encode()
    client = client_for("manager")
    client.post(reverse("reporting:import"), {"file": SimpleUploadedFile("h.csv", content, "text/csv")})
    job = ImportJob.objects.get()
    client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert list(Dossier.objects.values_list("origin", flat=True)) == ["habituel"]


def test_a_bad_origin_is_named_with_its_line_and_nothing_is_written(client_for):
    client = client_for("manager")
    job = import_lines(client, [*ROWS[:2], "C5,Noël,Eva,01/01/2000,F,ML Test,01/02/2019,en_cours,aller-vers"])
    assert job.status == ImportStatus.REFUSED
    assert job.errors == [{"line": 4, "column": "origine", "message":
                           "« aller-vers » n'est pas une valeur acceptée (habituel, repere, reactive)."}]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "aller-vers" in page and "origine" in page
    assert not Dossier.objects.exists()


def test_the_template_has_the_origin_column(client_for):
    content = client_for("manager").get(reverse("reporting:import_template", args=["csv"])).content.decode()
    assert content.strip().split(",")[-1] == "origine"


# --- The repérage report on a known set ------------------------------------------------------------------

@pytest.fixture
def cohorts(users, structure, other_structure):
    """St-Étienne: two repérés (R1 departed, returned and followed, under 18 at the fiche; R2 refused in
    commission) and one réactivé (R3, oriented after the information collective, 18 on the very day of
    the fiche); a young person of the usual path (R4, departed). Lyon: one réactivé (R5, under 18 by one day,
    dropped out). R6: repéré in 2023 (outside the year asked)."""
    admin = users["admin"]
    made = {
        "R1": reported_dossier(admin, State.FOLLOW_UP, date(2024, 3, 1), structure=structure, birth_date=date(2007, 6, 1),
                               departure=date(2024, 9, 1), return_date=date(2025, 1, 10), situation6=Situation.CDI),
        "R2": reported_dossier(admin, State.REFUSED, date(2024, 5, 1), structure=structure, birth_date=date(2000, 1, 1)),
        "R3": reported_dossier(admin, State.ORIENTED, date(2024, 2, 1), structure=structure, birth_date=date(2006, 2, 1)),
        "R4": reported_dossier(admin, State.RETURNED, date(2024, 1, 10), structure=structure, birth_date=date(2001, 1, 1),
                               departure=date(2024, 4, 1), return_date=date(2024, 6, 1)),
        "R5": reported_dossier(admin, State.DROPPED, date(2024, 6, 1), structure=other_structure,
                               birth_date=date(2006, 6, 2)),
        "R6": reported_dossier(admin, State.INFO_DONE, date(2023, 12, 31), structure=structure, birth_date=date(2001, 1, 1)),
    }
    for key, origin in {"R1": "repere", "R2": "repere", "R3": "reactive", "R5": "reactive", "R6": "repere"}.items():
        Dossier.objects.filter(pk=made[key].pk).update(origin=origin)
    return made


STE = "Mission Locale de Saint-Étienne"
LYON = "Mission Locale de Lyon"
ALL = "Toutes les structures"
# (step, repérés, % , réactivés, %) of each block in 2024.
EXPECTED = {
    STE: [("fiches", 2, "100.0", 1, "100.0"), ("youths", 2, "100.0", 1, "100.0"), ("minors", 1, "50.0", 0, "0.0"),
          ("info", 2, "100.0", 1, "100.0"), ("diagnosed", 2, "100.0", 1, "100.0"), ("commission", 2, "100.0", 0, "0.0"),
          ("accepted", 1, "50.0", 0, "0.0"), ("departed", 1, "50.0", 0, "0.0"), ("returned", 1, "50.0", 0, "0.0"),
          ("followed", 1, "50.0", 0, "0.0")],
    LYON: [("fiches", 0, "0.0", 1, "100.0"), ("youths", 0, "0.0", 1, "100.0"), ("minors", 0, "0.0", 1, "100.0"),
           ("info", 0, "0.0", 0, "0.0"), ("diagnosed", 0, "0.0", 0, "0.0"), ("commission", 0, "0.0", 0, "0.0"),
           ("accepted", 0, "0.0", 0, "0.0"), ("departed", 0, "0.0", 0, "0.0"), ("returned", 0, "0.0", 0, "0.0"),
           ("followed", 0, "0.0", 0, "0.0")],
    ALL: [("fiches", 2, "100.0", 2, "100.0"), ("youths", 2, "100.0", 2, "100.0"), ("minors", 1, "50.0", 1, "50.0"),
          ("info", 2, "100.0", 1, "50.0"), ("diagnosed", 2, "100.0", 1, "50.0"), ("commission", 2, "100.0", 0, "0.0"),
          ("accepted", 1, "50.0", 0, "0.0"), ("departed", 1, "50.0", 0, "0.0"), ("returned", 1, "50.0", 0, "0.0"),
          ("followed", 1, "50.0", 0, "0.0")],
}


def csv_lines(block, name):
    return [",".join([name, step, str(a), pa, str(b), pb]) for step, a, pa, b, pb in block]


def test_the_report_counts_each_cohort_and_its_funnel(client_for, cohorts):
    response = client_for("manager").get(reverse("reporting:download", args=["reperage", "csv"]), {"year_from": 2024})
    lines = response.content.decode().splitlines()
    assert lines[0] == "structure,etape,reperes,reperes_pct,reactives,reactives_pct"
    expected = [LYON, *csv_lines(EXPECTED[LYON], LYON), STE, *csv_lines(EXPECTED[STE], STE),
                ALL, *csv_lines(EXPECTED[ALL], ALL)]
    assert lines[1:] == expected


def test_the_page_shows_the_cohorts_in_words(client_for, cohorts):
    page = client_for("manager").get(reverse("reporting:report", args=["reperage"]), {"year_from": 2024}).content.decode()
    assert "mineurs à la date de la fiche" in page and "suivis à six mois complets" in page
    assert STE in page and LYON in page


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_report_downloads(client_for, cohorts, fmt):
    response = client_for("manager").get(reverse("reporting:download", args=["reperage", fmt]), {"year_from": 2024})
    assert response.status_code == 200 and len(response.content) > 1000


def test_a_counsellor_sees_only_their_structures_cohorts(client_for, cohorts):
    client = client_for("counsellor")  # Saint-Étienne
    response = client.get(reverse("reporting:download", args=["reperage", "csv"]), {"year_from": 2024})
    text = response.content.decode()
    assert LYON not in text
    lines = text.splitlines()
    assert lines[1:] == [STE, *csv_lines(EXPECTED[STE], STE), ALL, *csv_lines(EXPECTED[STE], ALL)]
    page = client.get(reverse("reporting:report", args=["reperage"]), {"year_from": 2024}).content.decode()
    assert LYON not in page


def test_the_command_line_gives_the_same_csv(cohorts, capsys):
    from django.core.management import call_command

    call_command("report", "reperage", "--year", "2024")
    out = capsys.readouterr().out.splitlines()
    assert out[-11:] == [ALL, *csv_lines(EXPECTED[ALL], ALL)]


def test_the_demo_has_cohorts_and_labelled_demo_populations(db):
    from django.core.management import call_command

    from referrals.models import Referral
    from reporting.models import PopulationFigure

    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    cohorts = Referral.objects.exclude(origin="habituel")
    assert cohorts.exists() and not cohorts.filter(outreach_action__isnull=True).exists()
    assert all(r.dossier.origin == r.origin for r in cohorts)
    assert not Referral.objects.filter(origin="habituel", outreach_action__isnull=False).exists()
    assert PopulationFigure.objects.count() == 12
    assert all("démonstration" in source for source in PopulationFigure.objects.values_list("source", flat=True))
