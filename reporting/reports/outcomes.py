"""outcomes — situation six months after return, for the stays that ended (return date) in the period;
``filters.horizon`` 12 or 36: the situation of the survey at that many months (surveys app)."""
from django.db.models import F

from followup.enums import Situation, is_positive
from followup.models import FollowUpCall
from surveys.models import Response, Survey

from .common import HEADING, SUBTOTAL, TOTAL, Column, Report, Row, in_years, pct, run_over

NAME = "outcomes"
TITLE = "Situation six mois après le retour"
SUMMARY = "Situation au contact du sixième mois après le retour ; sorties positives."

# The columns: CSV key (docs/report-formats.md), French title.
COLUMNS = [Column("Situation", "Situation"), Column("Nombre", "Nombre"),
           Column("Pourcentage", "Part des séjours (%)", percent=True)]
OUTCOME_ROWS = [
    "emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante",
    "etudes", "recherche_emploi", "autre", "inconnu",
]
# Situations recorded in the application that the funders' list does not hold.
OUTCOME_FOLDS = {Situation.TEMPORARY: "emploi_cdd_moins_6_mois", Situation.CIVIC_SERVICE: "autre", "": "inconnu",
                 None: "inconnu"}
ALL_SCHEMES = "Tous dispositifs"

# The month-6 call joined on the stay's dossier (the hand-written SQL's plan: one hash join). The ORM
# can only reach it through the dossier (a join over every dossier) or a subquery per stay: both 3×
# slower (BENCHMARKS.md).
OUTCOMES_SQL = """
    SELECT stay.scheme_name, month6.situation, month6.reached, COUNT(*)
    FROM ({stays}) stay
    LEFT JOIN {calls} month6 ON month6.dossier_id = stay.followed AND month6.month = 6
    GROUP BY stay.scheme_name, month6.situation, month6.reached
"""


# The surveys at 12 and 36 months: « reached » is 1 when answered, 0 when sent and unanswered, NULL when no
# survey was sent. ``{horizon}`` is one of the fixed HORIZONS values, never user input.
SURVEY_SQL = """
    SELECT stay.scheme_name, answer.situation,
           CASE WHEN answer.id IS NOT NULL THEN 1 WHEN survey.id IS NOT NULL THEN 0 END AS reached, COUNT(*)
    FROM ({stays}) stay
    LEFT JOIN {surveys} survey ON survey.dossier_id = stay.followed AND survey.horizon = '{horizon}'
    LEFT JOIN {responses} answer ON answer.survey_id = survey.id
    GROUP BY stay.scheme_name, answer.situation, CASE WHEN answer.id IS NOT NULL THEN 1 WHEN survey.id IS NOT NULL THEN 0 END
"""
HORIZONS = {6: "six mois", 12: "douze mois", 36: "trente-six mois"}
# « emploi ou études »: any work, a qualifying training or studies (the platform's published rate).
WORK_OR_STUDIES = ["emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante", "etudes"]


def outcome_of(situation):
    return OUTCOME_FOLDS.get(situation, situation if situation in OUTCOME_ROWS else "inconnu")


def _block_rows(counts, answered=None):
    total = sum(counts.values())
    positive = sum(n for key, n in counts.items() if is_positive(key))
    rows = [Row([key, counts[key], pct(counts[key], total)]) for key in OUTCOME_ROWS]
    work = sum(counts[key] for key in WORK_OR_STUDIES)
    rows.append(Row(["sortie positive", positive, pct(positive, total)], TOTAL))
    rows.append(Row(["emploi ou études", work, pct(work, total)], TOTAL))
    rows.append(Row(["total", total, pct(total, total)], SUBTOTAL))
    if answered is not None:
        rows.append(Row(["taux de réponse", answered, pct(answered, total)], SUBTOTAL))
    return rows


