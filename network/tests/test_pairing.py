"""Parrainage through the pages: a counsellor pairs their structure's candidate with a former participant,
records a meeting and its report; both dossiers show it; another structure's counsellor sees nothing."""
import pytest
from django.urls import reverse

from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from network.models import PairMeeting, Pairing

pytestmark = pytest.mark.django_db


def test_a_counsellor_pairs_records_a_meeting_and_both_dossiers_show_it(client_for, pair_parts):
    candidate, sponsor = pair_parts
    client = client_for("counsellor")
    form = client.get(reverse("network:pairing_create") + f"?candidat={candidate.pk}").content.decode()
    assert "Candidat" in form and "Parrain" in form
    response = client.post(reverse("network:pairing_create"), {
        "candidate": candidate.pk, "sponsor": sponsor.pk, "started_on": "2026-11-02"})
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response.url == pairing.get_absolute_url()
    response = client.post(reverse("network:pair_meeting_add", args=[pairing.pk]), {
        "date": "2026-11-16", "place": "Mission locale", "report": "Relecture de la lettre de motivation"})
    assert response.status_code == 302
    meeting = PairMeeting.objects.get()
    assert meeting.report == "Relecture de la lettre de motivation"
    for dossier in (candidate, sponsor):
        page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
        assert "Relecture de la lettre de motivation" in page and "16/11/2026" in page
    assert "Parrainé(e) par" in client.get(reverse("dossiers:detail", args=[candidate.pk])).content.decode()
    # Deleting a meeting asks first.
    url = reverse("network:pair_meeting_delete", args=[pairing.pk, meeting.pk])
    assert "Supprimer la rencontre du 16/11/2026" in client.get(url).content.decode()
    assert PairMeeting.objects.count() == 1
    client.post(url)
    assert not PairMeeting.objects.exists()


def test_a_meeting_before_the_pair_is_refused_and_keeps_what_was_typed(client_for, users, pair_parts):
    candidate, sponsor = pair_parts
    pairing = Pairing.objects.create(candidate=candidate, sponsor=sponsor, started_on="2026-11-02")
    response = client_for("counsellor").post(reverse("network:pair_meeting_add", args=[pairing.pk]), {
        "date": "2026-10-01", "place": "Café", "report": "Premier contact"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Premier contact" in html and "02/11/2026" in html
    assert not PairMeeting.objects.exists()


def test_a_candidate_cannot_be_their_own_sponsor_nor_sponsored_by_a_candidate(client_for, users, structure, pair_parts):
    candidate, _sponsor = pair_parts
    other_candidate = dossier_in_state(State.RECEIVED, users["admin"], structure=structure)
    response = client_for("reception").post(reverse("network:pairing_create"), {
        "candidate": candidate.pk, "sponsor": other_candidate.pk, "started_on": "2026-11-02"})
    assert response.status_code == 400 and not Pairing.objects.exists()


def test_another_structure_s_counsellor_sees_no_pair(client_for, users, pair_parts):
    candidate, sponsor = pair_parts
    pairing = Pairing.objects.create(candidate=candidate, sponsor=sponsor, started_on="2026-11-02")
    other = client_for("other_counsellor")
    assert other.get(pairing.get_absolute_url()).status_code == 404
    assert other.get(reverse("network:pair_meeting_add", args=[pairing.pk])).status_code == 404
    assert "Candidat" not in other.get(reverse("network:pairing_list")).content.decode()
    # Its own sponsor/candidate choices hold none of the other structure's dossiers.
    form = other.get(reverse("network:pairing_create")).content.decode()
    assert f'value="{candidate.pk}"' not in form
    assert client_for("manager").get(pairing.get_absolute_url()).status_code == 200
    assert client_for("manager").get(reverse("network:pairing_create")).status_code == 403


def test_a_pair_meeting_sent_twice_is_recorded_once(client_for, pair_parts):
    candidate, sponsor = pair_parts
    pairing = Pairing.objects.create(candidate=candidate, sponsor=sponsor, started_on="2026-11-02")
    client = client_for("counsellor")
    url = reverse("network:pair_meeting_add", args=[pairing.pk])
    token = client.get(url).context["form"]["submission_token"].value()
    data = {"submission_token": token, "date": "2026-11-16", "place": "", "report": "Point d'étape"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert PairMeeting.objects.filter(pairing=pairing).count() == 1
