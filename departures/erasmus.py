"""Erasmus+ mobilities of a funding agreement: which stays they are, their stable mobility activity
IDs, whether the participant has fewer opportunities, and what the Beneficiary Module import would
refuse (the pre-checks, in French, each with the page that fixes it). docs/erasmus.md."""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dossiers.enums import old_level

from .enums import ActivityType, Funder
from .grants import funded_days, receiving_city
from .models import FundingAgreement, Platform, Stay

# Funded duration (travel days included) the activity types accept, in days.
DURATION_RANGES = {
    ActivityType.VET_SHORT: (10, 89),
    ActivityType.VET_LONG: (90, 365),
    ActivityType.YOUTH_EXCHANGE: (5, 21),
}


def fewer_opportunities(youth):
    """Rule (documented): no qualification beyond level V (VI, Vbis, V or 2019 level 3), or lives in a
    priority urban area (QPV), or in a rural revitalisation area (ZRR). Unknown values count as no."""
    return old_level(youth.qualification_level) in {"VI", "Vbis", "V"} or youth.qpv is True or youth.zrr is True


def stay_year(stay):
    start = stay.departure_date or stay.planned_start
    return start.year if start else None


def erasmus_agreements():
    return FundingAgreement.objects.filter(funder=Funder.ERASMUS).exclude(grant_agreement_number="")


def default_agreement(stay, agreements=None):
    """The stay's own agreement, else the only Erasmus+ agreement (with a number) of its scheme and year."""
    if stay.funding_agreement_id:
        return stay.funding_agreement
    year = stay_year(stay)
    if year is None:
        return None
    if agreements is None:
        candidates = list(erasmus_agreements().filter(scheme_id=stay.scheme_id, year=year))
    else:
        candidates = [a for a in agreements if a.scheme_id == stay.scheme_id and a.year == year]
    return candidates[0] if len(candidates) == 1 else None


def agreement_stays(agreement):
    """The stays of an agreement, by departure (planned departure) then id: those attached to it, and
    those of its scheme and year attached to none when it is the only Erasmus+ agreement there."""
    query = Q(funding_agreement=agreement)
    siblings = erasmus_agreements().filter(scheme_id=agreement.scheme_id, year=agreement.year)
    if agreement.funder == Funder.ERASMUS and agreement.grant_agreement_number and siblings.count() == 1:
        query |= Q(funding_agreement__isnull=True, scheme_id=agreement.scheme_id) & (
            Q(departure_date__year=agreement.year)
            | Q(departure_date__isnull=True, planned_start__year=agreement.year)
        )
    return (
        Stay.objects.filter(query)
        .select_related("dossier__youth", "host", "scheme", "funding_agreement")
        .order_by("departure_date", "planned_start", "pk")
    )


MOBILITY_ID_SEQUENCE_DIGITS = 5


def mobility_id_prefix(agreement):
    """The Beneficiary Module's own pattern for the IDs it creates: the last six digits of the project
    reference, « -MOB- », then a number (e.g. 123456-MOB-00001). docs/erasmus.md."""
    digits = "".join(ch for ch in agreement.grant_agreement_number if ch.isdigit())
    return f"{digits[-6:]}-MOB-"


def mobility_label(stay):
    """How a stay is named in messages before it has its mobility activity ID."""
    return stay.mobility_activity_id or f"séjour n° {stay.pk}"


@transaction.atomic
def assign_mobility_ids(agreement, stays, exported=False):
    """Give each stay without one its mobility activity ID, in the order given (the file's order),
    numbered after the highest number already given with the agreement's prefix; an ID, once given, is
    kept forever (even if the stay moves to another agreement). The agreement's row is locked so two
    exports at once cannot give the same number. Marks the first export."""
    now = timezone.now()
    FundingAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
    pks = [stay.pk for stay in stays]
    current = dict(Stay.objects.filter(pk__in=pks).values_list("pk", "mobility_activity_id"))
    missing = [stay for stay in stays if not current.get(stay.pk)]
    if missing:
        prefix = mobility_id_prefix(agreement)
        taken = Stay.objects.filter(mobility_activity_id__startswith=prefix).values_list("mobility_activity_id", flat=True)
        numbers = [int(tail) for tail in (value[len(prefix):] for value in taken) if tail.isdigit()]
        next_number = max(numbers, default=0) + 1
        for offset, stay in enumerate(missing):
            stay.mobility_activity_id = f"{prefix}{next_number + offset:0{MOBILITY_ID_SEQUENCE_DIGITS}d}"
        # In batches: one UPDATE … CASE over thousands of rows costs the square of their number.
        Stay.objects.bulk_update(missing, ["mobility_activity_id"], batch_size=500)
    for stay in stays:
        if current.get(stay.pk):
            stay.mobility_activity_id = current[stay.pk]
    if exported:
        Stay.objects.filter(pk__in=pks, mobility_id_exported_at__isnull=True).update(mobility_id_exported_at=now)
        for stay in stays:
            if stay.mobility_id_exported_at is None:
                stay.mobility_id_exported_at = now
    return stays


