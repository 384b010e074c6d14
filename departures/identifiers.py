"""The Erasmus+ identifiers the Beneficiary Module knows organisations and projects by, and their checks.

- OID (Organisation ID of the Erasmus+ and European Solidarity Corps organisation registration system):
  the letter E followed by eight digits, e.g. E10123456.
- Grant agreement number (project number), e.g. 2025-1-FR01-KA122-VET-000123456: call year, round,
  national agency, action type, field, a nine-digit sequence.
"""
import re

from django.core.validators import RegexValidator

OID_PATTERN = r"^E\d{8}$"
GRANT_AGREEMENT_PATTERN = r"^(?P<year>\d{4})-\d-[A-Z]{2}\d{2}-(?P<action>KA\d{3}-[A-Z]{3})-\d{9}$"

validate_oid = RegexValidator(
    OID_PATTERN,
    "L'OID (identifiant d'organisation Erasmus+) s'écrit E suivi de huit chiffres, par exemple E10123456.",
    code="invalid_oid",
)
validate_grant_agreement_number = RegexValidator(
    GRANT_AGREEMENT_PATTERN,
    "Le numéro de convention Erasmus+ s'écrit comme 2025-1-FR01-KA122-VET-000123456 "
    "(année, tour, agence nationale, action, secteur, neuf chiffres).",
    code="invalid_grant_agreement",
)


def parse_grant_agreement_number(number):
    """(call year, action type) read from a grant agreement number, or (None, "") when it does not parse."""
    match = re.match(GRANT_AGREEMENT_PATTERN, number or "")
    if not match:
        return None, ""
    return int(match["year"]), match["action"]
