"""What the SMS provider tells afterwards, through its webhook (Brevo's transactional SMS events):
the delivery reports of each message, the young person's reply, and their unsubscribe.

A report (JSON object) names the message by ``messageId`` (the id the send answered) and says
``msg_status``: ``sent``/``accepted`` → « envoyé », ``delivered`` → « remis », a bounce, ``rejected`` or
``skip`` → « échoué ». A reply (``replied``, its text in ``reply``) that starts with « STOP » and an
``unsubscribe`` event record the number's opt-out (``followup.optout``). ``to`` is the number with its
country code and no « + ». A report never moves a message backwards (a late « envoyé » after « remis »
changes nothing). ``record(payload)`` raises ``BadReport`` for what is not such a report."""
from django.db import transaction
from django.utils import timezone

from . import optout
from .enums import Channel, DeliveryStatus, OptOutSource
from .models import SentMessage

STATUSES = {
    "sent": DeliveryStatus.SENT, "accepted": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "soft_bounce": DeliveryStatus.FAILED, "hard_bounce": DeliveryStatus.FAILED,
    "softBounce": DeliveryStatus.FAILED, "hardBounce": DeliveryStatus.FAILED,
    "soft_bounced": DeliveryStatus.FAILED, "hard_bounced": DeliveryStatus.FAILED,
    "rejected": DeliveryStatus.FAILED, "skip": DeliveryStatus.FAILED, "error": DeliveryStatus.FAILED,
}
REPLY_STATUSES = {"replied", "reply"}
UNSUBSCRIBE_STATUSES = {"unsubscribe", "unsubscribed"}
RANK = {"": 0, DeliveryStatus.SENT: 1, DeliveryStatus.DELIVERED: 2, DeliveryStatus.FAILED: 2}
DETAILS = {"soft_bounce": "échec temporaire", "softBounce": "échec temporaire", "soft_bounced": "échec temporaire",
           "hard_bounce": "numéro injoignable", "hardBounce": "numéro injoignable", "hard_bounced": "numéro injoignable",
           "rejected": "refusé par l'opérateur", "skip": "non envoyé par le fournisseur", "error": "erreur du fournisseur"}


class BadReport(ValueError):
    pass


def number_of(to):
    digits = str(to or "").strip().lstrip("+")
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise BadReport("numéro absent ou illisible")
    return "+" + digits


def record(payload):
    """Apply one report; returns what it did ("status", "stop", "ignored")."""
    if not isinstance(payload, dict):
        raise BadReport("un objet JSON est attendu")
    status = payload.get("msg_status") or payload.get("event")
    if not isinstance(status, str) or not status:
        raise BadReport("msg_status manquant")
    if status in UNSUBSCRIBE_STATUSES:
        optout.record_opt_out(number_of(payload.get("to")), OptOutSource.UNSUBSCRIBE)
        return "stop"
    if status in REPLY_STATUSES:
        text = payload.get("reply") or payload.get("text") or ""
        if not isinstance(text, str):
            raise BadReport("texte de la réponse illisible")
        if optout.is_stop(text):
            optout.record_opt_out(number_of(payload.get("to")), OptOutSource.STOP, text)
            return "stop"
        return "ignored"
    new = STATUSES.get(status)
    if new is None:
        return "ignored"
    message_id = payload.get("messageId")
    if isinstance(message_id, bool) or not isinstance(message_id, (int, str)) or not str(message_id).strip():
        raise BadReport("messageId manquant")
    with transaction.atomic():
        message = (SentMessage.objects.select_for_update()
                   .filter(channel=Channel.SMS, provider_id=str(message_id).strip()).first())
        if message is None:
            return "ignored"
        if RANK[new] < RANK[message.delivery_status] or message.delivery_status == DeliveryStatus.FAILED:
            return "ignored"
        message.delivery_status, message.delivery_status_at = new, timezone.now()
        message.delivery_detail = DETAILS.get(status, "")
        message.save(update_fields=["delivery_status", "delivery_status_at", "delivery_detail"])
    return "status"
