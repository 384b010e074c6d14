"""The messages the lower apps ask for, through their signals (they import nothing of followup): each
receiver writes the message to the outbox in the sender's transaction, under a key that makes a second
run write nothing (``outbox.queue_message``); the outbox sends it once that transaction commits. The
meeting messages go to the young person by their chosen channels (email and/or SMS, with a link into
their space) with a copy to the referring counsellor (``contact.tell_youth``); the young person's other
steps are in ``step_messages``.

===================  =========================================  ========================================
message (kind)       key (object, period)                       trigger
===================  =========================================  ========================================
new fiche            ``dossier:<n°>``, once                     ``referrals.signals.referral_sent``
fiche attached       ``referral:<n°>``, once                    ``referrals.signals.referral_sent``
meeting invitation   ``invitation:<n°>``, when invited          ``referrals.signals.invitations_sent``
commission decision  ``review:<n°>``, once (to the counsellor)  ``dossiers.signals.decision_recorded``
meeting cancelled    ``invitation:<n°>``, per sequence          ``referrals.signals.meeting_changed``
invitation withdrawn ``invitation:<n°>``, per sequence          ``referrals.signals.invitations_withdrawn``
meeting new time     ``invitation:<n°>``, per sequence          ``referrals.signals.meeting_changed``
===================  =========================================  ========================================

The meeting messages carry the invitation's calendar file (``referrals.calendar``): ``METHOD:REQUEST`` for
the invitation and each new time, ``METHOD:CANCEL`` for a cancelled meeting or a withdrawn invitation, all
under the invitation's one UID; the sequence (raised by ``referrals.meetings`` on each change) keys them.

``connect()`` is called by ``FollowupConfig.ready``.
"""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dossiers.enums import Decision
from dossiers.models import CommissionReview, Dossier
from dossiers.signals import decision_recorded
from ipm.enums import Role
from ipm.models import User
from referrals import calendar
from referrals.models import Invitation
from referrals.signals import invitations_sent, invitations_withdrawn, meeting_changed, referral_sent

from .enums import Channel, MessageKind
from . import step_messages
from .contact import counsellor_copy, space_url, tell_youth
from .mail import render_staff_email
from .outbox import absolute_url, message_sent, queue_message


def connect():
    referral_sent.connect(on_referral_sent, dispatch_uid="followup.new_referral")
    invitations_sent.connect(on_invitations_sent, dispatch_uid="followup.invitations")
    decision_recorded.connect(on_decision_recorded, dispatch_uid="followup.decision")
    message_sent.connect(on_message_sent, dispatch_uid="followup.invitation_sent_at")
    meeting_changed.connect(on_meeting_changed, dispatch_uid="followup.meeting_changed")
    invitations_withdrawn.connect(on_invitations_withdrawn, dispatch_uid="followup.invitations_withdrawn")
    step_messages.connect()  # the young person's steps: diagnostic, pieces, decision, contract


# --- New fiche: to reception -----------------------------------------------------------------------------

