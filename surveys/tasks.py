"""The daily task of the questionnaires and surveys (schedule: the django-celery-beat row created by
``surveys/migrations/0003_periodic_task.py``, editable in the admin, « Tâches périodiques »)."""
import logging

from celery import shared_task

from . import schedule

log = logging.getLogger(__name__)


@shared_task(name="surveys.daily_surveys")
def daily_surveys(day=None):
    """Create the surveys due by that day, send their links and reminders."""
    created = schedule.create_due_surveys(day)
    messages = schedule.survey_messages(day)
    log.info("Enquêtes du %s : %s créée(s), %s message(s)", day or "jour", created, messages)
    return {"surveys": created, "messages": messages}
