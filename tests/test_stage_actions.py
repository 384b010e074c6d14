"""Actions on a dossier that do more than change its state: the commission's acceptance uses a funded place
(over the quota it asks for confirmation and records the overrun); the departure stages are done on their own
screens; closing ends the follow-up."""
import datetime
from functools import partial

import pytest
from django.urls import reverse

from departures.tests.factories import FundingAgreementFactory, SchemeFactory
from departures.models import QuotaOverrun
from departures.services import QuotaExceeded, accept_dossier
from dossiers.enums import Decision
from dossiers.tests.factories import dossier_in_state, validate_all_pieces
from dossiers.models import CommissionSession
from dossiers.services import add_to_agenda, record_decision
from dossiers.workflow import State

pytestmark = pytest.mark.django_db


def on_agenda(users, structure, scheme):
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure, scheme=scheme)
    validate_all_pieces(dossier, users["assistant"])
    session = CommissionSession.objects.create(date=datetime.date.today())
    return add_to_agenda(session, dossier, users["assistant"])


def test_acceptance_over_quota_needs_confirmation_and_is_recorded(users, structure):
    scheme = SchemeFactory(name="OUAT")
    FundingAgreementFactory(scheme=scheme, places=1)
    first = on_agenda(users, structure, scheme)
    record_decision(first, Decision.ACCEPTED, users["mobility"], accept=accept_dossier)
    assert not QuotaOverrun.objects.exists()

    second = on_agenda(users, structure, scheme)
    with pytest.raises(QuotaExceeded, match="Plus de place disponible"):
        record_decision(second, Decision.ACCEPTED, users["mobility"], accept=accept_dossier)
    second.refresh_from_db()
    second.dossier.refresh_from_db()
    assert second.decision == "" and second.dossier.state == State.IN_COMMISSION  # nothing written

    record_decision(second, Decision.ACCEPTED, users["mobility"], "Projet prioritaire",
                    accept=partial(accept_dossier, confirm_over_quota=True))
    second.dossier.refresh_from_db()
    assert second.dossier.state == State.ACCEPTED
    overrun = QuotaOverrun.objects.get()
    assert (overrun.dossier, overrun.confirmed_by) == (second.dossier, users["mobility"])


def test_commission_screen_asks_to_confirm_over_quota(client_for, users, structure):
    scheme = SchemeFactory(name="OUAT")
    FundingAgreementFactory(scheme=scheme, places=0)
    review = on_agenda(users, structure, scheme)
    client = client_for("mobility")
    url = reverse("dossiers:review", args=[review.session_id, review.pk])
    response = client.post(url, {"decision": Decision.ACCEPTED, "comment": "Très motivé"}, follow=True)
    assert "Plus de place disponible" in response.content.decode()
    assert "Cochez la case de confirmation sous la décision" in response.content.decode()
    review.dossier.refresh_from_db()
    assert review.dossier.state == State.IN_COMMISSION
    client.post(url, {"decision": Decision.ACCEPTED, "comment": "Très motivé", "confirm_over_quota": "on"})
    review.dossier.refresh_from_db()
    assert review.dossier.state == State.ACCEPTED
    assert QuotaOverrun.objects.filter(dossier=review.dossier).exists()


@pytest.mark.parametrize("state,target,page", [
    (State.ACCEPTED, State.CONTRACT_SIGNED, "departures:contract_sign"),
    (State.CONTRACT_SIGNED, State.ABROAD, "departures:departure"),
    (State.ABROAD, State.RETURNED, "departures:return"),
    (State.ABROAD, State.INTERRUPTED, "departures:early_return"),
    (State.RETURNED, State.FOLLOW_UP, "departures:review"),
])
def test_departure_stages_link_to_their_screen_not_a_bare_button(client_for, users, structure, state, target, page):
    dossier = dossier_in_state(state, users["admin"], structure=structure)
    client = client_for("mobility")
    html = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse(page, args=[dossier.pk]) in html
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]), {"target": target, "source": state})
    assert response.status_code == 302 and response.url == reverse(page, args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.state == state


def test_closing_from_the_dossier_page_ends_the_follow_up(client_for, users, structure):
    from followup.models import FollowUpCall

    dossier = dossier_in_state(State.FOLLOW_UP, users["admin"], structure=structure)
    FollowUpCall.objects.create(dossier=dossier, month=1, due_date=datetime.date.today())
    client = client_for("mobility")
    html = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    close = reverse("followup:close", args=[dossier.pk])
    assert f'action="{close}"' in html and "Clore le dossier ? Les appels de suivi restants" in html
    # The generic action refuses it: closing is recorded by its own screen, which ends the follow-up.
    events = dossier.events.count()
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]),
                           {"target": State.CLOSED, "source": State.FOLLOW_UP}, follow=True)
    assert "Cette étape se fait par son bouton « Clore le dossier (suivi terminé) »" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.FOLLOW_UP and dossier.events.count() == events
    client.post(close)
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    call = FollowUpCall.objects.get(dossier=dossier)
    # Never tried: closed « non réalisé » (reached unknown), not an invented « non joint ».
    assert call.done_at is not None and call.reached is None and call.attempts == 0 and call.not_made
    assert dossier.events.last().to_state == State.CLOSED
