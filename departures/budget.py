"""The money of one funding agreement beside its places (docs/erasmus.md):

- granted: the agreement's amount;
- committed: the computed grants (unit costs) of its accepted departures — contract to sign or signed,
  or departed; a dossier dropped before leaving gives its money back;
- paid: the grant payments recorded for its stays (advances to the young person, balances);
- left: granted − committed (negative: over-committed, warned like an overrun of places);
- co-payments received: the young people's contributions recorded on those dossiers.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from dossiers.workflow import CONTRACT_STATES

from .erasmus import agreement_stays, default_agreement, fewer_opportunities
from .grants import rates_for, compute_grant
from .models import GrantPayment, Payment, Platform
from .services import quota_for

ZERO = Decimal("0")


@dataclass
class BudgetLine:
    stay: object
    grant: object
    committed: bool
    paid: Decimal


@dataclass
class Budget:
    agreement: object
    places: object  # QuotaRow of the agreement's scheme and year
    lines: list = field(default_factory=list)
    copayments_received: Decimal = ZERO

    @property
    def granted(self):
        return self.agreement.amount

    @property
    def committed(self):
        return sum((line.grant.total or ZERO for line in self.lines if line.committed), ZERO)

    @property
    def uncomputed(self):
        """Committed departures whose grant could not be computed (their problems are listed)."""
        return [line for line in self.lines if line.committed and line.grant.total is None]

    @property
    def paid(self):
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def left(self):
        return None if self.granted is None else self.granted - self.committed

    @property
    def over(self):
        return self.left is not None and self.left < 0


def is_committed(stay):
    return stay.departure_date is not None or stay.dossier.state in CONTRACT_STATES


def grant_for_stay(stay, platform=None):
    """The grant of one stay under its agreement (the stay's page)."""
    agreement = default_agreement(stay)
    return agreement, compute_grant(stay, agreement, fewer_opportunities(stay.dossier.youth), platform)


def budget(agreement):
    platform = Platform.get()
    stays = list(agreement_stays(agreement))
    rates = rates_for(agreement.call_year or agreement.year, agreement.action_type)
    paid = dict(GrantPayment.objects.filter(stay__in=stays).values("stay").annotate(total=Sum("amount"))
                .values_list("stay", "total"))
    result = Budget(agreement=agreement, places=quota_for(agreement.scheme, agreement.year))
    for stay in stays:
        grant = compute_grant(stay, agreement, fewer_opportunities(stay.dossier.youth), platform, rates)
        result.lines.append(BudgetLine(stay, grant, is_committed(stay), paid.get(stay.pk) or ZERO))
    result.copayments_received = (
        Payment.objects.filter(copayment__dossier__in=[s.dossier_id for s in stays]).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return result
