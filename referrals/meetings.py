"""Meetings services: invite young people, record attendance, withdraw invitations, move or cancel meetings.

Generic over the meeting kinds: the information collective and the individual interview move dossiers
along the wheel (``fiche_recue`` → ``invite_ic`` on invitation, → ``ic_faite`` when present, back to
``fiche_recue`` when absent or excused so they can be invited again); a preparation-for-departure
meeting only records invitations and attendance (the departures app decides what it means).

Every change a calendar must follow raises the invitation's ``sequence`` (``referrals.calendar`` writes it in
the invitation's calendar file): a new invitation after a withdrawal, a new date, time or place, a
withdrawal, a cancelled meeting. The signals tell the outbox, which sends the update or the cancel.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dossiers import transitions, workflow
from dossiers.workflow import State

from . import rules
from .meeting_enums import SEAT_HOLDING, WHEEL_INFO_KINDS, Attendance
from .models import Invitation, Meeting
from .signals import invitations_sent, invitations_withdrawn, meeting_changed


class MeetingError(workflow.TransitionError):
    """A refused meeting operation; the message is French and meant for the user (the pages that record
    attendance show it as they show a refused transition)."""


@dataclass
class InviteResult:
    invited: list = field(default_factory=list)  # new or renewed invitations
    skipped: list = field(default_factory=list)  # (dossier, French reason)


def moves_wheel(meeting):
    return meeting.kind in WHEEL_INFO_KINDS


def invite(meeting, dossiers, user, send_email=True):
    """Invite ``dossiers`` to ``meeting`` on behalf of ``user``.

    A dossier already invited (or present) is skipped; an absent or excused one is invited again.
    For information meetings, a dossier must be waiting ("fiche reçue", or already "invité" to
    another session) and is moved to "invité en information collective". Seats are checked against
    the capacity. With ``send_email``, the invitations are announced (``signals.invitations_sent``):
    the outbox records one email each (copy to the referring counsellor) and sends it once committed.
    """
    result = InviteResult()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        taken = meeting.invitations.filter(status__in=SEAT_HOLDING).count()
        for dossier in dossiers:
            existing = Invitation.objects.filter(meeting=meeting, dossier=dossier).first()
            if meeting.cancelled_at is not None:
                result.skipped.append((dossier, "la réunion est annulée"))
                continue
            if existing and existing.status in SEAT_HOLDING:
                result.skipped.append((dossier, "déjà invité à cette réunion"))
                continue
            if moves_wheel(meeting) and dossier.state not in workflow.INVITABLE_STATES:
                result.skipped.append((dossier, f"le dossier est à l'étape « {dossier.get_state_display()} »"))
                continue
            if meeting.capacity is not None and taken >= meeting.capacity:
                result.skipped.append((dossier, "plus de place dans cette réunion"))
                continue
            if moves_wheel(meeting) and dossier.state == State.RECEIVED:
                transitions.apply_transition(dossier, State.INVITED, user, comment=f"Invité : {meeting}")
            if existing:
                existing.status = Attendance.INVITED
                existing.invited_by = user
                existing.attendance_at = None
                existing.attendance_by = None
                existing.invited_at = timezone.now()  # invited again: a new invitation email, not yet sent
                existing.email_sent_at = None
                existing.withdrawn_at = None
                existing.withdrawn_reason = ""
                existing.sequence += 1  # the same calendar entry (same UID), invited again
                existing.save()
                invitation = existing
            else:
                invitation = Invitation.objects.create(meeting=meeting, dossier=dossier, invited_by=user)
            taken += 1
            result.invited.append(invitation)
        if send_email and result.invited:
            invitations_sent.send(sender=Invitation, invitations=result.invited)
    return result


def record_attendance(invitation, status, user, comment=""):
    """Record whether the young person came. For information meetings: present moves the dossier to
    "information collective faite"; absent or excused sends it back to "fiche reçue", to be invited
    again. Returns the invitation."""
    status = Attendance(status)
    if status == Attendance.WITHDRAWN:
        raise MeetingError("Une invitation est retirée par l'application, pas sur la feuille de présence.")
    if problem := rules.attendance_error(invitation.meeting, status):
        raise MeetingError(problem)
    original = invitation
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("meeting", "dossier").get(pk=invitation.pk)
        invitation.status = status
        invitation.attendance_by = user
        invitation.attendance_at = timezone.now() if status != Attendance.INVITED else None
        if comment:
            invitation.comment = comment
        invitation.save()
        dossier = invitation.dossier
        meeting = invitation.meeting
        if moves_wheel(meeting):
            if status == Attendance.PRESENT and dossier.state in workflow.INVITABLE_STATES:
                transitions.apply_transition(dossier, State.INFO_DONE, user, comment=f"Présent : {meeting}")
            elif status in (Attendance.ABSENT, Attendance.EXCUSED) and dossier.state == State.INVITED:
                others = (
                    Invitation.objects.filter(dossier=dossier, status=Attendance.INVITED, meeting__date__gte=meeting.date)
                    .exclude(pk=invitation.pk)
                    .exists()
                )
                if not others:
                    transitions.apply_transition(
                        dossier, State.RECEIVED, user,
                        comment=f"{status.label} : {meeting} — à réinviter",
                    )
    for name in ("status", "attendance_by", "attendance_at", "comment"):
        setattr(original, name, getattr(invitation, name))
    return invitation


# --- Withdrawn invitations, cancelled and moved meetings -------------------------------------------

def pending_invitations():
    """Invitations still waiting for their meeting (today or later, meeting not cancelled)."""
    return Invitation.objects.filter(status=Attendance.INVITED, meeting__date__gte=timezone.localdate(),
                                     meeting__cancelled_at__isnull=True)


def still_fits(meeting_kind, state):
    """Whether a dossier at ``state`` still belongs at a meeting of this kind: the information meetings are
    for dossiers waiting for it; a preparation meeting for dossiers not yet gone nor finished."""
    if meeting_kind in WHEEL_INFO_KINDS:
        return state in workflow.INVITABLE_STATES
    return state not in workflow.FINAL_STATES | workflow.DEPARTED_STATES


def withdraw(invitations, reason, announce=True):
    """Withdraw ``invitations`` (no reminder goes out for them; the sequence of their calendar entry is
    raised). With ``announce``, each young person and counsellor is told, with the calendar's cancel
    (``signals.invitations_withdrawn``); a cancelled meeting tells them itself. Returns how many."""
    now = timezone.now()
    count = Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        status=Attendance.WITHDRAWN, withdrawn_at=now, withdrawn_reason=reason[:255], sequence=F("sequence") + 1)
    if announce and invitations:
        invitations_withdrawn.send(sender=Invitation, invitations=list(invitations), reason=reason)
    return count


def withdraw_invitation(invitation, user):
    """Staff's « Retirer l'invitation » on the attendance sheet: only an invitation still pending."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=invitation.pk)
        if invitation.status != Attendance.INVITED or invitation.meeting.cancelled_at is not None:
            raise MeetingError("Seule une invitation en attente de la réunion peut être retirée.")
        withdraw([invitation], f"Invitation retirée par {user}")
    invitation.refresh_from_db()
    return invitation


