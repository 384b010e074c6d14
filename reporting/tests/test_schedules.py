"""Scheduled exports: a manager subscribes through the pages; the daily task mails the file through the
outbox on its day (not before), once (a second run or a restart sends nothing again), a yearly one once a
year; the attachments open (openpyxl, csv)."""
import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from departures.models import Platform
from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, SchemeFactory, StayFactory
from dossiers.tests.factories import DossierFactory
from followup.enums import MessageKind, MessageStatus
from followup.models import SentMessage
from ipm.enums import Role
from reporting import reports, schedules
from reporting.models import ExportSubscription
from reporting.tasks import send_scheduled_exports
from tests.factories import UserFactory

from conftest import log_in

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def at(day, hour=6, minute=15):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS), tick=False)


@pytest.fixture
def run(eager_celery, django_capture_on_commit_callbacks):
    """The beat task on ``day``, its messages delivered (the outbox sends after commit)."""

    def run_on(day):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return send_scheduled_exports()

    return run_on


def subscribe(client, **fields):
    data = {"kind": ExportSubscription.REPORT, "report": "funnel", "period": ExportSubscription.PREVIOUS_YEAR,
            "fmt": "xlsx", "frequency": ExportSubscription.MONTHLY, "day": 5, "month": 1, **fields}
    response = client.post(reverse("reporting:schedule_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ExportSubscription.objects.latest("pk")


def test_a_monthly_subscription_is_sent_on_its_day_not_before_and_never_twice(client_for, users, run):
    with at(datetime.date(2026, 12, 1), 10):
        subscription = subscribe(client_for("manager"), day=5)
    assert subscription.owner == users["manager"] and subscription.filters == {}

    assert run(datetime.date(2026, 12, 4)) == {"sent": 0, "failed": 0}
    assert mail.outbox == []

    assert run(datetime.date(2026, 12, 5))["sent"] == 1
    [email] = mail.outbox
    assert email.to == ["responsable@exemple.fr"]
    assert "De la fiche au départ" in email.subject
    assert "Modifier ou arrêter cet envoi" in email.body and "/rapports/exports-programmes/" in email.body
    [(name, content, mimetype)] = email.attachments
    assert name == "rapport-funnel-2025.xlsx" and mimetype == XLSX
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(1, 1).value  # a header row
    assert any(row[0] == "De la fiche au départ" for row in sheet.iter_rows(values_only=True))
    # Through the outbox: recorded, sent, under the occurrence's key.
    message = SentMessage.objects.get(kind=MessageKind.SCHEDULED_EXPORT)
    assert message.status == MessageStatus.SENT and message.period == "2026-12-05"
    assert message.object_key == f"export:{subscription.pk}"

    # A second run the same day, and the days after: nothing more.
    assert run(datetime.date(2026, 12, 5))["sent"] == 0
    assert run(datetime.date(2026, 12, 6))["sent"] == 0
    assert run(datetime.date(2027, 1, 4))["sent"] == 0
    assert len(mail.outbox) == 1
    subscription.refresh_from_db()
    assert subscription.last_occurrence == datetime.date(2026, 12, 5)

    # A restart that lost what was recorded on the subscription: the outbox's key still refuses the same day.
    ExportSubscription.objects.filter(pk=subscription.pk).update(last_occurrence=None)
    assert run(datetime.date(2026, 12, 5))["sent"] == 0
    assert len(mail.outbox) == 1

    # Next month, on its day: the file of that month.
    assert run(datetime.date(2027, 1, 5))["sent"] == 1
    assert len(mail.outbox) == 2 and mail.outbox[1].attachments[0][0] == "rapport-funnel-2026.xlsx"
    assert SentMessage.objects.filter(kind=MessageKind.SCHEDULED_EXPORT).count() == 2


def test_a_day_the_beat_missed_is_caught_up_the_next_day_once(client_for, run):
    with at(datetime.date(2026, 12, 1), 10):
        subscribe(client_for("manager"), day=5)
    assert run(datetime.date(2026, 12, 7))["sent"] == 1
    assert run(datetime.date(2026, 12, 8))["sent"] == 0
    assert len(mail.outbox) == 1


def test_created_after_this_month_s_day_waits_for_next_month(client_for, run):
    with at(datetime.date(2026, 12, 10), 10):
        subscribe(client_for("manager"), day=5)
    assert run(datetime.date(2026, 12, 10))["sent"] == 0
    assert run(datetime.date(2027, 1, 5))["sent"] == 1


def test_the_yearly_funder_set_is_sent_once_a_year_with_every_report_as_csv(client_for, run):
    with at(datetime.date(2026, 12, 1), 10):
        subscription = subscribe(client_for("manager"), kind=ExportSubscription.FUNDER_SET, report="", fmt="csv",
                                 frequency=ExportSubscription.YEARLY, day=15, month=1)
    assert subscription.report == ""
    assert run(datetime.date(2027, 1, 14))["sent"] == 0
    assert run(datetime.date(2027, 1, 15))["sent"] == 1
    [email] = mail.outbox
    names = [name for name, _content, _type in email.attachments]
    assert names == [f"rapport-{name}-2026.csv" for name in reports.REPORTS]
    for name, content, mimetype in email.attachments:
        assert mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";" if ";" in content.split("\n")[0]
                               else ","))
        assert rows and rows[0], name  # a header row that the csv module reads
    for day in (datetime.date(2027, 1, 16), datetime.date(2027, 2, 15), datetime.date(2027, 12, 31)):
        assert run(day)["sent"] == 0
    assert run(datetime.date(2028, 1, 15))["sent"] == 1
    assert [n for n, _c, _t in mail.outbox[1].attachments][0] == "rapport-departures-2027.csv"


