"""Celery tasks of the platform core. The retention task runs monthly (django-celery-beat row created by
``ipm/migrations/0004_retention_schedule.py``, editable in the admin « Tâches périodiques »). It derives
what to do from the database: run twice, it anonymises nothing twice."""
import datetime
import logging

from celery import shared_task
from django.utils import timezone

from privacy import retention

log = logging.getLogger(__name__)


TOKEN_DAYS = 365


@shared_task(name="ipm.apply_retention")
def apply_retention(years=None):
    """Anonymise the young people past retention; also forget the one-time form tokens older than a
    year (``ipm.submission``: a page that old is not sent twice by accident)."""
    from ipm.models import FormSubmission

    done = retention.apply_retention(years=years)
    count = sum(1 for _, erasure in done if erasure is not None)
    FormSubmission.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=TOKEN_DAYS)).delete()
    log.info("Conservation des données : %s jeune(s) anonymisé(s)", count)
    return count
