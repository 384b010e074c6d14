"""Invitations of the network through the outbox: users and ambassadors to network meetings, ambassadors as
speakers at the wheel's meetings. Each invitation is one email with the calendar file, keyed on the
invitation, its moment and its calendar sequence (an invitation renewed after an absence is a new message,
even within the same second; the same one recorded twice is not).

A cancelled network meeting, an ambassador's withdrawn invitations, or a wheel meeting cancelled where an
ambassador was to speak, send each guest the calendar's cancel (``METHOD:CANCEL``, the invitation's UID,
its sequence raised), keyed on that sequence: told once; a wheel meeting moved sends its speakers the
update (``METHOD:REQUEST``, sequence raised).
Every message here is an email: the network sends no SMS (docs/network.md)."""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from followup.enums import Channel, MessageKind
from followup.mail import render_staff_email
from followup.outbox import absolute_url, queue_message
from referrals import calendar

from .enums import Presence
from .models import NetworkInvitation, NetworkMeeting, SpeakerInvitation

HOLDING = (Presence.INVITED, Presence.PRESENT)
NETWORK_KEY, SPEAKER_KEY = "reseau", "intervenant"


def calendar_file(meeting, uid_suffix, email, name, method="REQUEST", sequence=0):
    """The guest's calendar invitation (``METHOD:REQUEST``, or ``CANCEL`` to take it out of their calendar;
    the platform as organiser, the guest as attendee) as an attachment triple, with one stable UID per
    meeting and guest on the platform's domain and the invitation's ``sequence``."""
    uid = f"{meeting._meta.model_name}-{meeting.pk}{uid_suffix}@{calendar.domain()}"
    content = calendar.build_guest_invitation(meeting, uid, email, name, method=method,
                                              sequence=sequence).decode("utf-8")
    return (calendar.FILENAME, content, calendar.content_type(method))


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
    # The moment and the calendar sequence, as followup.notifications.queue_invitation: invited again
    # within the same second (absent, then invited back) is still a new message.
    period = f"{timezone.localtime(invitation.invited_at):%y%m%d%H%M%S}.{invitation.sequence}"
    subject = f"Invitation : {meeting.title or meeting.get_kind_display()} du {meeting.date:%d/%m/%Y}"
    text, html = _body(greeting, meeting, role_line, link)
    return queue_message(
        MessageKind.INVITATION, Channel.EMAIL, f"{key}:{invitation.pk}", period, email,
        text, subject=subject, dossier=dossier, html=html,
        attachments=[calendar_file(meeting, f"-{key}-{invitation.pk}", email, greeting,
                                   sequence=invitation.sequence)],
    )


def _renew(invitation, user):
    """Invited again (after an absence, an excuse): the same calendar entry comes back, one revision up."""
    invitation.status = Presence.INVITED
    invitation.invited_by = user
    invitation.invited_at = timezone.now()
    invitation.email_sent_at = None
    invitation.sequence += 1
    invitation.save()


def _invite(meeting, guests, user, model, guest_field, address_of, send):
    result = Invited()
    with transaction.atomic():
        # Read again and locked: a meeting cancelled meanwhile (the cancel takes the same lock) invites no one.
        current = type(meeting).objects.select_for_update().only("cancelled_at").get(pk=meeting.pk)
        if current.cancelled_at is not None:
            return Invited(skipped=[(guest, "la réunion est annulée") for guest in guests])
        for guest in guests:
            address = address_of(guest)
            if not address:
                result.skipped.append((guest, "pas d'adresse électronique"))
                continue
            invitation = model.objects.select_for_update().filter(meeting=meeting, **{guest_field: guest}).first()
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
    def send(invitation, ambassador, address):
        _queue(invitation, SPEAKER_KEY, meeting, address, ambassador.youth.first_name or str(ambassador),
               "Merci d'avoir accepté de témoigner de votre séjour : vous êtes invité(e) à intervenir à cette réunion :",
               dossier=ambassador.dossier)

    return _invite(meeting, [a for a in ambassadors if a.is_active], by, SpeakerInvitation, "ambassador",
                   lambda a: a.youth.email, send)


# --- Cancels: the meeting cancelled, an ambassador's invitations withdrawn --------------------------------

def _addressee(invitation):
    """(email, greeting, dossier) of the guest of a network or speaker invitation."""
    if invitation.ambassador_id:
        ambassador = invitation.ambassador
        return ambassador.youth.email, ambassador.youth.first_name or str(ambassador), ambassador.dossier
    user = invitation.user
    return user.email, user.get_full_name() or user.username, None


CANCELLED, WITHDRAWN, MOVED = "cancelled", "withdrawn", "moved"


