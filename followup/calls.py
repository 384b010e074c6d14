"""The six-month follow-up: the monthly calls after return and their due dates, recording a call,
the young person's personal answer link, and closing the follow-up.

Calls are derived from the database state of a given day: ``create_due_calls(day)`` creates the calls
fallen due by that day under the unique constraint (dossier, month), so running it twice, late, or on
two workers at once creates nothing twice. What is sent about them lives in ``followup.reminders``.
"""
import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from dossiers import transitions, workflow
from ipm.dates import add_months  # noqa: F401 (used here and by the callers of followup.calls)
from dossiers.workflow import FOLLOWUP_STATES, State

from .enums import CallSource, Situation, latest_situation, outcome_of
from .models import FollowUpCall
from .outbox import absolute_url

MONTHS = range(1, 7)

ANSWER_SALT = "followup.answer"


def due_date(return_date, month):
    return add_months(return_date, month)


def as_day(day=None):
    if day is None:
        return timezone.localdate()
    if isinstance(day, str):
        return datetime.date.fromisoformat(day)
    return day


# --- Calls ------------------------------------------------------------------------------------------

def create_due_calls(day=None):
    """Create every follow-up call due by ``day`` (month k due on return date + k months) for the
    dossiers in follow-up, assigned to each dossier's platform counsellor. Idempotent: returns the
    number of calls actually created."""
    from departures.models import Stay

    day = as_day(day)
    stays = (
        Stay.objects.filter(dossier__state__in=FOLLOWUP_STATES, return_date__isnull=False, return_date__lt=day)
        .values_list("dossier_id", "dossier__platform_counsellor_id", "return_date")
    )
    # The calls already there are left out before inserting (one query) rather than refused one by one by
    # the unique constraint: the daily run no longer re-inserts thousands of calls (BENCHMARKS.md).
    existing = set(FollowUpCall.objects.filter(dossier__in=stays.values("dossier_id")).values_list("dossier_id", "month"))
    candidates = []
    for dossier_id, counsellor_id, return_date in stays.iterator():
        for month in MONTHS:
            due = due_date(return_date, month)
            if due > day:
                break
            if (dossier_id, month) in existing:
                continue
            candidates.append(FollowUpCall(dossier_id=dossier_id, month=month, due_date=due, assigned_to_id=counsellor_id))
    reassign_open_calls()
    if not candidates:
        return 0
    before = FollowUpCall.objects.count()
    FollowUpCall.objects.bulk_create(candidates, ignore_conflicts=True, batch_size=500)
    return FollowUpCall.objects.count() - before


def reassign_open_calls():
    """Calls still to make follow the dossier's platform counsellor when it changes."""
    from dossiers.models import Dossier

    stale = open_calls().filter(dossier__platform_counsellor__isnull=False).exclude(
        assigned_to=F("dossier__platform_counsellor"))
    return stale.update(assigned_to=Subquery(
        Dossier.objects.filter(pk=OuterRef("dossier_id")).values("platform_counsellor")[:1]))


def open_calls():
    return FollowUpCall.objects.filter(done_at__isnull=True)


def calls_due_on(day):
    return open_calls().filter(due_date=day)


def calls_overdue(day):
    return open_calls().filter(due_date__lt=day)


class FollowUpError(Exception):
    """A refused follow-up operation; the message is French and meant for the user."""


def record_call(call, user, *, reached, situation="", employer="", notes="", source=CallSource.COUNSELLOR):
    """Record one contact attempt. Reached: the month is done, with the situation. Not reached: one
    more attempt, the call stays open (flagged unreachable after ``IPM_FOLLOWUP_MAX_ATTEMPTS``).
    Recording month 6 reached closes the dossier with its outcome. Returns the closing event, if any."""
    from .rules import call_date_error  # dates follow the wheel (docs/integrity.md)

    if problem := call_date_error(call):
        raise FollowUpError(problem)
    now = timezone.now()
    with transaction.atomic():
        call = FollowUpCall.objects.select_for_update().get(pk=call.pk)
        if reached and not situation:
            raise FollowUpError("Indiquez la situation du jeune.")
        editing = call.done_at is not None
        if editing and not reached:
            raise FollowUpError("Ce suivi est déjà renseigné : pour le corriger, indiquez la situation du jeune.")
        if not editing:  # correcting a month already done is not a new attempt
            call.attempts += 1
            call.last_attempt_at = now
        call.recorded_by = user
        if notes:
            stamp = timezone.localtime(now).strftime("%d/%m/%Y %H:%M")
            call.notes = (call.notes + "\n" if call.notes else "") + f"[{stamp}] {notes}"
        if reached:
            call.reached = True
            call.done_at = call.done_at or now
            call.situation = situation
            call.employer = employer
            call.source = source
        else:
            call.reached = False
        call.save()
        event = None
        if reached and call.month == 6 and not editing:
            event = close_followup(call.dossier, user, strict=False)
    return call, event


