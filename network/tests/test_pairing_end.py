"""« Binôme terminé »: the end's date is checked against the pair's own story (formed, met, today); an ended
pair shows as such, records no more meetings and leaves the dashboard's pairs under way."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network import dashboard, services
from network.models import PairMeeting, Pairing

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(users, pair_parts):
    candidate, sponsor = pair_parts
    started = timezone.localdate() - datetime.timedelta(days=30)
    pairing = services.make_pairing(candidate, sponsor, users["admin"], started)
    PairMeeting.objects.create(pairing=pairing, date=started + datetime.timedelta(days=10), report="Première rencontre")
    return pairing


def day(delta):
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d/%m/%Y")


def test_a_counsellor_ends_a_pair_and_no_meeting_is_recorded_after(client_for, pairing):
    client = client_for("counsellor")
    url = reverse("network:pairing_end", args=[pairing.pk])
    page = client.get(url).content.decode()
    assert "Confirmer : binôme terminé" in page
    assert Pairing.objects.get().ended_on is None  # the page only asks
    response = client.post(url, {"ended_on": day(-2)})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_on == timezone.localdate() - datetime.timedelta(days=2)
    assert "terminé" in client.get(reverse("network:pairing_detail", args=[pairing.pk])).content.decode()
    listing = client.get(reverse("network:pairing_list")).content.decode()
    assert "Terminé" in listing and "dont 0 en cours" in listing
    # No more meetings on an ended pair: the page leads back with a French message, the POST records nothing.
    response = client.post(reverse("network:pair_meeting_add", args=[pairing.pk]),
                           {"date": day(-1), "place": "", "report": "Après la fin"}, follow=True)
    assert "aucune rencontre ne peut plus y être saisie" in response.content.decode()
    assert PairMeeting.objects.count() == 1
    with pytest.raises(services.NetworkError):
        services.record_pair_meeting(pairing, None, timezone.localdate(), "", "Après la fin")
    # Ending it again changes nothing.
    response = client.post(url, {"ended_on": day(0)}, follow=True)
    assert "déjà terminé" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.ended_on == timezone.localdate() - datetime.timedelta(days=2)


@pytest.mark.parametrize("ended_on, message", [
    (day(1), "ne peut pas être dans le futur"),
    (day(-31), "il ne peut pas être terminé avant cette date"),  # before the pair was formed
    (day(-25), "il ne peut pas être terminé avant cette rencontre"),  # before its meeting of day -20
    ("31/02/2026", "Saisissez une date valide"),
    ("", "Ce champ est obligatoire"),
])
def test_an_end_date_contradicting_the_pair_s_story_is_refused(client_for, pairing, ended_on, message):
    response = client_for("mobility").post(reverse("network:pairing_end", args=[pairing.pk]), {"ended_on": ended_on})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Pairing.objects.get().ended_on is None


def test_another_structure_and_managers_cannot_end_it(client_for, pairing):
    url = reverse("network:pairing_end", args=[pairing.pk])
    assert client_for("other_counsellor").post(url, {"ended_on": day(0)}).status_code == 404
    assert client_for("manager").post(url, {"ended_on": day(0)}).status_code == 403
    assert Pairing.objects.get().ended_on is None


def test_the_dashboard_counts_the_pairs_under_way(client_for, pairing, structure):
    year = timezone.localdate().year

    def pairs_of_structure():
        rows, _ = dashboard.dashboard(year)
        return next(row.pairs for row in rows if row.structure == structure)

    assert pairs_of_structure() == 1
    page = client_for("manager").get(reverse("network:dashboard")).content.decode()
    assert "Binômes en cours" in page
    services.end_pairing(pairing, None, timezone.localdate())
    assert pairs_of_structure() == 0
