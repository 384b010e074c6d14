"""Query budgets: the number of database queries of the main pages does not grow with the data (no N+1)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departures.factories import StayFactory
from dossiers.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State

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
