"""parrainage — pairs formed and ended, and meetings held, in the period, and how far the sponsored candidates went
compared with the others (the dossiers whose fiche was received in the period)."""
from django.db.models import Count, Exists, OuterRef, Q

from network.models import PairMeeting, Pairing

from .common import Column, HEADING, Report, Row, departed, in_years, pct
from .funnel import _reached_counts

NAME = "parrainage"
TITLE = "Parrainage"
SUMMARY = "Binômes formés, rencontres tenues, et progression des candidats parrainés comparée aux autres."

STEPS = [
    ("fiches", "fiches reçues"),
    ("info", "présents en information collective"),
    ("diagnosed", "diagnostics réalisés"),
    ("commission", "dossiers présentés en commission"),
    ("accepted", "dossiers acceptés"),
    ("departed", "départs"),
]


def _progress(cohort):
    """({step: count} of the sponsored, {step: count} of the others): the counts of both groups in one
    query, then the steps read from the timelines, one query per group."""
    flagged = cohort.annotate(paired=Exists(Pairing.objects.filter(candidate=OuterRef("pk"))))
    both = flagged.aggregate(
        fiches_yes=Count("pk", filter=Q(paired=True)), fiches_no=Count("pk", filter=Q(paired=False)),
        departed_yes=Count("pk", filter=departed() & Q(paired=True)),
        departed_no=Count("pk", filter=departed() & Q(paired=False)),
    )
    groups = []
    for flag in ("yes", "no"):
        counts = {"fiches": both[f"fiches_{flag}"], "departed": both[f"departed_{flag}"]}
        counts.update(_reached_counts(flagged.filter(paired=flag == "yes"))[()])
        groups.append(counts)
    return groups


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    pairings = filters._scoped(Pairing.objects.all(), "candidate__structure")
    if filters.scheme is not None:
        pairings = pairings.filter(candidate__scheme=filters.scheme)
    meetings = in_years(PairMeeting.objects.filter(pairing__in=pairings), "date", years).count()
    # One query: the pairs formed in the period (and their candidates and sponsors), those ended in it.
    formed = Q(started_on__year__gte=years[0], started_on__year__lte=years[-1])
    activity = pairings.aggregate(
        pairs=Count("pk", filter=formed), candidates=Count("candidate", filter=formed, distinct=True),
        sponsors=Count("sponsor__youth", filter=formed, distinct=True),
        ended=Count("pk", filter=Q(ended_on__year__gte=years[0], ended_on__year__lte=years[-1])))
    cohort = in_years(dossiers, "received_on", years)
    sponsored, others = _progress(cohort)
    rows = [
        Row(["Activité de parrainage dans la période", "", "", "", ""], HEADING),
        Row(["binômes formés", activity["pairs"], "", "", ""]),
        Row(["binômes terminés", activity["ended"], "", "", ""]),
        Row(["candidats parrainés", activity["candidates"], "", "", ""]),
        Row(["parrains et marraines", activity["sponsors"], "", "", ""]),
        Row(["rencontres parrain-candidat", meetings, "", "", ""]),
        Row(["Progression des candidats (fiches reçues dans la période)", "", "", "", ""], HEADING),
    ]
    for key, label in STEPS:
        rows.append(Row([label, sponsored[key], pct(sponsored[key], sponsored["fiches"]),
                         others[key], pct(others[key], others["fiches"])]))
    chart = {
        "type": "bar",
        "labels": [label for _key, label in STEPS],
        "datasets": [
            {"label": "Parrainés (%)", "data": [float(pct(sponsored[k], sponsored["fiches"])) for k, _ in STEPS]},
            {"label": "Autres (%)", "data": [float(pct(others[k], others["fiches"])) for k, _ in STEPS]},
        ],
    }
    return Report(
        NAME, TITLE, [Column("Indicateur", "Indicateur"), Column("Parrainés", "Parrainés"), Column("Taux parrainés", "Taux parrainés (%)", percent=True), Column("Autres", "Autres"), Column("Taux autres", "Taux autres (%)", percent=True)], rows, years,
        filters.describe(), chart,
        notes=["Binômes formés comptés l'année où ils sont formés, binômes terminés l'année où ils prennent fin, "
               "rencontres l'année où elles ont lieu. Progression : "
               "les dossiers dont la fiche a été reçue dans la période, « parrainés » s'ils sont le candidat d'un "
               "binôme (quelle qu'en soit la date) ; chaque étape compte les dossiers dont l'historique l'atteint. "
               "Taux : pourcentage des fiches reçues du groupe."],
    )
