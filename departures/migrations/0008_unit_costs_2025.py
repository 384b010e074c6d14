"""The unit costs of the Erasmus+ Programme Guide for call 2025 (key action 1), as data that managers
edit in the admin (« Coûts unitaires Erasmus+ »); docs/erasmus.md gives the source of each amount and
what was checked."""
from decimal import Decimal

from django.db import migrations

GUIDE = "Guide du programme Erasmus+ 2025, partie B, action clé 1, règles de financement"
CALL_YEAR = 2025

# One-way distance band → (standard travel, green travel); the guide has no green amount from 4 000 km.
TRAVEL = {
    "10-99": ("28", "56"),
    "100-499": ("211", "285"),
    "500-1999": ("309", "417"),
    "2000-2999": ("395", "535"),
    "3000-3999": ("580", "785"),
    "4000-7999": ("1188", None),
    "8000+": ("1735", None),
}
# Individual support per day for VET learners, by receiving country group: the national agency sets them
# within the guide's range; these starting values are to be checked against the agency's table.
INDIVIDUAL = {"1": "77", "2": "67", "3": "57"}
INCLUSION = "100"


def forwards(apps, schema_editor):
    UnitCost = apps.get_model("departures", "UnitCost")
    rows = []
    for band, (standard, green) in TRAVEL.items():
        rows.append(UnitCost(call_year=CALL_YEAR, kind="voyage", band=band, amount=Decimal(standard), source=GUIDE))
        if green:
            rows.append(UnitCost(call_year=CALL_YEAR, kind="voyage_vert", band=band, amount=Decimal(green), source=GUIDE))
    for group, amount in INDIVIDUAL.items():
        rows.append(UnitCost(call_year=CALL_YEAR, kind="soutien_individuel", country_group=group, amount=Decimal(amount),
                             source=GUIDE + " (apprenants EFP ; montant fixé par l'agence nationale dans la fourchette du guide, à vérifier)"))
    rows.append(UnitCost(call_year=CALL_YEAR, kind="inclusion", amount=Decimal(INCLUSION),
                         source=GUIDE + " (soutien à l'inclusion des participants, par participant)"))
    for row in rows:
        UnitCost.objects.get_or_create(call_year=row.call_year, action_type="", kind=row.kind, band=row.band,
                                       country_group=row.country_group,
                                       defaults={"amount": row.amount, "source": row.source})


def backwards(apps, schema_editor):
    apps.get_model("departures", "UnitCost").objects.filter(call_year=CALL_YEAR, source__startswith=GUIDE).delete()


class Migration(migrations.Migration):
    dependencies = [("departures", "0007_erasmus_identifiers_grants_budget")]

    operations = [migrations.RunPython(forwards, backwards)]
