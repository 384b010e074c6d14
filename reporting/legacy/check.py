"""Checking an import file: every row against the template (columns, formats, values, dates that hold
together), every error with its line and column, then what the file would create (``Plan``). Reads
the database, never writes."""
import datetime
from dataclasses import dataclass, field

from django.utils import timezone, translation

from departures.models import Scheme
from dossiers.models import Dossier, Youth
from ipm.text import fold, person_key
from referrals.models import Structure

from .read import UnreadableFile, csv_encoding, is_xlsx, read_rows
from .rules import DEPARTED, RuleWarnings
from .seen import Seen, digest

# The template: its columns in order, and those a file must have.
COLUMNS = [
    "reference", "nom", "prenom", "date_naissance", "sexe", "niveau", "situation", "qpv", "zrr", "structure",
    "date_fiche", "dispositif", "pays", "ville", "date_depart", "date_retour", "statut_final", "nationalite",
    "situation_6_mois", "origine",
]
REQUIRED_COLUMNS = ["reference", "nom", "prenom", "date_naissance", "sexe", "structure", "date_fiche", "statut_final"]

LEVELS = {fold(v): v for v in ["VI", "Vbis", "V", "IV", "III", "II", "I", "3", "4", "5", "6", "7", "8"]}
EMPLOYMENT_CHOICES = ["demandeur_emploi", "actif_occupe", "etudiant", "autre"]
EMPLOYMENT = set(EMPLOYMENT_CHOICES)
FINAL_STATUSES = ["en_cours", "oriente", "refuse", "abandon", "parti", "interrompu"]
SITUATIONS_6 = [
    "emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante", "etudes",
    "recherche_emploi", "autre", "inconnu",
]
YES_NO = {"oui": True, "non": False}
# The reference of the XLSX template's example row (legacy/template.py): a file that still holds it is
# refused at that line, so that the example never becomes a dossier.
EXAMPLE_REFERENCE = "EXEMPLE"
ORIGINS = ["habituel", "repere", "reactive"]  # the outreach cohorts (dossiers.enums.Origin); empty = habituel
PROGRESS_EVERY = 200
# Valid rows are counted (references already imported, young people known) this many at a time.
BATCH = 500


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


@dataclass(slots=True)
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
    nationality: str = ""
    origin: str = "habituel"

    @property
    def key(self):
        return person_key(self.last_name, self.first_name, self.birth_date)


