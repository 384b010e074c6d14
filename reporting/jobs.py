"""The life of an import job beyond its work (reporting/tasks.py does the work): every job ends, and its
file — personal data — is never kept.

- ``enqueue``: hand a job's task to the broker; when the broker cannot take it (down, unreachable), the
  job stays recorded « en attente » and the sweep queues it later — never an error for the user;
- ``fail``: end a job « échoué » with its reason, its file deleted;
- ``sweep``: every few minutes (beat row of reporting/migrations/0004), fail the jobs left waiting or
  running too long (a lost worker, a killed web process), queue again those the broker could not take,
  and delete every import file older than ``IPM_IMPORT_FILE_MAX_AGE_HOURS`` whatever its job's state;
- ``forget_unfinished_files``: the erasure of a young person deletes the files of unfinished jobs,
  which may hold the person's row.
"""
import datetime
import logging

from celery import current_app
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from .enums import ImportStatus
from .models import ImportJob

log = logging.getLogger(__name__)

CHECK_TASK = "reporting.check_legacy_file"
IMPORT_TASK = "reporting.import_legacy_file"
# The task each waiting state needs.
TASK_OF = {ImportStatus.PENDING: CHECK_TASK, ImportStatus.QUEUED: IMPORT_TASK}
UNFINISHED = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.QUEUED,
              ImportStatus.IMPORTING)
RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.IMPORTING)
# A job just recorded is left to its request (or its first queueing) this long before the sweep queues it.
REQUEUE_GRACE = datetime.timedelta(minutes=2)
FILES_DIR = "imports"

INTERRUPTED = "interrompu : le traitement ne s'est pas terminé (service arrêté ou délai dépassé). Déposez le fichier à nouveau."
TIMED_OUT = "interrompu : le fichier a dépassé le temps de traitement permis. Découpez-le (par année) et déposez les parties."
FILE_EXPIRED = "le fichier déposé a été supprimé après {hours} heures sans être importé. Déposez-le à nouveau."
ERASED = "le fichier déposé a été supprimé lors de l'effacement des données d'un jeune (RGPD). Déposez-le à nouveau."


def set_status(job_id, status, **fields):
    return ImportJob.objects.filter(pk=job_id).update(status=status, status_changed_at=timezone.now(), **fields)


def forget_file(job_id):
    """Delete the job's stored file (the job keeps its name, summary and errors)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job and job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")


def fail(job_id, reason):
    """End the job « échoué » with its reason (shown on its page); its file is deleted."""
    set_status(job_id, ImportStatus.FAILED, message=reason, finished_at=timezone.now(), queued=False)
    forget_file(job_id)
    log.warning("Import n° %s échoué : %s", job_id, reason)


def enqueue(job_id, task_name):
    """Hand the job's task to the broker. Returns False (the job stays recorded, ``queued`` False, for the
    sweep) when the broker cannot take it."""
    try:
        # No retry: a broker that cannot take the message now answers at once (the sweep tries again).
        current_app.tasks[task_name].apply_async(args=[job_id], retry=True, retry_policy={"max_retries": 0})
    except Exception as exc:  # noqa: BLE001 — the job is recorded; the user's request must not fail for this
        log.warning("Import n° %s enregistré mais pas confié au worker (%s) : le balayage le relancera.", job_id, exc)
        ImportJob.objects.filter(pk=job_id).update(queued=False)
        return False
    ImportJob.objects.filter(pk=job_id).update(queued=True)
    return True


def _delete_old_files(cutoff):
    """Import files stored before ``cutoff`` that no job points to any more (a job row deleted, a crash
    between the upload and the job)."""
    deleted = 0

    def walk(path):
        nonlocal deleted
        try:
            directories, files = default_storage.listdir(path)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in files:
            full = f"{path}/{name}"
            if default_storage.get_modified_time(full) < cutoff:
                default_storage.delete(full)
                deleted += 1
        for name in directories:
            walk(f"{path}/{name}")

    walk(FILES_DIR)
    return deleted


def sweep(now=None):
    """Fail stale jobs, queue again those the broker did not take, delete old files. Returns the counts."""
    now = now or timezone.now()
    counts = {"failed": 0, "queued": 0, "files": 0}
    hours = settings.IPM_IMPORT_FILE_MAX_AGE_HOURS
    cutoff = now - datetime.timedelta(hours=hours)
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        if job.status in UNFINISHED:
            fail(job.pk, FILE_EXPIRED.format(hours=hours))
            counts["failed"] += 1
        else:
            forget_file(job.pk)
        counts["files"] += 1
    stale = now - datetime.timedelta(seconds=settings.IPM_IMPORT_STALE_SECONDS)
    for job in ImportJob.objects.filter(status__in=RUNNING, status_changed_at__lt=stale):
        if job.status in TASK_OF and not job.queued:
            continue  # the broker never took it: queued below, not interrupted
        fail(job.pk, INTERRUPTED)
        counts["failed"] += 1
    waiting = ImportJob.objects.filter(status__in=list(TASK_OF), queued=False,
                                       status_changed_at__lt=now - REQUEUE_GRACE).exclude(file="")
    for job in waiting:
        if enqueue(job.pk, TASK_OF[job.status]):
            counts["queued"] += 1
    counts["files"] += _delete_old_files(cutoff)
    return counts


def forget_unfinished_files():
    """Erasure: the files of jobs not yet finished may hold the erased person's row; they are deleted
    and their jobs end « échoué ». Returns how many files were deleted."""
    jobs = list(ImportJob.objects.filter(status__in=UNFINISHED).exclude(file="").values_list("pk", flat=True))
    for job_id in jobs:
        fail(job_id, ERASED)
    return len(jobs)
