"""The dossier workflow: every allowed transition works and is logged; anything else writes nothing."""
import pytest
from django.urls import reverse

from dossiers import transitions, workflow
from dossiers.tests.factories import dossier_in_state
from dossiers.models import DossierEvent
from dossiers.workflow import State, Transition

pytestmark = pytest.mark.django_db

ROLE_USERS = ["reception", "mobility", "assistant", "manager", "counsellor", "admin"]


def reachable(state):
    try:
        workflow.path_to(state)
        return True
    except ValueError:
        return False


def test_every_state_is_reachable_and_every_active_state_can_move():
    for state in State:
        assert state == State.RECEIVED or reachable(state), state
        if state not in workflow.FINAL_STATES:
            assert any(t.source == state for t in workflow.TRANSITIONS), state


@pytest.mark.parametrize("transition", workflow.TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_each_allowed_transition_works_for_allowed_roles_only(transition: Transition, users):
    for role in ROLE_USERS:
        user = users[role]
        dossier = dossier_in_state(transition.source, users["admin"])
        events_before = DossierEvent.objects.filter(dossier=dossier).count()
        allowed = user.is_superuser or user.role in transition.roles
        if allowed:
            event = transitions.apply_transition(dossier, transition.target, user, comment="ok")
            dossier.refresh_from_db()
            assert dossier.state == transition.target
            assert (event.from_state, event.to_state, event.actor, event.comment) == (
                transition.source, transition.target, user, "ok")
        else:
            with pytest.raises(workflow.TransitionError, match="Votre rôle ne permet pas"):
                transitions.apply_transition(dossier, transition.target, user)
            dossier.refresh_from_db()
            assert dossier.state == transition.source
            assert DossierEvent.objects.filter(dossier=dossier).count() == events_before


def test_managers_and_counsellors_can_apply_no_transition():
    for transition in workflow.TRANSITIONS:
        assert "manager" not in transition.roles and "counsellor" not in transition.roles


def test_forbidden_transition_is_refused_and_writes_nothing(users):
    dossier = dossier_in_state(State.RECEIVED, users["admin"])
    with pytest.raises(workflow.TransitionError, match="ne peut pas passer"):
        transitions.apply_transition(dossier, State.ACCEPTED, users["admin"])
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert dossier.events.count() == 1
    closed = dossier_in_state(State.CLOSED, users["admin"])
    for target in State:
        with pytest.raises(workflow.TransitionError):
            transitions.apply_transition(closed, target, users["admin"])


def test_transition_from_a_stale_copy_uses_the_current_state(users):
    """Two people look at the same dossier; the second action is checked against the real state."""
    dossier = dossier_in_state(State.RECEIVED, users["admin"])
    stale = type(dossier).objects.get(pk=dossier.pk)
    transitions.apply_transition(dossier, State.INVITED, users["reception"])
    # Not allowed from the real state, even though the stale copy says "fiche reçue".
    with pytest.raises(workflow.TransitionError, match="ne peut pas passer"):
        transitions.apply_transition(stale, State.INVITED, users["reception"])
    # Allowed from the real state, but the user chose it while seeing another state: refused.
    with pytest.raises(workflow.TransitionError, match="a changé entre-temps"):
        transitions.apply_transition(stale, State.INFO_DONE, users["reception"], expected_source=State.RECEIVED)
    assert dossier.events.count() == 2


def test_transition_through_the_dossier_page(client_for, users):
    dossier = dossier_in_state(State.RECEIVED, users["admin"])
    client = client_for("reception")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Inviter en information collective" in page
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]),
                           {"target": State.INVITED, "comment": "Invité à l'IC du 12"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.state == State.INVITED
    assert "Invité à l&#x27;IC du 12" in response.content.decode()
    # A refused action shows a French message and changes nothing.
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.ACCEPTED}, follow=True)
    assert "ne peut pas passer" in response.content.decode()
    # The page a colleague left open still says "fiche reçue": their click is refused, not misapplied.
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]),
                           {"target": State.INFO_DONE, "source": State.RECEIVED}, follow=True)
    assert "a changé entre-temps" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.INVITED


def test_manager_and_counsellor_cannot_post_transitions(client_for, users):
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=users["counsellor"].structure)
    for role in ("manager", "counsellor"):
        response = client_for(role).post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.INVITED})
        assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
