"""Closing a dossier at the end of the follow-up: one path (``calls.close_followup``), closed once."""
import datetime
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dossiers.workflow import State
from followup import calls
from followup.enums import CallSource
from followup.tests.factories import returned_dossier


def followed_for_six_months(users):
    dossier = returned_dossier(users["admin"], timezone.localdate() - datetime.timedelta(days=200),
                               counsellor=users["mobility"])
    calls.create_due_calls()
    assert dossier.followup_calls.count() == 6
    return dossier


def closing_events(dossier):
    return dossier.events.filter(to_state=State.CLOSED)


@pytest.mark.django_db
def test_closing_twice_closes_once_and_says_so(users):
    dossier = followed_for_six_months(users)
    event = calls.close_followup(dossier, users["mobility"])
    assert event.to_state == State.CLOSED and dossier.state == State.CLOSED
    assert set(dossier.followup_calls.values_list("source", flat=True)) == {CallSource.CLOSING}
    with pytest.raises(calls.FollowUpError, match="^Le dossier est déjà clos.$"):
        calls.close_followup(dossier, users["mobility"])
    assert calls.close_followup(dossier, users["mobility"], strict=False) is None
    assert closing_events(dossier).count() == 1


@pytest.mark.django_db
def test_closing_twice_through_the_panel_gives_a_message_not_an_error(client_for, users):
    dossier = followed_for_six_months(users)
    client = client_for("mobility")
    url = reverse("followup:close", args=[dossier.pk])
    first = client.post(url)
    second = client.post(url, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    texts = [str(m) for m in get_messages(second.wsgi_request)]
    assert any(t.startswith("Dossier clos.") for t in texts)
    assert "Le dossier est déjà clos." in texts
    assert "Le dossier est déjà clos." in second.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    assert closing_events(dossier).count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_closes_at_once_close_the_dossier_once(users):
    """Six « Clore le dossier » on one dossier at the same moment (six connections): the dossier row is
    locked before it is checked, so one closes it and the five others are told it is already closed."""
    dossier = followed_for_six_months(users)
    start = threading.Barrier(6)
    outcomes = []

    def close():
        try:
            start.wait()
            calls.close_followup(dossier, users["mobility"])
            outcomes.append("clos")
        except calls.FollowUpError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["Le dossier est déjà clos."] * 5 + ["clos"]
    assert closing_events(dossier).count() == 1
