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


# Invitations that hold a seat (an absent or excused young person frees it).
SEAT_HOLDING = frozenset({Attendance.INVITED, Attendance.PRESENT})
