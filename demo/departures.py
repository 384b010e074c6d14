"""Demo data of the departures app, added on top of ``seed_demo``: funding agreements, host
organisations, and for the dossiers that reached the contract or went abroad their stay details,
contract, co-payment, site visits and return review. Idempotent: running it again adds nothing."""
import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.workflow import State
from ipm.enums import Role
from ipm.models import User

from departures import services
from departures.enums import ActionType, ActivityType, ParticipantCategory
from departures.models import (
    Contract, CoPayment, FundingAgreement, HostOrganisation, Payment, Platform, Scheme, SiteVisit, Stay, UnitCost,
)

HOSTS = [
    ("Harbour View Hotel", "MT", "La Valette", "Hôtellerie-restauration", "Joseph Borg"),
    ("Temple Bar Café", "IE", "Dublin", "Restauration", "Siobhan Kelly"),
    ("Casal d'Esplai Gràcia", "ES", "Barcelone", "Animation", "Marta Puig"),
    ("Kreuzberg Logistik GmbH", "DE", "Berlin", "Logistique", "Jonas Weber"),
    ("Cooperativa Sociale Il Ponte", "IT", "Bologne", "Aide à la personne", "Giulia Rossi"),
    ("Mercado do Bairro", "PT", "Lisbonne", "Commerce", "João Silva"),
    ("Brighton Language Centre", "GB", "Brighton", "Formation", "Emma Clarke"),
    ("Helsinki Youth Workshop", "FI", "Helsinki", "Bâtiment", "Mikko Virtanen"),
]

# (scheme name, funder, funder name, places, amount per participant)
AGREEMENTS = [
    ("OUAT", "erasmus", "", 40, Decimal("3500")),
    ("Yes Europe", "erasmus", "", 10, Decimal("3500")),
    ("Chantier de jeunesse", "region", "", 30, Decimal("1500")),
    ("Training linguistique", "etat", "", 20, Decimal("1200")),
    ("Ready to work", "fej", "", 8, Decimal("1800")),
    ("Job", "entreprise", "Fondation Mobilité Jeunes", 5, Decimal("1000")),
]


ERASMUS_SCHEMES = ["OUAT", "Yes Europe"]


def seed_erasmus(today, schemes):
    """The Erasmus+ identifiers the Beneficiary Module file needs: the platform's OID and city, the
    activity type of the Erasmus+ schemes, a grant agreement number and period on their agreements
    (call year: the latest one with unit costs), an OID on every host."""
    platform = Platform.get()
    if not platform.oid:
        platform.oid, platform.city, platform.country = "E10234567", "Lyon", "FR"
        platform.save()
    for name in ERASMUS_SCHEMES:
        if name in schemes and not schemes[name].activity_type:
            Scheme.objects.filter(pk=schemes[name].pk).update(
                activity_type=ActivityType.VET_SHORT, participant_category=ParticipantCategory.VET_LEARNER)
    known_calls = sorted(set(UnitCost.objects.values_list("call_year", flat=True)))
    for index, agreement in enumerate(FundingAgreement.objects.filter(funder="erasmus").order_by("year", "pk"), start=1):
        if agreement.grant_agreement_number:
            continue
        call = max([y for y in known_calls if y <= agreement.year] or [agreement.year])
        agreement.call_year, agreement.action_type = call, ActionType.KA122_VET
        agreement.grant_agreement_number = f"{call}-1-FR01-KA122-VET-{900000000 + index:09d}"
        agreement.start_date = datetime.date(agreement.year, 1, 1)
        agreement.end_date = datetime.date(agreement.year + 1, 12, 31)
        agreement.save()
    for host in HostOrganisation.objects.filter(oid="").order_by("pk"):
        oid = f"E{10500000 + host.pk:08d}"
        if not HostOrganisation.objects.filter(oid=oid).exists():
            HostOrganisation.objects.filter(pk=host.pk).update(oid=oid)


