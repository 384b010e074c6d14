"""Exactly once, against the real Redis of the test command and real Celery worker processes.

Each test starts ``celery -A config worker`` subprocesses on a queue of their own, pointed at the test
database (settings ``followup.tests.worker_settings``), with emails and SMS written to files: what the
files hold is what was really sent.
"""
import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from departures.enums import ReminderCadence
from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from followup.optout import give_consent
from followup.contact import set_choice
from followup import tasks
from followup.enums import Channel, ContactChoice, MessageKind, MessageStatus
from followup.tests.factories import returned_dossier
from followup.models import FollowUpCall, SentMessage
from config.celery import app as celery_app

pytestmark = [
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs the real Redis broker of the test command (CELERY_BROKER_URL=redis://…): run `make test`",
    ),
    pytest.mark.django_db(transaction=True),
]

D = datetime.date
ROOT = Path(settings.BASE_DIR)


class Workers:
    """Celery worker subprocesses on one private queue, and what they really sent."""

    def __init__(self, tmp_path):
        self.queue = f"ipm-test-{uuid.uuid4().hex[:10]}"
        self.mail_dir = tmp_path / "mails"
        self.mail_dir.mkdir()
        self.sms_file = tmp_path / "sms.log"
        self.logs = tmp_path
        self.procs = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "followup.tests.worker_settings",
            "IPM_TEST_DB_NAME": connection.settings_dict["NAME"],
            "IPM_TEST_QUEUE": self.queue,
            "IPM_TEST_MAIL_DIR": str(self.mail_dir),
            "IPM_TEST_SMS_FILE": str(self.sms_file),
            "IPM_TEST_SEND_DELAY": "0",
        }

    def start(self, name, send_delay=0.0, concurrency=4):
        env = {**self.env, "IPM_TEST_SEND_DELAY": str(send_delay)}
        log = open(self.logs / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", self.queue, "-n", f"{name}-{self.queue}@%h",
             "-P", "threads", "-c", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-l", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        return self.procs[name]

    def kill(self, name):
        """SIGKILL: the worker dies at once, in the middle of whatever it was doing."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self):
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.client.delete(self.queue)

    def send(self, task, **kwargs):
        task.apply_async(kwargs=kwargs, queue=self.queue)

    def queue_length(self):
        with celery_app.connection_for_write() as conn:
            return conn.default_channel.client.llen(self.queue)

    def emails(self):
        """Every email really sent: (recipient, subject)."""
        sent = []
        for path in self.mail_dir.glob("*.log"):
            for block in path.read_text(encoding="utf-8").split("-" * 79):
                headers = dict(
                    line.split(": ", 1) for line in block.strip().splitlines() if ": " in line and not line.startswith(" ")
                )
                if "Message-ID" in headers:
                    sent.append((headers["To"], headers["Subject"]))
        return sent

    def sms(self):
        return self.sms_file.read_text(encoding="utf-8").splitlines() if self.sms_file.exists() else []

    def log_tail(self):
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.logs.glob("*.log") if p.parent == self.logs)


@pytest.fixture
def workers(transactional_db, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()


def settle(workers, done, timeout=60, quiet=1.5):
    """Wait until ``done()`` holds, the queue is empty and no message is pending, and stays so for
    ``quiet`` seconds (so that a late duplicate would show)."""
    deadline = time.monotonic() + timeout
    calm_since = None
    while time.monotonic() < deadline:
        ok = done() and workers.queue_length() == 0 and not SentMessage.objects.filter(status=MessageStatus.PENDING).exists()
        if ok:
            calm_since = calm_since or time.monotonic()
            if time.monotonic() - calm_since >= quiet:
                return
        else:
            calm_since = None
        time.sleep(0.2)
    pytest.fail(
        f"workers did not finish in {timeout}s: calls={FollowUpCall.objects.count()}, "
        f"messages={list(SentMessage.objects.values_list('kind', 'status'))[:20]}, queue={workers.queue_length()}\n"
        + workers.log_tail()
    )


def make_returned(users, count, return_date, **kwargs):
    return [
        returned_dossier(users["admin"], return_date, counsellor=users["mobility"],
                         email=f"jeune{n}@exemple.fr", phone=f"06 00 00 {n // 100:02d} {n % 100:02d}", **kwargs)
        for n in range(count)
    ]


def test_daily_task_run_twice_the_same_day(users, workers):
    dossiers = make_returned(users, 5, D(2026, 1, 15))
    workers.start("w1")
    workers.send(tasks.daily_followup, day="2026-02-15")
    workers.send(tasks.daily_followup, day="2026-02-15")
    settle(workers, lambda: FollowUpCall.objects.count() >= 5
           and SentMessage.objects.filter(status=MessageStatus.SENT).count() >= 6)
    assert sorted(FollowUpCall.objects.values_list("dossier_id", "month")) == sorted((d.pk, 1) for d in dossiers)
    assert set(FollowUpCall.objects.values_list("assigned_to", flat=True)) == {users["mobility"].pk}
    emails = workers.emails()
    assert len(emails) == 6  # one link per young person, one digest for the counsellor
    assert sorted(to for to, _ in emails) == sorted([f"jeune{n}@exemple.fr" for n in range(5)] + [users["mobility"].email])


def test_two_workers_at_once_send_nothing_twice(users, workers):
    make_returned(users, 8, D(2026, 1, 15))
    abroad = dossier_in_state(State.ABROAD, users["admin"], youth__email="loin@exemple.fr", youth__phone="06 99 99 99 99")
    set_choice(abroad.youth, ContactChoice.BOTH)  # SMS only for whom chose it (followup.contact)
    give_consent(abroad.youth)  # … and accepted SMS (followup.optout)
    StayFactory(dossier=abroad, scheme=SchemeFactory(name="Job", europass_cadence=ReminderCadence.DAILY),
                departure_date=D(2026, 2, 1), return_date=None, planned_end=D(2026, 2, 20))
    # Queue everything first, then start both workers together: they race on the same tasks.
    for _ in range(4):
        workers.send(tasks.daily_followup, day="2026-02-15")
        workers.send(tasks.europass_reminders, day="2026-02-15")
        workers.send(tasks.return_report_reminders, day="2026-02-15")
    workers.start("w1")
    workers.start("w2")
    expected_emails = 8 + 1 + 1 + 1  # links, digest, Europass, return report
    settle(workers, lambda: len(workers.emails()) >= expected_emails and len(workers.sms()) >= 2)
    assert FollowUpCall.objects.count() == 8
    emails = workers.emails()
    assert len(emails) == expected_emails, emails
    assert len(set(emails)) == expected_emails
    assert len(workers.sms()) == 2  # Europass and return report to the young person abroad
    assert SentMessage.objects.count() == expected_emails + 2


def test_six_months_through_the_workers(users, workers):
    """Every day of six months and more, each task sent twice to two workers: six calls per returned
    young person, one weekly Europass reminder per week, one digest per day with work."""
    start, days_count = D(2026, 3, 1), 190
    returned = make_returned(users, 3, D(2026, 3, 3))
    abroad = dossier_in_state(State.ABROAD, users["admin"], youth__email="loin@exemple.fr")
    StayFactory(dossier=abroad, scheme=SchemeFactory(name="OUAT", europass_cadence=ReminderCadence.WEEKLY),
                departure_date=D(2026, 3, 1), return_date=None, planned_end=D(2026, 6, 1))
    days = [start + datetime.timedelta(days=n) for n in range(days_count)]
    for day in days:
        for _ in range(2):
            workers.send(tasks.daily_followup, day=day.isoformat())
            workers.send(tasks.europass_reminders, day=day.isoformat())
    workers.start("w1")
    workers.start("w2")
    weeks = {d.isocalendar()[:2] for d in days if d <= D(2026, 6, 1)}  # Europass only until the planned end
    digest_days = (days[-1] - D(2026, 4, 3)).days + 1
    expected_emails = 3 * 6 + len(weeks) + digest_days
    settle(workers, lambda: len(workers.emails()) >= expected_emails, timeout=120)
    for dossier in returned:
        assert FollowUpCall.objects.filter(dossier=dossier).count() == 6
    sent = SentMessage.objects.all()
    assert sent.filter(kind=MessageKind.EUROPASS).count() == len(weeks)
    assert sent.filter(kind=MessageKind.DIGEST).count() == digest_days
    assert sent.filter(kind=MessageKind.FOLLOWUP_LINK).count() == 18
    emails = workers.emails()
    assert len(emails) == expected_emails
    europass = [e for e in emails if e[0] == "loin@exemple.fr"]
    assert len(europass) == len(weeks)


def test_worker_killed_mid_run_then_restarted_loses_nothing(users, workers):
    count = 24
    make_returned(users, count, D(2026, 1, 15))
    # Slow sends (0.15 s each, 2 at a time): the batch takes a few seconds, the kill lands in it.
    workers.start("w1", send_delay=0.15, concurrency=2)
    workers.send(tasks.daily_followup, day="2026-02-15")
    expected = count + 1  # links + digest
    deadline = time.monotonic() + 60
    while SentMessage.objects.filter(status=MessageStatus.SENT).count() < 5:
        assert time.monotonic() < deadline, workers.log_tail()
        time.sleep(0.05)
    workers.kill("w1")
    sent_at_kill = SentMessage.objects.filter(status=MessageStatus.SENT).count()
    assert sent_at_kill < expected, "the worker finished before being killed: the test proves nothing"
    assert SentMessage.objects.filter(status=MessageStatus.PENDING).exists()

    # Restarted, the worker runs the scheduled tasks again (the daily one, and the sweep of pending messages).
    workers.start("w1-bis")
    workers.send(tasks.daily_followup, day="2026-02-15")
    workers.send(tasks.resend_pending_messages)
    settle(workers, lambda: SentMessage.objects.filter(status=MessageStatus.SENT).count() >= expected, timeout=90)
    assert FollowUpCall.objects.count() == count
    assert SentMessage.objects.count() == expected
    assert SentMessage.objects.filter(status=MessageStatus.SENT).count() == expected
    emails = workers.emails()
    recipients = {to for to, _ in emails}
    assert recipients == {f"jeune{n}@exemple.fr" for n in range(count)} | {users["mobility"].email}
    # At most the sends in flight when the process died (2 at a time) can have gone out twice: a
    # message cannot be both sent by the SMTP server and marked in the same instant.
    assert expected <= len(emails) <= expected + 2


def test_failed_email_is_retried_then_visible_to_staff(users, workers, client_for):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workers.env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)})
    workers.env["DJANGO_SETTINGS_MODULE"] = "followup.tests.worker_settings_smtp"
    make_returned(users, 1, D(2026, 1, 15))
    workers.start("w1")
    workers.send(tasks.daily_followup, day="2026-02-15")
    deadline = time.monotonic() + 60
    while SentMessage.objects.filter(status=MessageStatus.FAILED).count() < 2:
        assert time.monotonic() < deadline, workers.log_tail()
        time.sleep(0.2)
    for message in SentMessage.objects.all():
        assert message.status == MessageStatus.FAILED
        assert message.attempts == 3
        assert "ConnectionRefusedError" in message.last_error
    page = client_for("assistant").get("/suivi/messages/")
    assert page.status_code == 200
    assert "Échec définitif" in page.content.decode()
    assert "jeune0@exemple.fr" in page.content.decode()
    assert Channel.EMAIL == SentMessage.objects.first().channel
