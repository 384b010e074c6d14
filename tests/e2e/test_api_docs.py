"""The API's Swagger UI (/api/v1/docs/): its files are ours (drf-spectacular-sidecar, no CDN), it loads
under the Content-Security-Policy without a violation, and it lists the endpoints read from the schema."""
import pytest

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_loads_from_our_files_without_a_csp_violation(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    page.get_by_text("API Ipm pour les structures prescriptrices").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/rapports/{key}/").first.wait_for()
    assert page.js_errors == []  # a CSP violation (drf-spectacular's own page has an inline <style>) is one
    assert page.locator("html").get_attribute("lang") == "fr"
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    # Swagger UI's own markup fails two axe rules (its grey texts, its buttons inside buttons): a developers'
    # tool, not a page of the platform's users, left out of the every-page sweep for that reason
    # (tests/e2e/test_accessibility_every_page.py). Our page around it (language, title) adds none.
    assert {v["id"] for v in axe_violations(page)} <= {"color-contrast", "nested-interactive"}


def test_a_developer_tries_the_reports_with_a_token(page, users, structure):
    from api.tokens import create_token

    _, key = create_token(structure=structure, name="i-milo", counsellor=users["counsellor"], created_by=users["manager"])
    page.goto("/api/v1/docs/")
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").fill(key)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    operation = page.locator("#operations-rapports-rapports_list")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .response-col_description pre").first
    body.wait_for()
    assert '"key": "departures"' in body.inner_text()
    assert page.js_errors == []
