"""Erasmus+ Beneficiary Module export: the departures of one scheme and one year, one row per
participant, with the fields the EU Beneficiary Module's mobility import asks for. Column → field
mapping in docs/reporting.md."""
from itertools import repeat

from django.conf import settings

from dossiers.enums import old_level

from .filters import ReportFilters
from .renderers import write_xlsx

COLUMNS = [
    "Participant ID", "Gender", "Date of birth", "Nationality", "Fewer opportunities",
    "Sending organisation", "Receiving organisation", "Receiving country", "Receiving city",
    "Start date", "End date", "Duration (days, travel days included)",
]
GENDERS = {"F": "Female", "M": "Male"}


def fewer_opportunities(youth):
    """Rule (documented): no qualification beyond level V (VI, Vbis, V or 2019 level 3), or lives in a
    priority urban area (QPV), or in a rural revitalisation area (ZRR). Unknown values count as no."""
    return old_level(youth.qualification_level) in {"VI", "Vbis", "V"} or youth.qpv is True or youth.zrr is True


def host_of(stay):
    return stay.host.name if stay.host_id else ""


def participant_id(dossier):
    return dossier.legacy_reference if dossier.imported and dossier.legacy_reference else f"IPM-{dossier.pk}"


def rows(scheme, year, user=None):
    filters = ReportFilters(scheme=scheme, year_from=year, year_to=year, user=user)
    stays = (
        filters.stays().filter(departure_date__year=year)
        .select_related("dossier__youth", "host").order_by("departure_date", "pk")
    )
    for stay in stays.iterator(chunk_size=2000):
        youth = stay.dossier.youth
        end = stay.return_date or stay.planned_end
        yield [
            participant_id(stay.dossier),
            GENDERS.get(youth.sex, "Undefined"),
            youth.birth_date,
            youth.nationality.code or "",
            "Yes" if fewer_opportunities(youth) else "No",
            settings.IPM_PLATFORM_NAME,
            host_of(stay),
            stay.country.code or (stay.host.country.code if stay.host_id else ""),
            stay.city or (stay.host.town if stay.host_id else ""),
            stay.departure_date,
            end,
            (end - stay.departure_date).days + 1 if end else None,
        ]


def export(scheme, year, user=None):
    """The workbook's bytes. The rows are streamed from the database (chunks) to openpyxl's write-only
    sheet: memory does not grow with the number of participants (BENCHMARKS.md)."""
    widths = [16, 10, 14, 12, 20, 40, 40, 18, 20, 12, 12, 22]
    return write_xlsx([(f"Mobilities {year}", COLUMNS, rows(scheme, year, user), repeat("data"), widths)])
