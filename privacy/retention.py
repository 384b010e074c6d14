"""Retention (RGPD art. 5-1-e): young people whose dossiers have all been closed for more than
``IPM_RETENTION_YEARS`` years are anonymised (``rgpd.anonymise_youth``), monthly by Celery beat and by
``python manage.py apply_retention``."""
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dossiers.workflow import FINAL_STATES

from .rgpd import ANONYMOUS_KEY_PREFIX, anonymise_youth


def retention_years():
    return settings.IPM_RETENTION_YEARS


def retention_cutoff(years=None, now=None):
    years = retention_years() if years is None else years
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def retention_candidates(years=None, now=None):
    """Young people not yet anonymised, with at least one dossier, all of whose dossiers are closed
    (« clos » or « abandon ») since before the cut-off (``years`` ago)."""
    from dossiers.models import Dossier, Youth

    cutoff = retention_cutoff(years, now)
    still_kept = Dossier.objects.filter(youth=OuterRef("pk")).filter(
        ~Q(state__in=FINAL_STATES) | Q(state_changed_at__gte=cutoff)
    )
    return (
        Youth.objects.exclude(match_key__startswith=ANONYMOUS_KEY_PREFIX)
        .filter(Exists(Dossier.objects.filter(youth=OuterRef("pk"))))
        .exclude(Exists(still_kept))
        .order_by("pk")
    )


def apply_retention(years=None, dry_run=False, now=None):
    """Anonymise every young person past retention; returns the list of (youth id, Erasure or None)."""
    done = []
    for youth in retention_candidates(years, now):
        done.append((youth.pk, None if dry_run else anonymise_youth(youth)))
    return done
