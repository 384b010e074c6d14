"""funnel — from fiche to departure, for the dossiers whose fiche was received in the period."""
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When

from dossiers.models import DossierEvent
from dossiers.workflow import DECIDED_STATES, DIAGNOSED_STATES, State
from followup.enums import Situation
from followup.models import FollowUpCall

from .common import Column, Report, Row, departed, in_years, pct, run_over

NAME = "funnel"
TITLE = "De la fiche au départ"
SUMMARY = "Les étapes de la fiche au départ, pour les fiches reçues dans la période."

# The columns: CSV key (docs/report-formats.md), French title.
COLUMNS = [Column("Etape", "Étape"), Column("Nombre", "Nombre"), Column("Taux", "Taux (%)", percent=True)]

# The steps of the funnel read from the timeline: step → the states whose event marks it reached.
REACHED_STEPS = {
    "info": [State.INFO_DONE],
    "diagnosed": sorted(DIAGNOSED_STATES),
    "commission": sorted(DECIDED_STATES),
    "accepted": [State.ACCEPTED],
}

FUNNEL_STEPS = [
    ("fiches", "fiches reçues"),
    ("youths", "jeunes distincts"),
    ("info", "présents en information collective"),
    ("diagnosed", "diagnostics réalisés"),
    ("commission", "dossiers présentés en commission"),
    ("accepted", "dossiers acceptés"),
    ("departed", "départs"),
    ("returned", "retours"),
    ("followed", "suivis à six mois complets"),
]


def _grouping(group, prefix=""):
    """The ``values()`` of a grouping: alias ``g0``, ``g1``… → the dossier's field (through ``prefix``)."""
    return {f"g{index}": F(f"{prefix}{name}") for index, name in enumerate(group)}


def _reached_counts(cohort, group=()):
    """{key: {step: number of dossiers of ``cohort`` whose timeline reaches it}}, ``key`` the values of
    the dossier fields ``group`` (``()`` without a grouping), in one pass over the events (grouped per
    dossier, then summed) rather than an EXISTS per dossier and step: four times faster on 250,000
    dossiers (BENCHMARKS.md)."""
    states = sorted({state for group_states in REACHED_STEPS.values() for state in group_states})
    aliases = _grouping(group, "dossier__")
    per_dossier = (
        DossierEvent.objects.filter(dossier__in=cohort.values("pk"), to_state__in=states)
        .values("dossier", **aliases)
        .annotate(**{
            f"r_{step}": Max(Case(When(to_state__in=states_of_step, then=Value(1)), default=Value(0),
                                  output_field=IntegerField()))
            for step, states_of_step in REACHED_STEPS.items()
        })
        .order_by()
    )
    if not group:
        totals = per_dossier.aggregate(**{step: Sum(f"r_{step}") for step in REACHED_STEPS})
        return {(): {step: totals[step] or 0 for step in REACHED_STEPS}}
    columns = ", ".join(aliases)
    sums = ", ".join(f"SUM(per.r_{step})" for step in REACHED_STEPS)
    rows = run_over(per_dossier, f"SELECT {columns}, {sums} FROM ({{per_dossier}}) AS per GROUP BY {columns}",
                    "per_dossier")
    return {tuple(row[:len(group)]): dict(zip(REACHED_STEPS, (n or 0 for n in row[len(group):]))) for row in rows}


def _follow_up_complete_counts(cohort, group=()):
    """{key: dossiers of ``cohort`` whose month-6 contact was made and recorded a known situation} (one
    call per dossier and month)."""
    calls = (
        FollowUpCall.objects.filter(dossier__in=cohort.values("pk"), month=6, done_at__isnull=False, reached=True)
        .exclude(situation__in=["", Situation.UNKNOWN])
    )
    if not group:
        return {(): calls.count()}
    aliases = _grouping(group, "dossier__")
    return {tuple(item[a] for a in aliases): item["n"]
            for item in calls.values(**aliases).annotate(n=Count("pk")).order_by()}


def funnel_counts(cohort, group=(), extra=None):
    """{key: {step of FUNNEL_STEPS: number}} for the dossiers of ``cohort``, grouped by the dossier fields
    ``group`` (``key``: the tuple of their values; the one key ``()`` without a grouping), with the
    ``extra`` counts (name → aggregate) of the caller. The one step logic of the funnel: the funnel report,
    and the repérage report per cohort."""
    measures = {
        "fiches": Count("pk"),
        "youths": Count("youth", distinct=True),
        "departed": Count("pk", filter=departed()),
        "returned": Count("pk", filter=departed() & Q(stay__return_date__isnull=False)),
        **(extra or {}),
    }
    if not group:
        counts = {(): cohort.aggregate(**measures)}
    else:
        aliases = _grouping(group)
        counts = {tuple(item[a] for a in aliases): {m: item[m] for m in measures}
                  for item in cohort.values(**aliases).annotate(**measures).order_by()}
    reached = _reached_counts(cohort, group)
    followed = _follow_up_complete_counts(cohort, group)
    for key, figures in counts.items():
        figures.update(reached.get(key, dict.fromkeys(REACHED_STEPS, 0)))
        figures["followed"] = followed.get(key, 0)
    return counts


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    cohort = in_years(dossiers, "received_on", years)
    counts = funnel_counts(cohort)[()]
    first = counts["fiches"]
    rows = [Row([label, counts[key], pct(counts[key], first)]) for key, label in FUNNEL_STEPS]
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [label for _key, label in FUNNEL_STEPS],
        "datasets": [{"label": "Nombre", "data": [counts[key] for key, _label in FUNNEL_STEPS]}],
    }
    return Report(
        NAME, TITLE, COLUMNS, rows, years, filters.describe(), chart,
        notes=["Dossiers dont la fiche a été reçue dans la période ; chaque étape compte les dossiers dont "
               "l'historique atteint l'étape, quelle que soit sa date. Taux : pourcentage des fiches reçues."],
    )
