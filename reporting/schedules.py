"""Scheduled exports (« Mes exports programmés »): a manager subscribes to a report (with its filters and
format), to the Erasmus+ Beneficiary Module file of an agreement, or to the funders' set (every report,
one attachment each), monthly or yearly on a day; the daily beat task mails each due file through the
outbox.

When is a subscription due? Its *occurrence* is the last scheduled day on or before today (the ``day`` of
this month or of the last one; for a yearly one, the ``day`` of ``month`` this year or last year). It is
due when that occurrence is not before the subscription was created and was not sent yet
(``last_occurrence``). A day the beat missed is caught up the next day; a second run the same day, or a
restart, finds the occurrence recorded and sends nothing. The outbox's key (subscription, occurrence) is
a second lock: the same occurrence is never recorded twice.
"""
import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from departures.enums import Funder
from departures.models import HostOrganisation, Scheme
from followup.enums import Channel, MessageKind
from followup.mail import render_staff_email
from followup.outbox import absolute_url, platform_name, queue_message
from ipm.access import has_capability
from referrals.models import Structure

from . import erasmus, evaluation, renderers, reports
from .filters import ReportFilters
from .models import ExportSubscription

log = logging.getLogger(__name__)

CAPABILITY = "scheduled_exports"
# The Beneficiary Module file exists as XLSX and CSV only.
ERASMUS_FORMATS = ("xlsx", "csv")
FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX (Excel)", "pdf": "PDF"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
FILTER_KEYS = ("scheme", "structure", "department", "funder", "host", "horizon")
# Subscriptions one manager may hold (each one builds files every month: not a place for hundreds).
MAX_PER_USER = 20


def format_label(fmt):
    return FORMAT_LABELS.get(fmt, fmt.upper())


def mimetype(fmt):
    """The attachment's type without its parameters (the email part adds its own charset)."""
    return renderers.CONTENT_TYPES[fmt].split(";")[0].strip()


def formats_for(kind):
    return ERASMUS_FORMATS if kind == ExportSubscription.ERASMUS else renderers.FORMATS


# --- When ------------------------------------------------------------------------------------------------

def occurrence(subscription, today):
    """The last scheduled day on or before ``today``."""
    day = subscription.day
    if subscription.frequency == ExportSubscription.YEARLY:
        this_year = datetime.date(today.year, subscription.month, day)
        return this_year if this_year <= today else this_year.replace(year=today.year - 1)
    this_month = datetime.date(today.year, today.month, day)
    if this_month <= today:
        return this_month
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return datetime.date(year, month, day)


def due_occurrence(subscription, today):
    """The occurrence to send today, or None."""
    when = occurrence(subscription, today)
    if when < timezone.localdate(subscription.created_at):
        return None
    if subscription.last_occurrence is not None and when <= subscription.last_occurrence:
        return None
    return when


def next_send(subscription, today=None):
    """The next day this subscription will be sent (for the list)."""
    today = today or timezone.localdate()
    when = due_occurrence(subscription, today)
    if when is not None:
        return today
    day = today + datetime.timedelta(days=1)
    for _ in range(366):
        if occurrence(subscription, day) == day and due_occurrence(subscription, day) == day:
            return day
        day += datetime.timedelta(days=1)
    return None


# --- What ------------------------------------------------------------------------------------------------

def years(subscription, today):
    if subscription.period == ExportSubscription.CURRENT_YEAR:
        return today.year, today.year
    if subscription.period == ExportSubscription.PREVIOUS_YEAR:
        return today.year - 1, today.year - 1
    return None, None


def report_filters(subscription, today):
    """The ``ReportFilters`` of a subscription, restricted to what its owner may see. A filter naming a
    row since deleted is left out (and said in the email by ``describe``)."""
    data = subscription.filters or {}

    def row(model, key):
        return model.objects.filter(pk=data[key]).first() if data.get(key) else None

    year_from, year_to = years(subscription, today)
    return ReportFilters(
        year_from=year_from, year_to=year_to, scheme=row(Scheme, "scheme"), structure=row(Structure, "structure"),
        department=data.get("department") or "", funder=data.get("funder") or "", host=row(HostOrganisation, "host"),
        horizon=int(data.get("horizon") or 6), user=subscription.owner,
    )


def attachments(subscription, today):
    """``(files, notes)``: the ``(name, bytes, mimetype)`` files to attach and the lines to add to the
    email (the Erasmus+ pre-checks' problems)."""
    fmt = subscription.fmt
    if subscription.kind == ExportSubscription.ERASMUS:
        agreement = subscription.agreement
        stays, problems, platform = erasmus.prepare(agreement)
        content = erasmus.export(agreement, fmt, stays, platform)
        notes = [f"- {p.message}" for p in problems]
        if notes:
            notes.insert(0, f"Attention : {len(problems)} problème(s) que le Beneficiary Module refuserait :")
        return [(erasmus.filename(agreement, fmt), content, mimetype(fmt))], notes
    filters = report_filters(subscription, today)
    names = list(reports.REPORTS) if subscription.kind == ExportSubscription.FUNDER_SET else [subscription.report]
    files = []
    for name in names:
        report = reports.build(name, filters)
        files.append((renderers.filename(report, fmt), renderers.render(report, fmt), mimetype(fmt)))
    if subscription.kind == ExportSubscription.FUNDER_SET and fmt == "xlsx":
        files.append((evaluation.filename(filters), evaluation.workbook(filters), mimetype("xlsx")))
    return files, []


