"""Choices of the meetings (information collective, individual interview, preparation for departure)."""
from django.db import models


class MeetingKind(models.TextChoices):
    INFO = "info_collective", "Information collective"
    PREPARATION = "preparation", "Préparation au départ"
    INTERVIEW = "entretien", "Entretien individuel"


# Meetings that stand for the information step of the wheel: being present there moves a dossier on.
WHEEL_INFO_KINDS = frozenset({MeetingKind.INFO, MeetingKind.INTERVIEW})


class Attendance(models.TextChoices):
    INVITED = "invite", "Invité"
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excuse", "Excusé"
    # Set by the application, never on the attendance form: the dossier moved on, or the meeting was cancelled.
    WITHDRAWN = "retiree", "Invitation retirée"


# What staff record on the meeting page.
ATTENDANCE_CHOICES = [(value, label) for value, label in Attendance.choices if value != Attendance.WITHDRAWN]


# Invitations that hold a seat (an absent or excused young person frees it).
SEAT_HOLDING = frozenset({Attendance.INVITED, Attendance.PRESENT})
