"""The outbox: every email and SMS the application sends goes through here.

A message is first **recorded** (``queue_message``) as a ``SentMessage`` row under its unique key
*(kind, channel, object, period)*, in the caller's transaction; only the caller that inserted the row
hands it to the worker, once that transaction is committed (``transaction.on_commit``). Recording the
same key again records nothing and sends nothing.

The worker task (``followup.deliver_message``, in ``followup.tasks``) calls ``deliver``, which works in
three short steps, each committed on its own, so that it is sound on PostgreSQL and on the embedded
SQLite database alike:

1. **claim**: one conditional ``UPDATE`` takes the message if it is still pending and nobody holds it
   (``sending_until``): a second delivery of the same message, on another worker, finds it taken;
2. **send**, outside any transaction;
3. **mark sent** right after the send (or record the failure, retried with back-off up to
   ``IPM_MESSAGE_MAX_ATTEMPTS``). A later delivery of a message marked sent skips it.

This module queues by task name and imports no task: ``tasks → calls/reminders → outbox``.
"""
import base64
import datetime
import logging
import math
import time

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from ipm import sms
from ipm.phones import e164

from . import optout
from .enums import Channel, DeliveryStatus, MessageKind, MessageStatus
from .models import SentMessage

log = logging.getLogger(__name__)

DELIVER_TASK = "followup.deliver_message"

# Sent once a message is marked sent (sender=SentMessage, message=the row): what the message was about
# may record it (e.g. the invitation's « invitation envoyée le »).
message_sent = Signal()


def absolute_url(path):
    return settings.IPM_BASE_URL.rstrip("/") + path


def platform_name():
    return settings.IPM_PLATFORM_NAME


def addresses(value):
    """The addresses of a ``recipient`` or ``cc`` field, as a list."""
    return [a.strip() for a in value.split(",") if a.strip()]


def _joined(value):
    return value if isinstance(value, str) else ", ".join(value)


# --- Recording ------------------------------------------------------------------------------------------

def queue_message(kind, channel, object_key, period, recipient, body, subject="", dossier=None, *, cc=(),
                  attachments=(), html=""):
    """Record a message under its unique key and, if this call inserted it, send it after commit.

    ``recipient``: an address or phone number, or a list of email addresses; ``cc``: email addresses;
    ``attachments``: ``(name, content, mimetype)`` triples, the content text or bytes (a spreadsheet, a PDF:
    kept in base64); ``html``: the HTML alternative of an
    email (``body`` is its plain-text part). The row holds all it takes to send it again. Returns True when the message is new
    (False: already recorded, nothing is sent again). An SMS to a number that said « STOP », or to a young
    person who did not accept SMS, is recorded « non envoyé » with the reason, and not sent (False)."""
    refused = ""
    if channel == Channel.SMS:  # numbers are sent and keyed in E.164
        number = e164(recipient)
        refused = (optout.refusal(number, kind) if number
                   else f"SMS non envoyé : numéro de téléphone illisible « {recipient} ».")
        recipient = number or str(recipient)
    try:
        with transaction.atomic():
            message, created = SentMessage.objects.get_or_create(
                kind=kind, channel=channel, object_key=object_key, period=period,
                defaults={
                    "recipient": _joined(recipient), "cc": _joined(cc), "subject": subject[:255], "body": body,
                    "html_body": html if channel == Channel.EMAIL else "", "dossier": dossier,
                    "attachments": [_stored_attachment(n, c, m) for n, c, m in attachments],
                    **({"status": MessageStatus.REFUSED, "last_error": refused} if refused else {}),
                },
            )
    except IntegrityError:  # another worker inserted it between the lookup and the insert
        return False
    if created and refused:
        log.info("SMS %s non envoyé : %s", message.pk, refused)
        return False
    if created:
        transaction.on_commit(lambda: dispatch(message.pk))
    return created


def _stored_attachment(name, content, mimetype):
    if isinstance(content, bytes):  # binary files cannot be JSON text: base64, marked so
        return {"name": name, "content": base64.b64encode(content).decode("ascii"), "mimetype": mimetype,
                "base64": True}
    return {"name": name, "content": content, "mimetype": mimetype}


def dispatch(pk):
    """Hand one recorded message to the worker (the task registered under ``DELIVER_TASK``). If the
    broker cannot take it, the message stays pending and the sweep (``pending_to_resend``) sends it."""
    try:
        current_app.tasks[DELIVER_TASK].delay(pk)
    except Exception as exc:  # noqa: BLE001 — the message is recorded; never fail the user's request for this
        log.warning("Message %s enregistré mais pas confié au worker (%s) : le filet de sécurité l'enverra.", pk, exc)


# --- Sending ----------------------------------------------------------------------------------------------

def retry_delay(attempts):
    """Backoff before the next attempt: base × 2^(attempts-1), capped."""
    base = settings.IPM_MESSAGE_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.IPM_MESSAGE_RETRY_MAX_SECONDS)


def sms_status_url():
    """Where the SMS provider posts this platform's delivery reports and replies ("" when unset)."""
    token = settings.IPM_SMS_WEBHOOK_TOKEN
    return absolute_url(reverse("followup:sms_webhook", args=[token])) if token else ""


class _Email(EmailMultiAlternatives):
    """An attachment whose media type has parameters (``text/calendar; method=REQUEST; charset=utf-8``)
    keeps them as given, the charset once (Django would add its own)."""

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype.split(";", 1)[0].strip())
        if ";" in mimetype:
            text = mimetype.startswith("text/") and "charset=" not in mimetype
            part.replace_header("Content-Type", f"{mimetype}; charset=utf-8" if text else mimetype)
        return part


