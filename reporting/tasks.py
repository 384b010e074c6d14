"""Celery tasks of reporting: check a legacy file, then import it, writing progress on the job; the nightly
consistency check; the daily scheduled exports."""
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import jobs, legacy
from .enums import ImportStatus
from .models import ImportJob

log = logging.getLogger(__name__)


def _progress(job_id, share=1.0):
    """Write progress on the job. ``share``: the part of the bar this phase fills (the import checks the
    file again — the long part, shown — then writes it in one transaction, whose progress other
    connections could not see before the commit anyway)."""

    def report(done, total):
        ImportJob.objects.filter(pk=job_id).update(processed_rows=int(done * share), total_rows=total)

    return report


def forget_file(job_id):
    """The uploaded file holds personal data: once the job is over (imported, refused or failed), it is
    deleted; the job keeps its name, summary and errors."""
    jobs.forget_file(job_id)


def check_job(job_id):
    """Dry run of the job's file: keeps the summary (what would be created, the warnings) and every error."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportStatus.PENDING, ImportStatus.CHECKING):
        return job.status
    jobs.set_status(job_id, ImportStatus.CHECKING, processed_rows=0)
    with job.file.open("rb") as handle:
        data = handle.read()
    plan = legacy.check(data, job.original_name, progress=_progress(job_id))
    status = ImportStatus.REFUSED if plan.errors else ImportStatus.CHECKED
    jobs.set_status(
        job_id, status, total_rows=plan.total_rows, processed_rows=plan.total_rows,
        errors=legacy.errors_as_dicts(plan.errors), summary=plan.summary(),
        finished_at=timezone.now() if plan.errors else None,
    )
    if plan.errors:
        forget_file(job_id)
    return status


def import_job(job_id):
    """Import the job's (checked) file: whole or nothing. Running it twice imports nothing twice."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportStatus.QUEUED:
            return job.status
        jobs.set_status(job_id, ImportStatus.IMPORTING, processed_rows=0)
    with job.file.open("rb") as handle:
        data = handle.read()
    plan = legacy.check(data, job.original_name, progress=_progress(job_id, share=0.5))
    try:
        summary = legacy.run(plan, user=job.created_by)
    except legacy.ImportRefused as refused:
        jobs.set_status(job_id, ImportStatus.REFUSED, errors=legacy.errors_as_dicts(refused.errors),
                        finished_at=timezone.now())
        forget_file(job_id)
        return ImportStatus.REFUSED
    jobs.set_status(job_id, ImportStatus.DONE, summary=summary, processed_rows=plan.total_rows,
                    finished_at=timezone.now())
    forget_file(job_id)
    return ImportStatus.DONE


def run_safely(work, job_id):
    """Run ``check_job`` or ``import_job`` (in a request or in the worker) so that the job always ends:
    any failure — an exception, the time limit — ends it « échoué » with its reason, its file deleted;
    nothing is written (the import is one transaction)."""
    try:
        return work(job_id)
    except SoftTimeLimitExceeded:
        jobs.fail(job_id, jobs.TIMED_OUT)
    except Exception as exc:  # noqa: BLE001 — the manager must see that it failed; nothing was written
        log.exception("Import n° %s : échec", job_id)
        jobs.fail(job_id, f"erreur pendant le traitement ({type(exc).__name__} : {exc}). Rien n'a été enregistré.")
    return ImportStatus.FAILED


# Each task is stopped after the time limit (the soft limit ends the job « échoué »; the hard one, a
# minute later, kills the work and leaves the job to the sweep). A lost worker's message is not run
# again (acks_late without reject_on_worker_lost): the sweep fails the job.
JOB_TASK_OPTIONS = {
    "acks_late": True,
    "soft_time_limit": settings.IPM_IMPORT_TIME_LIMIT_SECONDS,
    "time_limit": settings.IPM_IMPORT_TIME_LIMIT_SECONDS + 60,
}


@shared_task(name=jobs.CHECK_TASK, **JOB_TASK_OPTIONS)
def check_legacy_file(job_id):
    return run_safely(check_job, job_id)


@shared_task(name=jobs.IMPORT_TASK, **JOB_TASK_OPTIONS)
def import_legacy_file(job_id):
    return run_safely(import_job, job_id)


@shared_task(name="reporting.sweep_imports")
def sweep_imports():
    """Every ten minutes (beat row of reporting/migrations/0004): see ``jobs.sweep``."""
    counts = jobs.sweep()
    if any(counts.values()):
        log.info("Imports : %(failed)s job(s) échoué(s), %(queued)s relancé(s), %(files)s fichier(s) supprimé(s)",
                 counts)
    return counts


@shared_task(name="reporting.check_dossiers")
def check_dossiers():
    """Nightly (beat row of reporting/migrations/0002): the consistency checker over every dossier, its
    counts per rule in the worker's log. Reads only; the page /rapports/coherence/ shows the same, live."""
    from . import consistency

    results = consistency.check()
    flagged = {b.dossier_id for result in results for b in result.breaks}
    for result in results:
        if result.count:
            log.warning("Cohérence des dossiers : %s — %s dossier(s)", result.text, result.count)
    log.info("Cohérence des dossiers : %s dossier(s) à vérifier", len(flagged))
    return len(flagged)


@shared_task(name="reporting.send_scheduled_exports")
def send_scheduled_exports():
    """Every morning (beat row of reporting/migrations/0006): the managers' scheduled exports due today,
    mailed through the outbox (``schedules.send_due``; a second run the same day sends nothing)."""
    from . import schedules

    counts = schedules.send_due()
    if any(counts.values()):
        log.info("Exports programmés : %(sent)s envoyé(s), %(failed)s en échec", counts)
    return counts


@shared_task(name="reporting.prerender_reports", soft_time_limit=300, time_limit=360)
def prerender_reports():
    """Every two minutes (beat row of reporting/migrations/0008): the platform's report files rendered
    ahead when their data changed (``prerender.run``)."""
    from . import prerender

    return prerender.run()