# --- Words -----------------------------------------------------------------------------------------------

def what_label(subscription):
    if subscription.kind == ExportSubscription.ERASMUS:
        agreement = subscription.agreement
        number = agreement.grant_agreement_number if agreement else "?"
        return f"Fichier Erasmus+ (Beneficiary Module) de la convention {number}"
    if subscription.kind == ExportSubscription.FUNDER_SET:
        return "Rapports des financeurs (" + ", ".join(reports.REPORT_TITLES.values()) + ")"
    return f"Rapport « {reports.REPORT_TITLES.get(subscription.report, subscription.report)} »"


def when_label(subscription):
    if subscription.frequency == ExportSubscription.YEARLY:
        return f"chaque année le {subscription.day} {MONTHS[subscription.month - 1]}"
    return f"chaque mois le {subscription.day}"


def filter_labels(subscription):
    """The filters in words (a deleted row is said so rather than silently dropped)."""
    if subscription.kind == ExportSubscription.ERASMUS:
        return []
    data = subscription.filters or {}
    labels = []
    for key, model, label in (("scheme", Scheme, "Dispositif"), ("structure", Structure, "Structure"),
                              ("host", HostOrganisation, "Structure d'accueil")):
        if data.get(key):
            row = model.objects.filter(pk=data[key]).first()
            labels.append(f"{label} : {row if row else 'supprimé(e)'}")
    if data.get("funder"):
        labels.append(f"Financeur : {dict(Funder.choices).get(data['funder'], data['funder'])}")
    if data.get("department"):
        labels.append(f"Département : {data['department']}")
    if subscription.report == "outcomes" and data.get("horizon"):
        labels.append(f"Situation à {data['horizon']} mois")
    return labels


def describe(subscription):
    """One line: what, which period and filters, which format, when."""
    parts = [what_label(subscription)]
    if subscription.kind != ExportSubscription.ERASMUS:
        parts.append(subscription.get_period_display().split(" (")[0].lower())
    parts += filter_labels(subscription)
    parts += [format_label(subscription.fmt), when_label(subscription)]
    return " — ".join(parts)


def _body(subscription, when, files, notes):
    lines = [
        "Bonjour,",
        "",
        f"Voici votre export programmé du {when:%d/%m/%Y} :",
        describe(subscription),
        "",
        "Pièce(s) jointe(s) :",
        *[f"- {name}" for name, _content, _type in files],
    ]
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "Ces fichiers contiennent des données de la plateforme : ne les transférez qu'aux personnes qui y ont droit.",
    ]
    # Both bodies from the outbox's templates, with the platform's footer.
    return render_staff_email(lines, absolute_url(reverse("reporting:schedules")), "Modifier ou arrêter cet envoi")


# --- Sending ---------------------------------------------------------------------------------------------

def send(subscription_id, today=None):
    """Send one subscription if it is due today. Returns True if a message was queued. The row is locked
    while the file is built and the message recorded: a second worker waits, then finds it sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        subscription = (ExportSubscription.objects.select_for_update(of=("self",))
                        .select_related("owner", "agreement").filter(pk=subscription_id).first())
        if subscription is None:
            return False
        when = due_occurrence(subscription, today)
        if when is None:
            return False
        owner = subscription.owner
        problem = ""
        if not owner.is_active or not has_capability(owner, CAPABILITY):
            problem = "le compte de l'abonné n'a plus accès aux exports programmés"
        elif not owner.email:
            problem = "le compte de l'abonné n'a pas d'adresse électronique"
        elif subscription.kind == ExportSubscription.ERASMUS and subscription.agreement is None:
            problem = "la convention Erasmus+ n'existe plus"
        if problem:
            ExportSubscription.objects.filter(pk=subscription.pk).update(last_error=f"{when:%d/%m/%Y} : {problem}")
            return False
        files, notes = attachments(subscription, today)
        text, html = _body(subscription, when, files, notes)
        queued = queue_message(
            MessageKind.SCHEDULED_EXPORT, Channel.EMAIL, f"export:{subscription.pk}", when.isoformat(), owner.email,
            text, subject=f"{platform_name()} — {what_label(subscription)}", attachments=files, html=html,
        )
        ExportSubscription.objects.filter(pk=subscription.pk).update(
            last_occurrence=when, last_sent_at=timezone.now() if queued else subscription.last_sent_at, last_error="",
        )
        return queued


def send_due(today=None):
    """Every due subscription (the daily beat task). One failing subscription does not stop the others:
    its error is recorded on it, and it is tried again at the next run."""
    today = today or timezone.localdate()
    counts = {"sent": 0, "failed": 0}
    for pk in ExportSubscription.objects.order_by("pk").values_list("pk", flat=True):
        try:
            if send(pk, today):
                counts["sent"] += 1
        except Exception as exc:  # noqa: BLE001 — recorded on the subscription, the others go on
            log.exception("Export programmé n° %s : échec", pk)
            counts["failed"] += 1
            ExportSubscription.objects.filter(pk=pk).update(
                last_error=f"{today:%d/%m/%Y} : {type(exc).__name__} : {exc}"[:2000])
    return counts
