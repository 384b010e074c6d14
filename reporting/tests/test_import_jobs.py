"""Import jobs always end and never keep their file: failures end « échoué » with their reason, the
beat sweep fails stale jobs, queues again those the broker could not take and deletes old files; the
erasure of a young person deletes unfinished import files. And the check's warnings: the rules of the
wheel the rows would break, listed with their lines, the import not blocked."""
import datetime
import os
import socket
import time
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from dossiers.models import Dossier
from dossiers.tests.factories import DossierFactory, YouthFactory
from reporting import jobs, legacy, tasks, views
from reporting.enums import ImportStatus
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example-legacy.csv"  # 26 rows
HEADER = ("reference,nom,prenom,date_naissance,sexe,structure,date_fiche,dispositif,date_depart,date_retour,"
          "statut_final,situation_6_mois")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content, name="historique.csv"):
    return client.post(reverse("reporting:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def stored_job(status=ImportStatus.PENDING, **fields):
    job = ImportJob(original_name="historique.csv", status=status, **fields)
    job.file.save("historique.csv", ContentFile(EXAMPLE.read_bytes()), save=False)
    job.save()
    return job


def test_a_job_whose_task_raises_ends_failed_with_its_reason_and_no_file(client_for, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    monkeypatch.setattr(views, "SYNC_MAX_BYTES", 10)
    client = client_for("manager")
    with django_capture_on_commit_callbacks():
        upload(client, EXAMPLE.read_bytes())
    job = ImportJob.objects.get()
    stored = Path(job.file.path)
    assert stored.exists()

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(legacy, "check", broken)
    assert tasks.check_legacy_file.apply(args=[job.pk]).get() == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert "disque plein" in job.message
    assert not job.file and not stored.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Échoué" in page and "disque plein" in page and "rien n'a été enregistré" in page
    assert Dossier.objects.count() == 0


def test_the_time_limit_ends_the_job_failed(client_for, monkeypatch):
    client = client_for("manager")
    upload(client, EXAMPLE.read_bytes())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED
    monkeypatch.setattr(legacy, "check", lambda *a, **k: (_ for _ in ()).throw(SoftTimeLimitExceeded()))
    response = client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message == jobs.TIMED_OUT and not job.file
    assert escape(jobs.TIMED_OUT) in client.get(job.get_absolute_url()).content.decode()
    assert Dossier.objects.count() == 0
    assert tasks.import_legacy_file.soft_time_limit == 30 * 60 and tasks.import_legacy_file.acks_late


def test_an_error_during_a_check_in_the_request_is_no_error_page(client_for, monkeypatch):
    monkeypatch.setattr(legacy, "check", lambda *a, **k: 1 / 0)
    response = upload(client_for("manager"), EXAMPLE.read_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.FAILED and not job.file


def test_the_sweep_fails_a_stale_job_and_deletes_old_files(settings):
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    stale = stored_job(ImportStatus.IMPORTING, queued=True)
    ImportJob.objects.filter(pk=stale.pk).update(status_changed_at=long_ago)
    running = stored_job(ImportStatus.CHECKING, queued=True)  # just started: left alone
    checked = stored_job(ImportStatus.CHECKED)  # waiting for its confirmation for two days
    ImportJob.objects.filter(pk=checked.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    orphan = default_storage.save("imports/2020/01/oublie.csv", ContentFile(b"reference\n"))
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(orphan), (two_days_ago, two_days_ago))
    recent = default_storage.save("imports/2020/01/recent.csv", ContentFile(b"reference\n"))

    counts = tasks.sweep_imports()

    stale.refresh_from_db(), running.refresh_from_db(), checked.refresh_from_db()
    assert stale.status == ImportStatus.FAILED and stale.message.startswith("interrompu") and not stale.file
    assert running.status == ImportStatus.CHECKING and running.file
    assert checked.status == ImportStatus.FAILED and not checked.file
    assert "supprimé après 24 heures" in checked.message
    assert not default_storage.exists(orphan) and default_storage.exists(recent)
    assert counts == {"failed": 2, "queued": 0, "files": 2}
    assert PeriodicTask.objects.get(task="reporting.sweep_imports").interval.every == 10


def point_broker(app, url):
    app.conf.broker_url = app.conf.broker_write_url = url
    app._pool = None  # connections and producers of the previous broker
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The Celery app's broker pointed at a closed loopback port: publishing raises kombu's real
    OperationalError (connection refused). ``back()`` points it at the test's Redis again."""
    from config.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = app.conf.broker_url, app.conf.broker_write_url
    point_broker(app, f"redis://127.0.0.1:{port}/0")
    app.back = lambda: point_broker(app, previous[0])
    yield app
    point_broker(app, previous[0])
    app.conf.broker_write_url = previous[1]
    del app.back


def test_with_the_broker_down_the_upload_waits_and_the_sweep_queues_it_later(
        client_for, monkeypatch, broker_down, eager_celery, django_capture_on_commit_callbacks):
    monkeypatch.setattr(views, "SYNC_MAX_BYTES", 10)
    eager_celery.conf.task_always_eager = False  # a real publish, to the closed port
    with pytest.raises(OperationalError):
        tasks.check_legacy_file.apply_async(args=[0], retry=True, retry_policy={"max_retries": 0})
    client = client_for("manager")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, EXAMPLE.read_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert time.monotonic() - started < 3  # the user is not kept waiting for the broker
    assert (job.status, job.queued) == (ImportStatus.PENDING, False) and job.file
    page = client.get(job.get_absolute_url()).content.decode()
    assert "En attente de vérification" in page and "momentanément indisponible" in page
    # The sweep while the broker is still down: the job stays recorded, waiting.
    ImportJob.objects.filter(pk=job.pk).update(status_changed_at=timezone.now() - datetime.timedelta(minutes=5))
    assert jobs.sweep()["queued"] == 0
    job.refresh_from_db()
    assert (job.status, job.queued) == (ImportStatus.PENDING, False)
    # The broker is back: the sweep queues the job, and the worker (run inline here) checks it.
    broker_down.back()
    eager_celery.conf.task_always_eager = True
    assert tasks.sweep_imports()["queued"] == 1
    job.refresh_from_db()
    assert job.queued and job.status == ImportStatus.CHECKED and job.summary["dossiers"] == 26
    assert "momentanément indisponible" not in client.get(job.get_absolute_url()).content.decode()


def test_erasure_deletes_the_files_of_unfinished_imports(django_capture_on_commit_callbacks):
    from privacy.rgpd import anonymise_youth

    unfinished = stored_job(ImportStatus.CHECKED)
    path = Path(unfinished.file.path)
    done = ImportJob.objects.create(original_name="ancien.csv", status=ImportStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        erasure = anonymise_youth(YouthFactory())
    unfinished.refresh_from_db(), done.refresh_from_db()
    assert erasure.files_deleted == 1
    assert unfinished.status == ImportStatus.FAILED and not unfinished.file and not path.exists()
    assert "effacement des données" in unfinished.message
    assert done.status == ImportStatus.DONE


def test_the_check_lists_the_rule_breaks_the_rows_would_create_without_blocking(client_for, settings):
    today = timezone.localdate()
    recent_return = today - datetime.timedelta(days=30)
    born = YouthFactory(last_name="Déjà", first_name="Ouvert", birth_date=datetime.date(2001, 1, 1))
    DossierFactory(youth=born)  # an open dossier in the application
    rows = [
        "A1,Martin,Léa,01/01/2000,F,ML,01/02/2019,Erasmus,01/03/2019,01/06/2019,parti,",  # clean
        "A2,Vieux,Paul,01/01/1890,M,ML,01/02/2019,,,,en_cours,",  # birth before 1900
        "A3,Ancien,Zoé,01/01/1990,F,ML,01/02/2010,Erasmus,01/03/2010,01/06/2010,parti,",  # stay before 2012
        f"A4,Tôt,Max,01/01/2000,M,ML,01/02/2019,Erasmus,01/03/2019,{recent_return:%d/%m/%Y},parti,etudes",
        "A5,Double,Eva,01/01/2000,F,ML,01/02/2019,,,,en_cours,",
        "A6,Double,Eva,01/01/2000,F,ML,01/02/2020,,,,en_cours,",
        "A7,Déjà,Ouvert,01/01/2001,M,ML,01/02/2020,,,,en_cours,",
    ]
    client = client_for("manager")
    upload(client, "\n".join([HEADER] + rows).encode())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and job.errors == []
    warnings = [(w["line"], w["column"]) for w in job.summary["warnings"]]
    assert warnings == [(3, "date_naissance"), (4, "date_depart"), (4, "date_retour"), (5, "situation_6_mois"),
                        (6, "statut_final"), (7, "statut_final"), (8, "statut_final")]
    messages = {w["line"]: w["message"] for w in job.summary["warnings"]}
    assert "01/01/1900" in messages[3] and "lignes" not in messages[3]
    assert "avant son mois" in messages[5]
    assert "ligne 7" in messages[6] and "ligne 6" in messages[7] and "dans l'application" in messages[8]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "7 points à vérifier" in page and "Confirmer l'import" in page
    assert escape(messages[5]) in page
    # Warnings do not block: the whole file goes in.
    client.post(reverse("reporting:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Dossier.objects.filter(imported=True).count() == 7
    # Once imported, the consistency checker lists the dossiers those lines planted, and the clean one not.
    from reporting import consistency

    by_reference = dict(Dossier.objects.filter(imported=True).values_list("legacy_reference", "pk"))
    found = {r.key: {b.dossier_id for b in r.breaks} for r in consistency.check()}
    assert by_reference["A2"] in found["dates_out_of_range"]
    assert by_reference["A3"] in found["dates_out_of_range"]
    assert by_reference["A4"] in found["call_before_its_month"]
    assert {by_reference["A5"], by_reference["A6"], by_reference["A7"]} <= found["several_open_dossiers"]
    assert by_reference["A1"] not in consistency.flagged_dossier_ids()

