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


def range_warnings(row, today):
    """[(line, column, message)] of one row (checked, valid): dates out of range, a follow-up too early."""
    found = []
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
    return found


class RuleWarnings:
    """The warnings of a file, its rows given a batch at a time as they are checked. What it keeps grows
    with the warnings, not with the rows: the first open row of each young person is a number in
    ``youths`` (the check's ``Seen`` of the young people's keys: 0 while none of their rows is open), and
    only the young people with several open dossiers (or one already open in the application) get the
    list of their lines."""

    def __init__(self, today, youths):
        self.today = today
        self.youths = youths
        self.found = []
        self.groups = {}  # digest → the lines of the young person's open rows
        self.in_app = set()  # digests of the young people with a dossier open in the application

    def add(self, rows, keys, digests):
        """One batch of rows to import, their young people's keys and the digests of these (already in
        ``youths``)."""
        open_keys = {}
        for row, match_key, key in zip(rows, keys, digests):
            self.found.extend(range_warnings(row, self.today))
            if not is_open(row, self.today):
                continue
            open_keys[match_key] = key
            if key in self.groups:
                self.groups[key].append(row.line)
            elif self.youths.get(key):
                self.groups[key] = [self.youths.get(key), row.line]
            else:
                self.youths.put(key, row.line)
        asked = [match_key for match_key, key in open_keys.items() if key not in self.in_app]
        if not asked:
            return
        already_open = set(Dossier.objects.filter(state__in=ACTIVE_STATES, youth__match_key__in=asked)
                           .values_list("youth__match_key", flat=True))
        for match_key in already_open:
            key = open_keys[match_key]
            self.in_app.add(key)
            self.groups.setdefault(key, [self.youths.get(key)])

    def finish(self):
        """[(line, column, message)] in line order."""
        for key, lines in self.groups.items():
            for line in lines:
                others = [str(other) for other in lines if other != line]
                where = f"ligne{'s' if len(others) > 1 else ''} {', '.join(others)}" if others else ""
                if key in self.in_app:
                    where = f"{where} et dans l'application" if where else "dans l'application"
                self.found.append((line, "statut_final", f"le même jeune aurait un autre dossier ouvert ({where}) : "
                                                         "un jeune n'a qu'un dossier ouvert à la fois."))
        return sorted(self.found, key=lambda e: e[0])
