"""Legacy import: a platform's history (one row per dossier, contracts/legacy-import.md) loaded into
the same records the application writes — Structure, Scheme, Youth, Dossier, the DossierEvent
timeline, Stay and the month-6 FollowUpCall — so that imported dossiers count in every report exactly
like dossiers created in the application.

The file is read and checked whole first (``check``): every error with its line and column. Nothing
is written when there is one. ``run`` then writes everything in one transaction, with bulk inserts
(a fixed number of queries whatever the size of the file). Rows whose ``reference`` is already known
are left alone: importing the same file twice changes nothing.

The timeline is written directly (bulk_create) rather than through ``workflow.apply_transition``: this
is the one documented exception to "only the workflow writes state" — history is being loaded, not
changed. Each imported timeline follows allowed transitions of the workflow table (tests check it).
"""
import csv
import datetime
import io
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone, translation

from departures.models import Scheme, Stay
from dossiers.models import Dossier, DossierEvent, Youth
from dossiers.workflow import State
from followup.enums import Situation
from followup.models import FollowUpCall
from ipm.text import fold, person_key
from referrals.models import Structure

COLUMNS = [
    "reference", "nom", "prenom", "date_naissance", "sexe", "niveau", "situation", "qpv", "zrr", "structure",
    "date_fiche", "dispositif", "pays", "ville", "date_depart", "date_retour", "statut_final", "situation_6_mois",
]
REQUIRED_COLUMNS = ["reference", "nom", "prenom", "date_naissance", "sexe", "structure", "date_fiche", "statut_final"]

LEVELS = {fold(v): v for v in ["VI", "Vbis", "V", "IV", "III", "II", "I", "3", "4", "5", "6", "7", "8"]}
EMPLOYMENT = {"demandeur_emploi", "actif_occupe", "etudiant", "autre"}
FINAL_STATUSES = ["en_cours", "oriente", "refuse", "abandon", "parti", "interrompu"]
DEPARTED = {"parti", "interrompu"}
SITUATIONS_6 = [
    "emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante", "etudes",
    "recherche_emploi", "autre", "inconnu",
]
YES_NO = {"oui": True, "non": False}
PROGRESS_EVERY = 200
COMMENT = "Import de l'historique (référence {reference})"

# Timelines written for each final status (after the creation event "fiche reçue").
BEFORE_DEPARTURE = [State.INFO_DONE, State.DIAGNOSED, State.FILE_BUILDING, State.IN_COMMISSION, State.ACCEPTED,
                    State.CONTRACT_SIGNED]
PATHS = {
    "en_cours": [],
    "abandon": [State.DROPPED],
    "oriente": [State.INFO_DONE, State.ORIENTED],
    "refuse": [State.INFO_DONE, State.DIAGNOSED, State.FILE_BUILDING, State.IN_COMMISSION, State.REFUSED],
}


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors


@dataclass
class LineError:
    line: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return f"Ligne {self.line}, colonne « {self.column} » : {self.message}"
        return f"Ligne {self.line} : {self.message}"


@dataclass
class LegacyRow:
    line: int
    reference: str
    last_name: str
    first_name: str
    birth_date: datetime.date
    sex: str
    level: str
    employment_status: str
    qpv: bool | None
    zrr: bool | None
    structure: str
    received_on: datetime.date
    scheme: str
    country: str
    city: str
    departure_date: datetime.date | None
    return_date: datetime.date | None
    final_status: str
    situation_6: str

    @property
    def key(self):
        return person_key(self.last_name, self.first_name, self.birth_date)


@dataclass
class Plan:
    """What a checked file would create."""

    rows: list = field(default_factory=list)  # LegacyRow to import (known references left out)
    errors: list = field(default_factory=list)
    total_rows: int = 0
    skipped: list = field(default_factory=list)  # references already imported
    new_structures: list = field(default_factory=list)
    new_schemes: list = field(default_factory=list)
    new_youths: int = 0
    known_youths: int = 0

    def summary(self):
        statuses = {status: 0 for status in FINAL_STATUSES}
        for row in self.rows:
            statuses[row.final_status] += 1
        return {
            "rows": self.total_rows,
            "dossiers": len(self.rows),
            "skipped": len(self.skipped),
            "new_youths": self.new_youths,
            "known_youths": self.known_youths,
            "new_structures": self.new_structures,
            "new_schemes": self.new_schemes,
            "stays": sum(1 for r in self.rows if r.final_status in DEPARTED),
            "followups": sum(1 for r in self.rows if r.situation_6),
            "statuses": statuses,
        }


