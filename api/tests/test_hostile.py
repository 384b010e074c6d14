"""No body, however hostile, gives a server error: malformed JSON, wrong types, huge strings, NUL bytes."""
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from api.fiches import FIELDS
from api.tests.conftest import fiche
from referrals.models import Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/fiches/"

HOSTILE_BODIES = [
    b"", b"{", b"null", b"[]", b'"texte"', b"42", b"\xff\xfe\x00", b'{"last_name": NaN}', b"[" * 100_000,
    b'{"birth_date": 1' + b"0" * 5000 + b"}",
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_malformed_bodies_answer_400(api, body):
    response = api.post(URL, body)
    assert response.status_code == 400, body[:40]
    assert response.json()["errors"]


HOSTILE_VALUES = [["liste"], {"a": 1}, "x" * 100_000, "a\x00b", -1, 1e308, True, "", "9" * 40, "31/12/9999",
                  "0001-01-01"]


@pytest.mark.parametrize("name", FIELDS)
def test_hostile_values_in_every_field_give_no_server_error(api, name):
    """Each field gets three of the hostile values (a different three from one field to the next)."""
    start = FIELDS.index(name)
    for value in (HOSTILE_VALUES[(start + shift) % len(HOSTILE_VALUES)] for shift in (0, 4, 8)):
        response = api.post(URL, fiche(**{name: value}))
        assert response.status_code in (201, 400), (name, repr(value)[:40], response.content[:300])
        if response.status_code == 400:
            assert all(isinstance(m, str) for messages in response.json()["errors"].values() for m in messages)


def test_a_nul_byte_is_refused_in_french(api):
    response = api.post(URL, fiche(last_name="Tra\x00oré"))
    assert response.status_code == 400
    assert response.json()["errors"]["last_name"] == ["Le caractère nul n’est pas autorisé."]


def test_a_body_too_large_is_refused(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(URL, fiche(motivation="x" * 5000))
    assert response.status_code == 413 and response.json()["errors"]["__all__"]
    assert not Referral.objects.exists()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=5)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(FIELDS + ["counsellor_email", "x"]), json_values, max_size=8))
def test_random_bodies(api, body):
    response = api.post(URL, fiche(**body))
    assert response.status_code in (201, 400), (body, response.content[:300])
