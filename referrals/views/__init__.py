"""Referrals pages, one module per screen family: ``fiches`` (the fiches de liaison and « Mes jeunes »)
and ``meetings`` (information meetings, interviews, preparation for departure: list, edit, invitations,
attendance, calendar file)."""