def test_the_funder_set_in_xlsx_carries_the_evaluation_workbook_too(client_for, run):
    with at(datetime.date(2026, 12, 1), 10):
        subscribe(client_for("manager"), kind=ExportSubscription.FUNDER_SET, report="", day=2,
                  period=ExportSubscription.CURRENT_YEAR)
    assert run(datetime.date(2027, 1, 2))["sent"] == 1
    names = [name for name, _content, _type in mail.outbox[0].attachments]
    assert len(names) == len(reports.REPORTS) + 1 and names[-1].startswith("evaluation-fej-2027")
    for _name, content, _type in mail.outbox[0].attachments:
        load_workbook(io.BytesIO(content))


@pytest.fixture
def agreement(db):
    Platform.objects.create(oid="E10000001", city="Lyon", country="FR")
    scheme = SchemeFactory(name="Stages Erasmus+", activity_type="VET-LEARN-ST", participant_category="VET-LEARNER")
    agreement = FundingAgreementFactory(scheme=scheme, year=2026, call_year=2025, action_type="KA122-VET",
                                        grant_agreement_number="2025-1-FR01-KA122-VET-000000077",
                                        start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2027, 8, 31))
    host = HostOrganisationFactory(name="Cork Kitchens", country="IE", town="Cork", oid="E10000002")
    StayFactory(dossier=DossierFactory(scheme=scheme), scheme=scheme, host=host, country="IE", city="Cork",
                departure_date=datetime.date(2026, 3, 2), return_date=datetime.date(2026, 4, 10))
    return agreement


def test_the_erasmus_file_of_an_agreement_is_subscribable_as_csv_not_as_pdf(client_for, run, agreement):
    client = client_for("manager")
    with at(datetime.date(2026, 12, 1), 10):
        refused = client.post(reverse("reporting:schedule_create"), {
            "kind": ExportSubscription.ERASMUS, "agreement": agreement.pk, "period": ExportSubscription.ALL_YEARS,
            "fmt": "pdf", "frequency": ExportSubscription.MONTHLY, "day": 3})
        assert refused.status_code == 400
        assert "Le fichier Erasmus+ existe en XLSX ou en CSV seulement." in refused.content.decode()
        subscription = subscribe(client, kind=ExportSubscription.ERASMUS, agreement=agreement.pk, report="",
                                 fmt="csv", day=3, scheme=agreement.scheme.pk)
    assert subscription.agreement == agreement and subscription.filters == {}  # the file covers the agreement
    assert run(datetime.date(2026, 12, 3))["sent"] == 1
    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert name == "beneficiary-module-2025-1-FR01-KA122-VET-000000077.csv" and mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Data type", "Grant Agreement No."] and rows[1][0] == "Mobility" and len(rows) == 2


def test_filters_are_kept_and_applied_and_the_pdf_opens(client_for, run, users):
    scheme = SchemeFactory(name="Chantier international")
    with at(datetime.date(2026, 12, 1), 10):
        subscription = subscribe(client_for("manager"), report="departures", fmt="pdf", scheme=scheme.pk,
                                 department="42", day=1)
    assert subscription.filters == {"scheme": scheme.pk, "department": "42"}
    assert "Dispositif : Chantier international" in schedules.describe(subscription)
    assert run(datetime.date(2027, 1, 1))["sent"] == 1
    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Chantier international" in text


