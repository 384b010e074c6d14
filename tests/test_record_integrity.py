"""The record tells what happened: bulk actions are chosen, never defaulted (issue « A record that tells
what happened »). Through the pages a user would use, on PostgreSQL."""
import datetime
import re

import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.models import CommissionSession
from dossiers.tests.factories import dossier_in_state, validate_all_pieces
from dossiers.workflow import State

pytestmark = pytest.mark.django_db


def complete_files(users, structure, count):
    scheme = SchemeFactory(name="OUAT")
    dossiers = []
    for _ in range(count):
        dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure, scheme=scheme)
        validate_all_pieces(dossier, users["assistant"])
        dossiers.append(dossier)
    return dossiers


def test_nothing_is_pre_ticked_on_the_commission_agenda(users, structure, client_for):
    complete_files(users, structure, 3)
    session = CommissionSession.objects.create(date=datetime.date.today() + datetime.timedelta(days=5))
    page = client_for("assistant").get(session.get_absolute_url()).content.decode()
    boxes = re.findall(r'<input[^>]*name="dossiers"[^>]*>', page)
    assert len(boxes) == 3  # the three complete files are offered…
    assert not any("checked" in box for box in boxes)  # …none of them chosen in advance


def test_ticking_one_dossier_enrols_that_one_only(users, structure, client_for):
    dossiers = complete_files(users, structure, 3)
    session = CommissionSession.objects.create(date=datetime.date.today() + datetime.timedelta(days=5))
    response = client_for("assistant").post(reverse("dossiers:agenda_add", args=[session.pk]),
                                            {"dossiers": [dossiers[1].pk]}, follow=True)
    states = {d.pk: (d.refresh_from_db() or d.state) for d in dossiers}
    assert states == {dossiers[0].pk: State.FILE_BUILDING, dossiers[1].pk: State.IN_COMMISSION,
                      dossiers[2].pk: State.FILE_BUILDING}
    assert "1 dossier inscrit" in response.content.decode()
