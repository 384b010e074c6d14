import datetime

import pytest
import time_machine
from django.core import mail, signing

from departures.enums import ReminderCadence
from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import dossier_in_state
from dossiers.models import DossierEvent
from dossiers.workflow import State
from followup.optout import give_consent
from followup.contact import set_choice
from followup import calls, outbox, tasks
from followup.enums import CallSource, Channel, ContactChoice, MessageKind, MessageStatus, Situation
from followup.tests.factories import returned_dossier
from followup.models import FollowUpCall, SentMessage

from .conftest import at

D = datetime.date


def test_add_months_clamps_to_month_end():
    assert calls.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert calls.add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert calls.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


@pytest.mark.django_db
def test_due_calls_created_once_and_assigned_to_platform_counsellor(users):
    admin, mobility = users["admin"], users["mobility"]
    returned = returned_dossier(admin, D(2026, 1, 10), counsellor=mobility)
    back = returned_dossier(admin, D(2026, 3, 20), state=State.RETURNED, counsellor=mobility)
    # Not followed: still abroad, or closed.
    abroad = dossier_in_state(State.ABROAD, admin)
    StayFactory(dossier=abroad, return_date=None)
    closed = dossier_in_state(State.CLOSED, admin)
    StayFactory(dossier=closed, return_date=D(2026, 1, 10))

    assert calls.create_due_calls(D(2026, 4, 20)) == 3 + 1
    assert calls.create_due_calls(D(2026, 4, 20)) == 0  # a second run creates nothing
    made = FollowUpCall.objects.order_by("dossier_id", "month")
    assert [(c.dossier_id, c.month, c.due_date) for c in made] == [
        (returned.pk, 1, D(2026, 2, 10)), (returned.pk, 2, D(2026, 3, 10)), (returned.pk, 3, D(2026, 4, 10)),
        (back.pk, 1, D(2026, 4, 20)),
    ]
    assert {c.assigned_to for c in made} == {mobility}
    # Nothing is created ahead of time: months 4 to 6 appear when they fall due.
    assert calls.create_due_calls(D(2026, 12, 31)) == 3 + 5
    assert FollowUpCall.objects.filter(dossier=returned).count() == 6


@pytest.mark.django_db
def test_not_reached_counts_attempts_and_flags_unreachable(users, settings):
    settings.IPM_FOLLOWUP_MAX_ATTEMPTS = 3
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"])
    calls.create_due_calls(D(2026, 2, 10))
    call = FollowUpCall.objects.get(dossier=dossier, month=1)
    for expected in (1, 2):
        call, _ = calls.record_call(call, users["mobility"], reached=False, notes="Messagerie")
        assert call.attempts == expected and not call.unreachable and call.done_at is None
    call, _ = calls.record_call(call, users["mobility"], reached=False)
    assert call.unreachable
    call, _ = calls.record_call(call, users["mobility"], reached=True, situation=Situation.CDD_SHORT, employer="Carrefour")
    assert call.done_at and call.reached and not call.unreachable and call.attempts == 4
    assert call.notes.count("Messagerie") == 2


@pytest.mark.django_db
def test_month_six_reached_closes_dossier_with_outcome(users):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"])
    calls.create_due_calls(D(2026, 7, 10))
    by_month = {c.month: c for c in dossier.followup_calls.all()}
    for month, situation in [(1, Situation.JOB_SEEKING), (2, Situation.TRAINING), (3, Situation.TRAINING)]:
        calls.record_call(by_month[month], users["mobility"], reached=True, situation=situation)
    calls.record_call(by_month[4], users["mobility"], reached=False)
    _, event = calls.record_call(by_month[6], users["mobility"], reached=True, situation=Situation.STUDIES)
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    # A qualifying training at months 2–3 does not count: the outcome is the situation at six months.
    assert event.comment == "Suivi à six mois terminé — situation à six mois : Études. Pas de sortie positive."
    assert DossierEvent.objects.filter(dossier=dossier, to_state=State.CLOSED).count() == 1
    # A month tried but never reached is closed « non joint »; a month never tried « non réalisé ».
    assert set(dossier.followup_calls.filter(reached=False).values_list("month", "source")) == {
        (4, CallSource.CLOSING)}
    assert set(dossier.followup_calls.filter(reached__isnull=True).values_list("month", "source")) == {
        (5, CallSource.CLOSING)}
    assert not dossier.followup_calls.filter(done_at__isnull=True).exists()


@pytest.mark.django_db
def test_closing_refused_before_return_review(users):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), state=State.RETURNED, counsellor=users["mobility"])
    calls.create_due_calls(D(2026, 7, 10))
    call = dossier.followup_calls.get(month=6)
    _, event = calls.record_call(call, users["mobility"], reached=True, situation=Situation.CDI)
    assert event is None
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    with pytest.raises(calls.FollowUpError, match="bilan de retour"):
        calls.close_followup(dossier, users["mobility"])


