import datetime

from django.urls import reverse
from django.utils import timezone

from network import invitations, services
from network.enums import NetworkMeetingKind
from network.models import NetworkMeeting, PairMeeting


def network_world(w, admin, counsellor):
    """The network's objects of the access matrix's world (``w``: its dossiers, all in one structure): the
    returned young person an ambassador invited to speak at the world's meeting, the candidate in montage
    paired with the followed-up one, a network meeting the counsellor is invited to."""
    w.ambassador = services.make_ambassador(w.returned, admin, timezone.localdate(), availability="Le mercredi")
    w.speaker = invitations.invite_speakers(w.meeting, [w.ambassador], admin).invited[0] \
        if w.returned.youth.email else None
    if w.speaker is None:
        from network.models import SpeakerInvitation

        w.speaker = SpeakerInvitation.objects.create(meeting=w.meeting, ambassador=w.ambassador, invited_by=admin)
    w.pairing = services.make_pairing(w.building, w.follow_up, admin, timezone.localdate())
    w.pair_meeting = PairMeeting.objects.create(pairing=w.pairing, date=timezone.localdate(), place="Mission locale",
                                                report="Aide à la lettre de motivation", recorded_by=admin)
    w.network_meeting = NetworkMeeting.objects.create(
        kind=NetworkMeetingKind.PROFESSIONALISATION, date=timezone.localdate() + datetime.timedelta(days=10),
        start_time=datetime.time(9, 30), place="Salle du réseau", created_by=admin)
    invitations.invite_users(w.network_meeting, [counsellor], admin)
    return w


def create_meeting(client):
    """A network meeting in 20 days, created through its page by ``client`` (a staff member's)."""
    response = client.post(reverse("network:meeting_create"), {
        "kind": NetworkMeetingKind.PROFESSIONALISATION, "title": "Rencontre des conseillers",
        "date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(), "start_time": "09:30",
        "end_time": "12:00", "place": "Maison de la mobilité",
    })
    assert response.status_code == 302
    return NetworkMeeting.objects.get()
