"""Hand-written SQL (PostgreSQL) computing the figures of each funder report over the whole data set
(no filter: every year, every structure), written from the definitions of docs/reporting.md and not
from the ORM code. The benchmark times each report against its SQL here, and first checks that both
give the same numbers (``compare``): a ratio against wrong SQL would mean nothing.

Each ``sql_<name>(cursor, today)`` returns the report's figures as a dict ``{key: number}``;
``report_<name>(report)`` reads the same dict out of the ``Report`` the application builds. Only
counting is done by the database; Python folds the (bounded) grouped rows into categories.
"""
from dossiers.enums import LEVEL_2019_TO_OLD
from dossiers.workflow import State
from followup.enums import Situation

DEPARTED = "st.departure_date IS NOT NULL AND st.departure_date <= %(today)s"
# Age in whole years at a day (PostgreSQL's age(): the birthday counts from the day itself).
AGE = "EXTRACT(YEAR FROM age({day}, y.birth_date))::int"


def old_level(level):
    return LEVEL_2019_TO_OLD.get(level, level or "")


# --- departures -------------------------------------------------------------------------------------

def sql_departures(cursor, today):
    cursor.execute(f"""
        SELECT sc.name, EXTRACT(YEAR FROM st.departure_date)::int, COUNT(*)
        FROM departures_stay st JOIN departures_scheme sc ON sc.id = st.scheme_id
        WHERE {DEPARTED}
        GROUP BY 1, 2""", {"today": today})
    return {(name, year): n for name, year, n in cursor.fetchall()}


def report_departures(report):
    figures = {}
    for row in report.rows:
        if row.kind != "data":
            continue
        for year, n in zip(report.years, row.cells[1:-1]):
            if n:
                figures[(row.cells[0], year)] = n
    return figures


# --- funnel -----------------------------------------------------------------------------------------

def sql_funnel(cursor, today):
    cursor.execute(f"""
        WITH reached AS (
            SELECT dossier_id,
                   bool_or(to_state = %(info)s) AS info,
                   bool_or(to_state IN (%(diagnosed)s, %(oriented)s)) AS diagnosed,
                   bool_or(to_state IN (%(accepted)s, %(refused)s, %(postponed)s)) AS commission,
                   bool_or(to_state = %(accepted)s) AS accepted
            FROM dossiers_dossierevent
            WHERE to_state IN (%(info)s, %(diagnosed)s, %(oriented)s, %(accepted)s, %(refused)s, %(postponed)s)
            GROUP BY dossier_id
        )
        SELECT COUNT(*), COUNT(DISTINCT d.youth_id),
               COUNT(*) FILTER (WHERE r.info), COUNT(*) FILTER (WHERE r.diagnosed),
               COUNT(*) FILTER (WHERE r.commission), COUNT(*) FILTER (WHERE r.accepted),
               COUNT(*) FILTER (WHERE {DEPARTED}),
               COUNT(*) FILTER (WHERE {DEPARTED} AND st.return_date IS NOT NULL),
               COUNT(*) FILTER (WHERE f.id IS NOT NULL)
        FROM dossiers_dossier d
        LEFT JOIN reached r ON r.dossier_id = d.id
        LEFT JOIN departures_stay st ON st.dossier_id = d.id
        LEFT JOIN followup_followupcall f ON f.dossier_id = d.id AND f.month = 6 AND f.done_at IS NOT NULL
                                          AND f.situation NOT IN ('', %(unknown)s)
        """, {"today": today, "info": State.INFO_DONE, "diagnosed": State.DIAGNOSED, "oriented": State.ORIENTED,
              "accepted": State.ACCEPTED, "refused": State.REFUSED, "postponed": State.POSTPONED,
              "unknown": Situation.UNKNOWN})
    keys = ["fiches", "youths", "info", "diagnosed", "commission", "accepted", "departed", "returned", "followed"]
    return dict(zip(keys, cursor.fetchone()))


def report_funnel(report):
    keys = ["fiches", "youths", "info", "diagnosed", "commission", "accepted", "departed", "returned", "followed"]
    return {key: row.cells[1] for key, row in zip(keys, report.rows)}


