"""Celery tasks of the platform core. The retention task runs monthly (django-celery-beat row created by
``ipm/migrations/0004_retention_schedule.py``, editable in the admin « Tâches périodiques »). It derives
what to do from the database: run twice, it anonymises nothing twice."""
import logging

from celery import shared_task

from . import rgpd

log = logging.getLogger(__name__)


@shared_task(name="ipm.apply_retention")
def apply_retention(years=None):
    done = rgpd.apply_retention(years=years)
    count = sum(1 for _, erasure in done if erasure is not None)
    log.info("Conservation des données : %s jeune(s) anonymisé(s)", count)
    return count
