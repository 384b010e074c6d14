"""Dates that agree with the wheel, for meetings: plain functions called by the pages and by the
services that write (``referrals.meetings``), each returning the French message that refuses, or None.
See docs/integrity.md."""
from django.utils import timezone

from .meeting_enums import Attendance


def attendance_error(meeting, status, today=None):
    """« Présent » is recorded on the meeting's day or after it, never before."""
    today = today or timezone.localdate()
    if status == Attendance.PRESENT and today < meeting.date:
        return (f"La réunion du {meeting.date:%d/%m/%Y} n'a pas encore eu lieu : « présent » s'enregistre le jour "
                "de la réunion ou après.")
    return None