@dataclass
class Plan:
    """What a checked file would create: counts and lists that grow with the file's distinct structures,
    schemes and warnings, never with its rows (``rows`` reads the file again)."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # LineError: rules of the wheel the rows would break
    total_rows: int = 0
    skipped: int = 0  # rows whose reference is already imported
    new_structures: list = field(default_factory=list)
    new_schemes: list = field(default_factory=list)
    new_youths: int = 0
    known_youths: int = 0
    dossiers: int = 0
    stays: int = 0
    followups: int = 0
    statuses: dict = field(default_factory=lambda: {status: 0 for status in FINAL_STATUSES})
    source: tuple = (b"", "")  # the file's bytes and name, read again by ``rows``
    encoding: str = ""  # a CSV's: « UTF-8 » or « Windows-1252 » (read.csv_encoding)

    def count(self, row):
        """Count a row to import in the summary."""
        self.dossiers += 1
        self.statuses[row.final_status] += 1
        self.stays += row.final_status in DEPARTED
        self.followups += bool(row.situation_6)

    def recount(self, rows):
        """The counts of the rows actually imported (the write leaves out references imported since)."""
        self.skipped += self.dossiers - len(rows)
        self.dossiers = self.stays = self.followups = 0
        self.statuses = {status: 0 for status in FINAL_STATUSES}
        for row in rows:
            self.count(row)

    def iter_rows(self):
        """The LegacyRow to import, the file read and checked again, a batch at a time (references already
        imported left out)."""
        if self.errors:
            return
        header, raw_rows, _ = read_rows(*self.source, encoding=self.encoding or None)
        checker = RowChecker()
        batch = []
        for line, raw in raw_rows:
            errors = []
            row = checker.check(line, raw, errors)
            if row is None:
                raise ImportRefused(errors)
            batch.append(row)
            if len(batch) >= BATCH:
                yield from _not_imported(batch)
                batch = []
        yield from _not_imported(batch)

    @property
    def rows(self):
        """The LegacyRow to import, as a list (the write needs them all; the check keeps none)."""
        return list(self.iter_rows())

    def summary(self):
        return {
            "rows": self.total_rows,
            "dossiers": self.dossiers,
            "skipped": self.skipped,
            "new_youths": self.new_youths,
            "known_youths": self.known_youths,
            "new_structures": self.new_structures,
            "new_schemes": self.new_schemes,
            "stays": self.stays,
            "followups": self.followups,
            "statuses": dict(self.statuses),
            "warnings": [{"line": w.line, "column": w.column, "message": w.message} for w in self.warnings],
            "encoding": self.encoding,
        }


def _not_imported(batch):
    """The rows of ``batch`` whose reference is not imported yet."""
    known = set(Dossier.objects.filter(legacy_reference__in=[r.reference for r in batch])
                .values_list("legacy_reference", flat=True))
    return [r for r in batch if r.reference not in known]


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
        if reference.upper() == EXAMPLE_REFERENCE:
            error("reference", "c'est la ligne d'exemple du modèle : supprimez-la, ou remplacez-la par un vrai "
                               "dossier avec sa propre référence.")
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
        def country_of(column):
            raw = text(column)
            if not raw:
                return ""  # unknown: never guessed
            if raw.upper() in self.country_codes and len(raw) == 2:
                return raw.upper()
            code = self.country_names.get(fold(raw), "")
            if not code:
                error(column, f"« {raw} » : pays inconnu (code ISO à deux lettres comme IE, "
                              "ou nom français comme Irlande).")
            return code

        country = country_of("pays")
        nationality = country_of("nationalite")
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
        origin = choice("origine", ORIGINS, ", ".join(ORIGINS)) or "habituel"
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
            nationality=nationality, origin=origin,
        )


class _Tally:
    """What the valid rows would create, counted a batch at a time as they are checked (``Plan``)."""

    def __init__(self, plan, today):
        self.plan = plan
        self.structures = {fold(s) for s in Structure.objects.values_list("name", flat=True)}
        self.schemes = {fold(s) for s in Scheme.objects.values_list("name", flat=True)}
        self.youths = Seen()  # the young people's keys met so far
        self.rules = RuleWarnings(today, self.youths)

    def add(self, batch):
        plan = self.plan
        rows = _not_imported(batch)
        plan.skipped += len(batch) - len(rows)
        keys, digests, new = [], [], []
        for row in rows:
            plan.count(row)
            if fold(row.structure) not in self.structures:
                self.structures.add(fold(row.structure))
                plan.new_structures.append(row.structure)
            if row.scheme and fold(row.scheme) not in self.schemes:
                self.schemes.add(fold(row.scheme))
                plan.new_schemes.append(row.scheme)
            key = row.key
            keys.append(key)
            digests.append(digest(key))
            if digests[-1] not in self.youths:
                self.youths.put(digests[-1], 0)
                new.append(key)
        known = len(set(Youth.objects.filter(match_key__in=new).values_list("match_key", flat=True))) if new else 0
        plan.known_youths += known
        plan.new_youths += len(new) - known
        self.rules.add(rows, keys, digests)

    def finish(self):
        self.plan.warnings = [LineError(*w) for w in self.rules.finish()]


def check(data, name="", progress=None):
    """Read and check a whole file; returns the Plan (its ``errors`` empty when the file can go in).
    Reads the database, never writes. One row at a time, as the file is read: what is kept grows with
    the errors and warnings, not with the rows (the references and the young people met are digests in
    ``Seen``; the valid rows are counted a batch at a time, then dropped)."""
    plan = Plan(source=(data, name), encoding="" if is_xlsx(data, name) else csv_encoding(data))
    try:
        header, raw_rows, estimate = read_rows(data, name, plan.encoding or None)
    except UnreadableFile as unreadable:
        plan.errors = [LineError(unreadable.line, "", str(unreadable))]
        return plan
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        plan.errors.append(LineError(1, ", ".join(missing), "colonne(s) obligatoire(s) absente(s) de la ligne "
                                                            "d'en-tête. Partez du modèle téléchargeable."))
        return plan
    checker = RowChecker()
    references = Seen()  # digest of each reference → its first line
    tally = _Tally(Plan(), timezone.localdate())
    batch = []
    try:
        for index, (line, raw) in enumerate(raw_rows, start=1):
            plan.total_rows = index
            row = checker.check(line, raw, plan.errors)
            reference = str(raw.get("reference", "") or "").strip()
            if reference:
                first = references.get(digest(reference))
                if first is not None:
                    plan.errors.append(LineError(line, "reference", f"la référence « {reference} » figure déjà "
                                                                    f"ligne {first}."))
                    row = None
                else:
                    references.put(digest(reference), line)
            if row is not None and not plan.errors:
                batch.append(row)
                if len(batch) >= BATCH:
                    tally.add(batch)
                    batch = []
            if progress and index % PROGRESS_EVERY == 0:
                progress(index, max(estimate, index))
    except UnreadableFile as unreadable:
        plan.errors = [LineError(unreadable.line, "", str(unreadable))]
        return plan
    if not plan.total_rows:
        plan.errors.append(LineError(2, "", "le fichier ne contient aucune ligne de dossier."))
        return plan
    if plan.errors:
        return plan  # what a refused file would create is not counted
    tally.add(batch)
    tally.finish()
    counted = tally.plan
    counted.source, counted.total_rows, counted.encoding = plan.source, plan.total_rows, plan.encoding
    if progress:
        progress(plan.total_rows, plan.total_rows)
    return counted
