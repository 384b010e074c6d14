"""Fixtures shared by every test: one user per role in two structures, logged-in clients."""
import pytest

from ipm.enums import Role
from tests.factories import UserFactory
from referrals.tests.factories import StructureFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing passwords the production way takes ~0.3 s a user: tests use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    """Tests run as production does: staff, managers and administrators need their second factor."""
    settings.IPM_REQUIRE_2FA = True


@pytest.fixture(autouse=True)
def fresh_report_files():
    """Each test's report downloads are counted from its own data: the report files an earlier test left
    in the file cache (Redis outlives a test's rolled-back rows) belong to a retired generation."""
    from reporting import cache

    cache.bump()


@pytest.fixture
def eager_celery():
    """Run the Celery tasks inline, e.g. the outbox's delivery of a message once its transaction commits
    (the worker tests of followup use a real worker)."""
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def totp_device(user):
    """The user's confirmed authenticator (created if needed): ``totp(device.bin_key)`` gives its code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def log_in(client, user):
    """Log ``client`` in as ``user``, second factor included when the role needs it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from ipm.twofactor import requires_2fa

    client.force_login(user)
    if requires_2fa(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client


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
        return log_in(client, users[role])

    return login


def pytest_collection_modifyitems(items):
    """A transactional test (browser, Celery worker) empties the tables when it ends, including the rows
    that data migrations wrote (document checklist, schedules…). Restore them for the tests that follow
    (serialized rollback) unless the test says otherwise."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False)
