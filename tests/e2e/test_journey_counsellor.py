"""Journey 1: a mission locale counsellor sends a fiche de liaison, corrects a mistake from the error
message, and finds the young person in « Mes jeunes »; reception then sees it. Accessibility of every
page on the way (axe-core), keyboard-only completion, and the counsellor's pages on a phone."""
import datetime
import re

import pytest

from dossiers.models import Dossier
from dossiers.workflow import State

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def birth_date_years_ago(years):
    today = datetime.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def field(page, label):
    """The form control labelled ``label`` (a required field's label ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def fill_fiche(page, phone):
    field(page, "Nom").fill("Traoré")
    field(page, "Prénom").fill("Nathan")
    field(page, "Date de naissance").fill(birth_date_years_ago(21).strftime("%d/%m/%Y"))
    field(page, "Homme").check()
    field(page, "Téléphone").fill(phone)
    field(page, "Code postal").fill("42000")
    field(page, "Commune").fill("Saint-Étienne")
    field(page, "Niveau de qualification").select_option("V")
    field(page, "Situation").select_option("demandeur_emploi")
    field(page, "Motivation").fill("Travailler un été à Malte et apprendre l'anglais.")
    field(page, "Consentement du jeune").check()


def test_counsellor_sends_a_fiche_and_reception_sees_it(page, users):
    login(page, "conseiller")
    assert page.url.endswith("/fiches/mes-jeunes/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle fiche de liaison").first.click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)

    fill_fiche(page, phone="06 12 34")  # a mistake: too short
    page.get_by_role("button", name="Envoyer la fiche à la plateforme").click()
    summary = page.get_by_role("alert").filter(has_text="La fiche n'a pas été enregistrée")
    assert summary.is_visible()
    assert "Numéro de téléphone invalide" in summary.inner_text()
    assert_accessible(page)
    # What was typed is still there; the summary links to the field in error.
    assert field(page, "Nom").input_value() == "Traoré"
    assert field(page, "Motivation").input_value().startswith("Travailler un été")
    summary.get_by_role("link", name="Téléphone").click()
    phone = field(page, "Téléphone")
    assert phone.evaluate("el => el === document.activeElement")
    assert phone.get_attribute("aria-invalid") == "true" or "is-invalid" in phone.get_attribute("class")
    phone.fill("06 12 34 56 78")
    page.get_by_role("button", name="Envoyer la fiche à la plateforme").click()

    assert "/fiches/mes-jeunes/" in page.url
    assert page.get_by_text("Fiche envoyée à la plateforme").is_visible()
    row = page.get_by_role("row").filter(has_text="TRAORÉ Nathan")
    assert row.get_by_text("Fiche reçue").is_visible()
    assert_accessible(page)
    dossier = Dossier.objects.get(youth__last_name="Traoré")
    assert dossier.state == State.RECEIVED and dossier.structure == users["counsellor"].structure

    # Reception finds it in the inbox and opens the dossier.
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "accueil")
    field(page, "Nom ou prénom").fill("traore")
    page.get_by_role("button", name="Filtrer").click()
    assert_accessible(page)
    page.get_by_role("link", name="TRAORÉ Nathan").click()
    assert page.get_by_role("heading", name="TRAORÉ Nathan").is_visible()
    assert page.get_by_text("Fiche de liaison envoyée par").is_visible()
    assert_accessible(page)
    assert not page.js_errors


def test_fiche_can_be_completed_with_the_keyboard_alone(page, users):
    login(page, "conseiller")
    page.goto("/fiches/nouvelle/")
    # Every visible form control has an accessible label.
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('form.referral-form input, form.referral-form select, form.referral-form textarea')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.name)""")
    assert unlabeled == []
    field(page, "Nom").focus()
    keyboard = page.keyboard
    keyboard.type("Keita")
    keyboard.press("Tab"); keyboard.type("Awa")
    keyboard.press("Tab"); keyboard.type(birth_date_years_ago(20).strftime("%d/%m/%Y"))
    keyboard.press("Tab"); keyboard.press("Space")  # first radio of "Sexe": Femme
    # Focus is visible: the focused element has an outline.
    focused = page.evaluate("() => [document.activeElement.name, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["sex", "solid"]
    for label, value in [("Téléphone", "0611223344"), ("Code postal", "42300"), ("Commune", "Roanne"),
                         ("Motivation", "Partir en Irlande.")]:
        page.get_by_label(label).focus()
        keyboard.type(value)
    field(page, "Niveau de qualification").focus(); keyboard.press("ArrowDown")
    field(page, "Situation").focus(); keyboard.press("ArrowDown")
    field(page, "Consentement du jeune").focus(); keyboard.press("Space")
    page.get_by_role("button", name="Envoyer la fiche à la plateforme").focus()
    keyboard.press("Enter")
    page.wait_for_url("**/fiches/mes-jeunes/")
    youth = Dossier.objects.get().youth
    assert (youth.last_name, youth.first_name, youth.sex, youth.birth_date) == ("Keita", "Awa", "F", birth_date_years_ago(20))


def test_counsellor_pages_fit_a_375_pixel_screen(browser, live_server, users):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    login(page, "conseiller")
    from pathlib import Path

    shots = Path(__file__).resolve().parents[2] / "test-artifacts"
    shots.mkdir(exist_ok=True)
    for url in ["/fiches/mes-jeunes/", "/fiches/nouvelle/"]:
        page.goto(url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px screen"
        page.screenshot(path=str(shots / f"mobile-{url.strip('/').replace('/', '-')}.png"), full_page=True)
        # The menu collapses behind a button that opens it.
        toggler = page.get_by_role("button", name="Ouvrir le menu")
        assert toggler.is_visible()
    toggler.click()
    assert page.get_by_role("link", name="Mes jeunes").is_visible()
    context.close()
