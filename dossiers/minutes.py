"""The minutes (procès-verbal) of a commission session as a PDF, kept in the file cache (ipm/filecache.py)
as long as nothing it prints changes.

The fingerprint is the minutes' own HTML, rendered without its « Document établi le » line: every datum
the PDF prints — the session (date, time, place, members, notes), each dossier's young person,
structure, scheme, score, decision and motivation, the platform's name — and the template itself are in
it, and nothing else is. Rendering that HTML costs a few queries and milliseconds; the PDF (WeasyPrint)
costs hundreds. So a change of any printed datum, whatever wrote it (a form, a bulk ``update()``, the RGPD
erasure), gives a new file at the next download, and an unchanged session is served from the cache. The
entry expires after ``IPM_MINUTES_CACHE_SECONDS`` (a day: the minutes name people), and the erasure drops
the minutes of the person's sessions at once (``forget``).
"""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ipm import filecache
from ipm.pdf import html_to_pdf

from .enums import Decision
from .models import CommissionReview

KIND = "minutes"
TEMPLATE = "dossiers/commission/minutes_pdf.html"


def _context(session):
    reviews = list(
        session.reviews.select_related("dossier__youth", "dossier__structure", "dossier__scheme", "postponed_to")
        .prefetch_related("scores")
        .order_by("dossier__youth__last_name", "dossier__youth__first_name", "pk")
    )
    counts = {d: sum(1 for r in reviews if r.decision == d) for d in Decision.values}
    return {
        "session": session,
        "reviews": reviews,
        "members": list(session.members.order_by("last_name", "first_name", "pk")),
        "counts": {Decision(d).label: n for d, n in counts.items()},
        "platform_name": settings.IPM_PLATFORM_NAME,
    }


def minutes_pdf(session):
    """The minutes of ``session`` as PDF bytes: from the cache when nothing they print has changed."""
    context = _context(session)
    printed = render_to_string(TEMPLATE, {**context, "generated_at": None})
    fingerprint = filecache.digest(printed)

    def render():
        return "", html_to_pdf(render_to_string(TEMPLATE, {**context, "generated_at": timezone.localtime()}))

    return filecache.get_or_render(KIND, session.pk, fingerprint, render, settings.IPM_MINUTES_CACHE_SECONDS)[1]


def forget_for_dossiers(dossier_ids):
    """Drop the cached minutes of every session that examined one of these dossiers (the RGPD erasure)."""
    sessions = CommissionReview.objects.filter(dossier__in=dossier_ids).values_list("session_id", flat=True)
    filecache.forget(KIND, *set(sessions))
