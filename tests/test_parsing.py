"""ipm/parsing.py: ids, dates and return addresses read from the browser — a clean value or None."""
import datetime

import pytest
from django.test import RequestFactory

from ipm.parsing import BIGINT_MAX, INT_MAX, parse_date, parse_id, parse_ids, safe_next


@pytest.mark.parametrize("value,expected", [
    ("12", 12), (" 12 ", 12), (12, 12), ("0012", 12), (str(BIGINT_MAX), BIGINT_MAX),
    ("abc", None), ("", None), ("   ", None), (None, None), ("0", None), (0, None), ("-3", None), (-3, None),
    ("+3", None), ("3.5", None), (3.0, None), ("1e3", None), ("12abc", None), ("١٢", None), ("²", None),
    (str(BIGINT_MAX + 1), None), (BIGINT_MAX + 1, None), ("9" * 5000, None), (True, None), (["1"], None),
    ("1\x00", None),
])
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_id_for_an_integer_column():
    assert parse_id(str(INT_MAX), max_value=INT_MAX) == INT_MAX
    assert parse_id(str(INT_MAX + 1), max_value=INT_MAX) is None


def test_parse_ids_drops_junk_and_duplicates():
    assert parse_ids(["3", "abc", "", "3", "-1", "7", None, "99999999999999999999"]) == [3, 7]
    assert parse_ids("4, 5,x,,4") == [4, 5]
    assert parse_ids(None) == [] and parse_ids([]) == [] and parse_ids(["", "abc"]) == []


@pytest.mark.parametrize("value,expected", [
    ("14/07/2024", datetime.date(2024, 7, 14)),
    ("2024-07-14", datetime.date(2024, 7, 14)),
    (" 01/01/1900 ", datetime.date(1900, 1, 1)),
    ("31/12/2100", datetime.date(2100, 12, 31)),
    (datetime.date(2024, 7, 14), datetime.date(2024, 7, 14)),
    (datetime.datetime(2024, 7, 14, 10, 30), datetime.date(2024, 7, 14)),
    ("31/12/1899", None), ("01/01/2101", None), ("0001-01-01", None), ("9999-12-31", None),
    (datetime.date(1, 1, 1), None), ("31/02/2024", None), ("2024-13-01", None), ("14/07/24", None),
    ("demain", None), ("", None), (None, None), ("14/07/2024 ; DROP TABLE", None), ("1" * 10_000, None),
    (20240714, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.fixture
def request_():
    return RequestFactory().get("/")


@pytest.mark.parametrize("value", ["/dossiers/", "/dossiers/?page=2&q=Dupont", "/fiches/reunions/3/#jeunes"])
def test_safe_next_follows_paths_of_this_site(request_, value):
    assert safe_next(request_, value, "/") == value


@pytest.mark.parametrize("value", [
    "foo", "dossiers/", "//evil.example/", "https://evil.example/", "http://testserver/dossiers/",
    "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "/dossiers/\n", "", "   ", None, 42,
    "https:/evil.example", "/\x00",
])
def test_safe_next_falls_back_to_the_default(request_, value):
    assert safe_next(request_, value, "/accueil/") == "/accueil/"


def test_safe_next_default_may_be_a_url_name_or_none(request_):
    assert safe_next(request_, "https://evil.example/", "home") == "/"
    assert safe_next(request_, "https://evil.example/", None) is None
