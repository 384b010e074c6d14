"""The network dashboard: per mission locale and year, its counsellors invited to and present at network
meetings (cancelled ones left out), the fiches it sent, its young people's departures and the pairs of its
candidates under way (at the end of the year, or today for the current year: an ended pair no longer
counts); the missions locales that sent no fiche that year come first in « à visiter en priorité ». A few
grouped queries, whatever the number of rows."""
import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from departures.models import Stay
from referrals.enums import ReferralStatus, StructureKind
from referrals.models import Referral, Structure

from .enums import Presence
from .models import NetworkInvitation, Pairing


@dataclass
class StructureRow:
    structure: object
    invited: int = 0
    present: int = 0
    fiches: int = 0
    departures: int = 0
    pairs: int = 0


def _per_structure(queryset, path, counted="pk", distinct=False):
    grouped = queryset.values(path).annotate(n=Count(counted, distinct=distinct)).order_by()
    return {row[path]: row["n"] for row in grouped}


def dashboard(year):
    """(rows, silent): one row per active mission locale for ``year``, and those of them with no fiche."""
    structures = list(Structure.objects.filter(active=True, kind=StructureKind.MISSION_LOCALE).order_by("name"))
    invitations = NetworkInvitation.objects.filter(meeting__date__year=year, meeting__cancelled_at__isnull=True,
                                                   user__isnull=False, user__structure__isnull=False)
    invited = _per_structure(invitations, "user__structure", "user", distinct=True)
    present = _per_structure(invitations.filter(status=Presence.PRESENT), "user__structure", "user", distinct=True)
    fiches = _per_structure(Referral.objects.filter(status=ReferralStatus.SUBMITTED, submitted_at__year=year),
                            "structure")
    departures = _per_structure(
        Stay.objects.filter(departure_date__year=year, departure_date__lte=timezone.localdate()),
        "dossier__structure")
    pairs = _per_structure(Pairing.objects.active_on(pairs_counted_on(year)), "candidate__structure")
    rows = [StructureRow(s, invited.get(s.pk, 0), present.get(s.pk, 0), fiches.get(s.pk, 0),
                         departures.get(s.pk, 0), pairs.get(s.pk, 0)) for s in structures]
    return rows, [row.structure for row in rows if row.fiches == 0]


def pairs_counted_on(year):
    """The day the pairs under way are counted: the end of ``year``, or today while it runs."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def totals(rows):
    return StructureRow(None, *(sum(getattr(r, name) for r in rows)
                                for name in ("invited", "present", "fiches", "departures", "pairs")))


def years_offered():
    """The years the filter offers: from the first network meeting or fiche to next year."""
    today = timezone.localdate().year
    first = Referral.objects.filter(submitted_at__isnull=False).order_by("submitted_at").values_list(
        "submitted_at", flat=True).first()
    start = min(first.year if first else today, today)
    return list(range(today + 1, start - 1, -1))
