"""The six-month follow-up and the scheduled messages: every operation the views, the Celery tasks and
the commands share.

Everything is derived from the database state of a given day: ``create_due_calls(day)`` creates the
calls that have fallen due by that day, the ``*_messages(day)`` functions record the messages due that
day. Both insert under a unique constraint first (``FollowUpCall``: dossier + month; ``SentMessage``:
kind + channel + object + period), so running them twice, late, or on two workers at once creates
nothing twice and sends nothing twice. A message is sent only by whoever inserted its row, after
commit, by the ``deliver_message`` task; ``deliver`` sends under a row lock and marks it sent.
"""
import calendar
import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from dossiers import workflow
from dossiers.workflow import State
from ipm import sms

from .enums import CallSource, Channel, MessageKind, MessageStatus, Situation, latest_situation, outcome_of
from .models import FollowUpCall, SentMessage

log = logging.getLogger(__name__)

MONTHS = range(1, 7)
# Dossiers whose follow-up calls fall due (a return date is needed too).
FOLLOWUP_STATES = (State.RETURNED, State.FOLLOW_UP, State.INTERRUPTED)
# States from which closing the follow-up is possible.
CLOSABLE_STATES = (State.FOLLOW_UP, State.INTERRUPTED)

ANSWER_SALT = "followup.answer"


def add_months(day, months):
    """``day`` plus a number of calendar months, clamped to the end of the month (31/01 + 1 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(return_date, month):
    return add_months(return_date, month)


def as_day(day=None):
    if day is None:
        return timezone.localdate()
    if isinstance(day, str):
        return datetime.date.fromisoformat(day)
    return day


def absolute_url(path):
    return settings.IPM_BASE_URL.rstrip("/") + path


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
    from .rules import call_date_error  # dates follow the wheel (docs/integrity.md); travels with this function

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
    """Close the dossier at the end of the follow-up through the workflow, with its outcome in the
    event comment. Calls still open are marked done, not reached. ``strict=False``: when the dossier
    cannot be closed now (e.g. still « de retour »), do nothing and return None."""
    from dossiers.models import Dossier

    dossier = Dossier.objects.get(pk=dossier.pk)
    if not workflow.can_apply(dossier, State.CLOSED, user):
        if strict:
            raise FollowUpError(
                f"Le dossier est « {dossier.state_label} » : il ne peut pas être clos maintenant"
                + (" (faites d'abord le bilan de retour)." if dossier.state == State.RETURNED else ".")
            )
        return None
    with transaction.atomic():
        now = timezone.now()
        dossier.followup_calls.filter(done_at__isnull=True).update(
            done_at=now, reached=False, source=CallSource.CLOSING, recorded_by=user, updated_at=now
        )
        return workflow.apply_transition(dossier, State.CLOSED, user, comment=outcome_comment(dossier))


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


# --- Messages: record first, then send ------------------------------------------------------------------

def queue_message(kind, channel, object_key, period, recipient, body, subject="", dossier=None):
    """Record a message under its unique key and, if this call inserted it, send it after commit.
    Returns True when the message is new (False: already recorded, nothing is sent again)."""
    try:
        with transaction.atomic():
            message, created = SentMessage.objects.get_or_create(
                kind=kind, channel=channel, object_key=object_key, period=period,
                defaults={"recipient": recipient, "subject": subject[:255], "body": body, "dossier": dossier},
            )
    except IntegrityError:  # another worker inserted it between the lookup and the insert
        return False
    if created:
        from .tasks import deliver_message

        transaction.on_commit(lambda: deliver_message.delay(message.pk))
    return created


def retry_delay(attempts):
    """Backoff before the next attempt: base × 2^(attempts-1), capped."""
    base = settings.IPM_MESSAGE_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.IPM_MESSAGE_RETRY_MAX_SECONDS)


def _send(message):
    if message.channel == Channel.SMS:
        sms.send_sms(message.recipient, message.body)
    else:
        EmailMessage(message.subject, message.body, to=[message.recipient]).send(fail_silently=False)


def deliver(pk):
    """Send one recorded message if it is still pending, under a row lock (two deliveries of the same
    message wait for each other; the second finds it sent). Returns ``(outcome, retry_in_seconds)``
    with outcome "sent", "skipped", "retry" or "failed"."""
    with transaction.atomic():
        message = SentMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status != MessageStatus.PENDING:
            return "skipped", None
        now = timezone.now()
        message.attempts += 1
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 — any failure of the backend is recorded and retried
            log.warning("Envoi du message %s échoué (tentative %s) : %s", pk, message.attempts, exc)
            message.last_error = f"{timezone.localtime(now):%d/%m/%Y %H:%M} — {type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.IPM_MESSAGE_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
                message.next_attempt_at = None
                message.save()
                return "failed", None
            delay = retry_delay(message.attempts)
            message.next_attempt_at = now + datetime.timedelta(seconds=delay)
            message.save()
            return "retry", delay
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.next_attempt_at = None
        message.save()
        return "sent", None


def pending_to_resend(now=None):
    """Pending messages whose delivery is late (lost with a broker restart, or waiting for a retry)."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.IPM_MESSAGE_RESEND_GRACE_SECONDS)
    return SentMessage.objects.filter(status=MessageStatus.PENDING).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=grace)
    )