def reception_recipients():
    emails = list(
        User.objects.filter(role=Role.RECEPTION, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if settings.IPM_RECEPTION_EMAIL:
        emails.append(settings.IPM_RECEPTION_EMAIL)
    return sorted(set(emails))


def on_referral_sent(sender, dossier, referral=None, attached=False, **kwargs):
    """Tell reception a new fiche arrived (without the young person's full name). A fiche attached to the
    dossier already open for the young person is told too, under the fiche's own key."""
    dossier = Dossier.objects.select_related("youth", "structure", "referring_counsellor").get(pk=dossier.pk)
    recipients = reception_recipients()
    if not recipients:
        return False
    link = absolute_url(reverse("dossiers:detail", args=[dossier.pk]))
    who = f"{dossier.youth.first_name} {dossier.youth.last_name[:1].upper()}."
    if attached and referral is not None:
        text, html = render_staff_email([
            "Bonjour,", "",
            f"Une nouvelle fiche de liaison est arrivée de {referral.structure} "
            f"(conseiller : {referral.counsellor or 'non précisé'}) pour un jeune qui a déjà un dossier en cours.",
            f"Elle est rattachée au dossier n° {dossier.pk} ({who}), étape : {dossier.state_label}.",
        ], link, "Ouvrir le dossier")
        return queue_message(MessageKind.NEW_REFERRAL, Channel.EMAIL, f"referral:{referral.pk}", "", recipients,
                             text, f"Nouvelle fiche de liaison rattachée au dossier n° {dossier.pk}", dossier, html=html)
    text, html = render_staff_email([
        "Bonjour,", "",
        f"Une nouvelle fiche de liaison est arrivée de {dossier.structure} "
        f"(conseiller : {dossier.referring_counsellor or 'non précisé'}).",
        f"Dossier n° {dossier.pk} ({who})",
    ], link, "Ouvrir le dossier")
    return queue_message(MessageKind.NEW_REFERRAL, Channel.EMAIL, f"dossier:{dossier.pk}", "", recipients, text,
                         f"Nouvelle fiche de liaison — dossier n° {dossier.pk}", dossier, html=html)


# --- Meeting invitations: to the young person, copy to the referring counsellor ----------------------------

def on_invitations_sent(sender, invitations, **kwargs):
    invitations = Invitation.objects.filter(pk__in=[i.pk for i in invitations]).select_related(
        "meeting", "meeting__facilitator", "dossier__youth", "dossier__referring_counsellor"
    )
    return sum(queue_invitation(invitation) for invitation in invitations)


def queue_invitation(invitation):
    """The invitation (email with the meeting's .ics, SMS by the young person's choice, copy to the
    counsellor). Keyed on the moment of the invitation and its sequence: an invitation renewed (after an
    absence or a withdrawal) is a new message, the same one recorded twice is not."""
    meeting = invitation.meeting
    where = meeting.place or ""
    if meeting.video_link:
        where = (where + " — " if where else "") + f"en visioconférence : {meeting.video_link}"
    hours = f"{meeting.start_time:%H:%M}" + (f" à {meeting.end_time:%H:%M}" if meeting.end_time else "")
    label = meeting.title or meeting.get_kind_display()
    return tell_youth(
        MessageKind.INVITATION, f"invitation:{invitation.pk}",
        # The moment and the calendar sequence: invited again within the same second (withdrawn, then
        # invited back) is still a new message; the same invitation recorded twice is not.
        f"{timezone.localtime(invitation.invited_at):%y%m%d%H%M%S}.{invitation.sequence}", invitation.dossier,
        template="invitation", subject=f"Invitation : {meeting.get_kind_display()} du {meeting.date:%d/%m/%Y}",
        context={"meeting": meeting, "label": label, "hours": hours, "where": where},
        sms=f"vous êtes invité(e) : {label}, le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"
            f" ({where or 'lieu précisé ultérieurement'}). Confirmez :",
        link=space_url("space:meeting", invitation.pk), link_label="Confirmer ou décliner",
        attachments=[calendar.attachment(invitation, "REQUEST")], copy_alone=True,
    )


def on_message_sent(sender, message, **kwargs):
    """The meeting page shows when each invitation really left."""
    if (message.kind == MessageKind.INVITATION and message.channel == Channel.EMAIL
            and message.object_key.startswith("invitation:")):
        Invitation.objects.filter(pk=message.object_key.split(":", 1)[1]).update(email_sent_at=timezone.now())


# --- Meeting cancelled or moved, invitation withdrawn: to the young person, copy to the counsellor ----------

def _invitations(invitations):
    return Invitation.objects.filter(pk__in=[i.pk for i in invitations]).select_related(
        "meeting", "dossier__youth", "dossier__referring_counsellor")


def on_meeting_changed(sender, meeting, invitations, cancelled, **kwargs):
    return sum(queue_meeting_change(invitation, cancelled) for invitation in _invitations(invitations))


def on_invitations_withdrawn(sender, invitations, **kwargs):
    return sum(queue_meeting_change(invitation, True, withdrawn=True) for invitation in _invitations(invitations))


def queue_meeting_change(invitation, cancelled, withdrawn=False):
    """The new time (with the calendar's update), or the cancel (the meeting cancelled, or this one invitation
    withdrawn) with the calendar's cancel. Keyed on the invitation's sequence: each change is told once."""
    meeting = invitation.meeting
    label = meeting.title or meeting.get_kind_display()
    when = f"le {meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"
    where = meeting.place or meeting.video_link or "précisé ultérieurement"
    period = f"s{invitation.sequence}"
    if cancelled:
        kind, attachments = MessageKind.MEETING_CANCELLED, [calendar.attachment(invitation, "CANCEL")]
        if withdrawn:
            subject = f"Invitation retirée : {label} du {meeting.date:%d/%m/%Y}"
            sms = f"votre invitation à « {label} » {when} est retirée. Votre conseiller vous dira la suite."
        else:
            subject = f"Réunion annulée : {label} du {meeting.date:%d/%m/%Y}"
            sms = f"la réunion « {label} » {when} est annulée. Une autre date vous sera proposée."
    else:
        kind, attachments = MessageKind.MEETING_MOVED, [calendar.attachment(invitation, "REQUEST")]
        subject = f"Nouvel horaire : {label} {when}"
        sms = f"nouvel horaire pour « {label} » : {when} ({where})."
    return tell_youth(kind, f"invitation:{invitation.pk}", period, invitation.dossier, template="meeting_change",
                      subject=subject, sms=sms,
                      context={"cancelled": cancelled, "withdrawn": withdrawn, "label": label, "when": when,
                               "where": where},
                      link=space_url("space:meeting", invitation.pk), link_label="Voir mon rendez-vous",
                      attachments=attachments, copy_alone=True)


# --- Commission decision: to the referring counsellor ------------------------------------------------------

def on_decision_recorded(sender, review, **kwargs):
    """Tell the referring counsellor the commission's decision (no sensitive item in the email)."""
    review = CommissionReview.objects.select_related(
        "session", "dossier__youth", "dossier__referring_counsellor", "postponed_to"
    ).get(pk=review.pk)
    counsellor = counsellor_copy(review.dossier, MessageKind.DECISION)  # None: none, or the copy turned off
    if counsellor is None:
        return False
    youth = review.dossier.youth
    lines = [
        f"Bonjour {counsellor.first_name or counsellor},",
        "",
        f"La commission du {review.session.date:%d/%m/%Y} a examiné le dossier de {youth.first_name} "
        f"{youth.last_name.upper()} (dossier n° {review.dossier_id}).",
        f"Décision : {review.get_decision_display()}.",
    ]
    if review.comment:
        lines.append(f"Motivation : {review.comment}")
    if review.decision == Decision.REFUSED:
        lines.append(
            f"Orientation proposée : {review.get_orientation_display()}"
            + (f" ({review.orientation_details})" if review.orientation_details else "")
            + ". Un refus n'est jamais définitif : le jeune pourra revenir vers la plateforme."
        )
    if review.decision == Decision.POSTPONED and review.postponed_to:
        lines.append(f"Le dossier sera présenté à la commission du {review.postponed_to.date:%d/%m/%Y}.")
    text, html = render_staff_email(lines, absolute_url(reverse("dossiers:detail", args=[review.dossier_id])),
                                    "Voir le dossier")
    return queue_message(MessageKind.DECISION, Channel.EMAIL, f"review:{review.pk}", "", counsellor.email,
                         text, f"Décision de la commission — dossier n° {review.dossier_id}", review.dossier,
                         html=html)

