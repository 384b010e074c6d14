"""In a real browser: the report page draws its chart from the JSON data island, without any
Content-Security-Policy violation, and passes axe-core; the import page shows the checked summary."""
import pytest

from reporting.tests.conftest import schemes, world  # noqa: F401 — the reports' test data

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_departures_page_draws_its_chart(page, world):
    login(page, "responsable")
    page.goto("/rapports/departures/?year_from=2022&year_to=2023")
    canvas = page.locator("#report-charts canvas")
    canvas.wait_for()
    assert canvas.count() == 1
    assert page.evaluate("() => Chart.getChart(document.querySelector('#report-charts canvas')).data.labels") == [
        "2022", "2023"]
    assert page.get_by_role("link", name="CSV", exact=True).get_attribute("href").endswith("telecharger.csv?year_from=2022&year_to=2023")
    assert_accessible(page)
    assert page.js_errors == []


def test_profile_page_draws_one_chart_per_section(page, world):
    login(page, "responsable")
    page.goto("/rapports/profile/")
    page.locator("#report-charts canvas").first.wait_for()
    assert page.locator("#report-charts canvas").count() == 5
    assert page.js_errors == []


def test_import_page_checks_a_file_and_shows_the_progress_bar(page, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "historique.csv"
    path.write_text(
        "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final\n"
        "Z1,Nom,Prénom,01/01/2000,F,ML Test,01/01/2019,en_cours\n", encoding="utf-8")
    login(page, "responsable")
    page.goto("/rapports/import/")
    page.get_by_label("Fichier de l'historique (CSV ou XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_text("Ce que l'import créera").wait_for()
    # The bar is sized by reports.js once htmx has settled the swapped result (a few ms after the text).
    page.wait_for_function("() => document.querySelector('.progress-bar').style.width === '100%'", timeout=5_000)
    assert page.locator(".progress-bar").evaluate("bar => bar.style.width") == "100%"
    assert_accessible(page)
    assert page.js_errors == []