# --- reading ---------------------------------------------------------------------------------------

def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return str(value).strip()


def read_rows(data, name=""):
    """(header, [(line, {column: value})]) from CSV or XLSX bytes. Raises ImportRefused when the file
    cannot be read at all."""
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([LineError(1, "", "le fichier n'est pas encodé en UTF-8. Dans votre tableur, "
                                                "enregistrez-le au format « CSV UTF-8 ».")]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = None
    rows = []
    for values in reader:
        if header is None:
            header = [v.strip().lower() for v in values]
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, dict(zip(header, [v.strip() for v in values]))))
    return header or [], rows


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file is refused with one message
        raise ImportRefused([LineError(1, "", "le fichier XLSX ne peut pas être lu (fichier abîmé ou autre format).")]) from None
    sheet = workbook.worksheets[0]
    header = None
    rows = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = [_cell_text(v) for v in values]
        if header is None:
            header = [str(v).strip().lower() for v in values]
            continue
        if not any(v not in ("", None) for v in values):
            continue
        rows.append((line, dict(zip(header, values))))
    workbook.close()
    return header or [], rows


# --- checking --------------------------------------------------------------------------------------

def parse_date(value):
    if isinstance(value, datetime.date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _countries():
    from django_countries import countries

    with translation.override("fr"):
        by_name = {fold(str(country.name)): country.code for country in countries}
    codes = {country.code for country in countries}
    return by_name, codes


class RowChecker:
    def __init__(self):
        self.country_names, self.country_codes = _countries()

    def check(self, line, raw, errors):
        """A LegacyRow, or None when the row has errors (appended to ``errors``)."""
        found = []

        def text(column):
            value = raw.get(column, "")
            return value if isinstance(value, datetime.date) else str(value or "").strip()

        def error(column, message):
            found.append(LineError(line, column, message))

        def required(column):
            value = text(column)
            if value == "":
                error(column, "valeur obligatoire manquante.")
            return value

        def date(column, needed=False):
            value = raw.get(column, "")
            if value in ("", None):
                if needed:
                    error(column, "date obligatoire manquante.")
                return None
            try:
                return parse_date(value)
            except ValueError:
                error(column, f"« {value} » n'est pas une date JJ/MM/AAAA ou AAAA-MM-JJ.")
                return None

        def choice(column, allowed, label):
            value = text(column).lower()
            if value and value not in allowed:
                error(column, f"« {text(column)} » n'est pas une valeur acceptée ({label}).")
                return ""
            return value

        reference = required("reference")
        last_name = required("nom")
        first_name = required("prenom")
        birth_date = date("date_naissance", needed=True)
        sex = text("sexe").upper()
        if sex not in ("F", "M"):
            error("sexe", "valeur obligatoire : F ou M." if not sex else f"« {text('sexe')} » n'est pas F ou M.")
        level_raw = text("niveau")
        level = LEVELS.get(fold(level_raw), None) if level_raw else ""
        if level is None:
            error("niveau", f"« {level_raw} » n'est pas un niveau accepté (VI, Vbis, V, IV, III, II, I ou 3 à 8).")
            level = ""
        status = choice("situation", EMPLOYMENT, "demandeur_emploi, actif_occupe, etudiant ou autre")
        qpv = YES_NO.get(choice("qpv", YES_NO, "oui ou non"))
        zrr = YES_NO.get(choice("zrr", YES_NO, "oui ou non"))
        structure = required("structure")
        received_on = date("date_fiche", needed=True)
        final = text("statut_final").lower()
        if not final:
            error("statut_final", "valeur obligatoire manquante (" + ", ".join(FINAL_STATUSES) + ").")
        elif final not in FINAL_STATUSES:
            error("statut_final", f"« {text('statut_final')} » n'est pas un statut accepté ("
                  + ", ".join(FINAL_STATUSES) + ").")
            final = ""
        departed = final in DEPARTED
        scheme = text("dispositif")
        if departed and not scheme:
            error("dispositif", "obligatoire quand le jeune est parti (statut parti ou interrompu).")
        country_raw = text("pays")
        country = ""
        if country_raw:
            if country_raw.upper() in self.country_codes and len(country_raw) == 2:
                country = country_raw.upper()
            else:
                country = self.country_names.get(fold(country_raw), "")
                if not country:
                    error("pays", f"« {country_raw} » : pays inconnu (code ISO à deux lettres comme IE, "
                                  "ou nom français comme Irlande).")
        departure = date("date_depart", needed=departed)
        return_date = date("date_retour")
        if not departed and final and (departure or return_date):
            error("date_depart" if departure else "date_retour",
                  f"une date de séjour est indiquée alors que le statut final est « {final} » "
                  "(parti ou interrompu attendu).")
        if departure and return_date and return_date < departure:
            error("date_retour", "la date de retour est avant la date de départ.")
        if departure and received_on and departure < received_on:
            error("date_depart", "la date de départ est avant la date de la fiche.")
        today = timezone.localdate()
        if received_on and received_on > today:
            error("date_fiche", "la date de la fiche est dans le futur.")
        if departure and departure > today:
            error("date_depart", "la date de départ est dans le futur : un départ à venir se saisit dans l'application.")
        if return_date and return_date > today:
            error("date_retour", "la date de retour est dans le futur.")
        if birth_date and received_on and birth_date >= received_on:
            error("date_naissance", "la date de naissance n'est pas avant la date de la fiche.")
        situation_6 = choice("situation_6_mois", SITUATIONS_6, ", ".join(SITUATIONS_6))
        if situation_6 and not departed and final:
            error("situation_6_mois", "une situation à six mois n'a de sens que pour un jeune parti.")
        elif situation_6 and departed and not return_date:
            error("situation_6_mois", "la situation à six mois demande la date de retour.")
        if found:
            errors.extend(found)
            return None
        return LegacyRow(
            line=line, reference=reference, last_name=last_name, first_name=first_name, birth_date=birth_date,
            sex=sex, level=level, employment_status=status, qpv=qpv, zrr=zrr, structure=structure,
            received_on=received_on, scheme=scheme, country=country, city=text("ville"),
            departure_date=departure, return_date=return_date, final_status=final, situation_6=situation_6,
        )


def check(data, name="", progress=None):
    """Read and check a whole file; returns the Plan (its ``errors`` empty when the file can go in).
    Reads the database, never writes."""
    plan = Plan()
    try:
        header, raw_rows = read_rows(data, name)
    except ImportRefused as refused:
        plan.errors = refused.errors
        return plan
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        plan.errors.append(LineError(1, ", ".join(missing), "colonne(s) obligatoire(s) absente(s) de la ligne "
                                                            "d'en-tête. Partez du modèle téléchargeable."))
        return plan
    plan.total_rows = len(raw_rows)
    if not raw_rows:
        plan.errors.append(LineError(2, "", "le fichier ne contient aucune ligne de dossier."))
        return plan
    checker = RowChecker()
    seen = {}
    rows = []
    for index, (line, raw) in enumerate(raw_rows, start=1):
        row = checker.check(line, raw, plan.errors)
        reference = str(raw.get("reference", "") or "").strip()
        if reference:
            if reference in seen:
                plan.errors.append(LineError(line, "reference", f"la référence « {reference} » figure déjà "
                                                                f"ligne {seen[reference]}."))
                row = None
            else:
                seen[reference] = line
        if row is not None:
            rows.append(row)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, plan.total_rows)
    if plan.errors:
        return plan
    known = set(
        Dossier.objects.filter(legacy_reference__in=[r.reference for r in rows]).values_list("legacy_reference", flat=True)
    )
    plan.skipped = [r.reference for r in rows if r.reference in known]
    plan.rows = [r for r in rows if r.reference not in known]
    structures = {fold(s) for s in Structure.objects.values_list("name", flat=True)}
    schemes = {fold(s) for s in Scheme.objects.values_list("name", flat=True)}
    for row in plan.rows:
        if fold(row.structure) not in structures:
            structures.add(fold(row.structure))
            plan.new_structures.append(row.structure)
        if row.scheme and fold(row.scheme) not in schemes:
            schemes.add(fold(row.scheme))
            plan.new_schemes.append(row.scheme)
    keys = {r.key for r in plan.rows}
    existing = set(Youth.objects.filter(match_key__in=keys).values_list("match_key", flat=True))
    plan.known_youths = len(existing)
    plan.new_youths = len(keys - existing)
    if progress:
        progress(plan.total_rows, plan.total_rows)
    return plan