def resend(message):
    """Staff action on a failed message: give it a fresh round of attempts."""
    from .tasks import deliver_message

    SentMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=None, last_error=message.last_error
    )
    transaction.on_commit(lambda: deliver_message.delay(message.pk))


# --- What each scheduled task sends --------------------------------------------------------------------

def platform_name():
    return settings.IPM_PLATFORM_NAME


def _to_youth(kind, object_key, period, youth, dossier, subject, email_body, sms_text):
    """Email and SMS (each when the young person has an address / a number)."""
    created = 0
    if youth.email:
        created += queue_message(kind, Channel.EMAIL, object_key, period, youth.email, email_body, subject, dossier)
    if youth.phone and sms_text:
        created += queue_message(kind, Channel.SMS, object_key, period, youth.phone, sms_text, "", dossier)
    return created


def digest_messages(day=None):
    """One email a day to each platform counsellor with calls due that day or overdue."""
    from ipm.models import User

    day = as_day(day)
    created = 0
    counsellors = User.objects.filter(is_active=True, followup_calls__done_at__isnull=True,
                                      followup_calls__due_date__lte=day).exclude(email="").distinct()
    for user in counsellors:
        calls = list(open_calls().filter(assigned_to=user, due_date__lte=day)
                     .select_related("dossier__youth").order_by("due_date", "dossier__youth__last_name"))
        today = [c for c in calls if c.due_date == day]
        late = [c for c in calls if c.due_date < day]
        lines = [f"Bonjour {user.first_name or user.username},", "",
                 f"Vos appels de suivi au {day:%d/%m/%Y} : {len(today)} à faire aujourd'hui, {len(late)} en retard.", ""]

        def describe(call):
            youth = call.dossier.youth
            flag = " — injoignable après plusieurs tentatives" if call.unreachable else ""
            return (f"- {youth} (mois {call.month}, échéance {call.due_date:%d/%m/%Y}, tél. {youth.phone or '—'}){flag}\n"
                    f"  {absolute_url(reverse('followup:record', args=[call.pk]))}")

        if today:
            lines += ["À appeler aujourd'hui :"] + [describe(c) for c in today] + [""]
        if late:
            lines += ["En retard :"] + [describe(c) for c in late] + [""]
        lines += [f"Tous vos appels : {absolute_url(reverse('followup:calls'))}", "", platform_name()]
        created += queue_message(
            MessageKind.DIGEST, Channel.EMAIL, f"user:{user.pk}", day.isoformat(), user.email, "\n".join(lines),
            f"Suivi à six mois : {len(today)} appel(s) aujourd'hui, {len(late)} en retard",
        )
    return created


def followup_link_messages(day=None):
    """To each young person whose monthly follow-up fell due in the last days: the personal link to
    answer it (once per call)."""
    day = as_day(day)
    window = day - datetime.timedelta(days=settings.IPM_FOLLOWUP_LINK_WINDOW_DAYS)
    created = 0
    calls = open_calls().filter(due_date__lte=day, due_date__gte=window,
                                dossier__state__in=FOLLOWUP_STATES).select_related("dossier__youth")
    for call in calls:
        youth = call.dossier.youth
        if not youth.email:
            continue
        body = (
            f"Bonjour {youth.first_name},\n\n"
            f"Il y a {call.month} mois, vous rentriez de votre séjour à l'étranger. Où en êtes-vous aujourd'hui ?\n"
            f"Votre conseiller va vous appeler ; vous pouvez aussi répondre en deux minutes, sans compte, ici :\n\n"
            f"{answer_url(call)}\n\n"
            f"Ce lien personnel est valable {link_max_age().days} jours.\n\n{platform_name()}"
        )
        created += queue_message(MessageKind.FOLLOWUP_LINK, Channel.EMAIL, f"call:{call.pk}", "", youth.email, body,
                                 f"Votre suivi, {call.month} mois après votre retour", call.dossier)
    return created


def europass_period(day, cadence):
    from departures.enums import ReminderCadence

    if cadence == ReminderCadence.DAILY:
        return day.isoformat()
    if cadence == ReminderCadence.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-S{week:02d}"
    return None


