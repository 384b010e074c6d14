"""What a report is restricted to: the period (a year or a range of years), the scheme, the funder,
the structure, the department — and who asks (a mission locale counsellor only ever sees their own
structure). Every report builds its querysets from here, so that the restriction is the same for all.
"""
from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone

from departures.models import Stay
from dossiers.models import Dossier
from ipm.access import has_capability, scope
from network.models import Pairing


@dataclass
class ReportFilters:
    year_from: int | None = None
    year_to: int | None = None
    scheme: object = None  # departures.Scheme
    structure: object = None  # referrals.Structure
    department: str = ""
    funder: str = ""
    user: object = None  # None: no restriction (the command line)
    host: object = None  # departures.HostOrganisation: the stays it hosted (the satisfaction report's filter)
    horizon: int = 6  # months after return (the outcomes report: 6, 12 or 36)
    sponsored: str = ""  # « oui »: only candidates with a parrain or marraine; « non »: only the others

    # --- who asks -------------------------------------------------------------------------------
    @property
    def restricted_structure(self):
        """The structure a counsellor is restricted to, else None."""
        user = self.user
        if user is None or user.is_superuser or has_capability(user, "read_all"):
            return None
        return getattr(user, "structure", None)

    def _scoped(self, queryset, structure_path):
        if self.user is not None:
            queryset = scope(queryset, self.user, structure_path)
        if self.structure is not None:
            queryset = queryset.filter(**{structure_path: self.structure})
        if self.department:
            queryset = queryset.filter(**{f"{structure_path}__department": self.department})
        return queryset

    # --- base querysets ---------------------------------------------------------------------------
    def dossiers(self):
        """Dossiers (fiches) in scope; the scheme filter keeps the dossiers of that scheme."""
        qs = self._scoped(Dossier.objects.all(), "structure")
        if self.scheme is not None:
            qs = qs.filter(scheme=self.scheme)
        qs = self._funded(qs, "scheme", "received_on")
        return self._sponsored(qs, "pk")

    def stays(self):
        """Stays that started (a departure date, not in the future), in scope."""
        qs = self._scoped(
            Stay.objects.filter(departure_date__isnull=False, departure_date__lte=timezone.localdate()),
            "dossier__structure",
        )
        if self.scheme is not None:
            qs = qs.filter(scheme=self.scheme)
        if self.host is not None:
            qs = qs.filter(host=self.host)
        qs = self._funded(qs, "scheme", "departure_date")
        return self._sponsored(qs, "dossier")

    def _sponsored(self, queryset, dossier_path):
        """The parrainage filter: dossiers that are (« oui ») or are not (« non ») a pairing's candidate."""
        if self.sponsored not in ("oui", "non"):
            return queryset
        paired = Exists(Pairing.objects.filter(candidate=OuterRef(dossier_path)))
        return queryset.filter(paired if self.sponsored == "oui" else ~paired)

    def _funded(self, queryset, scheme_path, date_path):
        """Funder filter: keep what falls under one of the funder's agreements (same scheme, same year)."""
        if not self.funder:
            return queryset
        agreements = funding_agreements()
        if agreements is None:
            return queryset
        return queryset.filter(
            Exists(
                agreements.filter(
                    funder=self.funder, scheme=OuterRef(scheme_path), year=ExtractYear(OuterRef(date_path))
                )
            )
        )

    # --- period -----------------------------------------------------------------------------------
    def years(self, queryset=None, date_path=None):
        """The years of the period. Without a year given: every year holding data for this report
        (from ``queryset``'s ``date_path``), else the current year."""
        year_from, year_to = self.year_from, self.year_to
        if year_from is None or year_to is None:
            span = {}
            if queryset is not None:
                span = queryset.aggregate(first=Min(date_path), last=Max(date_path))
            today = timezone.localdate().year
            first = span.get("first")
            last = span.get("last")
            if year_from is None:
                year_from = first.year if first else (year_to or today)
            if year_to is None:
                year_to = last.year if last else max(year_from, today if not first else year_from)
        if year_to < year_from:
            year_from, year_to = year_to, year_from
        return list(range(year_from, year_to + 1))

    def describe(self):
        """The filters as (label, value) pairs, in French, for page headers and PDFs."""
        parts = []
        if self.scheme is not None:
            parts.append(("Dispositif", str(self.scheme)))
        if self.funder:
            parts.append(("Financeur", self.funder_label()))
        structure = self.structure or self.restricted_structure
        if structure is not None:
            parts.append(("Structure", str(structure)))
        if self.department:
            parts.append(("Département", self.department))
        if self.host is not None:
            parts.append(("Structure d'accueil", str(self.host)))
        if self.sponsored in ("oui", "non"):
            parts.append(("Parrainés", self.sponsored))
        return parts

    def funder_label(self):
        labels = dict(funder_choices())
        return labels.get(self.funder, self.funder)


def period_label(years):
    if not years:
        return ""
    if years[0] == years[-1]:
        return f"Année {years[0]}"
    return f"Années {years[0]} à {years[-1]}"


def funding_agreements():
    """The FundingAgreement queryset when the departures app provides it, else None."""
    try:
        from departures.models import FundingAgreement
    except ImportError:
        return None
    return FundingAgreement.objects.all()


def funder_choices():
    """(value, label) of the funders known from the funding agreements."""
    agreements = funding_agreements()
    if agreements is None:
        return []
    model_field = agreements.model._meta.get_field("funder")
    if model_field.choices:
        return [(str(value), str(label)) for value, label in model_field.choices]
    values = agreements.order_by("funder").values_list("funder", flat=True).distinct()
    return [(str(v), str(v)) for v in values]