@dataclass
class Problem:
    stay: Stay | None
    message: str
    fix_url: str
    fix_label: str


def precheck(agreement, stays=None, platform=None):
    """The problems the Beneficiary Module import would refuse, in French, each with its fix."""
    platform = platform or Platform.get()
    stays = list(agreement_stays(agreement)) if stays is None else stays
    problems = []
    agreement_url = reverse("departures:funding_edit", args=[agreement.pk])
    if not platform.oid:
        problems.append(Problem(None, "La plateforme n'a pas d'OID Erasmus+ (organisation d'envoi).",
                                reverse("departures:platform_edit"), "Renseigner l'OID de la plateforme"))
    if not agreement.scheme.activity_type:
        problems.append(Problem(None, f"Le dispositif « {agreement.scheme} » n'a pas de type d'activité Erasmus+.",
                                reverse("departures:scheme_edit", args=[agreement.scheme_id]), "Modifier le dispositif"))
    if not (agreement.start_date and agreement.end_date):
        problems.append(Problem(None, "La période de la convention (début et fin) n'est pas renseignée.",
                                agreement_url, "Modifier la convention"))
    low_high = DURATION_RANGES.get(agreement.scheme.activity_type)
    for stay in stays:
        who = f"{stay.dossier.youth} ({mobility_label(stay)})"
        stay_url = reverse("departures:stay_edit", args=[stay.dossier_id])
        country, city = receiving_city(stay)
        if not stay.host_id:
            problems.append(Problem(stay, f"{who} : pas de structure d'accueil (organisation d'accueil).", stay_url,
                                    "Compléter le séjour"))
        else:
            host_url = reverse("departures:host_edit", args=[stay.host_id])
            if not stay.host.oid:
                problems.append(Problem(stay, f"{who} : la structure d'accueil « {stay.host.name} » n'a pas d'OID.",
                                        host_url, "Renseigner l'OID de la structure"))
            if stay.country and stay.host.country and stay.country != stay.host.country:
                problems.append(Problem(
                    stay, f"{who} : la structure d'accueil est en {stay.host.country.name}, le séjour en "
                          f"{stay.country.name} (le pays d'accueil doit être celui de l'organisation).",
                    stay_url, "Corriger le séjour"))
        if not country or not city:
            problems.append(Problem(stay, f"{who} : pays ou ville d'accueil manquant.", stay_url, "Compléter le séjour"))
        days = funded_days(stay)
        start = stay.departure_date or stay.planned_start
        end = stay.return_date or stay.planned_end
        if days is None:
            problems.append(Problem(stay, f"{who} : dates du séjour incomplètes.", stay_url, "Compléter le séjour"))
        else:
            # An interrupted stay (force majeure) is declared with its flag: the minimum does not apply.
            too_short = low_high and days < low_high[0] and not stay.interrupted
            if low_high and (too_short or days > low_high[1]):
                problems.append(Problem(
                    stay, f"{who} : durée financée de {days} jours, hors de la plage {low_high[0]}–{low_high[1]} jours "
                          f"du type d'activité.", stay_url, "Corriger les dates du séjour"))
            if agreement.start_date and agreement.end_date and (start < agreement.start_date or end > agreement.end_date):
                problems.append(Problem(
                    stay, f"{who} : séjour du {start:%d/%m/%Y} au {end:%d/%m/%Y}, hors de la période de la convention "
                          f"({agreement.start_date:%d/%m/%Y} – {agreement.end_date:%d/%m/%Y}).",
                    stay_url, "Corriger les dates du séjour"))
    return problems
