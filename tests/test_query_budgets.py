"""Query budgets: the number of database queries of the main pages does not grow with the data (no N+1).

Each page is counted once with a little data and once with four times more of everything it lists
(dossiers in every stage, stays, follow-up calls, commission reviews, meeting invitations, messages):
the count must be the same."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import SchemeFactory, StayFactory
from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.models import CommissionReview, CommissionSession
from dossiers.workflow import State
from followup.enums import Situation
from followup.models import FollowUpCall, SentMessage
from referrals.models import Invitation, Meeting

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow(users, structure, n):
    """n more dossiers of the counsellor's structure, in various states, a returning young person."""
    admin = users["admin"]
    states = [State.RECEIVED, State.INVITED, State.FILE_BUILDING, State.IN_COMMISSION, State.FOLLOW_UP]
    youth = YouthFactory()
    made = []
    for i in range(n):
        dossier = dossier_in_state(states[i % len(states)], admin, structure=structure,
                                   youth=youth if i % 4 == 0 else YouthFactory(),
                                   referring_counsellor=users["counsellor"], platform_counsellor=users["mobility"])
        if dossier.state == State.FOLLOW_UP:
            StayFactory(dossier=dossier)
        made.append(dossier)
    return made


@pytest.mark.parametrize("role,url_name", [
    ("reception", "dossiers:inbox"),
    ("manager", "dossiers:inbox"),
    ("counsellor", "referrals:my_youths"),
])
def test_list_pages_do_not_grow_with_the_data(client_for, users, structure, role, url_name):
    grow(users, structure, 3)
    client = client_for(role)
    url = reverse(url_name)
    small = count_queries(client, url)
    grow(users, structure, 20)
    assert count_queries(client, url) == small
    assert count_queries(client, url + "?q=a&state=actifs") <= small + 1


def test_dossier_page_does_not_grow_with_its_history(client_for, users, structure):
    client = client_for("mobility")
    admin = users["admin"]
    alone = dossier_in_state(State.FOLLOW_UP, admin, structure=structure)
    StayFactory(dossier=alone)
    small = count_queries(client, reverse("dossiers:detail", args=[alone.pk]))
    # A young person with many earlier dossiers: the page lists them without a query each.
    youth = YouthFactory()
    for _ in range(6):
        dossier_in_state(State.CLOSED, admin, youth=youth, structure=structure)
    busy = dossier_in_state(State.FOLLOW_UP, admin, youth=youth, structure=structure)
    StayFactory(dossier=busy)
    assert count_queries(client, reverse("dossiers:detail", args=[busy.pk])) == small


# --- every other main page ---------------------------------------------------------------------------

