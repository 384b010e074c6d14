"""Invitations of the network through the outbox: users and ambassadors to network meetings, ambassadors as
speakers at the wheel's meetings. Each invitation is one email with the calendar file, keyed on the
invitation and its moment (an invitation renewed after an absence is a new message; the same one recorded
twice is not)."""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from followup.enums import Channel, MessageKind
from followup.mail import render_staff_email
from followup.outbox import absolute_url, queue_message
from referrals import calendar

from .enums import Presence
from .models import NetworkInvitation, SpeakerInvitation

HOLDING = (Presence.INVITED, Presence.PRESENT)
NETWORK_KEY, SPEAKER_KEY = "reseau", "intervenant"


def calendar_file(meeting, uid_suffix, email, name):
    """The guest's calendar invitation (METHOD:REQUEST, the platform as organiser, the guest as attendee) as
    an attachment triple, with one stable UID per meeting and guest on the platform's domain."""
    uid = f"{meeting._meta.model_name}-{meeting.pk}{uid_suffix}@{calendar.domain()}"
    content = calendar.build_guest_invitation(meeting, uid, email, name).decode("utf-8")
    return (calendar.FILENAME, content, calendar.content_type("REQUEST"))


@dataclass
class Invited:
    invited: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (guest, French reason)


def _where(meeting):
    where = meeting.place or ""
    if meeting.video_link:
        where = (where + " — " if where else "") + f"en visioconférence : {meeting.video_link}"
    return where or "lieu précisé ultérieurement"


def _body(greeting, meeting, role_line, link):
    """(text, html) of the invitation, from the outbox's templates (with the platform's footer)."""
    hours = f"{meeting.start_time:%H:%M}" + (f" à {meeting.end_time:%H:%M}" if meeting.end_time else "")
    lines = [
        f"Bonjour {greeting},", "",
        role_line, "",
        f"{meeting.title or meeting.get_kind_display()}",
        f"Le {meeting.date:%d/%m/%Y}, de {hours}",
        f"Lieu : {_where(meeting)}",
    ]
    if meeting.notes:
        lines += ["", meeting.notes]
    lines += ["", "L'invitation est jointe pour votre agenda (fichier invitation.ics)."]
    return render_staff_email(lines, link, "Détails")


def _queue(invitation, key, meeting, email, greeting, role_line, dossier=None, link=""):
    period = f"{timezone.localtime(invitation.invited_at):%Y-%m-%dT%H:%M:%S}"
    subject = f"Invitation : {meeting.title or meeting.get_kind_display()} du {meeting.date:%d/%m/%Y}"
    text, html = _body(greeting, meeting, role_line, link)
    return queue_message(
        MessageKind.INVITATION, Channel.EMAIL, f"{key}:{invitation.pk}", period, email,
        text, subject=subject, dossier=dossier, html=html,
        attachments=[calendar_file(meeting, f"-{key}-{invitation.pk}", email, greeting)],
    )


def _renew(invitation, user):
    invitation.status = Presence.INVITED
    invitation.invited_by = user
    invitation.invited_at = timezone.now()
    invitation.email_sent_at = None
    invitation.save()


def _invite(meeting, guests, user, model, guest_field, address_of, send):
    result = Invited()
    with transaction.atomic():
        for guest in guests:
            address = address_of(guest)
            if not address:
                result.skipped.append((guest, "pas d'adresse électronique"))
                continue
            invitation = model.objects.filter(meeting=meeting, **{guest_field: guest}).first()
            if invitation and invitation.status in HOLDING:
                result.skipped.append((guest, "déjà invité"))
                continue
            if invitation:
                _renew(invitation, user)
            else:
                invitation = model.objects.create(meeting=meeting, invited_by=user, **{guest_field: guest})
            send(invitation, guest, address)
            result.invited.append(invitation)
    return result


def invite_users(meeting, users, by):
    """Invite users (counsellors of the missions locales, partners' contacts) to a network meeting."""
    link = absolute_url(meeting.get_absolute_url())

    def send(invitation, user, address):
        _queue(invitation, NETWORK_KEY, meeting, address, user.get_full_name() or user.username,
               "Vous êtes invité(e) à une réunion du réseau de la plateforme :", link=link)

    return _invite(meeting, users, by, NetworkInvitation, "user", lambda u: u.email, send)


def invite_ambassadors(meeting, ambassadors, by):
    """Invite ambassadors (active ones only) to a network meeting."""
    def send(invitation, ambassador, address):
        _queue(invitation, NETWORK_KEY, meeting, address, ambassador.youth.first_name or str(ambassador),
               "En tant qu'ambassadeur ou ambassadrice, vous êtes invité(e) à une réunion du réseau :",
               dossier=ambassador.dossier)

    return _invite(meeting, [a for a in ambassadors if a.is_active], by, NetworkInvitation, "ambassador",
                   lambda a: a.youth.email, send)


def invite_speakers(meeting, ambassadors, by):
    """Invite ambassadors to speak at a meeting of the wheel (an information collective…)."""
    if meeting.cancelled_at is not None:
        return Invited(skipped=[(a, "la réunion est annulée") for a in ambassadors])

    def send(invitation, ambassador, address):
        _queue(invitation, SPEAKER_KEY, meeting, address, ambassador.youth.first_name or str(ambassador),
               "Merci d'avoir accepté de témoigner de votre séjour : vous êtes invité(e) à intervenir à cette réunion :",
               dossier=ambassador.dossier)

    return _invite(meeting, [a for a in ambassadors if a.is_active], by, SpeakerInvitation, "ambassador",
                   lambda a: a.youth.email, send)


def record_presence(invitation, status):
    invitation.status = Presence(status)
    invitation.save(update_fields=["status"])
    return invitation


def on_message_sent(sender, message, **kwargs):
    """``followup.outbox.message_sent``: the meeting pages show when each invitation really left."""
    key, _, pk = message.object_key.partition(":")
    model = {NETWORK_KEY: NetworkInvitation, SPEAKER_KEY: SpeakerInvitation}.get(key)
    if model is not None and message.kind == MessageKind.INVITATION and pk.isdigit():
        model.objects.filter(pk=pk).update(email_sent_at=timezone.now())
