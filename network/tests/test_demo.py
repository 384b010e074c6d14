import pytest
from django.core.management import call_command

from network.models import Ambassador, NetworkInvitation, NetworkMeeting, PairMeeting, Pairing

pytestmark = pytest.mark.django_db


def test_the_demo_has_ambassadors_pairs_and_network_meetings(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--force")
    counts = (Ambassador.objects.count(), Pairing.objects.count(), PairMeeting.objects.count(),
              NetworkMeeting.objects.count(), NetworkInvitation.objects.count())
    assert counts[0] >= 2 and counts[1] >= 1 and counts[2] >= 1 and counts[3] == 3 and counts[4] >= 3
    call_command("seed_demo", "--force")  # idempotent
    assert (Ambassador.objects.count(), Pairing.objects.count(), PairMeeting.objects.count(),
            NetworkMeeting.objects.count(), NetworkInvitation.objects.count()) == counts
