"""outcomes — situation six months after return, for the stays that ended (return date) in the period."""
from django.db.models import F

from followup.enums import Situation, is_positive
from followup.models import FollowUpCall

from .common import HEADING, SUBTOTAL, TOTAL, Report, Row, in_years, pct, run_over

NAME = "outcomes"
TITLE = "Situation six mois après le retour"
SUMMARY = "Situation au contact du sixième mois après le retour ; sorties positives."

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


def outcome_of(situation):
    return OUTCOME_FOLDS.get(situation, situation if situation in OUTCOME_ROWS else "inconnu")


def _block_rows(counts):
    total = sum(counts.values())
    positive = sum(n for key, n in counts.items() if is_positive(key))
    rows = [Row([key, counts[key], pct(counts[key], total)]) for key in OUTCOME_ROWS]
    rows.append(Row(["sortie positive", positive, pct(positive, total)], TOTAL))
    rows.append(Row(["total", total, pct(total, total)], SUBTOTAL))
    return rows


def report(filters):
    stays = filters.stays().filter(return_date__isnull=False)
    years = filters.years(stays, "return_date")
    grouped = run_over(
        in_years(stays, "return_date", years).values(scheme_name=F("scheme__name"), followed=F("dossier_id")),
        OUTCOMES_SQL, "stays", calls=FollowUpCall,
    )
    blocks = {}
    # Of the « inconnu »: a young person called but not reached is not a call never made. A month counts as
    # a contact only if a call or an answer was recorded (« non réalisé »: reached unknown, or no call).
    unknown = {"non joint": 0, "non réalisé": 0}
    for scheme_name, situation, reached, n in grouped:
        block = blocks.setdefault(scheme_name, dict.fromkeys(OUTCOME_ROWS, 0))
        block[outcome_of(situation)] += n
        if reached is None:  # no call, or closed without any (SQLite gives 0/1 for the others)
            unknown["non réalisé"] += n
        elif not reached:
            unknown["non joint"] += n
    combined = dict.fromkeys(OUTCOME_ROWS, 0)
    for block in blocks.values():
        for key, n in block.items():
            combined[key] += n

    rows = []
    if filters.scheme is not None:
        rows = _block_rows(combined)
    else:
        for name in sorted(blocks, key=str.casefold):
            rows.append(Row([name, "", ""], HEADING))
            rows.extend(_block_rows(blocks[name]))
        rows.append(Row([ALL_SCHEMES, "", ""], HEADING))
        rows.extend(_block_rows(combined))
    chart = {
        "type": "doughnut",
        "labels": [dict(Situation.choices).get(k, k) for k in OUTCOME_ROWS],
        "datasets": [{"label": "Séjours", "data": [combined[k] for k in OUTCOME_ROWS]}],
    }
    labels = {key: dict(Situation.choices)[key] for key in OUTCOME_ROWS}
    labels["sortie positive"] = "Sortie positive (CDI, CDD de six mois ou plus, formation qualifiante)"
    labels["total"] = "Total des séjours terminés"
    return Report(
        NAME, TITLE, ["Situation", "Nombre", "Pourcentage"], rows, years,
        filters.describe(), chart, labels=labels,
        notes=["Séjours terminés dans la période (date de retour, séjours interrompus compris) ; situation "
               "relevée au contact du sixième mois (inconnu quand il n'a pas eu lieu). Sortie positive : CDI, "
               "CDD de six mois ou plus, formation qualifiante.",
               f"Dont inconnu : {unknown['non joint']} jeune(s) appelé(s) mais non joint(s) au sixième mois, "
               f"{unknown['non réalisé']} contact(s) du sixième mois non réalisé(s) (aucun appel ni réponse "
               "enregistré)."],
    )
