"""Telling the young person of a step, by the channels they chose, with a copy to their referring
counsellor unless the counsellor turned that kind off.

- **The young person's choice** (``ContactPreference``): email, SMS or both; without a row, email if they
  have one, else SMS. A chosen channel with nothing on file falls back to the other one: a young person
  who chose SMS but has no phone is still told by email. SMS also need their consent (« J'accepte de
  recevoir des SMS ») and no « STOP » from their number (``followup.optout.sms_allowed``): without it,
  SMS count as not on file, and the email is sent instead.
- **The counsellor's copy**: in copy (``cc``) of the young person's email, so the counsellor reads what the
  young person was told; when the young person is told by SMS only, the counsellor gets the email alone.
  ``CopyOptOut(user, kind)`` turns one kind of copy off; it never stops a message to the young person.
- **Every email** is rendered from two templates, ``followup/email/<name>.txt`` (the text) and
  ``.html`` (its HTML alternative), both extending a base that adds the greeting, the link into the space,
  the note of the copy, the signature and the platform's footer (``followup.mail``). **Every SMS** is one
  short text that ends with the link, written in the GSM alphabet (``ipm.sms.gsm_text``) and cut to fit
  two parts (``ipm.sms.segments``). No message carries a sign-in token: the space's own sign-in page sends one.
"""
from django.conf import settings
from django.urls import reverse

from ipm.sms import gsm_text, segments

from . import mail
from .enums import Channel, ContactChoice
from .models import ContactPreference, CopyOptOut
from .optout import sms_allowed
from .outbox import absolute_url, queue_message

# Every SMS stays within two parts: 306 GSM characters (2 × 153), fewer with UCS-2 or extension characters.
SMS_MAX_SEGMENTS = 2
SMS_MAX = 2 * 153


def default_choice(youth):
    return ContactChoice.EMAIL if youth.email or not youth.phone else ContactChoice.SMS


def choice_of(youth):
    """The young person's choice (their recorded one, else the default)."""
    preference = ContactPreference.objects.filter(youth_id=youth.pk).first()
    return ContactChoice(preference.channel) if preference else default_choice(youth)


def set_choice(youth, channel):
    ContactPreference.objects.update_or_create(youth=youth, defaults={"channel": ContactChoice(channel)})


def youth_channels(youth):
    """The channels the young person is told by: their choice, among what is on file (a choice that
    cannot be honoured falls back to the other channel rather than telling nothing)."""
    on_file = {Channel.EMAIL: bool(youth.email), Channel.SMS: sms_allowed(youth)}
    wanted = {ContactChoice.EMAIL: {Channel.EMAIL}, ContactChoice.SMS: {Channel.SMS},
              ContactChoice.BOTH: {Channel.EMAIL, Channel.SMS}}[choice_of(youth)]
    usable = {channel for channel in wanted if on_file[channel]}
    if not usable:
        usable = {channel for channel in (Channel.EMAIL, Channel.SMS) if on_file[channel]}
    return usable


def wants_copy(user, kind):
    return not CopyOptOut.objects.filter(user=user, kind=kind).exists()


def set_opt_outs(user, kinds):
    """Record the kinds of copy ``user`` does not want (replacing the earlier choice)."""
    CopyOptOut.objects.filter(user=user).exclude(kind__in=kinds).delete()
    for kind in kinds:
        CopyOptOut.objects.get_or_create(user=user, kind=kind)


def counsellor_copy(dossier, kind):
    """The referring counsellor's address for a copy of ``kind``, or None (none, no email, inactive, or
    turned off)."""
    counsellor = dossier.referring_counsellor
    if counsellor is None or not counsellor.email or not counsellor.is_active or not wants_copy(counsellor, kind):
        return None
    return counsellor


def space_url(name="space:home", *args):
    return absolute_url(reverse(name, args=args))


def render_email(template, context):
    """(text, html) of ``followup/email/<template>`` for the young person (``mail.render_email``, with the
    link to ask for a sign-in link)."""
    return mail.render_email(template, {"sign_in_url": space_url("space:login"), **context})


def fit_sms(text, link="", head=""):
    """``<head><text> <link>`` in the GSM alphabet, the text shortened (ending « ... ») until the SMS
    fits ``SMS_MAX_SEGMENTS`` parts; the head and the link are never cut."""
    head, text, link = gsm_text(head), gsm_text(text), gsm_text(link)

    def whole(body):
        return f"{head}{body} {link}".strip() if link else f"{head}{body}".strip()

    if segments(whole(text)) <= SMS_MAX_SEGMENTS:
        return whole(text)
    low, high = 0, len(text)  # the longest prefix that fits
    while low < high:
        middle = (low + high + 1) // 2
        if segments(whole(text[:middle].rstrip() + "...")) <= SMS_MAX_SEGMENTS:
            low = middle
        else:
            high = middle - 1
    return whole(text[:low].rstrip() + "...")


def sms_text(text, link):
    """``<platform> : <text> <link>``, within two SMS parts."""
    return fit_sms(text, link, head=f"{settings.IPM_PLATFORM_NAME} : ")


def tell_youth(kind, object_key, period, dossier, *, template, subject, context, sms, link,
               link_label="Ouvrir mon espace", copy=True, copy_alone=False, attachments=()):
    """Record the messages of one step for ``dossier``'s young person (email and/or SMS, by their
    choice) with the counsellor's copy (``copy``). The copy goes with a message to the young person;
    with ``copy_alone`` (the meetings), the counsellor is told even when the young person has neither
    email nor phone on file, to pass the news on. ``sms``: the SMS text without the link. Keyed
    ``(kind, channel, object_key, period)``: a second call records nothing. Returns how many messages
    were recorded."""
    youth = dossier.youth
    channels = youth_channels(youth)
    counsellor = counsellor_copy(dossier, kind) if copy and (channels or copy_alone) else None
    created = 0
    if Channel.EMAIL in channels or counsellor is not None:
        to, cc = ([youth.email], []) if Channel.EMAIL in channels else ([counsellor.email], [])
        if counsellor is not None and to != [counsellor.email]:
            cc = [counsellor.email]
        text, html = render_email(template, {
            **context, "youth": youth, "dossier": dossier, "link": link, "link_label": link_label,
            "counsellor": counsellor, "counsellor_only": Channel.EMAIL not in channels,
        })
        created += queue_message(kind, Channel.EMAIL, object_key, period, to, text, subject, dossier, cc=cc,
                                 attachments=attachments, html=html)
    if Channel.SMS in channels and sms:
        created += queue_message(kind, Channel.SMS, object_key, period, youth.phone, sms_text(sms, link), "",
                                 dossier)
    return created
