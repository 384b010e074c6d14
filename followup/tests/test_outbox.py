"""The outbox: a message claimed before it is sent, marked sent in its own step right after, never sent
twice — on PostgreSQL and on the embedded SQLite database."""
import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.utils import timezone

from followup import outbox
from followup.enums import Channel, MessageKind, MessageStatus
from followup.models import SentMessage


def record(key="user:1"):
    assert outbox.queue_message(MessageKind.DIGEST, Channel.EMAIL, key, "2026-02-10", "a@exemple.fr", "Texte", "Objet")
    return SentMessage.objects.get(object_key=key)


@pytest.mark.django_db(transaction=True)
def test_a_delivery_while_another_sends_does_not_send_again(settings, monkeypatch):
    """A second worker delivering the same message during the send finds it held: it comes back later
    (after the hold), and then finds it sent."""
    settings.IPM_MESSAGE_SEND_LEASE_SECONDS = 120
    message = record()
    real_send = outbox._send
    during = []

    def send_while_another_delivers(m):
        during.append(outbox.deliver(m.pk))
        real_send(m)

    monkeypatch.setattr(outbox, "_send", send_while_another_delivers)
    assert outbox.deliver(message.pk) == ("sent", None)
    assert len(during) == 1 and during[0][0] == "retry" and 110 <= during[0][1] <= 120
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sending_until) == (MessageStatus.SENT, 1, None)
    assert outbox.deliver(message.pk) == ("skipped", None)  # the retry of the second worker
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sent_is_recorded_even_when_the_database_is_busy_a_moment(monkeypatch):
    """The SQLite database may be locked by another writer right after a send: the « sent » record is
    tried again, not lost (a lost record would mean a second send on the next retry)."""
    message = record()
    real_update = QuerySet.update
    refused = []

    def busy_once(self, **fields):
        if self.model is SentMessage and fields.get("status") == MessageStatus.SENT and not refused:
            refused.append(fields)
            raise OperationalError("database is locked")
        return real_update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", busy_once)
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
    assert outbox.deliver(message.pk) == ("sent", None)
    assert refused
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert outbox.deliver(message.pk) == ("skipped", None)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_held_by_a_dead_worker_is_sent_after_the_hold(settings):
    """A worker killed during a send leaves the message pending and held: another delivery waits for the
    end of the hold, then sends it (the sweep finds it: pending, first attempt long due)."""
    settings.IPM_MESSAGE_SEND_LEASE_SECONDS = 300
    message = record()
    now = timezone.now()
    assert outbox._claim(message.pk, now)  # the dead worker's claim
    outcome, retry_in = outbox.deliver(message.pk)
    assert outcome == "retry" and 290 <= retry_in <= 300
    assert mail.outbox == []
    SentMessage.objects.filter(pk=message.pk).update(sending_until=now - datetime.timedelta(seconds=1),
                                                     created_at=now - datetime.timedelta(hours=1))
    assert list(outbox.pending_to_resend().values_list("pk", flat=True)) == [message.pk]
    assert outbox.deliver(message.pk) == ("sent", None)
    assert [m.to for m in mail.outbox] == [["a@exemple.fr"]]
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_several_recipients_copy_and_attachment_are_sent_as_recorded(eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_message(MessageKind.INVITATION, Channel.EMAIL, "invitation:1", "x", ["a@exemple.fr", "b@exemple.fr"],
                             "Texte", "Objet", cc=["c@exemple.fr"],
                             attachments=[("invitation.ics", "BEGIN:VCALENDAR", "text/calendar")])
    assert SentMessage.objects.get().recipient == "a@exemple.fr, b@exemple.fr"
    [email] = mail.outbox
    assert (email.to, email.cc, email.subject) == (["a@exemple.fr", "b@exemple.fr"], ["c@exemple.fr"], "Objet")
    assert email.attachments == [("invitation.ics", "BEGIN:VCALENDAR", "text/calendar")]


SQLITE_RACE = """
import json, threading
from django.core import mail
from django.db import connection
from followup import outbox
from followup.enums import Channel, MessageKind
from followup.models import SentMessage

outbox.queue_message(MessageKind.DIGEST, Channel.EMAIL, "user:1", "2026-02-10", "a@exemple.fr", "Texte", "Objet")
pk = SentMessage.objects.get().pk
start, outcomes = threading.Barrier(6), []

def deliver():
    start.wait()
    try:
        outcomes.append(outbox.deliver(pk)[0])
    finally:
        connection.close()

threads = [threading.Thread(target=deliver) for _ in range(6)]
[t.start() for t in threads]
[t.join() for t in threads]
again = outbox.deliver(pk)[0]  # a retry, once everything settled
message = SentMessage.objects.get()
print(json.dumps({"outcomes": outcomes, "again": again, "emails": len(mail.outbox),
                  "status": message.status, "attempts": message.attempts}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_the_embedded_sqlite_database_sends_once(tmp_path):
    """The default with nothing installed (SQLite): six deliveries of one message at once, then a retry,
    send it once."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'ipm.sqlite3'}", "IPM_VAR_DIR": str(tmp_path),
           "CELERY_BROKER_URL": "memory://", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300, cwd=settings.BASE_DIR)
    run = subprocess.run([*manage, "shell", "-c", SQLITE_RACE], env=env, check=True, timeout=120,
                         cwd=settings.BASE_DIR, capture_output=True, text=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["emails"] == 1, result
    assert sorted(result["outcomes"]).count("sent") == 1 and set(result["outcomes"]) <= {"sent", "retry", "skipped"}
    assert (result["again"], result["status"], result["attempts"]) == ("skipped", MessageStatus.SENT, 1)
