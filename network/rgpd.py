"""What the RGPD export and erasure (``privacy.rgpd``) take from the network: the ambassador record and its
participations, the pairings and the reports of their meetings."""
from django.db.models import Q

from .models import Ambassador, NetworkInvitation, PairMeeting, Pairing, SpeakerInvitation


def records(youth, dossier_ids):
    """The network's rows about one young person, for the subject-access export."""
    ambassadors = list(Ambassador.objects.filter(youth=youth))
    pairings = list(Pairing.objects.filter(Q(candidate__in=dossier_ids) | Q(sponsor__in=dossier_ids))
                    .select_related("candidate__youth", "sponsor__youth"))
    return [
        *ambassadors,
        *SpeakerInvitation.objects.filter(ambassador__in=ambassadors).select_related("meeting"),
        *NetworkInvitation.objects.filter(ambassador__in=ambassadors).select_related("meeting"),
        *pairings,
        *PairMeeting.objects.filter(pairing__in=pairings),
    ]


def erase(youth, dossier_ids):
    """Erasure: the ambassador record goes (its participations with it); the pairs stay for the counts of
    the parrainage report, the reports of their meetings lose their words. Returns the rows touched."""
    deleted, _ = Ambassador.objects.filter(youth=youth).delete()
    scrubbed = PairMeeting.objects.filter(Q(pairing__candidate__in=dossier_ids) | Q(pairing__sponsor__in=dossier_ids)
                                          ).update(report="", place="")
    return deleted + scrubbed