def record_youth_answer(call, *, situation, employer="", notes=""):
    """The young person's own answer through the personal link: recorded like a reached call."""
    with transaction.atomic():
        call = FollowUpCall.objects.select_for_update().get(pk=call.pk)
        if call.done_at is not None:
            raise FollowUpError("Ce suivi a déjà été renseigné. Merci !")
        call.reached = True
        call.done_at = timezone.now()
        call.situation = situation
        call.employer = employer
        if notes:
            call.notes = (call.notes + "\n" if call.notes else "") + f"[Réponse du jeune] {notes}"
        call.source = CallSource.YOUTH
        call.save()
    return call


def reached_situations(dossier):
    return {c.month: c.situation for c in dossier.followup_calls.all() if c.reached and c.situation}


def dossier_outcome(dossier):
    """``(situation, positive)`` six months after return (see ``enums.outcome_of``)."""
    return outcome_of(reached_situations(dossier))


def outcome_comment(dossier):
    situations = reached_situations(dossier)
    final, positive = outcome_of(situations)
    if final:
        return (f"Suivi à six mois terminé — situation à six mois : {Situation(final).label}. "
                f"{'Sortie positive.' if positive else 'Pas de sortie positive.'}")
    month, latest = latest_situation(situations)
    known = f" (dernière situation connue : {Situation(latest).label}, mois {month})" if latest else ""
    return f"Suivi à six mois terminé sans contact au mois 6{known}. Résultat à six mois inconnu."


def close_followup(dossier, user, strict=True):
    """Close the dossier at the end of the follow-up — the one way a dossier is closed — through the
    workflow, with its outcome in the event comment. Calls still open are marked done: « non joint »
    (reached False) when at least one attempt was made, « non réalisé » (reached None) when none was.

    The dossier row is locked first, then checked, then closed: two « Clore le dossier » at once close
    it once; the second is told « Le dossier est déjà clos. ». ``strict=False``: when the dossier cannot
    be closed now (e.g. still « de retour », or already closed), do nothing and return None."""
    from dossiers.models import Dossier

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not workflow.can_apply(locked, State.CLOSED, user):
            if not strict:
                return None
            if locked.state == State.CLOSED:
                raise FollowUpError("Le dossier est déjà clos.")
            raise FollowUpError(
                f"Le dossier est « {locked.state_label} » : il ne peut pas être clos maintenant"
                + (" (faites d'abord le bilan de retour)." if locked.state == State.RETURNED else ".")
            )
        now = timezone.now()
        still_open = locked.followup_calls.filter(done_at__isnull=True)
        # Nobody called nor answered: « non réalisé » (reached unknown), never an invented « non joint ».
        still_open.filter(attempts=0).update(
            done_at=now, reached=None, source=CallSource.CLOSING, recorded_by=user, updated_at=now
        )
        still_open.update(done_at=now, reached=False, source=CallSource.CLOSING, recorded_by=user, updated_at=now)
        try:
            event = transitions.apply_transition(locked, State.CLOSED, user, comment=outcome_comment(locked))
        except workflow.TransitionError as exc:
            raise FollowUpError(str(exc)) from exc
    dossier.state, dossier.state_changed_at = locked.state, locked.state_changed_at
    return event


# --- The young person's personal link ----------------------------------------------------------------

def answer_token(call):
    return signing.TimestampSigner(salt=ANSWER_SALT).sign_object({"call": call.pk})


def answer_url(call):
    return absolute_url(reverse("followup:answer", args=[answer_token(call)]))


def link_max_age():
    return datetime.timedelta(days=settings.IPM_FOLLOWUP_LINK_DAYS)


def call_from_token(token):
    """The call a link is for; raises ``signing.SignatureExpired`` / ``signing.BadSignature``,
    ``FollowUpCall.DoesNotExist``."""
    data = signing.TimestampSigner(salt=ANSWER_SALT).unsign_object(token, max_age=link_max_age())
    return FollowUpCall.objects.select_related("dossier__youth").get(pk=data["call"])
