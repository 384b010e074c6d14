"""Two sendings of one fiche with the same idempotency key at the same moment (a retry after a timeout
while the first is still running): one fiche, the same answer twice, never an error. Two real requests
in two threads, on PostgreSQL (``make test``)."""
import pytest
from django.db import connection

from api.models import ApiFiche
from api.tests.conftest import ApiClient, fiche
from referrals.models import Referral
from tests.test_races import at_once, slowed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are tested on PostgreSQL (make test)")


def test_two_concurrent_retries_with_one_key_create_one_fiche(token_and_key, monkeypatch):
    slowed(monkeypatch, Referral)  # the second request arrives while the first is creating the fiche
    key = token_and_key[1]
    answers = []

    def send():
        response = ApiClient(key).post("/api/v1/fiches/", fiche(), HTTP_IDEMPOTENCY_KEY="retry-0001")
        answers.append(response.json())
        return response

    statuses, errors = at_once(send, send)
    assert errors == []
    assert statuses == [201, 201]
    assert Referral.objects.count() == 1 and ApiFiche.objects.count() == 1
    assert answers[0]["id"] == answers[1]["id"] == Referral.objects.get().pk
