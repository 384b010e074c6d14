"""The platform's report files rendered ahead by the worker (reporting/prerender.py): a manager's first
download of a report finds its PDF or XLSX already made, with the current figures; a run where nothing
changed renders nothing; a change, a new day or an entry near its maximum age has them made again; a
counsellor's file (one structure) is never one of them. Reading dossiers does not retire the files."""
import io
import time
from datetime import date

import openpyxl
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from dossiers.models import Document, DocumentType, SensitiveAccess
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from ipm import filecache
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests
from reporting import cache as report_cache
from reporting import prerender, reports
from reporting.filters import ReportFilters
from reporting.tasks import prerender_reports
from reporting.tests.factories import reported_dossier

pytestmark = pytest.mark.django_db

FILES = len(reports.REPORTS) * len(prerender.FORMATS)


@pytest.fixture(autouse=True)
def empty_file_cache():
    caches[filecache.ALIAS].clear()


def download(client, name, fmt, query=""):
    response = client.get(reverse("reporting:download", args=[name, fmt]) + query)
    assert response.status_code == 200
    return response


def received_in_xlsx(content):
    """The funnel's « fiches reçues » count, read from the workbook as a spreadsheet would."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "fiches reçues")


def test_a_managers_first_download_finds_the_file_made_ahead(world, client_for):
    assert prerender.run() == FILES
    renders, hits = filecache.renders["report"], filecache.hits["report"]
    client = client_for("manager")
    pdf = download(client, "funnel", "pdf")
    xlsx = download(client, "fej", "xlsx")
    csv_file = download(client, "profile", "csv")
    excel_csv = download(client, "outcomes", "excel-csv")
    assert filecache.renders["report"] == renders and filecache.hits["report"] == hits + 4
    assert pdf.content.startswith(b"%PDF-") and pdf["Content-Disposition"].startswith('attachment; filename="rapport-funnel')
    assert xlsx.content.startswith(b"PK")
    assert csv_file["Content-Type"].startswith("text/csv") and excel_csv["Content-Type"].startswith("text/csv")
    # The platform staff see everything too: the same files.
    download(client_for("mobility"), "funnel", "pdf")
    # And the report's page: its figures were counted ahead too.
    page = client.get(reverse("reporting:report", args=["funnel"]))
    assert page.status_code == 200 and page.context["report"].rows
    assert filecache.renders["report"] == renders


def test_the_files_made_ahead_hold_what_a_manager_would_have_counted(world, users):
    """Made with no viewer (everything); a manager's own count of every report is the same."""
    for name in reports.REPORTS:
        ahead = reports.build(name, ReportFilters())
        mine = reports.build(name, ReportFilters(user=users["manager"]))
        assert [row.cells for row in ahead.rows] == [row.cells for row in mine.rows], name
        assert ahead.filters == mine.filters and ahead.period == mine.period, name


def test_a_run_when_nothing_changed_renders_nothing(world):
    assert prerender.run() == FILES
    renders = filecache.renders["report"]
    assert prerender.run() == 0
    assert filecache.renders["report"] == renders


def test_a_change_has_them_made_again_with_the_new_figures(world, users, structure, client_for):
    client = client_for("manager")
    prerender.run()
    before = received_in_xlsx(download(client, "funnel", "xlsx").content)
    reported_dossier(users["admin"], State.RECEIVED, date.today(), structure=structure)
    assert prerender.run() == FILES
    renders = filecache.renders["report"]
    assert received_in_xlsx(download(client, "funnel", "xlsx").content) == before + 1
    assert filecache.renders["report"] == renders


def test_files_near_their_maximum_age_are_made_again(world, settings):
    assert prerender.run() == FILES
    assert prerender.run() == 0
    settings.IPM_REPORT_CACHE_SECONDS = 2  # now made again once older than a second
    time.sleep(1.1)
    assert prerender.run() == FILES


def test_a_counsellors_file_is_never_one_of_them(world, client_for):
    prerender.run()
    renders = filecache.renders["report"]
    download(client_for("counsellor"), "funnel", "pdf")
    download(client_for("manager"), "funnel", "pdf", "?year_from=2022")  # other filters: another file
    assert filecache.renders["report"] == renders + 2


def test_two_runs_at_once_do_not_both_render(world):
    files = caches[filecache.ALIAS]
    files.add(prerender._RUNNING, 1, 60)
    renders = filecache.renders["report"]
    assert prerender.run() is None and filecache.renders["report"] == renders
    files.delete(prerender._RUNNING)
    assert prerender.run() == FILES


def test_with_the_cache_unreachable_nothing_is_rendered_and_downloads_still_work(world, client_for, settings):
    settings.CACHES = {**settings.CACHES, "files": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    renders = filecache.renders["report"]
    assert prerender.run() is None and filecache.renders["report"] == renders
    assert download(client_for("manager"), "funnel", "pdf").content.startswith(b"%PDF-")


def test_without_redis_nothing_is_made_ahead(world, settings):
    """The embedded default: the worker's memory is not the web server's; making files there is waste."""
    settings.CACHES = {**settings.CACHES, "files": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    renders = filecache.renders["report"]
    assert prerender.run() is None and filecache.renders["report"] == renders


def test_the_beat_runs_it_every_two_minutes(world, eager_celery):
    row = PeriodicTask.objects.get(task="reporting.prerender_reports")
    assert row.enabled and (row.interval.every, row.interval.period) == (2, "minutes")
    assert row.interval.every * 60 == prerender.EVERY_SECONDS and row.expire_seconds == 110
    assert prerender_reports.delay().get() == FILES


def test_the_command_says_how_many_files_it_made(world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("prerender_reports", stdout=out)
    assert out.getvalue().strip() == f"{FILES} fichier(s) de rapport préparé(s) d'avance."


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_reading_dossiers_and_their_pieces_keeps_the_files(world, users, structure, client_for, media_in_tmp):
    """Staff opening a dossier or downloading a piece write to the access log, which no report reads:
    the report files made before are still served."""
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"])
    kind = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    assert client_for("assistant").post(reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]), {
        f"piece{kind.pk}-file": uploaded_file_for_tests("piece.pdf", MINIMAL_PDF)}).status_code == 302
    document = Document.objects.get(dossier=dossier)
    prerender.run()
    generation = filecache.generation(report_cache.GENERATION)
    staff = client_for("mobility")
    assert staff.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200
    assert staff.get(reverse("dossiers:diagnostic", args=[dossier.pk])).status_code == 200
    assert staff.get(reverse("dossiers:document_download", args=[dossier.pk, document.pk])).status_code == 200
    assert dossier.sensitive_accesses.filter(action=SensitiveAccess.DOWNLOAD).exists()
    assert filecache.generation(report_cache.GENERATION) == generation
    assert prerender.run() == 0


def test_no_report_reads_the_models_left_unwatched(world):
    """reporting/cache.NOT_REPORT_DATA: their writes do not retire the report files, so no report may
    read them — checked on the SQL of every report."""
    from django.apps import apps

    tables = {apps.get_model(label)._meta.db_table for label in report_cache.NOT_REPORT_DATA}
    for name in reports.REPORTS:
        with CaptureQueriesContext(connection) as queries:
            reports.build(name, ReportFilters())
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert queries.captured_queries and not [t for t in tables if f'"{t}"' in sql], name
