"""What is due to be sent, derived from the database state of a given day: the young people's answer
links, the counsellors' digests, the Europass, return-report, meeting and commission reminders.

Each ``*_messages(day)`` function records the messages due that day in the outbox under their unique
key (``followup.outbox.queue_message``): run twice, late, or on two workers at once, it records and
sends nothing twice. Returns how many messages it recorded.
"""
import datetime

from django.conf import settings
from django.urls import reverse

from dossiers.workflow import FOLLOWUP_STATES, State

from .calls import answer_url, as_day, link_max_age, open_calls
from .contact import fit_sms, render_email, space_url, tell_youth, youth_channels
from .enums import Channel, MessageKind
from .mail import render_staff_email
from .outbox import absolute_url, platform_name, queue_message


def _to_youth(kind, object_key, period, youth, dossier, subject, template, context, sms_text):
    """Email (``followup/email/<template>``) and/or SMS, by the young person's choice
    (``contact.youth_channels``), each with the link into their space."""
    created = 0
    channels = youth_channels(youth)
    link = space_url()
    if Channel.EMAIL in channels:
        text, html = render_email(template, {**context, "youth": youth, "dossier": dossier, "link": link,
                                             "link_label": "Votre espace"})
        created += queue_message(kind, Channel.EMAIL, object_key, period, youth.email, text, subject, dossier,
                                 html=html)
    if Channel.SMS in channels and sms_text:
        created += queue_message(kind, Channel.SMS, object_key, period, youth.phone, fit_sms(sms_text, link), "",
                                 dossier)
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
        text, html = render_staff_email(lines, absolute_url(reverse("followup:calls")), "Tous vos appels")
        created += queue_message(
            MessageKind.DIGEST, Channel.EMAIL, f"user:{user.pk}", day.isoformat(), user.email, text,
            f"Suivi à six mois : {len(today)} appel(s) aujourd'hui, {len(late)} en retard", html=html,
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
        created += tell_youth(
            MessageKind.FOLLOWUP_LINK, f"call:{call.pk}", "", call.dossier, template="followup_link",
            subject=f"Votre suivi, {call.month} mois après votre retour", copy=False,
            context={"call": call, "days": link_max_age().days},
            sms=f"où en êtes-vous, {call.month} mois après votre retour ? Répondez en deux minutes :",
            link=answer_url(call), link_label="Répondre à mon suivi",
        )
    return created


def departure_messages(day=None):
    """A week before the planned departure (``IPM_DEPARTURE_REMINDER_DAYS``, 7), to the young person
    accepted and not gone yet, copy to the counsellor. Keyed on the stay and the planned date: a departure
    moved to another day gets its own reminder; a missed run catches up until the day before."""
    from departures.models import Stay
    from dossiers.workflow import CONTRACT_STATES

    day = as_day(day)
    horizon = day + datetime.timedelta(days=getattr(settings, "IPM_DEPARTURE_REMINDER_DAYS", 7))
    created = 0
    stays = (Stay.objects.filter(dossier__state__in=CONTRACT_STATES, departure_date__isnull=True,
                                 planned_start__gt=day, planned_start__lte=horizon)
             .select_related("dossier__youth", "dossier__referring_counsellor"))
    for stay in stays:
        destination = ", ".join(part for part in (stay.city, stay.country.name if stay.country else "") if part)
        created += tell_youth(
            MessageKind.DEPARTURE, f"stay:{stay.pk}", stay.planned_start.isoformat(), stay.dossier,
            template="departure", subject=f"Votre départ approche : le {stay.planned_start:%d/%m/%Y}",
            context={"stay": stay, "destination": destination},
            sms=f"votre départ approche (le {stay.planned_start:%d/%m/%Y}). Vérifiez ce qu'il vous reste à faire :",
            link=space_url("space:dossier", stay.dossier_id), link_label="Voir ce qu'il me reste à faire",
        )
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
    (« quotidien ») or once an ISO week (« hebdomadaire »), from the departure to the planned end."""
    from departures.models import Stay

    day = as_day(day)
    created = 0
    # Only during a stay in progress: departed, planned end not passed, no return recorded. A stay past its
    # planned end with no return stops here and waits in the work list « Retours à enregistrer ».
    stays = (Stay.objects.filter(dossier__state=State.ABROAD, departure_date__lte=day, planned_end__gte=day,
                                 return_date__isnull=True)
             .select_related("scheme", "dossier__youth"))
    for stay in stays:
        period = europass_period(day, stay.scheme.europass_cadence)
        if period is None:
            continue
        youth = stay.dossier.youth
        when = "aujourd’hui" if len(period) == 10 else "cette semaine"
        text = f"{platform_name()} : pensez à compléter votre Europass {when}. Bon séjour !"
        created += _to_youth(MessageKind.EUROPASS, f"stay:{stay.pk}", period, youth, stay.dossier,
                             "Rappel : complétez votre Europass", "europass", {"when": when}, text)
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
        text = (f"{platform_name()} : retour prévu le {stay.planned_end:%d/%m/%Y}, pensez à préparer votre "
                f"rapport d'activité pour le bilan.")
        created += _to_youth(MessageKind.RETURN_REPORT, f"stay:{stay.pk}", "", youth, stay.dossier,
                             "Votre retour approche : préparez votre rapport d'activité", "return_report",
                             {"stay": stay}, text)
    return created


def meeting_messages(day=None):
    """Two days before a meeting (information collective, interview, preparation), remind each young
    person still invited. Keyed on the invitation and the meeting date: a meeting moved to another day
    gets its own reminder; a missed run catches up the day before."""
    from referrals.meeting_enums import Attendance
    from referrals.models import Invitation

    day = as_day(day)
    created = 0
    # Withdrawn invitations (status « retirée ») and cancelled meetings get no reminder.
    invitations = (Invitation.objects.filter(status=Attendance.INVITED, meeting__cancelled_at__isnull=True,
                                             meeting__date__gt=day,
                                             meeting__date__lte=day + datetime.timedelta(days=2))
                   .select_related("meeting", "dossier__youth"))
    for invitation in invitations:
        meeting, youth = invitation.meeting, invitation.dossier.youth
        where = meeting.place or meeting.video_link or "lieu communiqué dans votre invitation"
        label = meeting.title or meeting.get_kind_display()
        when = f"le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"
        text = f"{platform_name()} : rappel, {label} {when} ({where})."
        created += _to_youth(MessageKind.MEETING, f"invitation:{invitation.pk}", meeting.date.isoformat(), youth,
                             invitation.dossier, f"Rappel : {label} {when}", "meeting_reminder",
                             {"label": label, "when": when, "where": where}, text)
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
        text = f"{platform_name()} : votre dossier passe en commission {when} ({where})."
        created += _to_youth(MessageKind.MEETING, f"review:{review.pk}", session.date.isoformat(), youth,
                             review.dossier, f"Rappel : commission {when}", "commission_reminder",
                             {"when": when, "where": where}, text)
    return created