# --- writing ---------------------------------------------------------------------------------------

def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _at(day, minutes=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0))) + datetime.timedelta(minutes=minutes)


def timeline(row, today=None):
    """[(state, datetime)] of an imported dossier, from "fiche reçue" to its final state. Only allowed
    transitions of the workflow; steps before departure are dated on the fiche's date."""
    today = today or timezone.localdate()
    events = [(State.RECEIVED, _at(row.received_on))]
    if row.final_status not in DEPARTED:
        for minute, state in enumerate(PATHS[row.final_status], start=1):
            events.append((state, _at(row.received_on, minute)))
        return events
    for minute, state in enumerate(BEFORE_DEPARTURE, start=1):
        events.append((state, _at(row.received_on, minute)))
    events.append((State.ABROAD, _at(row.departure_date)))
    if row.return_date is None:
        return events
    interrupted = row.final_status == "interrompu"
    events.append((State.INTERRUPTED if interrupted else State.RETURNED, _at(row.return_date)))
    follow_up_over = add_months(row.return_date, 6) < today
    if row.situation_6:
        events.append((State.FOLLOW_UP, _at(row.return_date, 1)))
        events.append((State.CLOSED, _at(min(add_months(row.return_date, 6), today))))
    elif follow_up_over:
        if not interrupted:
            events.append((State.FOLLOW_UP, _at(row.return_date, 1)))
        events.append((State.CLOSED, _at(add_months(row.return_date, 6))))
    return events


