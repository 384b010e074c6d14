"""Celery tasks of the follow-up and of the outbox. Each scheduled task derives what to do from the
database state of the day (``day``: ISO date, default today), so that it can run twice, late, or on
two workers at once without doing anything twice. Their schedules are data: the django-celery-beat
``PeriodicTask`` rows created by the migration ``followup/migrations/0004_periodic_tasks.py``, visible and
editable in the Django admin (« Tâches périodiques »).

Imports run one way: ``tasks → calls/reminders → outbox``; the outbox queues ``deliver_message`` by its
name (``outbox.DELIVER_TASK``)."""
import logging

from celery import shared_task

from . import calls, outbox, reminders

log = logging.getLogger(__name__)


@shared_task(name="followup.daily_followup")
def daily_followup(day=None):
    """Create the calls due by that day, send the young people their answer link, and send each
    platform counsellor the digest of calls due today and overdue."""
    created = calls.create_due_calls(day)
    links = reminders.followup_link_messages(day)
    digests = reminders.digest_messages(day)
    log.info("Suivi du %s : %s appel(s) créé(s), %s lien(s), %s récapitulatif(s)", day or "jour", created, links, digests)
    return {"calls": created, "links": links, "digests": digests}


@shared_task(name="followup.europass_reminders")
def europass_reminders(day=None):
    return reminders.europass_messages(day)


@shared_task(name="followup.return_report_reminders")
def return_report_reminders(day=None):
    """Before the return (the activity report) and before the departure (J-7)."""
    return reminders.return_report_messages(day) + reminders.departure_messages(day)


@shared_task(name="followup.meeting_reminders")
def meeting_reminders(day=None):
    """Two days before: information collectives, interviews, preparation meetings, commissions."""
    return reminders.meeting_messages(day) + reminders.commission_messages(day)


@shared_task(name=outbox.DELIVER_TASK, bind=True, max_retries=20, acks_late=True)
def deliver_message(self, pk):
    """Send one recorded message (see ``outbox.deliver``); on failure, retried with backoff until
    ``IPM_MESSAGE_MAX_ATTEMPTS``, then left « échec » for staff."""
    outcome, retry_in = outbox.deliver(pk)
    if outcome == "retry":
        raise self.retry(countdown=retry_in)
    return outcome


@shared_task(name="followup.resend_pending_messages")
def resend_pending_messages():
    """Safety net: dispatch again every pending message whose delivery is late (a broker restart lost
    it, or its retry is due). ``outbox.deliver`` sends each at most once."""
    count = 0
    for pk in outbox.pending_to_resend().values_list("pk", flat=True):
        deliver_message.delay(pk)
        count += 1
    return count
