"""Fixtures shared by every test: one user per role in two structures, logged-in clients."""
import pytest

from ipm.enums import Role
from ipm.factories import TEST_PASSWORD, UserFactory
from referrals.factories import StructureFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing passwords the production way takes ~0.3 s a user: tests use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def structure(db):
    return StructureFactory(name="Mission Locale de Saint-Étienne", department="42")


@pytest.fixture
def other_structure(db):
    return StructureFactory(name="Mission Locale de Lyon", department="69", town="Lyon")


@pytest.fixture
def users(structure, other_structure):
    """One user per role; counsellors in two structures ('counsellor' and 'other_counsellor')."""
    return {
        "counsellor": UserFactory(username="conseiller", role=Role.COUNSELLOR, structure=structure),
        "other_counsellor": UserFactory(username="conseiller_lyon", role=Role.COUNSELLOR, structure=other_structure),
        "reception": UserFactory(username="accueil", role=Role.RECEPTION),
        "mobility": UserFactory(username="mobilite", role=Role.MOBILITY),
        "assistant": UserFactory(username="assistant", role=Role.ASSISTANT),
        "manager": UserFactory(username="responsable", role=Role.MANAGER),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }


@pytest.fixture
def client_for(client, users):
    """client_for('reception') → the test client logged in as that role's user."""

    def login(role):
        client.logout()
        assert client.login(username=users[role].username, password=TEST_PASSWORD)
        return client

    return login
