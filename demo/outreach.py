"""Demo data of the outreach cohorts and of the territorial equity report, added on top of ``seed_demo``:
a few « aller-vers » actions, about one fiche in five repéré or réactivé (with its action), and the
population aged 16 to 25 of the region's departments — DEMO figures, labelled as such in their source
(a platform enters the official ones)."""
from dossiers.enums import Origin
from dossiers.models import Dossier
from referrals.enums import OutreachKind, ReferralStatus
from referrals.models import OutreachAction, Referral, Structure
from reporting.models import PopulationFigure

ACTIONS = [
    ("Maraude dans les quartiers", "Mission Locale de Saint-Étienne", OutreachKind.OUTSIDE),
    ("Permanence au centre social", "Mission Locale de Lyon", OutreachKind.OUTSIDE),
    ("Forum des jobs à l'étranger", None, OutreachKind.EVENT),
    ("Live Instagram « Partir à l'étranger »", None, OutreachKind.ONLINE),
    ("Relance des jeunes perdus de vue", None, OutreachKind.OTHER),
]
DEMO_SOURCE = "Chiffre de démonstration (fictif) : saisissez le chiffre officiel (INSEE)"
# The departments of Auvergne-Rhône-Alpes, with made-up round figures for the demonstration.
DEMO_POPULATIONS = {"01": 64000, "03": 31000, "07": 28000, "15": 12000, "26": 52000, "38": 150000, "42": 85000,
                    "43": 19000, "63": 82000, "69": 240000, "73": 43000, "74": 90000}


def seed_outreach(rng, year):
    """Idempotent: does nothing once the actions exist."""
    if OutreachAction.objects.exists():
        return
    structures = {s.name: s for s in Structure.objects.all()}
    actions = [OutreachAction.objects.create(name=name, structure=structures.get(owner) if owner else None, kind=kind)
               for name, owner, kind in ACTIONS]
    for referral in Referral.objects.filter(status=ReferralStatus.SUBMITTED).order_by("pk"):
        draw = rng.random()
        if draw >= 0.22:
            continue
        origin = Origin.SPOTTED if draw < 0.14 else Origin.REACTIVATED
        usable = [a for a in actions if a.structure_id in (None, referral.structure_id)]
        Referral.objects.filter(pk=referral.pk).update(origin=origin, outreach_action=rng.choice(usable))
        if referral.dossier_id:
            Dossier.objects.filter(pk=referral.dossier_id).update(origin=origin)
    for department, population in DEMO_POPULATIONS.items():
        PopulationFigure.objects.get_or_create(department=department, year=year,
                                               defaults={"population": population, "source": DEMO_SOURCE})
