"""Report pages and the import pages, per role."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import Dossier
from reporting import tasks, views
from reporting.enums import ImportStatus
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example-legacy.csv"  # 26 rows


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("role", ["manager", "reception", "mobility", "assistant", "admin", "counsellor"])
def test_every_report_page_opens_for_roles_with_reports(world, client_for, role):
    client = client_for(role)
    assert client.get(reverse("reporting:index")).status_code == 200
    for name in ("departures", "funnel", "profile", "outcomes", "fej"):
        response = client.get(reverse("reporting:report", args=[name]))
        assert response.status_code == 200, name
        assert "<table" in response.content.decode()


def test_the_list_of_reports_shows_every_report_of_the_registry_with_its_summary(client_for):
    from django.utils.html import escape

    from reporting import reports

    html = client_for("manager").get(reverse("reporting:index")).content.decode()
    positions = []
    for name, title in reports.REPORT_TITLES.items():
        link = f'<a href="{reverse("reporting:report", args=[name])}" class="stretched-link">{escape(title)}</a>'
        assert link in html, name
        assert escape(reports.REPORT_SUMMARIES[name]) in html, name
        positions.append(html.index(link))
    assert positions == sorted(positions)  # in the registry's order
    assert list(reports.REPORTS) == ["departures", "funnel", "profile", "outcomes", "fej", "satisfaction", "parrainage",
                                    "reperage", "equity"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reporting:report", args=["departures"]))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_unknown_report_is_404(client_for, users):
    assert client_for("manager").get("/rapports/inconnu/").status_code == 404


def test_page_shows_table_filters_downloads_and_chart_data(world, client_for):
    response = client_for("manager").get(reverse("reporting:report", args=["departures"]) + "?year_from=2022&year_to=2023")
    html = response.content.decode()
    assert "Années 2022 à 2023" in html
    assert "Erasmus+ stages" in html and "Chantier international" in html
    assert 'id="report-chart-data"' in html and 'type="application/json"' in html
    assert "vendor/chart.js/chart.umd.js" in html and "js/reports.js" in html
    assert "/rapports/departures/telecharger.csv?year_from=2022&amp;year_to=2023" in html
    # No inline script: every <script> has a src, except the JSON data island.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_counsellor_page_is_restricted_to_their_structure_without_structure_filter(world, client_for):
    response = client_for("counsellor").get(reverse("reporting:report", args=["funnel"]) + "?year_from=2022")
    html = response.content.decode()
    assert response.context["report"].rows[0].cells[1] == 1  # D5 only, in Saint-Étienne
    assert "Structure : Mission Locale de Saint-Étienne" in html
    assert 'name="structure"' not in html
    # A structure in the query string is ignored for a counsellor.
    lyon = world["D3"].structure_id
    response = client_for("counsellor").get(reverse("reporting:report", args=["funnel"]) + f"?year_from=2022&structure={lyon}")
    assert response.context["report"].rows[0].cells[1] == 1
    csv = client_for("counsellor").get(reverse("reporting:download", args=["funnel", "csv"]) + "?year_from=2022")
    assert csv.content.decode().splitlines()[1] == "fiches reçues,1,100.0"


def test_wrong_filters_say_what_to_fix(world, client_for):
    response = client_for("manager").get(reverse("reporting:report", args=["funnel"]) + "?year_from=2023&year_to=2021")
    assert "L&#x27;année de fin doit suivre l&#x27;année de début." in response.content.decode()
    assert response.context["report"] is None


def test_department_filter_offers_the_structures_departments(world, client_for):
    response = client_for("manager").get(reverse("reporting:report", args=["departures"]) + "?department=69")
    assert [value for value, _label in response.context["form"].fields["department"].choices] == ["", "42", "69"]
    assert response.context["report"].rows[-1].cells[-1] == 1  # D4 only, in Lyon


def test_menu_shows_reports_to_roles_with_the_capability(client_for, users):
    assert 'href="/rapports/"' in client_for("manager").get(reverse("reporting:index")).content.decode()
    assert 'href="/rapports/"' in client_for("counsellor").get(reverse("reporting:index")).content.decode()


@pytest.mark.parametrize("role", ["counsellor", "reception", "mobility", "assistant"])
def test_import_is_for_managers_and_administrators_only(client_for, role):
    client = client_for(role)
    assert client.get(reverse("reporting:import")).status_code == 403
    assert client.get(reverse("reporting:import_template", args=["csv"])).status_code == 403


def test_template_downloads(client_for):
    client = client_for("manager")
    csv = client.get(reverse("reporting:import_template", args=["csv"]))
    assert csv.content.decode().startswith("reference,nom,prenom,date_naissance,sexe,niveau,situation,qpv,zrr,")
    xlsx = client.get(reverse("reporting:import_template", args=["xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert (sheet["Q1"].value, sheet["R1"].value, sheet["S1"].value) == ("statut_final", "nationalite", "situation_6_mois")


def upload(client, content, name="historique.csv"):
    return client.post(reverse("reporting:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_upload_checks_then_confirm_imports_the_whole_file(client_for):
    client = client_for("manager")
    response = upload(client, EXAMPLE.read_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ImportStatus.CHECKED and job.summary["dossiers"] == 26
    assert Dossier.objects.count() == 0  # the check writes nothing
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Ce que l'import créera" in page and "Confirmer l'import" in page
    assert "data-confirm=" in page
    stored = Path(job.file.path)
    assert stored.exists()
    response = client.post(reverse("reporting:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Dossier.objects.filter(imported=True).count() == 26
    assert not stored.exists() and not job.file  # personal data not kept once imported
    # Confirming twice imports nothing more.
    client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert Dossier.objects.count() == 26
    # The same file again: checked, nothing to create.
    upload(client, EXAMPLE.read_bytes())
    again = ImportJob.objects.order_by("-pk").first()
    assert again.summary["dossiers"] == 0 and again.summary["skipped"] == 26
    assert "déjà importées" in client.get(again.get_absolute_url()).content.decode()


def test_refused_upload_lists_every_error_and_cannot_be_confirmed(client_for):
    client = client_for("admin")
    content = (
        "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final\n"
        "A1,Nom,Prénom,01/01/2000,F,ML,01/01/2019,parti\n"
        "A2,Nom,Autre,1/1/2000x,F,ML,01/01/2019,en_cours\n"
    ).encode()
    upload(client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert not job.file  # the refused file is not kept
    assert {(e["line"], e["column"]) for e in job.errors} == {(2, "dispositif"), (2, "date_depart"), (3, "date_naissance")}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "rien n'a été enregistré" in page and "Confirmer" not in page
    client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert Dossier.objects.count() == 0


def test_upload_refuses_other_file_types(client_for):
    response = upload(client_for("manager"), b"%PDF-1.4", name="historique.pdf")
    assert response.status_code == 200
    assert "Déposez un fichier .csv ou .xlsx" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_large_file_goes_to_celery_with_progress(client_for, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(views, "SYNC_MAX_BYTES", 10)
    client = client_for("manager")
    with django_capture_on_commit_callbacks() as callbacks:
        upload(client, EXAMPLE.read_bytes())
    assert len(callbacks) == 1  # the check task is sent once the job is saved
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    progress = client.get(reverse("reporting:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    assert "HX-Refresh" not in progress
    # What the worker runs:
    tasks.check_legacy_file.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows, job.percent) == (ImportStatus.CHECKED, 26, 26, 100)
    progress = client.get(reverse("reporting:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true" and "hx-trigger" not in progress.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.percent) == (ImportStatus.QUEUED, 0)
    tasks.import_legacy_file.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Dossier.objects.count() == 26
    # A task delivered twice imports nothing twice.
    tasks.import_legacy_file.apply(args=[job.pk])
    assert Dossier.objects.count() == 26