# --- profile ----------------------------------------------------------------------------------------

FIRST_FICHE = "SELECT DISTINCT ON (youth_id) youth_id, received_on FROM dossiers_dossier ORDER BY youth_id, received_on, id"
FIRST_DEPARTURE = f"""
    SELECT DISTINCT ON (d.youth_id) d.youth_id, st.departure_date
    FROM departures_stay st JOIN dossiers_dossier d ON d.id = st.dossier_id
    WHERE {DEPARTED}
    ORDER BY d.youth_id, st.departure_date, st.id"""


def _profile_rows(cursor, first, day, today):
    cursor.execute(f"""
        SELECT y.sex, {AGE.format(day=f"f.{day}")}, y.qualification_level, y.qpv, y.zrr, COUNT(*)
        FROM ({first}) f JOIN dossiers_youth y ON y.id = f.youth_id
        GROUP BY 1, 2, 3, 4, 5""", {"today": today})
    return cursor.fetchall()


def _profile_fold(rows):
    counts = {}

    def add(section, category, n):
        counts[(section, category)] = counts.get((section, category), 0) + n

    for sex, age, level, qpv, zrr, n in rows:
        if sex in ("F", "M"):
            add("sexe", sex, n)
        band = ("moins de 18" if age < 18 else "18-19" if age <= 19 else "20-24" if age <= 24
                else "25-26" if age <= 26 else "plus de 26")
        add("age", band, n)
        old = old_level(level)
        add("niveau", "I-II" if old in ("I", "II") else old if old in ("VI", "Vbis", "V", "IV", "III") else "inconnu", n)
        add("qpv", {True: "oui", False: "non"}.get(qpv, "inconnu"), n)
        add("zrr", {True: "oui", False: "non"}.get(zrr, "inconnu"), n)
    return counts


def sql_profile(cursor, today):
    received = _profile_fold(_profile_rows(cursor, FIRST_FICHE, "received_on", today))
    departed = _profile_fold(_profile_rows(cursor, FIRST_DEPARTURE, "departure_date", today))
    figures = {}
    for key, n in received.items():
        figures[(*key, "recus")] = n
    for key, n in departed.items():
        figures[(*key, "partis")] = n
    return figures


def report_profile(report):
    figures = {}
    for row in report.rows:
        if row.kind != "data":
            continue
        section, category, received, _, departed, _ = row.cells
        if received:
            figures[(section, category, "recus")] = received
        if departed:
            figures[(section, category, "partis")] = departed
    return figures


# --- outcomes ---------------------------------------------------------------------------------------

OUTCOME_KEYS = ["emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante",
                "etudes", "recherche_emploi", "autre", "inconnu"]


def outcome(situation):
    if situation == Situation.TEMPORARY:
        return "emploi_cdd_moins_6_mois"
    if situation == Situation.CIVIC_SERVICE:
        return "autre"
    return situation if situation in OUTCOME_KEYS else "inconnu"


def sql_outcomes(cursor, today):
    cursor.execute(f"""
        SELECT sc.name, f.situation, COUNT(*)
        FROM departures_stay st
        JOIN departures_scheme sc ON sc.id = st.scheme_id
        LEFT JOIN followup_followupcall f ON f.dossier_id = st.dossier_id AND f.month = 6
        WHERE {DEPARTED} AND st.return_date IS NOT NULL
        GROUP BY 1, 2""", {"today": today})
    figures = {}
    for scheme, situation, n in cursor.fetchall():
        for block in (scheme, "Tous dispositifs"):
            key = (block, outcome(situation))
            figures[key] = figures.get(key, 0) + n
    return figures


def report_outcomes(report):
    figures, block = {}, None
    for row in report.rows:
        if row.kind == "heading":
            block = row.cells[0]
        elif row.kind == "data" and row.cells[1]:
            figures[(block, row.cells[0])] = row.cells[1]
    return figures


# --- FEJ --------------------------------------------------------------------------------------------

