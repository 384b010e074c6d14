"""Multi-step operations of departures: quota, contract, co-payment, departure, return.

Each operation that moves a dossier runs in one transaction and moves it only through
``dossiers.transitions.apply_transition``; if the transition is refused, nothing else is saved.

Quota rule (places used)
------------------------
A place on a scheme is *used* in year Y by every dossier of that scheme whose **first** acceptance
by the commission (its first ``DossierEvent`` to "accepté") happened in Y (local time). The place
stays used whatever happens next: a dossier accepted then dropped, whose stay was interrupted, or
later refused on another pass still used the place the funder paid for. Each dossier counts once;
a young person who goes a second time has a second dossier, so a second place. The scheme is the
dossier's current scheme. A scheme with no funding agreement for the year has no quota: acceptances
are counted but never "over quota".
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from dossiers import transitions, workflow
from dossiers.models import DossierEvent
from dossiers.workflow import State
from ipm.pdf import html_to_pdf

from . import rules
from .models import Contract, CoPayment, FundingAgreement, Payment, QuotaOverrun, Scheme, Stay
from .signals import contract_generated


class DepartureError(Exception):
    """A refused operation; the message is French and meant for the user."""


class QuotaExceeded(DepartureError):
    def __init__(self, row):
        self.row = row
        super().__init__(
            f"Plus de place disponible sur « {row.scheme} » en {row.year} : {row.granted} place(s) accordée(s), "
            f"{row.used} déjà utilisée(s). Confirmez pour accepter quand même (le dépassement sera enregistré)."
        )


# --- Quota -----------------------------------------------------------------------------------------

@dataclass
class QuotaRow:
    scheme: Scheme
    year: int
    granted: int
    used: int
    amount: Decimal | None = None
    has_quota: bool = False  # at least one funding agreement for this scheme and year

    @property
    def left(self):
        return self.granted - self.used

    @property
    def over(self):
        return self.has_quota and self.used > self.granted


def _year_bounds(year):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime(year, 1, 1), tz)
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1), tz)
    return start, end


def first_acceptances(year):
    """Acceptance events that are the first acceptance of their dossier and fall in ``year``."""
    start, end = _year_bounds(year)
    earlier = DossierEvent.objects.filter(
        dossier=OuterRef("dossier"), to_state=State.ACCEPTED, created_at__lt=OuterRef("created_at")
    )
    return DossierEvent.objects.filter(
        to_state=State.ACCEPTED, created_at__gte=start, created_at__lt=end
    ).exclude(Exists(earlier))


def places_used(year, scheme=None):
    """{scheme_id: number of dossiers that used a place in ``year``} (one aggregate query)."""
    events = first_acceptances(year).filter(dossier__scheme__isnull=False)
    if scheme is not None:
        events = events.filter(dossier__scheme=scheme)
    rows = events.values("dossier__scheme").annotate(used=Count("dossier", distinct=True))
    return {row["dossier__scheme"]: row["used"] for row in rows}


def places_granted(year, scheme=None):
    agreements = FundingAgreement.objects.filter(year=year)
    if scheme is not None:
        agreements = agreements.filter(scheme=scheme)
    rows = agreements.values("scheme").annotate(granted=Sum("places"), amount=Sum("amount"))
    return {row["scheme"]: (row["granted"] or 0, row["amount"]) for row in rows}


def quota_summary(year=None):
    """Places granted, used and left per scheme for ``year`` (default: this year), as ``QuotaRow``s.

    Lists active schemes, plus any scheme with places granted or used that year, by name.
    """
    year = year or timezone.localdate().year
    used = places_used(year)
    granted = places_granted(year)
    schemes = Scheme.objects.filter(Q(active=True) | Q(pk__in=set(used) | set(granted))).order_by("name")
    return [
        QuotaRow(
            scheme=scheme, year=year, granted=granted.get(scheme.pk, (0, None))[0], used=used.get(scheme.pk, 0),
            amount=granted.get(scheme.pk, (0, None))[1], has_quota=scheme.pk in granted,
        )
        for scheme in schemes
    ]


def quota_for(scheme, year=None):
    year = year or timezone.localdate().year
    granted = places_granted(year, scheme)
    places, amount = granted.get(scheme.pk, (0, None))
    return QuotaRow(scheme=scheme, year=year, granted=places, used=places_used(year, scheme).get(scheme.pk, 0),
                    amount=amount, has_quota=scheme.pk in granted)


def check_quota(dossier, user, confirm_over_quota=False, comment=""):
    """The quota check of an acceptance, for any code that accepts a dossier (the commission decision
    too). Call it inside the transaction that applies the transition to "accepté".

    With no place left on the dossier's scheme this year, raises ``QuotaExceeded`` unless
    ``confirm_over_quota``; when confirmed, records the ``QuotaOverrun`` (who, when, which dossier) and
    returns it. Returns None when within quota (or no scheme / no funding agreement).
    """
    if not dossier.scheme_id:
        return None
    # Lock the scheme row so that two acceptances at once cannot both take the last place.
    scheme = Scheme.objects.select_for_update().get(pk=dossier.scheme_id)
    row = quota_for(scheme)
    if not row.has_quota or row.left > 0:
        return None
    if not confirm_over_quota:
        raise QuotaExceeded(row)
    return QuotaOverrun.objects.create(
        dossier=dossier, scheme=row.scheme, year=row.year, places_granted=row.granted,
        places_used=row.used, confirmed_by=user, comment=comment,
    )


def accept_dossier(dossier, user, comment="", confirm_over_quota=False, event_comment=None):
    """The commission accepts ``dossier``: quota check (see ``check_quota``) and the transition to
    "accepté", in one transaction. The one path of every acceptance: the commission's decision screen
    calls it too. ``event_comment``: the timeline's comment, when not ``comment`` (the overrun's)."""
    with transaction.atomic():
        check_quota(dossier, user, confirm_over_quota, comment)
        return _move(dossier, State.ACCEPTED, user, comment if event_comment is None else event_comment)


def transition_page(dossier, target):
    """URL of the screen that records the move of ``dossier`` to ``target`` (named in the workflow
    table, ``dossiers.workflow``), or None when the generic action of the dossier page does."""
    link = transitions.screen_link(dossier, target)
    return link[0] if link else None


# --- Stay planning ---------------------------------------------------------------------------------

def get_or_start_stay(dossier):
    """The dossier's stay, or a new unsaved one on the dossier's scheme."""
    if _has_stay(dossier):
        return dossier.stay
    return Stay(dossier=dossier, scheme_id=dossier.scheme_id)


def _has_stay(dossier):
    try:
        dossier.stay
    except Stay.DoesNotExist:
        return False
    return True


# --- Contract --------------------------------------------------------------------------------------

COMMITMENTS = [
    "Être ponctuel(le) et assidu(e) auprès de la structure d'accueil, et en respecter le règlement.",
    "Remplir régulièrement son Europass (passeport de compétences) pendant le séjour.",
    "Remettre un rapport d'activité à la plateforme au retour.",
    "Rester en contact avec la plateforme pendant les six mois qui suivent le retour "
    "(un contact au moins chaque mois).",
    "Prévenir sans délai la plateforme de toute difficulté pendant le séjour.",
]

VARIANT_CLAUSES = {
    "stage": [
        "Suivre le stage en entreprise prévu par la convention Erasmus+ et en respecter les horaires.",
        "Accepter la visite in situ du conseiller de la plateforme et de son tuteur.",
    ],
    "travail": [
        "Respecter le contrat de travail signé avec l'employeur à l'étranger et la législation du pays d'accueil.",
    ],
    "collectif": [
        "Participer à toutes les activités du groupe et respecter les consignes des accompagnateurs.",
    ],
}


def contract_commitments(scheme):
    variant = scheme.contract_variant if scheme else "standard"
    return COMMITMENTS + VARIANT_CLAUSES.get(variant, [])


def copayment_amount(dossier):
    """The co-payment recorded for ``dossier`` (0 when waived; the scheme's default while none is)."""
    copayment = CoPayment.objects.filter(dossier=dossier).first()
    if copayment is None:
        return dossier.scheme.default_copayment if dossier.scheme else Decimal("0")
    return Decimal("0") if copayment.waived else copayment.amount_due


def contract_missing(dossier):
    """What the contract needs that the stay does not say yet, in French (empty when it can be generated):
    the destination (country, city), the host organisation, the planned dates, and the reason when the
    host is in another country than the stay."""
    stay = dossier.stay if _has_stay(dossier) else None
    if stay is None:
        return ["le séjour (destination, structure d'accueil, dates prévues)"]
    missing = []
    if not stay.country:
        missing.append("le pays de destination")
    if not stay.city:
        missing.append("la ville de destination")
    if stay.host_id is None:
        missing.append("la structure d'accueil")
    elif stay.country and stay.host.country != stay.country and not stay.host_country_reason.strip():
        missing.append("le motif d'une structure d'accueil dans un autre pays que le séjour")
    if stay.planned_start is None:
        missing.append("la date de départ prévue")
    if stay.planned_end is None:
        missing.append("la date de retour prévue")
    return missing


def render_contract_pdf(dossier, version, when=None):
    """The contract of ``dossier`` as PDF bytes (WeasyPrint)."""
    stay = dossier.stay if _has_stay(dossier) else None
    copayment = CoPayment.objects.filter(dossier=dossier).first()
    html = render_to_string("departures/contract_pdf.html", {
        "dossier": dossier, "youth": dossier.youth, "scheme": dossier.scheme, "stay": stay,
        "host": stay.host if stay else None, "commitments": contract_commitments(dossier.scheme),
        "copayment": copayment, "copayment_amount": copayment_amount(dossier), "version": version,
        "generated_on": when or timezone.localdate(), "PLATFORM_NAME": settings.IPM_PLATFORM_NAME,
    })
    return html_to_pdf(html)


def generate_contract(dossier, user):
    """Generate a new version of the contract; earlier versions are kept."""
    if dossier.state not in workflow.CONTRACT_STATES:
        raise DepartureError("Le contrat se prépare quand le dossier est accepté par la commission.")
    if not dossier.scheme_id:
        raise DepartureError("Choisissez d'abord le dispositif du dossier : le contrat en dépend.")
    if missing := contract_missing(dossier):
        raise DepartureError(f"Le contrat n'a pas été généré : il manque {', '.join(missing)}. "
                             "Complétez le séjour, puis générez le contrat.")
    with transaction.atomic():
        last = Contract.objects.select_for_update().filter(dossier=dossier).order_by("-version").first()
        version = (last.version + 1) if last else 1
        # The co-payment printed is the one recorded: with none yet, the scheme's default is recorded first.
        created = not CoPayment.objects.filter(dossier=dossier).exists()
        ensure_copayment(dossier)
        contract = Contract(dossier=dossier, version=version, generated_by=user, copayment_amount=copayment_amount(dossier))
        contract.pdf.save(f"contrat-v{version}.pdf", ContentFile(render_contract_pdf(dossier, version)), save=False)
        contract.save()
        contract_generated.send(sender=Contract, contract=contract)  # the young person is told it is ready
    contract.copayment_created = created  # the page says the default was recorded
    return contract


def sign_contract(dossier, user, signed_on, scan=None, comment=""):
    """Record the signature of the latest contract version. From "accepté" the dossier moves to
    "contrat signé"; once signed, a regenerated version (an amendment) is signed without a move."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().filter(dossier=dossier).order_by("-version").first()
        if contract is None:
            raise DepartureError("Générez d'abord le contrat : la signature porte sur sa dernière version.")
        if contract.is_signed:
            raise DepartureError(f"La version {contract.version} du contrat est déjà signée.")
        if problem := rules.signature_date_error(dossier, signed_on):
            raise DepartureError(problem)
        if dossier.state != State.CONTRACT_SIGNED:
            _move(dossier, State.CONTRACT_SIGNED, user, comment or f"Contrat v{contract.version} signé le {signed_on:%d/%m/%Y}")
        contract.signed_on = signed_on
        contract.signature_recorded_by = user
        if scan:
            contract.signed_scan.save(scan.name, scan, save=False)
        contract.save()
    return contract


def attach_signed_scan(contract, scan):
    contract.signed_scan.save(scan.name, scan, save=True)
    return contract


# --- Co-payment ------------------------------------------------------------------------------------

def set_copayment(dossier, amount_due):
    copayment, _ = CoPayment.objects.update_or_create(dossier=dossier, defaults={"amount_due": amount_due})
    return copayment


def ensure_copayment(dossier):
    copayment = CoPayment.objects.filter(dossier=dossier).first()
    if copayment is None:
        default = dossier.scheme.default_copayment if dossier.scheme else Decimal("0")
        # get_or_create: two payments sent at the same moment must not both try to create it (unique).
        copayment, _ = CoPayment.objects.get_or_create(dossier=dossier, defaults={"amount_due": default})
    return copayment


def record_payment(dossier, user, paid_on, amount, means, notes=""):
    with transaction.atomic():
        copayment = ensure_copayment(dossier)
        return Payment.objects.create(
            copayment=copayment, paid_on=paid_on, amount=amount, means=means, notes=notes, recorded_by=user
        )


def waive_copayment(dossier, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DepartureError("Indiquez le motif de la dispense.")
    with transaction.atomic():
        copayment = ensure_copayment(dossier)
        copayment.waived = True
        copayment.waiver_reason = reason
        copayment.waived_by = user
        copayment.waived_at = timezone.now()
        copayment.save()
    return copayment


def cancel_waiver(dossier):
    CoPayment.objects.filter(dossier=dossier).update(
        waived=False, waiver_reason="", waived_by=None, waived_at=None, updated_at=timezone.now()
    )


# --- Departure and return --------------------------------------------------------------------------

def _move(dossier, target, user, comment):
    try:
        return transitions.apply_transition(dossier, target, user, comment)
    except workflow.TransitionError as exc:
        raise DepartureError(str(exc)) from exc


def _stay_or_error(dossier):
    if not _has_stay(dossier):
        raise DepartureError("Renseignez d'abord le séjour (destination, structure d'accueil, dates).")
    return Stay.objects.select_for_update().get(pk=dossier.stay.pk)


def record_departure(dossier, user, departure_date, comment=""):
    """The young person has left: actual departure date, dossier "en séjour". The co-payment never
    blocks a departure."""
    if problem := rules.departure_date_error(dossier, departure_date):
        raise DepartureError(problem)
    with transaction.atomic():
        stay = _stay_or_error(dossier)
        _move(dossier, State.ABROAD, user, comment or f"Départ le {departure_date:%d/%m/%Y}")
        stay.departure_date = departure_date
        if dossier.scheme_id:
            stay.scheme_id = dossier.scheme_id  # the scheme may have changed since the stay was planned
        stay.save(update_fields=["departure_date", "scheme", "updated_at"])
    return stay


def _check_return_date(stay, return_date, early_return_is_interruption=False):
    problem = rules.return_date_error(stay, return_date)
    if problem is None and early_return_is_interruption:
        problem = rules.early_return_error(stay, return_date)
    if problem:
        raise DepartureError(problem)


def record_early_return(dossier, user, return_date, reason):
    """An early return: the stay is interrupted, with its reason; dossier "séjour interrompu"."""
    reason = (reason or "").strip()
    if not reason:
        raise DepartureError("Indiquez le motif du retour anticipé.")
    with transaction.atomic():
        stay = _stay_or_error(dossier)
        _check_return_date(stay, return_date)
        _move(dossier, State.INTERRUPTED, user, f"Retour anticipé le {return_date:%d/%m/%Y} : {reason}")
        stay.return_date = return_date
        stay.interrupted = True
        stay.interruption_reason = reason
        stay.save(update_fields=["return_date", "interrupted", "interruption_reason", "updated_at"])
    return stay


def record_return(dossier, user, return_date, comment=""):
    """The end of the stay as planned: actual return date, dossier "de retour"."""
    with transaction.atomic():
        stay = _stay_or_error(dossier)
        _check_return_date(stay, return_date, early_return_is_interruption=True)
        _move(dossier, State.RETURNED, user, comment or f"Retour le {return_date:%d/%m/%Y}")
        stay.return_date = return_date
        stay.save(update_fields=["return_date", "updated_at"])
    return stay


def record_return_review(dossier, user, review_date, notes, activity_report=None,
                         europass_mobility_issued=None, europass_status=None):
    """The return review (bilan de retour), with the activity report: the dossier goes "en suivi",
    which starts the six-month follow-up."""
    with transaction.atomic():
        stay = _stay_or_error(dossier)
        if stay.return_date is None:
            raise DepartureError("Enregistrez d'abord la date de retour.")
        if review_date < stay.return_date:
            raise DepartureError(f"Le bilan ne peut pas précéder le retour ({stay.return_date:%d/%m/%Y}).")
        _move(dossier, State.FOLLOW_UP, user, f"Bilan de retour fait le {review_date:%d/%m/%Y}")
        stay.review_date = review_date
        stay.review_notes = notes
        stay.review_by = user
        if europass_mobility_issued is not None:
            stay.europass_mobility_issued = europass_mobility_issued
        if europass_status:
            stay.europass_status = europass_status
        if activity_report:
            stay.activity_report.save(activity_report.name, activity_report, save=False)
        stay.save()
    return stay