@transaction.atomic
def seed_departures(rng):
    today = timezone.localdate()
    staff = User.objects.filter(role=Role.MOBILITY).order_by("pk").first()
    schemes = {s.name: s for s in Scheme.objects.all()}
    for year in (today.year - 1, today.year):
        for name, funder, funder_name, places, per_head in AGREEMENTS:
            if name in schemes:
                FundingAgreement.objects.get_or_create(
                    funder=funder, year=year, scheme=schemes[name],
                    defaults={"funder_name": funder_name, "places": places, "amount": places * per_head,
                              "amount_per_participant": per_head, "reference": f"CONV-{year}-{name[:3].upper()}"},
                )
    hosts = {}
    for name, country, town, sector, contact in HOSTS:
        hosts[country] = HostOrganisation.objects.get_or_create(
            name=name, country=country, town=town,
            defaults={"sector": sector, "contact_name": contact,
                      "contact_email": f"contact@{name.split()[0].lower()}.example"},
        )[0]
    countries = list(hosts)
    seed_erasmus(today, schemes)
    # Departures to come: a planned stay for accepted dossiers and signed contracts.
    for dossier in Dossier.objects.filter(state__in=[State.ACCEPTED, State.CONTRACT_SIGNED], stay__isnull=True, scheme__isnull=False):
        country = rng.choice(countries)
        start = today + datetime.timedelta(days=rng.randint(10, 60))
        Stay.objects.create(
            dossier=dossier, scheme=dossier.scheme, host=hosts[country], country=country, city=hosts[country].town,
            planned_start=start, planned_end=start + datetime.timedelta(weeks=dossier.scheme.typical_duration_weeks or 4),
            accommodation="Colocation réservée par la structure d'accueil.", travel="Vol depuis Lyon Saint-Exupéry.",
        )
    # Hosts on the stays of seed_demo (same country when we have one).
    for stay in Stay.objects.filter(host__isnull=True).exclude(country=""):
        host = hosts.get(stay.country.code)
        if host:
            Stay.objects.filter(pk=stay.pk).update(host=host, city=host.town)
    contract_states = [State.CONTRACT_SIGNED, State.ABROAD, State.INTERRUPTED, State.RETURNED, State.FOLLOW_UP, State.CLOSED]
    for dossier in Dossier.objects.filter(state__in=contract_states + [State.ACCEPTED], scheme__isnull=False).select_related("youth", "scheme"):
        if not CoPayment.objects.filter(dossier=dossier).exists():
            copayment = CoPayment.objects.create(dossier=dossier, amount_due=dossier.scheme.default_copayment)
            roll = rng.random()
            if roll < 0.15:
                copayment.waived, copayment.waiver_reason, copayment.waived_by = True, "Aucune ressource (démonstration).", staff
                copayment.waived_at = timezone.now()
                copayment.save()
            elif dossier.state != State.ACCEPTED:
                paid = copayment.amount_due if roll < 0.7 else copayment.amount_due / 2
                Payment.objects.create(copayment=copayment, paid_on=today - datetime.timedelta(days=rng.randint(5, 200)),
                                       amount=paid, means=rng.choice(["especes", "cheque", "virement"]), recorded_by=staff)
        if dossier.state in contract_states and not Contract.objects.filter(dossier=dossier).exists():
            stay = Stay.objects.filter(dossier=dossier).first()
            start = (stay.departure_date or stay.planned_start) if stay else None
            signed_on = min(start or today, today) - datetime.timedelta(days=rng.randint(10, 40))
            contract = Contract(dossier=dossier, version=1, generated_by=staff, signed_on=signed_on,
                                copayment_amount=services.copayment_amount(dossier), signature_recorded_by=staff)
            contract.pdf.save("contrat-v1.pdf", ContentFile(services.render_contract_pdf(dossier, 1)), save=False)
            contract.save()
    for stay in Stay.objects.filter(departure_date__isnull=False, visits__isnull=True).select_related("dossier"):
        if stay.dossier.state == State.ABROAD and rng.random() < 0.4:
            continue  # some stays in progress still wait for their visit
        visit_date = stay.departure_date + datetime.timedelta(days=10)
        if stay.return_date and visit_date > stay.return_date:  # a short (interrupted) stay: visited before it ended
            visit_date = stay.departure_date + (stay.return_date - stay.departure_date) // 2
        SiteVisit.objects.create(
            stay=stay, visit_date=visit_date, met_employer=rng.random() < 0.8,
            assessment=rng.choice(["tres_bien", "bien", "bien", "a_surveiller"]), visited_by=staff,
            notes="Visite sur place avec le tuteur : intégration correcte, bonne ponctualité (démonstration).",
        )
    for stay in Stay.objects.filter(review_date__isnull=True, return_date__isnull=False,
                                    dossier__state__in=[State.FOLLOW_UP, State.CLOSED]):
        Stay.objects.filter(pk=stay.pk).update(
            review_date=stay.return_date + datetime.timedelta(days=7), review_by=staff,
            review_notes="Bilan de retour : séjour positif, projet professionnel précisé (démonstration).",
            europass_mobility_issued=True, europass_status="complet",
        )
    # A préparation au départ meeting (the shared meetings of referrals), with the signed contracts invited.
    from referrals.meeting_enums import MeetingKind
    from referrals.models import Invitation, Meeting

    meeting, _ = Meeting.objects.get_or_create(
        kind=MeetingKind.PREPARATION, title="Préparation au départ",
        defaults={"date": today + datetime.timedelta(days=14), "start_time": datetime.time(14, 0),
                  "end_time": datetime.time(17, 0), "place": "Plateforme mobilité, salle 2", "capacity": 12,
                  "facilitator": staff, "created_by": staff},
    )
    for dossier in Dossier.objects.filter(state=State.CONTRACT_SIGNED):
        Invitation.objects.get_or_create(meeting=meeting, dossier=dossier, defaults={"invited_by": staff})