class World:
    """Data that every list grows with: one commission session and one meeting whose agendas grow,
    and for each unit a set of dossiers across the stages, with stays, calls and messages."""

    def __init__(self, users, structure):
        self.users, self.structure = users, structure
        self.today = timezone.localdate()
        self.scheme = SchemeFactory(name="Chantier de jeunesse")
        self.session = CommissionSession.objects.create(date=self.today + datetime.timedelta(days=7))
        self.meeting = Meeting.objects.create(date=self.today + datetime.timedelta(days=3),
                                              start_time=datetime.time(9, 30), capacity=40,
                                              facilitator=users["mobility"])
        self.units = 0

    def dossier(self, state, **kwargs):
        return dossier_in_state(state, self.users["admin"], structure=self.structure, scheme=self.scheme,
                                referring_counsellor=self.users["counsellor"],
                                platform_counsellor=self.users["mobility"], **kwargs)

    def grow(self, n):
        today, admin = self.today, self.users["admin"]
        for _ in range(n):
            self.units += 1
            # Meetings and commissions grow in number too (the list pages) and in size (their pages).
            meeting = Meeting.objects.create(date=today - datetime.timedelta(days=self.units), capacity=10,
                                             start_time=datetime.time(14), facilitator=self.users["mobility"])
            session = CommissionSession.objects.create(date=today - datetime.timedelta(days=30 + self.units))
            invited = self.dossier(State.INVITED)
            Invitation.objects.create(meeting=self.meeting, dossier=invited, invited_by=admin)
            Invitation.objects.create(meeting=meeting, dossier=invited, invited_by=admin)
            # The inbox search below finds a "Dupont" in every unit (results on both sides of the count).
            self.dossier(State.ORIENTED, youth=YouthFactory(last_name="Dupont"))
            in_commission = self.dossier(State.IN_COMMISSION)
            CommissionReview.objects.create(session=self.session, dossier=in_commission, added_by=admin)
            CommissionReview.objects.create(session=session, dossier=in_commission, added_by=admin)
            signed = self.dossier(State.CONTRACT_SIGNED)
            StayFactory(dossier=signed, scheme=self.scheme, departure_date=today + datetime.timedelta(days=20),
                        return_date=None)
            abroad = self.dossier(State.ABROAD)
            StayFactory(dossier=abroad, scheme=self.scheme, departure_date=today - datetime.timedelta(days=20),
                        return_date=None)
            back = self.dossier(State.FOLLOW_UP)
            returned = today - datetime.timedelta(days=40 + self.units)
            StayFactory(dossier=back, scheme=self.scheme, departure_date=returned - datetime.timedelta(days=60),
                        return_date=returned)
            FollowUpCall.objects.create(dossier=back, month=1, due_date=today - datetime.timedelta(days=1),
                                        assigned_to=self.users["mobility"])
            FollowUpCall.objects.create(dossier=back, month=3, due_date=today, assigned_to=self.users["mobility"],
                                        done_at=timezone.now(), reached=True, situation=Situation.TRAINING)
            SentMessage.objects.create(kind=SentMessage._meta.get_field("kind").choices[0][0],
                                       object_key=f"bench-{self.units}", recipient="jeune@example.org",
                                       body="Bonjour", dossier=back)


def page_cases():
    """(role, url) of every main page; the urls that need an object are built from the world."""
    reports = ["departures", "funnel", "profile", "outcomes", "fej"]
    cases = [
        ("mobility", lambda w: reverse("dossiers:worklists")),
        ("reception", lambda w: reverse("dossiers:inbox") + "?q=dupont"),
        ("mobility", lambda w: reverse("dossiers:checklist")),
        ("mobility", lambda w: reverse("dossiers:commission_list")),
        ("mobility", lambda w: reverse("dossiers:commission_detail", args=[w.session.pk])),
        ("manager", lambda w: reverse("dossiers:commission_detail", args=[w.session.pk])),
        ("mobility", lambda w: reverse("referrals:meeting_list")),
        ("mobility", lambda w: reverse("referrals:meeting_detail", args=[w.meeting.pk])),
        ("mobility", lambda w: reverse("departures:stays")),
        ("mobility", lambda w: reverse("departures:upcoming")),
        ("mobility", lambda w: reverse("followup:calls")),
        ("mobility", lambda w: reverse("followup:messages")),
        ("manager", lambda w: reverse("reporting:index")),
        ("manager", lambda w: reverse("reporting:erasmus") + f"?scheme={w.scheme.pk}&year={w.today.year}"),
    ]
    for name in reports:
        cases.append(("manager", lambda w, name=name: reverse("reporting:report", args=[name])))
        cases.append(("counsellor", lambda w, name=name: reverse("reporting:report", args=[name])))
        for fmt in ("csv", "xlsx"):
            cases.append(("manager", lambda w, name=name, fmt=fmt: reverse("reporting:download", args=[name, fmt])))
    return cases


CASES = page_cases()


@pytest.mark.parametrize("role,url", CASES, ids=[f"{role}-{i}" for i, (role, _) in enumerate(CASES)])
def test_main_pages_do_not_grow_with_the_data(client_for, users, structure, role, url):
    world = World(users, structure)
    world.grow(1)
    client = client_for(role)
    target = url(world)
    small = count_queries(client, target)
    world.grow(3)
    assert count_queries(client, target) == small, target
