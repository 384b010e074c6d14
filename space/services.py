"""The young person's space: their account, the sign-in link, what they see and what they answer.

Everything a young person reaches goes through ``youth_of(user)`` and the querysets below, scoped to
that one young person: another young person's dossier, invitation or contract is a 404.
"""
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from departures.models import Contract
from dossiers.models import Dossier, Youth
from dossiers.workflow import FOLLOWUP_STATES
from followup.contact import fit_sms
from followup.enums import Channel, MessageKind
from followup.models import FollowUpCall
from followup.mail import render_email
from followup.outbox import queue_message
from ipm.enums import Role
from ipm.models import User
from referrals.meeting_enums import Attendance
from referrals.models import Invitation

from .acceptance_pdf import attach_accepted_pdf
from .models import (
    Answer, ContractAcceptance, InvitationAnswer, RectificationRequest, RectificationStatus, YouthAccount,
)

# The outbox kind of the sign-in link (recorded with every other email and SMS).
LINK_KIND = MessageKind.SPACE_LINK
SAME_ANSWER = "Si cette adresse est connue, un lien de connexion vient de vous être envoyé. Il est valable 30 minutes."


class SpaceError(Exception):
    """A refused action; the message is French and meant for the young person."""


# --- The account and the sign-in link -------------------------------------------------------------------


def account_for(youth):
    """The young person's account, created on first use: a ``User`` of role « Jeune » with no usable
    password and no personal data but the first name (shown in the menu)."""
    account = YouthAccount.objects.select_related("user").filter(youth=youth).first()
    if account is not None:
        if account.user.first_name != youth.first_name[:150]:
            account.user.first_name = youth.first_name[:150]
            account.user.save(update_fields=["first_name"])
        return account
    try:
        with transaction.atomic():
            user = User(username=f"jeune-{youth.pk}", role=Role.YOUTH, first_name=youth.first_name[:150])
            user.set_unusable_password()
            user.save()
            return YouthAccount.objects.create(user=user, youth=youth)
    except IntegrityError:  # created at the same moment by another request (a double click): that one
        return YouthAccount.objects.select_related("user").get(youth=youth)


def youth_of(user):
    """The ``Youth`` the signed-in user is; anyone else (staff, an administrator) is refused."""
    account = getattr(user, "youth_account", None) if user.is_authenticated else None
    if account is None or user.role != Role.YOUTH:
        raise PermissionDenied("Cet espace est celui des jeunes accompagnés.")
    return account.youth


def normalise_phone(value):
    """Digits only, +33 / 0033 written as 0: « 06 12 34 56 78 » and « +33612345678 » are one number."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def youths_for_address(address):
    """The young people (with at least one dossier) whose email or phone on file is ``address``."""
    address = (address or "").strip()
    if not address:
        return []
    with_dossier = Youth.objects.filter(dossiers__isnull=False).distinct()
    if "@" in address:
        return list(with_dossier.filter(email__iexact=address))
    phone = normalise_phone(address)
    if len(phone) < 6:
        return []
    # Phones are stored as typed: strip the usual separators in the query, compare the digits in Python.
    bare = Replace(Replace(Replace(Replace("phone", Value(" "), Value("")), Value("."), Value("")),
                           Value("-"), Value("")), Value("\u00a0"), Value(""))
    candidates = with_dossier.exclude(phone="").annotate(bare_phone=bare).filter(bare_phone__endswith=phone[-6:])
    return [youth for youth in candidates if normalise_phone(str(youth.phone)) == phone]


def link_url(user):
    return settings.IPM_BASE_URL.rstrip("/") + reverse("space:link") + get_query_string(user)


def send_link(youth):
    """Send the young person a sign-in link through the outbox: by email, or by SMS when they have a
    phone and no email. Returns the channel used (None: nothing on file to send to)."""
    if youth.email:
        channel, recipient = Channel.EMAIL, youth.email
    elif youth.phone:
        channel, recipient = Channel.SMS, youth.phone
    else:
        return None
    account = account_for(youth)
    url = link_url(account.user)
    name = settings.IPM_PLATFORM_NAME
    now = timezone.now()
    html = ""
    if channel == Channel.EMAIL:
        body, html = render_email("space_link", {"youth": youth, "url": url})
        subject = "Votre lien de connexion à votre espace"
    else:
        body = fit_sms("votre lien pour entrer dans votre espace (30 min, une fois) :", url, head=f"{name} : ")
        subject = ""
    dossier = youth.dossiers.order_by("-received_on", "-pk").first()
    # Each link is a message of its own: the period is the moment it was asked for.
    queue_message(LINK_KIND, channel, f"youth:{youth.pk}", now.strftime("%Y%m%d%H%M%S%f"), recipient, body,
                  subject, dossier, html=html)
    YouthAccount.objects.filter(pk=account.pk).update(last_link_sent_at=now)
    return channel


def _hits(key):
    """Count one more request under ``key`` in the current window; return the count."""
    window = settings.IPM_SPACE_LINK_WINDOW
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allow_link_request(address, ip):
    """False once the address or the IP address asked more than the limit in the window."""
    folded = normalise_phone(address) if "@" not in (address or "") else address.strip().lower()
    digest = hashlib.sha256(folded.encode()).hexdigest()[:32]
    by_address = _hits(f"space:link:address:{digest}")
    by_ip = _hits(f"space:link:ip:{ip or 'inconnue'}")
    limit = settings.IPM_SPACE_LINK_LIMIT
    return by_address <= limit and by_ip <= limit


def request_link(address, ip):
    """The sign-in page: send a link to every young person on file with that address, unless the rate
    limit is reached. Returns False when limited (the page gives the same answer either way)."""
    if not allow_link_request(address, ip):
        return False
    for youth in youths_for_address(address):
        send_link(youth)
    return True


# --- What the young person sees --------------------------------------------------------------------------


def dossiers_of(youth):
    return Dossier.objects.filter(youth=youth).select_related("scheme", "structure").order_by("-received_on", "-pk")


def invitations_of(youth):
    return (Invitation.objects.filter(dossier__youth=youth).select_related("meeting", "dossier", "youth_answer")
            .order_by("meeting__date", "meeting__start_time"))


def contracts_of(youth):
    return Contract.objects.filter(dossier__youth=youth).select_related("dossier", "online_acceptance")


def calls_of(youth):
    """The young person's monthly follow-up calls (the question « Où en êtes-vous ? » of each month)."""
    return FollowUpCall.objects.filter(dossier__youth=youth).select_related("dossier").order_by("due_date", "pk")


