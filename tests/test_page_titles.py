"""A page says which page it is (RGAA 8.6, WCAG 2.4.2): adding and editing share a form, but never a title
or a main heading, and the edit page names what is edited (« Modifier la visite du 12/03/2026 »)."""
import datetime
import html as html_text
import re

import pytest
from django.urls import reverse

from departures.enums import IncidentKind, VisitAssessment
from departures.models import Incident, SiteVisit
from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, SchemeFactory, StayFactory
from dossiers.models import CommissionSession
from dossiers.tests.factories import CommissionCriterionFactory, DocumentTypeFactory, YouthFactory, dossier_in_state
from dossiers.workflow import State
from network.models import NetworkMeeting
from network.services import make_ambassador
from referrals.models import Meeting

pytestmark = pytest.mark.django_db


def title_and_heading(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert len(headings) == 1, url
    clean = lambda text: html_text.unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split()))  # noqa: E731
    return clean(title), clean(headings[0])


def test_each_add_and_edit_pair_has_its_own_title_and_heading(client_for, users):
    day = datetime.date(2026, 3, 12)
    dossier = dossier_in_state(State.ABROAD, users["admin"])
    stay = StayFactory(dossier=dossier, departure_date=day - datetime.timedelta(days=20))
    visit = SiteVisit.objects.create(stay=stay, visit_date=day, assessment=VisitAssessment.GOOD, notes="RAS")
    incident = Incident.objects.create(stay=stay, occurred_on=day, kind=IncidentKind.HEALTH, description="Grippe")
    meeting = Meeting.objects.create(date=datetime.date(2026, 12, 14), start_time=datetime.time(10), place="Salle Loire")
    session = CommissionSession.objects.create(date=datetime.date(2026, 12, 18))
    host = HostOrganisationFactory(name="Hostal del Sol")
    scheme = SchemeFactory(name="Jeunes en Europe")
    agreement = FundingAgreementFactory(scheme=scheme)
    piece = DocumentTypeFactory(name="Attestation de stage")
    criterion = CommissionCriterionFactory(name="Aisance à l'oral")
    network_meeting = NetworkMeeting.objects.create(date=datetime.date(2026, 12, 16), start_time=datetime.time(9),
                                                    place="Salle Rhône")
    returned = dossier_in_state(State.RETURNED, users["admin"], youth=YouthFactory(last_name="Roux", first_name="Maël"))
    ambassador = make_ambassador(returned, users["admin"], day)
    pairs = {
        "mobility": [
            (reverse("departures:visit_add", args=[dossier.pk]),
             reverse("departures:visit_edit", args=[dossier.pk, visit.pk]), "12/03/2026"),
            (reverse("departures:incident_add", args=[dossier.pk]),
             reverse("departures:incident_edit", args=[dossier.pk, incident.pk]), "12/03/2026"),
            (reverse("referrals:meeting_create"), reverse("referrals:meeting_edit", args=[meeting.pk]), "14/12/2026"),
            (reverse("dossiers:commission_create"), reverse("dossiers:commission_edit", args=[session.pk]), "18/12/2026"),
            (reverse("departures:host_create"), reverse("departures:host_edit", args=[host.pk]), "Hostal del Sol"),
            (reverse("network:meeting_create"), reverse("network:meeting_edit", args=[network_meeting.pk]), "16/12/2026"),
            (reverse("network:ambassador_create"), reverse("network:ambassador_edit", args=[ambassador.pk]), "Maël Roux"),
        ],
        "manager": [
            (reverse("departures:scheme_create"), reverse("departures:scheme_edit", args=[scheme.pk]), "Jeunes en Europe"),
            (reverse("departures:funding_create"), reverse("departures:funding_edit", args=[agreement.pk]), "Modifier"),
            (reverse("dossiers:document_type_create"), reverse("dossiers:document_type_edit", args=[piece.pk]),
             "Attestation de stage"),
            (reverse("dossiers:criterion_create"), reverse("dossiers:criterion_edit", args=[criterion.pk]), "Aisance à l'oral"),
        ],
    }
    seen = []
    for role, role_pairs in pairs.items():
        client = client_for(role)
        for add_url, edit_url, names in role_pairs:
            add, edit = title_and_heading(client, add_url), title_and_heading(client, edit_url)
            assert add[0] != edit[0], (add_url, add, edit)  # <title>
            assert add[1] != edit[1], (add_url, add, edit)  # <h1>
            assert names in edit[0] and names in edit[1], (edit_url, edit)
            seen.append(add[0])
    assert "Nouvelle visite in situ" in seen[0]
    assert len(set(seen)) == len(seen)  # no two "new" pages share a title either


def test_the_stay_page_says_whether_it_is_filled_in_or_corrected(client_for, users):
    dossier = dossier_in_state(State.ACCEPTED, users["admin"])
    client = client_for("mobility")
    url = reverse("departures:stay_edit", args=[dossier.pk])
    first = title_and_heading(client, url)
    assert first[1] == "Renseigner le séjour"
    StayFactory(dossier=dossier)
    assert title_and_heading(client, url)[1] == "Modifier le séjour"
