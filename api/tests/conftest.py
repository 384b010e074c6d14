import datetime

import pytest
from django.core.cache import caches
from django.test import Client

from api.tokens import create_token


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    settings.IPM_API_HTTPS_ONLY = True
    caches["api"].clear()
    yield
    caches["api"].clear()


@pytest.fixture
def token_and_key(users, structure):
    return create_token(structure=structure, name="i-milo", counsellor=users["counsellor"], created_by=users["manager"])


@pytest.fixture
def api(token_and_key):
    """A client of the structure's system: its key in every request, over HTTPS."""
    return ApiClient(token_and_key[1])


@pytest.fixture
def lyon(users, other_structure):
    """A client of another structure's system (Lyon), with its own key."""
    _, key = create_token(structure=other_structure, name="i-milo Lyon", counsellor=users["other_counsellor"],
                          created_by=users["manager"])
    return ApiClient(key)


class ApiClient:
    def __init__(self, key):
        self.client, self.key = Client(), key

    def headers(self, extra):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.key}", **extra} if self.key else extra

    def post(self, url, body, secure=True, **extra):
        data = body if isinstance(body, (bytes, str)) else __import__("json").dumps(body)
        return self.client.post(url, data=data, content_type="application/json", secure=secure, **self.headers(extra))

    def get(self, url, secure=True, **extra):
        return self.client.get(url, secure=secure, **self.headers(extra))


def fiche(**changes):
    """A complete fiche as an information system would send it."""
    birth = datetime.date.today().replace(day=1) - datetime.timedelta(days=365 * 21)
    body = {
        "last_name": "Traoré", "first_name": "Nathan", "birth_date": birth.isoformat(), "sex": "M",
        "nationality": "FR", "email": "nathan@exemple.fr", "phone": "06 12 34 56 78", "postcode": "42000",
        "town": "Saint-Étienne", "qpv": True, "zrr": False, "qualification_level": "V",
        "employment_status": "demandeur_emploi", "motivation": "Apprendre l'anglais en Irlande.", "consent": True,
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not ...}
