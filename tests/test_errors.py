"""Errors: every response carries a request id; a failing view gives the French 500 page with that id
(never a stack trace) and the log line holds the id and the traceback."""
import logging

import pytest
from django.urls import reverse

from ipm.middleware import HEADER

pytestmark = pytest.mark.django_db


def test_every_response_has_a_request_id_each_time_different(client, client_for):
    first = client.get(reverse("login"))
    second = client.get(reverse("login"))
    assert first[HEADER] and second[HEADER] and first[HEADER] != second[HEADER]
    # Also on redirects, 403 and 404 pages.
    assert client.get(reverse("dossiers:inbox"))[HEADER]
    assert client_for("counsellor").get(reverse("dossiers:inbox")).status_code == 403
    response = client_for("counsellor").get("/nulle-part/")
    assert response.status_code == 404 and response[HEADER]


def test_request_id_from_the_proxy_is_kept_when_it_looks_like_one(client):
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-abc-12345")[HEADER] == "proxy-abc-12345"
    # Anything else (here an attempt to inject a line into the logs) is replaced by a fresh id.
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="x\nFAKE LOG LINE")[HEADER]
    assert "FAKE" not in forged and len(forged) == 16


@pytest.mark.urls("tests.urls_errors")
def test_a_failing_view_gives_the_french_500_page_with_the_id_and_logs_the_traceback(client, settings, caplog):
    settings.DEBUG = False
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-erreur/")
    assert response.status_code == 500
    page = response.content.decode()
    request_id = response[HEADER]
    assert "Une erreur est survenue" in page
    assert request_id in page and "numéro d'incident" in page
    # No stack trace, no exception detail, no file path on the page.
    for leak in ("Traceback", "DeliberateFailure", "secret-detail-never-shown", "urls_errors.py", "File \""):
        assert leak not in page

    records = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert records, "the error was not logged"
    record = records[-1]
    assert record.request_id == request_id
    line = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record)
    assert f"[{request_id}]" in line
    assert "Traceback" in line and "DeliberateFailure" in line and "secret-detail-never-shown" in line


def test_log_records_outside_a_request_carry_a_dash():
    record = logging.getLogger("ipm.test").makeRecord("ipm.test", logging.INFO, __file__, 1, "x", (), None)
    assert record.request_id == "-"


def test_403_and_404_pages_are_french_and_show_no_technical_detail(client_for, settings):
    settings.DEBUG = False
    client = client_for("counsellor")
    forbidden = client.get(reverse("dossiers:inbox"))
    assert forbidden.status_code == 403 and "Traceback" not in forbidden.content.decode()
    missing = client.get(reverse("dossiers:detail", args=[999999]))
    assert missing.status_code == 404
    assert "Page introuvable" in missing.content.decode() and "Traceback" not in missing.content.decode()
