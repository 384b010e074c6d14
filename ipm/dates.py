"""Sane dates, shared by every form (``ipm.forms.date_field``) and by the services that write dates
(through each app's ``rules.py``), so that a form, a task or a command all refuse the same dates with
the same French message.

Kinds of date:

- ``BIRTH``: a birth date, from 01/01/1900 to today;
- ``PAST``: an event that has happened (attendance, decision, signature, departure, return, visit,
  incident, call, payment…): from 1 January of ``IPM_FIRST_YEAR`` to today;
- ``PLANNED``: an event that may be planned (a meeting, a commission, a stay's planned dates, a
  search filter): from 1 January of ``IPM_FIRST_YEAR`` to ``IPM_YEARS_AHEAD`` years ahead;
- ``VALIDITY``: the end of a document's validity (a passport): up to fifteen years ahead.

An exceptional date (a decision taken by correspondence before its session, a visit just before
departure) is accepted only with a reason, recorded as ``exceptional_note(reason)`` in the comment
that goes with it: ``has_exceptional_note`` is how a service knows the override was given.
"""
import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

BIRTH, PAST, PLANNED, VALIDITY = "birth", "past", "planned", "validity"
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
VALIDITY_YEARS = 15

EXCEPTIONAL_LABEL = "Je confirme cette date exceptionnelle"
EXCEPTIONAL_PREFIX = "Date exceptionnelle confirmée"


def add_years(day, years):
    """``day`` plus a number of years (29 February becomes 28 February)."""
    return day + relativedelta(years=years)


def add_months(day, months):
    """``day`` plus a number of calendar months, clamped to the end of the month (31/01 + 1 → 28/02 or
    29/02): dateutil's ``relativedelta``, the one month arithmetic of the project."""
    return day + relativedelta(months=months)


def bounds(kind, today=None):
    """(earliest, latest) accepted for a date of ``kind``."""
    today = today or timezone.localdate()
    first = datetime.date(settings.IPM_FIRST_YEAR, 1, 1)
    if kind == BIRTH:
        return EARLIEST_BIRTH, today
    if kind == PAST:
        return first, today
    if kind == VALIDITY:
        return first, add_years(today, VALIDITY_YEARS)
    return first, add_years(today, settings.IPM_YEARS_AHEAD)


def range_error(day, kind=PLANNED, today=None, future_message=""):
    """The French message refusing ``day`` as a date of ``kind``, or None when it is sane."""
    if day is None:
        return None
    earliest, latest = bounds(kind, today)
    if day < earliest:
        if kind == BIRTH:
            return f"La date de naissance doit être le {earliest:%d/%m/%Y} ou après : vérifiez l'année."
        return (f"La date doit être en {earliest.year} ou après (début de la plateforme) : vérifiez l'année "
                f"({day:%d/%m/%Y} saisi).")
    if day > latest:
        if kind == BIRTH:
            return "La date de naissance est dans le futur : vérifiez l'année."
        if kind == PAST:
            return future_message or "Cette date est dans le futur : enregistrez-la une fois l'événement passé."
        return (f"La date ne peut pas dépasser le {latest:%d/%m/%Y} : vérifiez l'année "
                f"({day:%d/%m/%Y} saisi).")
    return None


def exceptional_note(reason):
    """The line recorded with an exceptional date (in the timeline comment or the record's notes)."""
    return f"{EXCEPTIONAL_PREFIX} : {reason.strip()}"


def has_exceptional_note(text):
    return EXCEPTIONAL_PREFIX in (text or "")


def with_exceptional_note(text, reason):
    """``text`` preceded by the exceptional-date note (once)."""
    if not reason or has_exceptional_note(text):
        return text
    note = exceptional_note(reason)
    return f"{note}\n{text}" if text else note
