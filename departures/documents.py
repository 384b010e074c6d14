"""Draft Erasmus+ mobility documents of a stay, as PDFs (WeasyPrint): the learning agreement before the
stay (the placement's tasks and expected learning outcomes, to sign by the young person, the platform and
the host) and the Europass Mobility after it (the skills acquired, from the return review and the site
visits). Drafts: what the platform does not hold is left as lines to fill in, never invented."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ipm.pdf import html_to_pdf

from .models import Platform


def _render(template, stay, **context):
    dossier = stay.dossier
    html = render_to_string(template, {
        "stay": stay, "dossier": dossier, "youth": dossier.youth, "scheme": stay.scheme, "host": stay.host,
        "platform": Platform.get(),
        "PLATFORM_NAME": settings.IPM_PLATFORM_NAME, "today": timezone.localdate(), **context,
    })
    return html_to_pdf(html)


def learning_agreement_pdf(stay):
    project = getattr(stay.dossier, "project", None)
    sector = (stay.host.sector if stay.host_id else "") or (project.sector if project else "")
    return _render("departures/learning_agreement_pdf.html", stay, sector=sector)


def europass_pdf(stay):
    visits = list(stay.visits.order_by("visit_date"))
    return _render("departures/europass_pdf.html", stay, visits=visits)