def _send(message):
    """Send one message; returns the SMS provider's message id (None for an email)."""
    if message.channel == Channel.SMS:
        return sms.send_sms(message.recipient, message.body, tag=message.kind, status_url=sms_status_url())
    email = _Email(message.subject, message.body, to=addresses(message.recipient),
                   cc=addresses(message.cc))
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments or ():
        content = attachment["content"]
        if attachment.get("base64"):
            content = base64.b64decode(content)
        email.attach(attachment["name"], content, attachment["mimetype"])
    email.send(fail_silently=False)


# Messages carrying a secret (a one-time sign-in link, a password-reset link): once sent — or failed for
# good — the stored text is replaced, so that nobody reading the outbox (the admin, a database dump) finds
# a live link; such a message is not offered for « Renvoyer » (its text is gone: the person asks again).
SECRET_REMOVED = {
    MessageKind.SPACE_LINK: "(Texte retiré après l'envoi : il contenait un lien de connexion personnel.)",
    MessageKind.PASSWORD_RESET: "(Lien de réinitialisation du mot de passe, non conservé.)",
}
SECRET_KINDS = frozenset(SECRET_REMOVED)


def scrubbed(kind):
    """The fields that replace a secret message's text once it is sent or failed for good ({} otherwise)."""
    return {"body": SECRET_REMOVED[kind], "html_body": ""} if kind in SECRET_KINDS else {}


def _write(pk, **fields):
    """Update one message in its own committed step. The embedded SQLite database may be busy for a
    moment (another process writing): try again rather than lose what happened."""
    for attempt in range(5):
        try:
            return SentMessage.objects.filter(pk=pk).update(**fields)
        except DatabaseError:
            if connection.in_atomic_block or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _claim(pk, now):
    """Take the message for one send: True if it was pending and nobody else held it."""
    lease = datetime.timedelta(seconds=settings.IPM_MESSAGE_SEND_LEASE_SECONDS)
    free = Q(sending_until__isnull=True) | Q(sending_until__lte=now)
    return bool(SentMessage.objects.filter(free, pk=pk, status=MessageStatus.PENDING)
                .update(attempts=F("attempts") + 1, sending_until=now + lease))


def deliver(pk):
    """Send one recorded message if it is still pending (see the module's docstring). Returns
    ``(outcome, retry_in_seconds)``: "sent"; "skipped" (already sent, failed for good, or gone);
    "retry" (the send failed, or another delivery holds the message now); "failed" (last attempt)."""
    now = timezone.now()
    try:
        claimed = _claim(pk, now)
    except DatabaseError as exc:  # SQLite busy: nothing was claimed nor sent, try again shortly
        if connection.in_atomic_block:
            raise
        log.warning("Message %s : base occupée (%s), nouvel essai.", pk, exc)
        return "retry", retry_delay(1)
    message = SentMessage.objects.filter(pk=pk).first()
    if message is None or message.status != MessageStatus.PENDING:
        return "skipped", None
    if not claimed:  # another delivery is sending it: come back when its hold ends, to find it sent
        return "retry", max(1, math.ceil((message.sending_until - now).total_seconds()))
    refused = optout.refusal(message.recipient, message.kind) if message.channel == Channel.SMS else ""
    if refused:  # « STOP » (or consent withdrawn) between recording and sending
        _write(pk, status=MessageStatus.REFUSED, next_attempt_at=None, sending_until=None, last_error=refused)
        return "skipped", None
    try:
        provider_id = _send(message)
    except Exception as exc:  # noqa: BLE001 — any failure of the backend is recorded and retried
        return _record_failure(message, exc, now)
    sent = dict(status=MessageStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, sending_until=None)
    if provider_id:
        sent.update(provider_id=str(provider_id)[:64], delivery_status=DeliveryStatus.SENT,
                    delivery_status_at=sent["sent_at"], delivery_detail="")
    sent.update(scrubbed(message.kind))  # a sign-in or reset link is not left readable in the outbox
    _write(pk, **sent)
    for receiver, error in message_sent.send_robust(sender=SentMessage, message=message):
        if isinstance(error, Exception):
            log.error("Message %s envoyé ; %s a échoué : %r", pk, receiver, error)
    return "sent", None


def _record_failure(message, exc, now):
    log.warning("Envoi du message %s échoué (tentative %s) : %s", message.pk, message.attempts, exc)
    error = f"{timezone.localtime(now):%d/%m/%Y %H:%M} — {type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= settings.IPM_MESSAGE_MAX_ATTEMPTS or getattr(exc, "permanent", False):
        _write(message.pk, status=MessageStatus.FAILED, next_attempt_at=None, sending_until=None, last_error=error,
               **scrubbed(message.kind))
        return "failed", None
    delay = retry_delay(message.attempts)
    _write(message.pk, next_attempt_at=now + datetime.timedelta(seconds=delay), sending_until=None, last_error=error)
    return "retry", delay


def pending_to_resend(now=None):
    """Pending messages whose delivery is late (lost with a broker restart, or waiting for a retry)."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.IPM_MESSAGE_RESEND_GRACE_SECONDS)
    return SentMessage.objects.filter(status=MessageStatus.PENDING).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=grace)
    )


def resend(message):
    """Staff action on a failed message: give it a fresh round of attempts."""
    SentMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=None, sending_until=None,
        last_error=message.last_error,
    )
    transaction.on_commit(lambda: dispatch(message.pk))
