"""The budget of one funding agreement as a Report, so that it renders like the other reports
(page, CSV, XLSX, PDF; docs/report-formats.md « budget »)."""
from departures.budget import budget
from departures.erasmus import mobility_label

from .reports.common import DATA, HEADING, TOTAL, Column, Report, Row

NAME = "budget"


def money(value):
    return "" if value is None else f"{value:.2f}"


def report(agreement, result=None):
    result = result or budget(agreement)
    places = result.places
    rows = [
        Row(["places accordées", str(places.granted)]),
        Row(["places utilisées", str(places.used)]),
        Row(["places restantes", str(places.left)]),
        Row(["montant accordé", money(result.granted)]),
        Row(["montant engagé", money(result.committed)]),
        Row(["montant versé", money(result.paid)]),
        Row(["montant restant", money(result.left)], TOTAL),
        Row(["participations reçues", money(result.copayments_received)]),
        Row(["mobilités engagées", ""], HEADING),
    ]
    for line in result.lines:
        if line.committed:
            label = f"{mobility_label(line.stay)} — {line.stay.dossier.youth}"
            rows.append(Row([label, money(line.grant.total) if line.grant.total is not None else "non calculé"], DATA))
    number = agreement.grant_agreement_number or agreement.reference or f"n° {agreement.pk}"
    notes = []
    if result.over:
        notes.append("Attention : les bourses engagées dépassent le montant accordé.")
    if result.uncomputed:
        notes.append(f"{len(result.uncomputed)} mobilité(s) engagée(s) sans montant calculé (voir la page du séjour).")
    return Report(
        name=NAME, title=f"Budget de la convention {number}", columns=[Column("poste", "Poste"), Column("montant", "Montant (€)")], rows=rows,
        years=[agreement.year],
        filters=[("Convention", f"{agreement.funder_label} — {agreement.scheme} {agreement.year}")], notes=notes,
    )


def filename(agreement, fmt):
    suffix, extension = ("-excel", "csv") if fmt == "excel-csv" else ("", fmt)
    return f"budget-convention-{agreement.grant_agreement_number or agreement.pk}{suffix}.{extension}"