@pytest.mark.django_db
def test_answer_token_round_trip_and_expiry(users, settings):
    settings.IPM_FOLLOWUP_LINK_DAYS = 30
    dossier = returned_dossier(users["admin"], D(2026, 1, 10))
    calls.create_due_calls(D(2026, 2, 10))
    call = dossier.followup_calls.get()
    with time_machine.travel(at(D(2026, 2, 10)), tick=False):
        token = calls.answer_token(call)
    with time_machine.travel(at(D(2026, 3, 1)), tick=False):
        assert calls.call_from_token(token) == call
    with time_machine.travel(at(D(2026, 3, 20)), tick=False), pytest.raises(signing.SignatureExpired):
        calls.call_from_token(token)
    with pytest.raises(signing.BadSignature):
        calls.call_from_token(token[:-2] + "xx")


@pytest.mark.django_db(transaction=True)
def test_message_recorded_once_then_sent_once(users, eager_celery, sms_file):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"],
                               email="lea@exemple.fr", phone="06 11 22 33 44")
    for _ in range(2):
        tasks.daily_followup(day="2026-02-10")
    assert FollowUpCall.objects.count() == 1
    assert SentMessage.objects.filter(status=MessageStatus.SENT).count() == 2  # link to the youth + digest
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@exemple.fr", users["mobility"].email]
    link = next(m for m in mail.outbox if m.to == ["lea@exemple.fr"])
    assert "/suivi/reponse/" in link.body
    digest = next(m for m in mail.outbox if m.to == [users["mobility"].email])
    assert "1 appel(s) aujourd'hui, 0 en retard" in digest.subject
    assert str(dossier.youth) in digest.body
    # The next day: the call is overdue, a new digest; the link is not sent again.
    tasks.daily_followup(day="2026-02-11")
    assert len(mail.outbox) == 3
    assert "0 appel(s) aujourd'hui, 1 en retard" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_failed_send_is_retried_with_backoff_then_failed(users, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on: a real connection failure
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.IPM_MESSAGE_MAX_ATTEMPTS = 3
    settings.IPM_MESSAGE_RETRY_BASE_SECONDS = 60
    assert outbox.queue_message(MessageKind.DIGEST, Channel.EMAIL, "user:1", "2026-02-10", "a@exemple.fr", "Texte", "Objet")
    message = SentMessage.objects.get()
    assert outbox.deliver(message.pk) == ("retry", 60)
    assert outbox.deliver(message.pk) == ("retry", 120)
    assert outbox.deliver(message.pk) == ("failed", None)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error
    assert outbox.deliver(message.pk) == ("skipped", None)


@pytest.mark.django_db(transaction=True)
def test_six_months_in_time(users, eager_celery, sms_file):
    """Day after day across six months: exactly six calls per returned young person, one digest per
    counsellor per day with work, one Europass reminder per due period, one return reminder per stay."""
    admin, mobility = users["admin"], users["mobility"]
    start = D(2026, 3, 1)
    a = returned_dossier(admin, D(2026, 3, 5), counsellor=mobility, email="a@exemple.fr")
    b = returned_dossier(admin, D(2026, 3, 31), state=State.RETURNED, counsellor=mobility, email="b@exemple.fr")
    weekly = dossier_in_state(State.ABROAD, admin, youth__email="w@exemple.fr", youth__phone="06 00 00 00 01")
    set_choice(weekly.youth, ContactChoice.BOTH)  # SMS only for whom chose it (followup.contact)
    give_consent(weekly.youth)  # … and accepted SMS (followup.optout)
    StayFactory(dossier=weekly, scheme=SchemeFactory(name="OUAT", europass_cadence=ReminderCadence.WEEKLY),
                departure_date=D(2026, 3, 1), return_date=None, planned_end=D(2026, 5, 31))
    daily = dossier_in_state(State.ABROAD, admin, youth__email="d@exemple.fr")
    StayFactory(dossier=daily, scheme=SchemeFactory(name="Chantier", europass_cadence=ReminderCadence.DAILY),
                departure_date=D(2026, 4, 1), return_date=None, planned_end=D(2026, 4, 21))
    days = [start + datetime.timedelta(days=n) for n in range(250)]
    for day in days:
        with time_machine.travel(at(day), tick=False):
            for _ in range(2):  # every task runs twice each day
                tasks.daily_followup()
                tasks.europass_reminders()
                tasks.return_report_reminders()
    assert FollowUpCall.objects.filter(dossier=a).count() == 6
    assert FollowUpCall.objects.filter(dossier=b).count() == 6
    assert list(FollowUpCall.objects.filter(dossier=b).values_list("due_date", flat=True)) == [
        D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30), D(2026, 7, 31), D(2026, 8, 31), D(2026, 9, 30)]
    sent = SentMessage.objects.all()
    assert sent.exclude(status=MessageStatus.SENT).count() == 0
    assert sent.filter(kind=MessageKind.FOLLOWUP_LINK).count() == 12
    # Europass: only while the stay is in progress (departure to planned end, no return recorded): one per
    # ISO week for the weekly stay, none once its planned end has passed without a return.
    weekly_weeks = {d.isocalendar()[:2] for d in days if d <= D(2026, 5, 31)}
    assert sent.filter(kind=MessageKind.EUROPASS, object_key=f"stay:{weekly.stay.pk}", channel=Channel.EMAIL).count() == len(weekly_weeks)
    assert sent.filter(kind=MessageKind.EUROPASS, object_key=f"stay:{weekly.stay.pk}", channel=Channel.SMS).count() == len(weekly_weeks)
    assert sent.filter(kind=MessageKind.EUROPASS, object_key=f"stay:{daily.stay.pk}").count() == 21
    # Return report: once per stay abroad with a planned end in the window.
    assert sent.filter(kind=MessageKind.RETURN_REPORT, channel=Channel.EMAIL).count() == 2
    # Digest: one per day on which the counsellor had calls due or overdue (all open here).
    first_due = D(2026, 4, 5)
    assert sent.filter(kind=MessageKind.DIGEST).count() == (days[-1] - first_due).days + 1
    assert len(mail.outbox) == sent.filter(channel=Channel.EMAIL).count()
    assert len(sms_file.read_text().splitlines()) == sent.filter(channel=Channel.SMS).count()