def _queue_change(invitation, key, change=CANCELLED):
    """The guest's email with the calendar's cancel (the meeting cancelled, the invitation withdrawn) or
    update (the meeting's new time or place): the same UID, the sequence already raised; keyed on that
    sequence, each change is told once."""
    meeting = invitation.meeting
    email, greeting, dossier = _addressee(invitation)
    if not email:
        return False
    label = meeting.title or meeting.get_kind_display()
    hours = f"{meeting.start_time:%H:%M}" + (f" à {meeting.end_time:%H:%M}" if meeting.end_time else "")
    method, kind = "CANCEL", MessageKind.MEETING_CANCELLED
    closing = "L'annulation est jointe pour votre agenda (fichier invitation.ics) : elle en retire le rendez-vous."
    if change == WITHDRAWN:
        subject = f"Invitation retirée : {label} du {meeting.date:%d/%m/%Y}"
        line = "Vous n'êtes plus ambassadeur ou ambassadrice : votre invitation à cette réunion est retirée."
    elif change == MOVED:
        method, kind = "REQUEST", MessageKind.MEETING_MOVED
        subject = f"Nouvel horaire : {label} le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"
        line = "La réunion à laquelle vous êtes invité(e) change d'horaire ou de lieu :"
        closing = "L'invitation mise à jour est jointe pour votre agenda (fichier invitation.ics)."
    else:
        subject = f"Réunion annulée : {label} du {meeting.date:%d/%m/%Y}"
        line = "La réunion à laquelle vous étiez invité(e) est annulée :"
    lines = [f"Bonjour {greeting},", "", line, "", label, f"Le {meeting.date:%d/%m/%Y}, de {hours}"]
    if change == MOVED:
        lines.append(f"Lieu : {_where(meeting)}")
    text, html = render_staff_email([*lines, "", closing], "", "")
    return queue_message(
        kind, Channel.EMAIL, f"{key}:{invitation.pk}", f"s{invitation.sequence}", email,
        text, subject=subject, dossier=dossier, html=html,
        attachments=[calendar_file(meeting, f"-{key}-{invitation.pk}", email, greeting, method=method,
                                   sequence=invitation.sequence)],
    )


def _tell_each(invitations, key, change=CANCELLED):
    """Raise each invitation's sequence and send it the change. Returns how many emails were queued."""
    told = 0
    for invitation in invitations:
        invitation.sequence += 1
        type(invitation).objects.filter(pk=invitation.pk).update(sequence=invitation.sequence)
        told += _queue_change(invitation, key, change)
    return told


def to_tell_of_cancel(meeting):
    """The invitations of a network meeting told when it is cancelled: every guest invited, but an
    ambassador who withdrew (told when they withdrew, and out of the network) or a guest with no email left."""
    invitations = (meeting.invitations.select_related("meeting", "user", "ambassador__youth", "ambassador__dossier")
                   .exclude(ambassador__withdrawn_at__isnull=False))
    return [invitation for invitation in invitations if _addressee(invitation)[0]]


def cancel_meeting(meeting, by):
    """« Annuler la réunion »: the network meeting is marked cancelled (no more invitations) and every guest
    gets the calendar's cancel. Cancelling it again does nothing. Returns ``(cancelled, told)``: whether this
    call cancelled it, and how many emails were queued."""
    with transaction.atomic():
        meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at is not None:
            return False, 0
        meeting.cancelled_at = timezone.now()
        meeting.cancelled_by = by
        meeting.save(update_fields=["cancelled_at", "cancelled_by"])
        return True, _tell_each(to_tell_of_cancel(meeting), NETWORK_KEY)


def withdraw_ambassador_invitations(ambassador):
    """The ambassador withdrew: their invitations still to come (network meetings and talks) are marked
    excused, and each one's calendar entry is cancelled (but a cancelled meeting's, already told). Returns
    how many emails were queued. Inside the caller's transaction."""
    today = timezone.localdate()
    told = 0
    for model, key in ((NetworkInvitation, NETWORK_KEY), (SpeakerInvitation, SPEAKER_KEY)):
        pending = model.objects.filter(ambassador=ambassador, status=Presence.INVITED, meeting__date__gte=today)
        to_cancel = list(pending.filter(meeting__cancelled_at__isnull=True).select_related(
            "meeting", "ambassador__youth", "ambassador__dossier"))  # a cancelled meeting told them already
        pending.update(status=Presence.EXCUSED)
        told += _tell_each(to_cancel, key, WITHDRAWN)
    return told


SCHEDULE_FIELDS = ("date", "start_time", "end_time", "place", "video_link")


def schedule_of(meeting):
    return tuple(getattr(meeting, name) for name in SCHEDULE_FIELDS)


def network_meeting_saved(meeting, before):
    """After the edit form of a network meeting: if its date, time or place changed (``before``: its
    ``schedule_of`` as it was), every guest still expected gets the calendar's update. Returns how many."""
    if before is None or before == schedule_of(meeting) or meeting.cancelled_at is not None:
        return 0
    guests = [i for i in meeting.invitations.filter(status__in=HOLDING).select_related(
        "meeting", "user", "ambassador__youth", "ambassador__dossier") if _addressee(i)[0]]
    return _tell_each(guests, NETWORK_KEY, MOVED)


def on_meeting_changed(sender, meeting, cancelled, **kwargs):
    """``referrals.signals.meeting_changed``: a wheel meeting cancelled or moved; the ambassadors invited to
    speak at it (still expected) get the calendar's cancel or its update. Returns how many were told."""
    speakers = list(SpeakerInvitation.objects.filter(meeting=meeting, status__in=HOLDING).select_related(
        "meeting", "ambassador__youth", "ambassador__dossier"))
    return _tell_each(speakers, SPEAKER_KEY, CANCELLED if cancelled else MOVED)


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
