import pytest

from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State


@pytest.mark.django_db
def test_factories_and_workflow(users):
    dossier = dossier_in_state(State.CLOSED, users["admin"])
    assert dossier.state == State.CLOSED
    assert dossier.events.count() == 1 + len(__import__("dossiers.workflow").workflow.path_to(State.CLOSED))
