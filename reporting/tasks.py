"""Celery tasks of reporting: check a legacy file, then import it, writing progress on the job; the nightly
consistency check."""
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import legacy
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
    """The uploaded file holds personal data: once the job is over (imported or refused), it is deleted;
    the job keeps its name, summary and errors."""
    job = ImportJob.objects.get(pk=job_id)
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")


def check_job(job_id):
    """Dry run of the job's file: keeps the summary (what would be created) and every error."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportStatus.PENDING, ImportStatus.CHECKING):
        return job.status
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.CHECKING, processed_rows=0)
    with job.file.open("rb") as handle:
        data = handle.read()
    plan = legacy.check(data, job.original_name, progress=_progress(job_id))
    status = ImportStatus.REFUSED if plan.errors else ImportStatus.CHECKED
    ImportJob.objects.filter(pk=job_id).update(
        status=status, total_rows=plan.total_rows, processed_rows=plan.total_rows,
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
        job.status = ImportStatus.IMPORTING
        job.processed_rows = 0
        job.save(update_fields=["status", "processed_rows"])
    with job.file.open("rb") as handle:
        data = handle.read()
    plan = legacy.check(data, job.original_name, progress=_progress(job_id, share=0.5))
    try:
        summary = legacy.run(plan, user=job.created_by)
    except legacy.ImportRefused as refused:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.REFUSED, errors=legacy.errors_as_dicts(refused.errors), finished_at=timezone.now()
        )
        forget_file(job_id)
        return ImportStatus.REFUSED
    except Exception as exc:  # noqa: BLE001 — the manager must see that it failed; nothing was written
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, message=f"{type(exc).__name__} : {exc}", finished_at=timezone.now()
        )
        forget_file(job_id)
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE, summary=summary, processed_rows=plan.total_rows, finished_at=timezone.now()
    )
    forget_file(job_id)
    return ImportStatus.DONE


@shared_task(name="reporting.check_legacy_file")
def check_legacy_file(job_id):
    return check_job(job_id)


@shared_task(name="reporting.import_legacy_file")
def import_legacy_file(job_id):
    return import_job(job_id)


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