FEJ_LEVELS = {"VI": "Infra V", "Vbis": "Infra V", "V": "Niveau V", "IV": "Niveau IV", "III": "Niveau III",
              "II": "Niveau II", "I": "Niveau I"}
FEJ_STATUSES = {"demandeur_emploi": "Demandeurs d'emploi", "actif_occupe": "Actifs occupés",
                "etudiant": "Étudiants"}


def _fej_fold(rows, column_of):
    columns = {}
    for column, age, sex, level, status, n in ((column_of(r), *r[1:]) for r in rows):
        counts = columns.setdefault(column, {})

        def add(key):
            counts[key] = counts.get(key, 0) + n

        add("16-18" if age < 18 else "18-25" if age <= 25 else "Autres (âge)")
        add(FEJ_STATUSES.get(status, "Autres (situation)"))
        if old_level(level) in FEJ_LEVELS:
            add(FEJ_LEVELS[old_level(level)])
        if sex == "F":
            add("Filles")
        elif sex == "M":
            add("Garçons")
    return columns


def sql_fej(cursor, today):
    cursor.execute(f"""
        SELECT EXTRACT(YEAR FROM d.received_on)::int,
               COUNT(DISTINCT d.youth_id),
               COUNT(DISTINCT d.youth_id) FILTER (WHERE {DEPARTED}),
               COUNT(DISTINCT d.youth_id) FILTER (WHERE d.state = %(dropped)s OR (st.interrupted AND {DEPARTED}))
        FROM dossiers_dossier d LEFT JOIN departures_stay st ON st.dossier_id = d.id
        GROUP BY ROLLUP (1)""", {"today": today, "dropped": State.DROPPED})
    headline = {}
    for year, entered, departed, dropped in cursor.fetchall():
        headline[year or "Total"] = {"Nombre total de bénéficiaires": entered, "Jeunes": departed,
                                     "Nombre d'abandons ou exclusions": dropped}
    group = "{AGE}, y.sex, y.qualification_level, y.employment_status".format(AGE=AGE.format(day="f.received_on"))
    cursor.execute(f"""
        SELECT f.year, {group}, COUNT(*)
        FROM (SELECT DISTINCT ON (youth_id, EXTRACT(YEAR FROM received_on)) youth_id, received_on,
                     EXTRACT(YEAR FROM received_on)::int AS year
              FROM dossiers_dossier ORDER BY youth_id, EXTRACT(YEAR FROM received_on), received_on, id) f
        JOIN dossiers_youth y ON y.id = f.youth_id
        GROUP BY 1, 2, 3, 4, 5""")
    columns = _fej_fold(cursor.fetchall(), lambda r: r[0])
    cursor.execute(f"""
        SELECT 0, {group}, COUNT(*) FROM ({FIRST_FICHE}) f JOIN dossiers_youth y ON y.id = f.youth_id
        GROUP BY 2, 3, 4, 5""")
    columns.update(_fej_fold(cursor.fetchall(), lambda r: "Total"))
    figures = {}
    for column, counts in list(columns.items()) + list(headline.items()):
        for key, n in counts.items():
            if n:
                figures[(key, column)] = n
    return figures


def report_fej(report):
    from reporting.reports.fej import FEJ_ROWS

    figures = {}
    columns = [*report.years, "Total"]
    for (key, _label), row in zip(FEJ_ROWS, report.rows):
        for column, n in zip(columns, row.cells[1:]):
            if n:
                figures[(key, column)] = n
    return figures


SQL = {"departures": sql_departures, "funnel": sql_funnel, "profile": sql_profile, "outcomes": sql_outcomes,
       "fej": sql_fej}
FROM_REPORT = {"departures": report_departures, "funnel": report_funnel, "profile": report_profile,
               "outcomes": report_outcomes, "fej": report_fej}


def compare(name, report, cursor, today):
    """The differences between the report's figures and the SQL's: {key: (report, sql)}; empty = same."""
    mine, theirs = FROM_REPORT[name](report), SQL[name](cursor, today)
    return {key: (mine.get(key), theirs.get(key)) for key in set(mine) | set(theirs) if mine.get(key) != theirs.get(key)}
