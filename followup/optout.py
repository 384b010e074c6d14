"""Who may receive an SMS: the young person's consent (« J'accepte de recevoir des SMS », on the fiche or
in their space: ``Youth.sms_consent_at``) and their « STOP » (``SmsOptOut``, by number).

``refusal(number, kind)`` is asked by the outbox when it records an SMS and again just before sending it:
a number that said STOP receives nothing more; a number no consenting young person has receives nothing
either, except the sign-in link the person asks for on the space's sign-in page (``REQUESTED_KINDS``):
typing one's number to get a link by SMS is asking for that SMS. ``followup.contact`` asks
``sms_allowed(youth)`` first, so that a young person who cannot get SMS is told by email instead.
"""
import re

from django.db import transaction
from django.utils import timezone

from dossiers.models import Youth
from ipm.phones import e164

from .enums import MessageKind, OptOutSource
from .models import SmsOptOut

REQUESTED_KINDS = frozenset({MessageKind.SPACE_LINK})

# « STOP », « Stop. », « stop sms », « ARRET »: the words carriers and the CNIL's guidance treat as an opt-out.
STOP_RE = re.compile(r"^\s*(stop|arr[eê]t|arreter|arrêter|desinscription|désinscription)\b", re.IGNORECASE)


def is_stop(text):
    return bool(STOP_RE.match(text or ""))


def opted_out(number):
    number = e164(number)
    return SmsOptOut.objects.filter(phone=number).first() if number else None


def record_opt_out(number, source=OptOutSource.STOP, text=""):
    """Record that ``number`` wants no more SMS (once; the first date stays)."""
    with transaction.atomic():
        opt_out, _ = SmsOptOut.objects.get_or_create(phone=e164(number) or str(number), defaults={"source": source, "text": text[:160]})
    return opt_out


def give_consent(youth):
    """The young person agrees to SMS (their space): dated now, and a former « STOP » of their number lifted."""
    youth.sms_consent_at = timezone.now()
    youth.save(update_fields=["sms_consent_at", "updated_at"])
    if youth.phone:
        SmsOptOut.objects.filter(phone=e164(youth.phone)).delete()


def withdraw_consent(youth):
    youth.sms_consent_at = None
    youth.save(update_fields=["sms_consent_at", "updated_at"])


def sms_allowed(youth):
    """A phone on file, consent given, and no « STOP » from that number."""
    return bool(e164(youth.phone)) and youth.sms_consent_at is not None and opted_out(youth.phone) is None


def refusal(number, kind):
    """Why no SMS may go to ``number`` now (a French sentence for the messages page), or ""."""
    opt_out = opted_out(number)
    if opt_out is not None:
        return (f"SMS non envoyé : ce numéro a demandé à ne plus recevoir de SMS "
                f"({opt_out.get_source_display().lower()}, le {timezone.localtime(opt_out.created_at):%d/%m/%Y}).")
    if kind not in REQUESTED_KINDS and not Youth.objects.filter(phone=e164(number), sms_consent_at__isnull=False).exists():
        return "SMS non envoyé : le jeune n'a pas accepté de recevoir des SMS (« J'accepte de recevoir des SMS »)."
    return ""
