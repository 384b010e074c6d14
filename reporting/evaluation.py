"""The evaluation workbook of the Fonds d'expérimentation pour la jeunesse (FEJ) kind: one XLSX with the
beneficiaries table, the situation after return at the three horizons (6, 12 and 36 months) and the
satisfaction results — each sheet the report of the same name with the same filters, followed by its
title, period, filters, definitions, and the source with the extraction date."""
from dataclasses import replace

from . import renderers, reports

SHEETS = [
    ("Bénéficiaires", "fej", {}),
    ("Situation à 6 mois", "outcomes", {"horizon": 6}),
    ("Situation à 12 mois", "outcomes", {"horizon": 12}),
    ("Situation à 36 mois", "outcomes", {"horizon": 36}),
    ("Satisfaction", "satisfaction", {}),
]


def workbook(filters):
    sheets = [renderers.xlsx_sheet(reports.build(name, replace(filters, **changes)), title, notes=True)
              for title, name, changes in SHEETS]
    return renderers.write_xlsx(sheets)


def filename(filters):
    report = reports.build("fej", filters)
    return renderers.filename(report, "xlsx").replace("rapport-fej", "evaluation-fej")