def europass_messages(day=None):
    """Remind young people abroad to fill their Europass, at their scheme's cadence: once a day
    (« quotidien ») or once an ISO week (« hebdomadaire »)."""
    from departures.models import Stay

    day = as_day(day)
    created = 0
    stays = (Stay.objects.filter(dossier__state=State.ABROAD, departure_date__lte=day)
             .filter(Q(return_date__isnull=True) | Q(return_date__gt=day))
             .select_related("scheme", "dossier__youth"))
    for stay in stays:
        period = europass_period(day, stay.scheme.europass_cadence)
        if period is None:
            continue
        youth = stay.dossier.youth
        body = (f"Bonjour {youth.first_name},\n\nPensez à compléter votre Europass : notez ce que vous avez appris "
                f"et réalisé{' aujourd’hui' if len(period) == 10 else ' cette semaine'}. Il vous servira à votre retour.\n\n"
                f"Bon séjour !\n{platform_name()}")
        text = f"{platform_name()} : pensez à compléter votre Europass{' aujourd’hui' if len(period) == 10 else ' cette semaine'}. Bon séjour !"
        created += _to_youth(MessageKind.EUROPASS, f"stay:{stay.pk}", period, youth, stay.dossier,
                             "Rappel : complétez votre Europass", body, text)
    return created


def return_report_messages(day=None):
    """A reminder, once per stay, in the days before the planned return: prepare the activity report."""
    from departures.models import Stay

    day = as_day(day)
    horizon = day + datetime.timedelta(days=settings.IPM_RETURN_REMINDER_DAYS)
    created = 0
    stays = (Stay.objects.filter(dossier__state=State.ABROAD, return_date__isnull=True,
                                 planned_end__gte=day, planned_end__lte=horizon)
             .select_related("dossier__youth"))
    for stay in stays:
        youth = stay.dossier.youth
        body = (f"Bonjour {youth.first_name},\n\nVotre retour est prévu le {stay.planned_end:%d/%m/%Y}. "
                f"Pensez à préparer votre rapport d'activité et à compléter votre Europass : nous ferons le bilan "
                f"ensemble à votre retour.\n\n{platform_name()}")
        text = (f"{platform_name()} : retour prévu le {stay.planned_end:%d/%m/%Y}, pensez à préparer votre "
                f"rapport d'activité pour le bilan.")
        created += _to_youth(MessageKind.RETURN_REPORT, f"stay:{stay.pk}", "", youth, stay.dossier,
                             "Votre retour approche : préparez votre rapport d'activité", body, text)
    return created


def meeting_messages(day=None):
    """Two days before a meeting (information collective, interview, preparation), remind each young
    person still invited. Keyed on the invitation and the meeting date: a meeting moved to another day
    gets its own reminder; a missed run catches up the day before."""
    from referrals.meeting_enums import Attendance
    from referrals.models import Invitation

    day = as_day(day)
    created = 0
    invitations = (Invitation.objects.filter(status=Attendance.INVITED, meeting__date__gt=day,
                                             meeting__date__lte=day + datetime.timedelta(days=2))
                   .select_related("meeting", "dossier__youth"))
    for invitation in invitations:
        meeting, youth = invitation.meeting, invitation.dossier.youth
        where = meeting.place or meeting.video_link or "lieu communiqué dans votre invitation"
        label = meeting.title or meeting.get_kind_display()
        when = f"le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"
        body = (f"Bonjour {youth.first_name},\n\nNous vous rappelons votre rendez-vous : {label}, {when}.\n"
                f"Lieu : {where}\n\nEn cas d'empêchement, prévenez-nous.\n\n{platform_name()}")
        text = f"{platform_name()} : rappel, {label} {when} ({where})."
        created += _to_youth(MessageKind.MEETING, f"invitation:{invitation.pk}", meeting.date.isoformat(), youth,
                             invitation.dossier, f"Rappel : {label} {when}", body, text)
    return created


def commission_messages(day=None):
    """Two days before a planned commission, remind each young person whose dossier is on its agenda
    and not yet decided. Keyed on the agenda line and the session date."""
    from dossiers.enums import CommissionStatus
    from dossiers.models import CommissionReview

    day = as_day(day)
    created = 0
    reviews = (CommissionReview.objects.filter(decision="", session__status=CommissionStatus.PLANNED,
                                               session__date__gt=day,
                                               session__date__lte=day + datetime.timedelta(days=2))
               .select_related("session", "dossier__youth"))
    for review in reviews:
        session, youth = review.session, review.dossier.youth
        when = f"le {session.date:%d/%m/%Y}" + (f" à {session.time:%H:%M}" if session.time else "")
        where = session.place or "lieu communiqué par votre conseiller"
        body = (f"Bonjour {youth.first_name},\n\nVotre dossier de mobilité passe en commission {when}.\n"
                f"Lieu : {where}\n\nVotre conseiller vous tiendra informé de la décision.\n\n{platform_name()}")
        text = f"{platform_name()} : votre dossier passe en commission {when} ({where})."
        created += _to_youth(MessageKind.MEETING, f"review:{review.pk}", session.date.isoformat(), youth,
                             review.dossier, f"Rappel : commission {when}", body, text)
    return created