def test_a_subscription_whose_owner_lost_the_role_is_not_sent(client_for, users, run):
    with at(datetime.date(2026, 12, 1), 10):
        subscription = subscribe(client_for("manager"), day=5)
    users["manager"].role = Role.RECEPTION
    users["manager"].save()
    assert run(datetime.date(2026, 12, 5))["sent"] == 0 and mail.outbox == []
    subscription.refresh_from_db()
    assert "n'a plus accès" in subscription.last_error


# --- The pages ---------------------------------------------------------------------------------------------


def test_a_manager_lists_edits_and_deletes_only_their_own_subscriptions(client_for, users, client):
    other = UserFactory(username="autre_responsable", role=Role.MANAGER)
    theirs = ExportSubscription.objects.create(owner=other, report="profile", day=9)
    page_client = client_for("manager")
    mine = subscribe(page_client, day=12)
    page = page_client.get(reverse("reporting:schedules")).content.decode()
    assert "Rapport « De la fiche au départ » — l&#x27;année précédente — XLSX (Excel) — chaque mois le 12" in page
    assert "Profil" not in page and reverse("reporting:schedule_edit", args=[theirs.pk]) not in page
    # Reachable from the reports' pages.
    assert reverse("reporting:schedules") in page_client.get(reverse("reporting:index")).content.decode()
    assert reverse("reporting:schedule_create") in page_client.get(
        reverse("reporting:report", args=["funnel"])).content.decode()
    # Another manager's subscription does not exist for them.
    assert page_client.get(reverse("reporting:schedule_edit", args=[theirs.pk])).status_code == 404
    assert page_client.post(reverse("reporting:schedule_delete", args=[theirs.pk])).status_code == 404
    assert ExportSubscription.objects.filter(pk=theirs.pk).exists()
    # Edit.
    response = page_client.post(reverse("reporting:schedule_edit", args=[mine.pk]), {
        "kind": ExportSubscription.REPORT, "report": "outcomes", "period": ExportSubscription.CURRENT_YEAR,
        "fmt": "csv", "frequency": ExportSubscription.YEARLY, "day": 20, "month": 3, "horizon": 12})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.report, mine.fmt, mine.frequency, mine.day, mine.month, mine.filters) == (
        "outcomes", "csv", ExportSubscription.YEARLY, 20, 3, {"horizon": 12})
    assert "chaque année le 20 mars" in schedules.describe(mine)
    # Delete: asked first, then done.
    confirm = page_client.get(reverse("reporting:schedule_delete", args=[mine.pk]))
    assert confirm.status_code == 200 and "Supprimer l'export programmé ?" in confirm.content.decode()
    assert ExportSubscription.objects.filter(pk=mine.pk).exists()
    assert page_client.post(reverse("reporting:schedule_delete", args=[mine.pk])).status_code == 302
    assert not ExportSubscription.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("role", ["counsellor", "reception", "mobility", "assistant"])
def test_other_roles_get_a_404(client, users, role):
    log_in(client, users[role])
    assert client.get(reverse("reporting:schedules")).status_code == 404
    assert client.get(reverse("reporting:schedule_create")).status_code == 404
    assert reverse("reporting:schedules") not in client.get(reverse("reporting:index")).content.decode()


def test_a_report_page_prefills_the_subscription_with_its_filters(client_for):
    scheme = SchemeFactory(name="Volontariat")
    client = client_for("manager")
    page = client.get(reverse("reporting:schedule_create"), {"report": "profile", "scheme": scheme.pk}).content.decode()
    assert '<option value="profile" selected>' in page
    assert f'<option value="{scheme.pk}" selected>' in page


def test_the_form_refuses_a_report_subscription_without_its_report(client_for):
    response = client_for("manager").post(reverse("reporting:schedule_create"), {
        "kind": ExportSubscription.REPORT, "report": "", "period": ExportSubscription.PREVIOUS_YEAR, "fmt": "xlsx",
        "frequency": ExportSubscription.MONTHLY, "day": 31})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez le rapport à recevoir." in page
    assert not ExportSubscription.objects.exists()


def test_the_beat_row_runs_the_task_every_morning():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reporting.send_scheduled_exports")
    assert task.enabled and task.crontab.hour == "6"
    from config.celery import app

    app.loader.import_default_modules()
    assert task.task in app.tasks  # the row names a task the worker knows
