"""Fixtures shared by the network's tests."""
import pytest

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State


@pytest.fixture
def pair_parts(users, structure):
    """A candidate (file being built) and a former participant (followed up) of the counsellor's structure."""
    candidate = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                                 youth=YouthFactory(last_name="Candidat", first_name="Noé"))
    sponsor = dossier_in_state(State.FOLLOW_UP, users["admin"], structure=structure,
                               youth=YouthFactory(last_name="Parrain", first_name="Léa"))
    return candidate, sponsor