def _youth_values(rows):
    """The young person's attributes from their rows: the most recent fiche's values first."""
    values = {}
    for row in sorted(rows, key=lambda r: r.received_on, reverse=True):
        for attribute, value in (("sex", row.sex), ("qualification_level", row.level),
                                 ("employment_status", row.employment_status), ("qpv", row.qpv), ("zrr", row.zrr)):
            if attribute not in values and value not in ("", None):
                values[attribute] = value
    return values


def run(plan, user=None, progress=None):
    """Write a checked plan in one transaction; returns the summary. Raises ImportRefused if the plan
    has errors."""
    if plan.errors:
        raise ImportRefused(plan.errors)
    today = timezone.localdate()
    with transaction.atomic():
        # References imported since the check (another import at the same time) are left alone too.
        known = set(Dossier.objects.filter(legacy_reference__in=[r.reference for r in plan.rows])
                    .values_list("legacy_reference", flat=True))
        if known:
            plan.skipped += [r.reference for r in plan.rows if r.reference in known]
            plan.rows = [r for r in plan.rows if r.reference not in known]
        structures = {fold(s.name): s for s in Structure.objects.all()}
        new = [Structure(name=n) for n in dict.fromkeys(r.structure for r in plan.rows) if fold(n) not in structures]
        new = list({fold(s.name): s for s in new}.values())
        for s in Structure.objects.bulk_create(new):
            structures[fold(s.name)] = s
        schemes = {fold(s.name): s for s in Scheme.objects.all()}
        new = [Scheme(name=n) for n in dict.fromkeys(r.scheme for r in plan.rows if r.scheme) if fold(n) not in schemes]
        new = list({fold(s.name): s for s in new}.values())
        for s in Scheme.objects.bulk_create(new):
            schemes[fold(s.name)] = s

        by_key = {}
        for row in plan.rows:
            by_key.setdefault(row.key, []).append(row)
        youths = {y.match_key: y for y in Youth.objects.select_for_update().filter(match_key__in=list(by_key))}
        to_update = []
        for key, y in youths.items():
            changed = False
            for attribute, value in _youth_values(by_key[key]).items():
                if getattr(y, attribute) in ("", None):
                    setattr(y, attribute, value)
                    changed = True
            if changed:
                to_update.append(y)
        if to_update:
            Youth.objects.bulk_update(to_update, ["sex", "qualification_level", "employment_status", "qpv", "zrr"])
        created = []
        for key, rows in by_key.items():
            if key in youths:
                continue
            first = min(rows, key=lambda r: r.received_on)
            y = Youth(last_name=first.last_name, first_name=first.first_name, birth_date=first.birth_date,
                      nationality="", **_youth_values(rows))
            y.match_key = key
            y.search_name = f"{fold(y.last_name)} {fold(y.first_name)}"
            created.append(y)
        for y in Youth.objects.bulk_create(created, batch_size=500):
            youths[y.match_key] = y
        if progress:
            progress(len(plan.rows) // 4, len(plan.rows))

        dossiers = []
        timelines = []
        for row in plan.rows:
            events = timeline(row, today)
            timelines.append(events)
            dossiers.append(Dossier(
                youth=youths[row.key], structure=structures[fold(row.structure)],
                scheme=schemes[fold(row.scheme)] if row.scheme else None,
                state=events[-1][0], state_changed_at=events[-1][1], received_on=row.received_on,
                imported=True, legacy_reference=row.reference,
            ))
        Dossier.objects.bulk_create(dossiers, batch_size=500)
        if progress:
            progress(len(plan.rows) // 2, len(plan.rows))

        events = []
        stays = []
        calls = []
        for row, dossier, steps in zip(plan.rows, dossiers, timelines):
            comment = COMMENT.format(reference=row.reference)
            previous = ""
            for state, when in steps:
                events.append(DossierEvent(dossier=dossier, actor=user, from_state=previous, to_state=state,
                                           comment=comment, created_at=when))
                previous = state
            if row.final_status in DEPARTED:
                stays.append(Stay(
                    dossier=dossier, scheme=schemes[fold(row.scheme)], country=row.country, city=row.city,
                    planned_start=row.departure_date, planned_end=row.return_date,
                    departure_date=row.departure_date, return_date=row.return_date,
                    interrupted=row.final_status == "interrompu",
                ))
            if row.situation_6:
                due = add_months(row.return_date, 6)
                calls.append(FollowUpCall(
                    dossier=dossier, month=6, due_date=due, done_at=_at(min(due, today)),
                    reached=row.situation_6 != Situation.UNKNOWN, situation=row.situation_6, notes=comment,
                ))
        DossierEvent.objects.bulk_create(events, batch_size=1000)
        Stay.objects.bulk_create(stays, batch_size=500)
        FollowUpCall.objects.bulk_create(calls, batch_size=500)
        if progress:
            progress(len(plan.rows), len(plan.rows))
    return plan.summary()


def import_file(data, name="", user=None, dry_run=False, progress=None):
    """Check then (unless ``dry_run``) import a file. Returns the summary; raises ImportRefused with every
    error when the file is refused (nothing written)."""
    plan = check(data, name, progress=progress)
    if plan.errors:
        raise ImportRefused(plan.errors)
    if dry_run:
        return plan.summary()
    return run(plan, user=user, progress=progress)


def errors_as_dicts(errors):
    return [asdict(e) for e in errors]


def template_csv():
    """The canonical template: its header row (UTF-8, comma-separated)."""
    return (",".join(COLUMNS) + "\n").encode("utf-8")


def template_xlsx():
    from .renderers import write_xlsx

    return write_xlsx([("Dossiers", COLUMNS, [], [], [max(len(c) + 4, 12) for c in COLUMNS])])