def report(filters):
    horizon = filters.horizon if filters.horizon in HORIZONS else 6
    stays = filters.stays().filter(return_date__isnull=False)
    years = filters.years(stays, "return_date")
    period = in_years(stays, "return_date", years).values(scheme_name=F("scheme__name"), followed=F("dossier_id"))
    if horizon == 6:
        grouped = run_over(period, OUTCOMES_SQL, "stays", calls=FollowUpCall)
    else:
        grouped = run_over(period, SURVEY_SQL.replace("{horizon}", str(horizon)), "stays", surveys=Survey,
                           responses=Response)
    blocks = {}
    answered = {}
    # Of the « inconnu »: a young person called but not reached is not a call never made. A month counts as
    # a contact only if a call or an answer was recorded (« non réalisé »: reached unknown, or no call).
    unknown = {"non joint": 0, "non réalisé": 0}
    for scheme_name, situation, reached, n in grouped:
        block = blocks.setdefault(scheme_name, dict.fromkeys(OUTCOME_ROWS, 0))
        block[outcome_of(situation)] += n
        if reached:
            answered[scheme_name] = answered.get(scheme_name, 0) + n
        if reached is None:  # no call, or closed without any (SQLite gives 0/1 for the others)
            unknown["non réalisé"] += n
        elif not reached:
            unknown["non joint"] += n
    combined = dict.fromkeys(OUTCOME_ROWS, 0)
    for block in blocks.values():
        for key, n in block.items():
            combined[key] += n

    survey = horizon != 6
    all_answered = sum(answered.values()) if survey else None
    rows = []
    if filters.scheme is not None:
        rows = _block_rows(combined, all_answered)
    else:
        for name in sorted(blocks, key=str.casefold):
            rows.append(Row([name, "", ""], HEADING))
            rows.extend(_block_rows(blocks[name], answered.get(name, 0) if survey else None))
        rows.append(Row([ALL_SCHEMES, "", ""], HEADING))
        rows.extend(_block_rows(combined, all_answered))
    chart = {
        "type": "doughnut",
        "labels": [dict(Situation.choices).get(k, k) for k in OUTCOME_ROWS],
        "datasets": [{"label": "Séjours", "data": [combined[k] for k in OUTCOME_ROWS]}],
    }
    labels = {key: dict(Situation.choices)[key] for key in OUTCOME_ROWS}
    labels["sortie positive"] = "Sortie positive (CDI, CDD de six mois ou plus, formation qualifiante)"
    labels["emploi ou études"] = "Emploi ou études (tout emploi, formation qualifiante ou études)"
    labels["total"] = "Total des séjours terminés"
    labels["taux de réponse"] = "Réponses à l'enquête (part des séjours)"
    headline = ("Sortie positive : CDI, CDD de six mois ou plus, formation qualifiante. Emploi ou études : tout "
                "emploi (CDI, CDD, intérim), formation qualifiante ou études.")
    if not survey:
        notes = ["Séjours terminés dans la période (date de retour, séjours interrompus compris) ; situation "
                 "relevée au contact du sixième mois (inconnu quand il n'a pas eu lieu). " + headline,
                 f"Dont inconnu : {unknown['non joint']} jeune(s) appelé(s) mais non joint(s) au sixième mois, "
                 f"{unknown['non réalisé']} contact(s) du sixième mois non réalisé(s) (aucun appel ni réponse "
                 "enregistré)."]
    else:
        total = sum(combined.values())
        notes = [f"Séjours terminés dans la période (date de retour, séjours interrompus compris) ; situation "
                 f"déclarée à l'enquête à {horizon} mois (inconnu sans réponse). " + headline,
                 f"Taux de réponse : {all_answered} réponse(s) pour {total} séjour(s), soit "
                 f"{pct(all_answered, total)} % ; {unknown['non joint']} enquête(s) envoyée(s) restée(s) sans "
                 f"réponse, {unknown['non réalisé']} pas encore envoyée(s) (moins de {horizon} mois après le "
                 "retour, ou retour trop ancien)."]
    title = TITLE if horizon == 6 else f"Situation {HORIZONS[horizon]} après le retour"
    return Report(
        NAME, title, COLUMNS, rows, years,
        filters.describe(), chart, labels=labels, notes=notes,
    )
