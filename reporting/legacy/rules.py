"""The rules of the wheel an import file's rows would break once imported, reported as warnings after
the check (they do not stop the import: history is loaded as it was). They mirror the consistency
checker (reporting/consistency.py), which would flag the imported dossiers the same way:

- dates out of the sane range (``ipm.dates``): a birth date before 1900, a stay dated before the
  platform's first year (``IPM_FIRST_YEAR``);
- a six-month follow-up given while its month has not begun (it would be recorded before its month);
- several open dossiers for one young person (in the file, or one already open in the application).

Return before departure, departure before the fiche and dates in the future are errors (``check``);
the file has no planned end of stay, so an early return cannot be told from a normal one."""
from ipm import dates

from dossiers.models import Dossier
from dossiers.workflow import ACTIVE_STATES
from followup.rules import month_start

# The final statuses of a young person who left (``statut_final``).
DEPARTED = {"parti", "interrompu"}


def is_open(row, today):
    """Whether the dossier the row creates stays open (the last state of its timeline is not final)."""
    if row.final_status == "en_cours":
        return True
    if row.final_status not in DEPARTED:
        return False
    if row.return_date is None:
        return True
    return not row.situation_6 and dates.add_months(row.return_date, 6) >= today


def warnings_for(rows, today):
    """[(line, column, message)] of the rows (checked, valid), in line order."""
    found = []
    for row in rows:
        birth = dates.range_error(row.birth_date, dates.BIRTH, today)
        if birth:
            found.append((row.line, "date_naissance", birth))
        for column, day in (("date_depart", row.departure_date), ("date_retour", row.return_date)):
            message = dates.range_error(day, dates.PAST, today)
            if message:
                found.append((row.line, column, message))
        if row.situation_6 and row.return_date and today < month_start(row.return_date, 6):
            found.append((row.line, "situation_6_mois", (
                f"le sixième mois après le retour ne commence que le {month_start(row.return_date, 6):%d/%m/%Y} : "
                "le contact à six mois serait enregistré avant son mois.")))
    open_rows = {}
    for row in rows:
        if is_open(row, today):
            open_rows.setdefault(row.key, []).append(row)
    already_open = set(Dossier.objects.filter(state__in=ACTIVE_STATES, youth__match_key__in=list(open_rows))
                       .values_list("youth__match_key", flat=True))
    for key, same in open_rows.items():
        if len(same) < 2 and key not in already_open:
            continue
        for row in same:
            others = [str(r.line) for r in same if r is not row]
            where = f"ligne{'s' if len(others) > 1 else ''} {', '.join(others)}" if others else ""
            if key in already_open:
                where = f"{where} et dans l'application" if where else "dans l'application"
            found.append((row.line, "statut_final", f"le même jeune aurait un autre dossier ouvert ({where}) : "
                                                             "un jeune n'a qu'un dossier ouvert à la fois."))
    return sorted(found, key=lambda e: e[0])
