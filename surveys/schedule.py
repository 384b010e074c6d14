"""When questionnaires and surveys fall due, the messages that ask for them, and the staff call list —
all derived from the database state of a given day, like the follow-up calls
(``followup.calls.create_due_calls``): run twice, late or on two workers at once, nothing is created or
sent twice (a survey is unique per dossier and horizon, a message per key in the outbox).

- The **return questionnaire** is due at the return review (the dossier goes « en suivi »).
- The **surveys at 12 and 36 months** are due on the return date + 12 / 36 months.
- A survey is created only within ``CATCH_UP_DAYS`` of its due date (an outage is caught up; dossiers
  of years ago, imported ones for instance, are never surveyed at once), never for an erased young person
  or a dossier closed as dropped.
- Messages: the link on the due day, then two reminders (``REMINDER_DAYS``) while unanswered; after
  ``CALL_LIST_DAYS`` an unanswered survey is on the staff call list (« Enquêtes à appeler »).
"""
import datetime

from django.utils import timezone

from departures.models import Stay
from dossiers.workflow import FOLLOWUP_STATES, State
from followup.contact import fit_sms, render_email
from followup.enums import Channel, MessageKind
from followup.optout import sms_allowed
from followup.outbox import absolute_url, platform_name, queue_message
from ipm.dates import add_months

from . import services
from .enums import HORIZON_MONTHS, Horizon
from .models import Survey

CATCH_UP_DAYS = 30
REMINDER_DAYS = (5, 10)
CALL_LIST_DAYS = 14
# Dossiers that may still be surveyed: back from their stay (and closed after the six months).
SURVEYED_STATES = FOLLOWUP_STATES | {State.CLOSED}


def as_day(day=None):
    if day is None:
        return timezone.localdate()
    if isinstance(day, str):
        return datetime.date.fromisoformat(day)
    return day


def _eligible_stays():
    return (Stay.objects.filter(dossier__state__in=SURVEYED_STATES, return_date__isnull=False)
            .exclude(dossier__youth__match_key__startswith=services.ERASED_KEY_PREFIX)
            .select_related("dossier__youth", "dossier__scheme"))


def create_due_surveys(day=None):
    """Create every survey due by ``day`` (within the catch-up window). Returns how many were created."""
    day = as_day(day)
    oldest = day - datetime.timedelta(days=CATCH_UP_DAYS)
    existing = set(Survey.objects.values_list("dossier_id", "horizon"))
    created = 0
    reviewed = _eligible_stays().filter(review_date__isnull=False, review_date__lte=day, review_date__gte=oldest)
    for stay in reviewed.exclude(dossier__state=State.RETURNED):
        if (stay.dossier_id, Horizon.RETURN) not in existing:
            created += services.open_survey(stay.dossier, Horizon.RETURN, stay.review_date) is not None
    for horizon, months in HORIZON_MONTHS.items():
        # return_date + months in [oldest, day]: a first bound on the return date, then the exact one.
        stays = _eligible_stays().filter(return_date__lte=add_months(day, -months),
                                         return_date__gte=add_months(oldest, -months) - datetime.timedelta(days=3))
        for stay in stays:
            due = add_months(stay.return_date, months)
            if oldest <= due <= day and (stay.dossier_id, horizon) not in existing:
                created += services.open_survey(stay.dossier, horizon, due) is not None
    return created


def start_return_questionnaire(dossier_id, day=None):
    """At the return review: the questionnaire is due now, and its link leaves at once."""
    from dossiers.models import Dossier

    dossier = Dossier.objects.select_related("youth", "scheme").filter(pk=dossier_id).first()
    stay = Stay.objects.filter(dossier_id=dossier_id, review_date__isnull=False).first()
    if dossier is None or stay is None:  # no return review recorded (the daily task catches up a late one)
        return 0
    if stay.review_date < as_day(day) - datetime.timedelta(days=CATCH_UP_DAYS):  # a review of long ago
        return 0
    survey = services.open_survey(dossier, Horizon.RETURN, stay.review_date)
    if survey is not None and not survey.answered:
        return _send(survey, "")
    return 0


def unanswered():
    return (Survey.objects.filter(response__isnull=True, dossier__state__in=SURVEYED_STATES)
            .exclude(dossier__youth__match_key__startswith=services.ERASED_KEY_PREFIX))


def _texts(survey, period):
    youth = survey.dossier.youth
    url = absolute_url(survey.get_space_url())
    if survey.horizon == Horizon.RETURN:
        what, subject = "le questionnaire de satisfaction sur votre séjour", "Votre avis sur votre séjour"
    else:
        months = HORIZON_MONTHS[survey.horizon]
        what = f"l'enquête {'à un an' if months == 12 else 'à trois ans'} : où en êtes-vous aujourd'hui"
        subject = f"Où en êtes-vous, {'un an' if months == 12 else 'trois ans'} après votre retour ?"
    if period:
        subject = f"Rappel : {subject[0].lower()}{subject[1:]}"
    body, html = render_email("survey", {"youth": youth, "dossier": survey.dossier, "what": what,
                                         "reminder": bool(period), "link": url, "link_label": "Répondre"})
    sms = fit_sms(f"{'rappel, ' if period else ''}votre avis compte ! Répondez dans votre espace :", url,
                  head=f"{platform_name()} : ")
    return subject, body, html, sms


def _send(survey, period):
    youth = survey.dossier.youth
    subject, body, html, sms = _texts(survey, period)
    key = f"survey:{survey.pk}"
    created = 0
    if youth.email:
        created += queue_message(MessageKind.SURVEY, Channel.EMAIL, key, period, youth.email, body, subject,
                                 survey.dossier, html=html)
    if sms_allowed(youth):  # a phone, consent to SMS and no « STOP »
        created += queue_message(MessageKind.SURVEY, Channel.SMS, key, period, youth.phone, sms, "", survey.dossier)
    return created


def survey_messages(day=None):
    """The link when a survey falls due, then two reminders while it is unanswered (each once)."""
    day = as_day(day)
    created = 0
    steps = [("", 0)] + [(f"rappel-{n}", days) for n, days in enumerate(REMINDER_DAYS, start=1)]
    window = unanswered().filter(due_date__lte=day, due_date__gt=day - datetime.timedelta(days=CALL_LIST_DAYS))
    for survey in window.select_related("dossier__youth"):
        age = (day - survey.due_date).days
        # The latest step reached today (a missed day sends that one, not every earlier one).
        period = [p for p, days in steps if age >= days][-1]
        created += _send(survey, period)
    return created


def call_list(day=None):
    """Unanswered surveys due ``CALL_LIST_DAYS`` days ago or more: staff call the young people."""
    day = as_day(day)
    return (unanswered().filter(due_date__lte=day - datetime.timedelta(days=CALL_LIST_DAYS))
            .select_related("dossier__youth", "dossier__platform_counsellor").order_by("due_date", "pk"))
