"""Demo data of the network, added on top of ``seed_demo`` (idempotent): a few returned young people who
agreed to be ambassadors (one invited to speak at the next information collective), pairs of a candidate
and a former participant of the same mission locale with a meeting or two, and network meetings (a past
one with its attendance and minutes, an upcoming one) with counsellors and ambassadors invited."""
import datetime

from django.utils import timezone

from dossiers.models import Dossier
from ipm.enums import Role
from ipm.models import User
from network import invitations, services
from network.enums import NetworkMeetingKind, Presence, PreferredContact
from network.models import Ambassador, NetworkInvitation, NetworkMeeting, PairMeeting, Pairing
from network.rules import AFTER_RETURN_STATES, CANDIDATE_STATES
from referrals.meeting_enums import MeetingKind
from referrals.models import Meeting

AVAILABILITY = ["Le mercredi après-midi", "En soirée, en visioconférence", "Pendant les vacances scolaires",
                "Le samedi matin"]
REPORTS = [
    "Premier échange : Léa a raconté son arrivée à Valence et la recherche d'un logement.",
    "Relecture de la lettre de motivation ; conseils pour l'entretien avec la structure d'accueil.",
    "Préparation du budget du séjour et des démarches de carte européenne d'assurance maladie.",
]


def seed_network(rng):
    if Ambassador.objects.exists() or NetworkMeeting.objects.exists():
        return
    today = timezone.localdate()
    staff = User.objects.filter(role=Role.MOBILITY).first() or User.objects.filter(is_superuser=True).first()
    returned = list(Dossier.objects.filter(state__in=AFTER_RETURN_STATES).exclude(youth__email="")
                    .select_related("youth").order_by("pk")[:6])
    ambassadors = []
    for index, dossier in enumerate(returned[:4]):
        if Ambassador.objects.filter(youth=dossier.youth).exists():
            continue
        ambassadors.append(services.make_ambassador(
            dossier, staff, today - datetime.timedelta(days=rng.randint(20, 200)),
            availability=AVAILABILITY[index % len(AVAILABILITY)], months=sorted(rng.sample(range(1, 13), 3)),
            preferred_contact=rng.choice(PreferredContact.values), contact_shared=index % 2 == 0))
    info = Meeting.objects.filter(kind=MeetingKind.INFO, date__gte=today, cancelled_at__isnull=True).order_by("date").first()
    if info is not None and ambassadors:
        invitations.invite_speakers(info, ambassadors[:1], staff)
    for index, sponsor in enumerate(returned[:3]):
        candidate = (Dossier.objects.filter(state__in=CANDIDATE_STATES, structure=sponsor.structure)
                     .exclude(youth=sponsor.youth).exclude(sponsorships__isnull=False).order_by("pk").first())
        if candidate is None:
            continue
        pairing = Pairing.objects.create(candidate=candidate, sponsor=sponsor, created_by=staff,
                                         started_on=today - datetime.timedelta(days=40 + 10 * index))
        for step in range(index % 2 + 1):
            PairMeeting.objects.create(pairing=pairing, date=pairing.started_on + datetime.timedelta(days=7 + 14 * step),
                                       place="Mission locale", report=REPORTS[(index + step) % len(REPORTS)],
                                       recorded_by=staff)
        if index == 2:  # one pair already over (« Binôme terminé »)
            Pairing.objects.filter(pk=pairing.pk).update(ended_on=today - datetime.timedelta(days=5), ended_by=staff)
    counsellors = list(User.objects.filter(role=Role.COUNSELLOR, is_active=True).exclude(email=""))
    past = NetworkMeeting.objects.create(
        kind=NetworkMeetingKind.PROFESSIONALISATION, title="Rencontre des conseillers des missions locales",
        date=today - datetime.timedelta(days=30), start_time=datetime.time(9, 30), end_time=datetime.time(12),
        place="Maison de la mobilité", created_by=staff,
        minutes="Présentation des dispositifs de l'année et témoignage d'une ambassadrice. Prochaine rencontre "
                "au printemps.")
    invitations.invite_users(past, counsellors, staff)
    invitations.invite_ambassadors(past, ambassadors[:2], staff)
    for position, invitation in enumerate(NetworkInvitation.objects.filter(meeting=past)):
        invitations.record_presence(invitation, Presence.PRESENT if position % 3 != 2 else Presence.EXCUSED)
    upcoming = NetworkMeeting.objects.create(
        kind=NetworkMeetingKind.AMBASSADORS, title="Réunion mensuelle des ambassadeurs",
        date=today + datetime.timedelta(days=12), start_time=datetime.time(18), end_time=datetime.time(19, 30),
        place="Plateforme mobilité", created_by=staff)
    invitations.invite_ambassadors(upcoming, ambassadors, staff)
    NetworkMeeting.objects.create(
        kind=NetworkMeetingKind.PARTNERS, title="Comité des partenaires", date=today + datetime.timedelta(days=45),
        start_time=datetime.time(14), video_link="https://visio.example.org/partenaires", created_by=staff)