def can_answer_call(call, today=None):
    """A month's question is answered from the space once it fell due, while the follow-up goes on and
    nobody recorded it yet."""
    today = today or timezone.localdate()
    return call.done_at is None and call.due_date <= today and call.dossier.state in FOLLOWUP_STATES


def rectifications_of(youth):
    return RectificationRequest.objects.filter(youth=youth).order_by("-created_at", "-pk")


def ask_rectification(youth, wrong, correct):
    """Record a rectification request; the same text sent twice while still open is one request."""
    wrong, correct = wrong.strip(), correct.strip()
    if not wrong or not correct:
        raise SpaceError("Dites-nous ce qui est inexact et ce qu'il faudrait écrire à la place.")
    with transaction.atomic():
        Youth.objects.select_for_update().filter(pk=youth.pk).first()  # two sendings at once: one row
        same = rectifications_of(youth).filter(status=RectificationStatus.OPEN, wrong=wrong, correct=correct).first()
        return same or RectificationRequest.objects.create(youth=youth, wrong=wrong, correct=correct)


def handle_rectification(request_row, user, note):
    note = (note or "").strip()
    if not note:
        raise SpaceError("Dites au jeune ce qui a été fait (ou pourquoi rien n'a été changé).")
    updated = RectificationRequest.objects.filter(pk=request_row.pk, status=RectificationStatus.OPEN).update(
        status=RectificationStatus.HANDLED, handled_at=timezone.now(), handled_by=user, note=note)
    if not updated:
        raise SpaceError("Cette demande était déjà traitée.")
    request_row.refresh_from_db()
    return request_row


def latest_contract(dossier):
    return dossier.contracts.select_related("online_acceptance").order_by("-version").first()


def can_answer(invitation, today=None):
    """An invitation is answered while it still stands: the young person is invited and the meeting
    is today or later."""
    today = today or timezone.localdate()
    return invitation.status == Attendance.INVITED and invitation.meeting.date >= today


def answer_of(invitation):
    try:
        return invitation.youth_answer
    except InvitationAnswer.DoesNotExist:
        return None


def answer_invitation(invitation, answer, reason=""):
    """Record (or change) the young person's answer. Declining needs a reason."""
    answer = Answer(answer)
    reason = (reason or "").strip()
    if not can_answer(invitation):
        raise SpaceError("Cette invitation est passée ou n'est plus d'actualité : contactez votre conseiller.")
    if answer == Answer.DECLINED and not reason:
        raise SpaceError("Dites-nous en quelques mots pourquoi vous ne pourrez pas venir.")
    record, _ = InvitationAnswer.objects.update_or_create(
        invitation=invitation,
        defaults={"answer": answer, "reason": reason if answer == Answer.DECLINED else "",
                  "answered_at": timezone.now()},
    )
    return record


def acceptance_text(contract):
    return f"J'ai lu le contrat version {contract.version} et je l'accepte"


def accepted(contract):
    try:
        return contract.online_acceptance
    except ContractAcceptance.DoesNotExist:
        return None


def accept_contract(contract, user, ip_address="", user_agent=""):
    """Record the online acceptance of this version of the contract (only the latest version)."""
    if latest_contract(contract.dossier).pk != contract.pk:
        raise SpaceError("Une nouvelle version de ce contrat existe : lisez et acceptez la dernière version.")
    if accepted(contract) is not None:
        raise SpaceError("Vous avez déjà accepté cette version du contrat.")
    try:
        with transaction.atomic():
            acceptance = ContractAcceptance.objects.create(
                contract=contract, version=contract.version, user=user, ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500], text=acceptance_text(contract),
            )
    except IntegrityError:  # sent twice at once: the first one counts
        raise SpaceError("Vous avez déjà accepté cette version du contrat.")
    attach_accepted_pdf(acceptance)
    return acceptance