@pytest.mark.django_db(transaction=True)
def test_meeting_reminder_two_days_before(users, eager_celery):
    from referrals.models import Invitation, Meeting

    dossier = dossier_in_state(State.INVITED, users["admin"], youth__email="ic@exemple.fr")
    meeting = Meeting.objects.create(date=D(2026, 5, 12), start_time=datetime.time(14), place="Salle 2, Saint-Étienne")
    Invitation.objects.create(meeting=meeting, dossier=dossier)
    for day in ("2026-05-08", "2026-05-09", "2026-05-10", "2026-05-10", "2026-05-11", "2026-05-12"):
        tasks.meeting_reminders(day=day)
    assert [m.to for m in mail.outbox] == [["ic@exemple.fr"]]
    assert "12/05/2026 à 14:00" in mail.outbox[0].body and "Salle 2" in mail.outbox[0].body
    # Moved to another day: a reminder for the new date.
    Meeting.objects.filter(pk=meeting.pk).update(date=D(2026, 5, 20))
    tasks.meeting_reminders(day="2026-05-18")
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_commission_reminder_two_days_before(users, eager_celery):
    from dossiers.models import CommissionReview, CommissionSession

    dossier = dossier_in_state(State.IN_COMMISSION, users["admin"], youth__email="com@exemple.fr")
    session = CommissionSession.objects.create(date=D(2026, 6, 4), time=datetime.time(9, 30), place="Siège")
    CommissionReview.objects.create(session=session, dossier=dossier)
    for day in ("2026-06-01", "2026-06-02", "2026-06-02", "2026-06-03", "2026-06-04"):
        tasks.meeting_reminders(day=day)
    assert [m.to for m in mail.outbox] == [["com@exemple.fr"]]
    assert "commission le 04/06/2026 à 09:30" in mail.outbox[0].body


@pytest.mark.django_db
def test_periodic_tasks_are_data():
    from django_celery_beat.models import PeriodicTask

    tasks_by_name = dict(PeriodicTask.objects.values_list("task", "enabled"))
    for name in ("followup.daily_followup", "followup.europass_reminders", "followup.return_report_reminders",
                 "followup.meeting_reminders", "followup.resend_pending_messages"):
        assert tasks_by_name.get(name) is True
    from config.celery import app

    app.loader.import_default_modules()
    assert {n for n in tasks_by_name if n.startswith("followup.")} <= set(app.tasks)


@pytest.mark.django_db
def test_open_calls_follow_the_dossier_counsellor(users):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"])
    other = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=None)
    calls.create_due_calls(D(2026, 3, 10))
    calls.record_call(dossier.followup_calls.get(month=1), users["mobility"], reached=True, situation=Situation.CDI)
    type(dossier).objects.filter(pk=dossier.pk).update(platform_counsellor=users["assistant"])
    calls.create_due_calls(D(2026, 3, 11))
    assert dict(dossier.followup_calls.values_list("month", "assigned_to")) == {
        1: users["mobility"].pk, 2: users["assistant"].pk}  # the call already made keeps its author
    assert set(other.followup_calls.values_list("assigned_to", flat=True)) == {None}
