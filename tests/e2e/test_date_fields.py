"""Dates typed the French way in an English-language browser: the field shows JJ/MM/AAAA (not the
browser's mm/dd/yyyy of a native date input), accepts 31/12/2026, and its calendar opens in French."""
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "Failed to load" not in msg.text
            else None)
    page.on("response", lambda response: errors.append(response.url) if response.status == 404
            and "favicon" not in response.url else None)
    page.js_errors = errors
    yield page
    context.close()


def test_a_date_is_typed_and_picked_the_french_way_in_an_english_browser(english_page, users):
    page = english_page
    assert page.evaluate("navigator.language") == "en-US"
    login(page, "accueil")
    page.goto(reverse("dossiers:inbox"))
    since = page.get_by_label("Reçue depuis le")
    assert since.get_attribute("type") == "text"
    assert since.get_attribute("placeholder") == "JJ/MM/AAAA"
    assert since.get_attribute("inputmode") == "numeric"
    since.fill("31/12/2026")
    since.press("Enter")
    page.wait_for_load_state()
    since = page.get_by_label("Reçue depuis le")
    expect(since).to_have_value("31/12/2026")
    assert "Saisissez une date valide" not in page.content()
    # The calendar, beside the field, in the page's language (French), on the typed date's month.
    button = page.locator('[data-date-picker-for="id_date_from"]')
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    calendar = page.locator("#id_date_from-calendrier")
    expect(calendar).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(calendar.locator(".view-switch")).to_have_text("décembre 2026")
    assert re.search(r"\bl\b.*\bma\b.*\bme\b", calendar.locator(".days-of-week").inner_text(), re.S)
    assert_accessible(page)
    calendar.locator(".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^15$")).click()
    expect(since).to_have_value("15/12/2026")
    expect(calendar).to_be_hidden()
    assert page.js_errors == []


def test_without_javascript_the_field_is_a_plain_french_text_field(browser, live_server, users):
    context = browser.new_context(base_url=live_server.url, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, "accueil")
        page.goto(reverse("dossiers:inbox") + "?date_from=2026-12-31")
        since = page.get_by_label("Reçue depuis le")
        expect(since).to_have_value("31/12/2026")  # an ISO date in a link is shown the French way
        expect(page.locator('[data-date-picker-for="id_date_from"]')).to_be_hidden()
    finally:
        context.close()
