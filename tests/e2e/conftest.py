"""Browser tests: Playwright (Python) driving Debian's headless Chromium against pytest-django's
live server. A failing test leaves a screenshot in test-artifacts/."""
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--lang=fr-FR", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        if os.environ.get("IPM_TEST_SERVICES"):
            pytest.fail("Chromium introuvable alors que la commande de test l'installe : vérifier scripts/test.sh")
        pytest.skip("Chromium is not installed: run the suite with `make test`, which installs it")
    # Playwright's sync API leaves its event loop registered as "running" in the test thread. Django then
    # keeps its database connections per async context instead of per thread: every test after this point
    # gets new connection objects, which lack the snapshot of the data-migration rows taken when the test
    # database was created (document checklist, schedules…). Without it, serialized rollback restores
    # nothing, and a browser test run after another transactional test finds those tables empty.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        for alias, contents in snapshots.items():
            if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A Content-Security-Policy violation (an inline script or style slipped in) counts as an error.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.js_errors = errors
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page, username, password="Mot-de-passe-de-test-42"):
    """Log in through the login page; staff, managers and administrators then type the current code of
    their authenticator app (computed here from the device's key, as the phone would)."""
    from django_otp.oath import totp

    from conftest import totp_device
    from ipm.models import User
    from ipm.twofactor import requires_2fa

    user = User.objects.get(username=username)
    device = totp_device(user) if requires_2fa(user) else None
    page.goto("/comptes/login/")
    page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Nom d'utilisateur")).fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if device is not None:
        assert "/comptes/double-authentification/" in page.url
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Code à 6 chiffres").fill(f"{code:06d}")
        page.get_by_role("button", name="Valider").click()
        page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (from npm) on the page; return the violations of the given impacts."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}: {violations}"