def on_state_changed(sender, dossier, target, **kwargs):
    """``dossiers.signals.state_changed``: withdraw the dossier's pending invitations that its new state no
    longer fits (e.g. a returned young person still invited to a preparation meeting)."""
    stale = [i for i in pending_invitations().filter(dossier=dossier).select_related("meeting")
             if not still_fits(i.meeting.kind, target)]
    if stale:
        withdraw(stale, f"Dossier passé à l'étape « {State(target).label} »")


SCHEDULE_FIELDS = ("date", "start_time", "end_time", "place", "video_link")


def schedule_of(meeting):
    return tuple(getattr(meeting, name) for name in SCHEDULE_FIELDS)


def meeting_saved(meeting, before):
    """After the edit form: if the date, time or place changed (``before``: ``schedule_of`` the meeting as
    it was), the young people still invited are told the new time (``signals.meeting_changed``). Returns
    how many invitations were concerned."""
    if before is None or before == schedule_of(meeting) or meeting.cancelled_at is not None:
        return 0
    invitations = list(pending_invitations().filter(meeting=meeting))
    if invitations:
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sequence=F("sequence") + 1)
    # Sent even with no young person invited: the ambassadors invited to speak are told too (network).
    meeting_changed.send(sender=Meeting, meeting=meeting, invitations=invitations, cancelled=False)
    return len(invitations)


def cancel_meeting(meeting, user):
    """Cancel the meeting: its pending invitations are withdrawn (no reminder goes out) and each young
    person and counsellor is told. Returns the number of invitations withdrawn."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at is not None:
            raise MeetingError("Cette réunion est déjà annulée.")
        invitations = list(Invitation.objects.filter(meeting=meeting, status=Attendance.INVITED))
        Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now(), updated_at=timezone.now())
        meeting.refresh_from_db()
        withdraw(invitations, f"Réunion annulée par {user}", announce=False)
        # Sent even with no young person invited: the ambassadors invited to speak are told too (network).
        meeting_changed.send(sender=Meeting, meeting=meeting, invitations=invitations, cancelled=True)
    return len(invitations)
