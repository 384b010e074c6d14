"""Erasmus+ Beneficiary Module file of one grant agreement: the mobility activity import in the
template's own layout (docs/erasmus.md, column by column): one main row per mobility activity and,
for the youth action types (KA15x-YOU), one itinerary sub-row. Only what the platform holds is
written; an unknown value is left blank, never guessed. No sensitive data (no health, no diagnostic,
no name: the participant is known by the mobility activity ID)."""
import csv
import io
from itertools import repeat

from departures.erasmus import agreement_stays, assign_mobility_ids, fewer_opportunities, precheck
from departures.grants import distance_band, funded_days, receiving_city, stay_distance_km
from departures.models import Platform

from .renderers import write_xlsx

TEMPLATE_VERSION = "Beneficiary Module, import des activités de mobilité KA1 (KA121/KA122-VET, KA151/KA152-YOU), appels 2021 et suivants"
DATE_FORMAT = "%d-%m-%Y"  # DD-MM-YYYY, as the template's second row asks
DATA_TYPE_MOBILITY = "Mobility"
DATA_TYPE_ITINERARY = "Itinerary"
YES, NO = "Yes", "No"
GENDERS = {"F": "Female", "M": "Male"}

COLUMNS = [
    "Data type", "Grant Agreement No.", "Mobility activity ID", "Activity type", "Participant category",
    "Participant ID", "Participant gender", "Participant date of birth", "Participant nationality",
    "Participant with fewer opportunities", "Sending Organisation OID", "Sending country", "Sending city",
    "Receiving Organisation OID", "Receiving country", "Receiving city", "Start date", "End date",
    "Funded duration including travel days (in days)", "Distance band", "Green travel", "Interrupted",
]
# Itinerary sub-rows: the fields the documentation lists as mandatory for an itinerary, the others blank.
ITINERARY_COLUMNS = {
    "Data type", "Grant Agreement No.", "Mobility activity ID", "Receiving Organisation OID", "Receiving country",
    "Receiving city", "Funded duration including travel days (in days)", "Start date", "End date",
}
WIDTHS = [12, 32, 16, 16, 16, 14, 10, 12, 10, 12, 14, 10, 16, 14, 10, 16, 12, 12, 16, 12, 8, 8]


def _date(value):
    return value.strftime(DATE_FORMAT) if value else ""


def participant_id(dossier):
    return dossier.legacy_reference if dossier.imported and dossier.legacy_reference else f"IPM-{dossier.pk}"


def has_itineraries(agreement):
    return (agreement.action_type or "").endswith("-YOU")


def mobility_rows(agreement, stays, platform):
    """The rows (lists of strings, in COLUMNS order) of the agreement's mobilities."""
    for stay in stays:
        youth = stay.dossier.youth
        country, city = receiving_city(stay)
        km, _how = stay_distance_km(stay, platform)
        band = distance_band(km) if km is not None else None
        days = funded_days(stay)
        values = {
            "Data type": DATA_TYPE_MOBILITY,
            "Grant Agreement No.": agreement.grant_agreement_number,
            "Mobility activity ID": stay.mobility_activity_id,
            "Activity type": stay.scheme.activity_type,
            "Participant category": stay.scheme.participant_category,
            "Participant ID": participant_id(stay.dossier),
            "Participant gender": GENDERS.get(youth.sex, ""),
            "Participant date of birth": _date(youth.birth_date),
            "Participant nationality": youth.nationality.code or "",
            "Participant with fewer opportunities": YES if fewer_opportunities(youth) else NO,
            "Sending Organisation OID": platform.oid,
            "Sending country": platform.country.code or "",
            "Sending city": platform.city,
            "Receiving Organisation OID": stay.host.oid if stay.host_id else "",
            "Receiving country": country,
            "Receiving city": city,
            "Start date": _date(stay.departure_date or stay.planned_start),
            "End date": _date(stay.return_date or stay.planned_end),
            "Funded duration including travel days (in days)": str(days) if days is not None else "",
            "Distance band": band or "",
            "Green travel": YES if stay.green_travel else NO,
            "Interrupted": YES if stay.interrupted else NO,
        }
        yield [values[c] or "" for c in COLUMNS]
        if has_itineraries(agreement):
            yield [DATA_TYPE_ITINERARY if c == "Data type" else (values[c] or "") if c in ITINERARY_COLUMNS else ""
                   for c in COLUMNS]


def prepare(agreement):
    """(stays, problems): the agreement's mobilities and what the import would refuse."""
    platform = Platform.get()
    stays = list(agreement_stays(agreement))
    return stays, precheck(agreement, stays, platform), platform


def export(agreement, fmt="xlsx", stays=None, platform=None):
    """The file's bytes. The mobility activity IDs are assigned (once, kept) and marked exported."""
    if stays is None:
        stays = list(agreement_stays(agreement))
    platform = platform or Platform.get()
    assign_mobility_ids(agreement, stays, exported=True)
    rows = mobility_rows(agreement, stays, platform)  # written as they are made
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    return write_xlsx([("Mobility activities", COLUMNS, rows, repeat("data"), WIDTHS)])


def filename(agreement, fmt):
    return f"beneficiary-module-{agreement.grant_agreement_number or agreement.pk}.{fmt}"
