"""Accessibility (RGAA / WCAG 2.1 AA) across the application, beyond the journeys: every page of each role
in French, every form control labelled, one main heading, no serious or critical axe-core violation;
form errors tied to their fields; focus visible with the keyboard; the counsellor's dossier page on a
375-pixel-wide screen."""
import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, SchemeFactory, StayFactory
from dossiers.tests.factories import dossier_in_state
from dossiers.models import CommissionCriterion, CommissionSession, DocumentType
from dossiers.workflow import State
from followup import calls as followup_calls
from departures.models import CoPayment
from followup.models import FollowUpCall
from referrals.models import Meeting

from .conftest import ARTIFACTS, axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Visible form controls without an accessible name (a <label>, aria-label or aria-labelledby).
UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
    .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
    .filter(el => !(el.labels && [...el.labels].some(l => l.textContent.trim()))
                  && !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby'))
    .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""

# Every field marked invalid must say so (aria-invalid) and point, itself or through its fieldset, to a
# visible error text (aria-describedby). Returns what breaks the rule.
UNTIED_ERRORS = """() => [...document.querySelectorAll('main .is-invalid, main [aria-invalid=true]')].flatMap(el => {
    const problems = [];
    if (el.getAttribute('aria-invalid') !== 'true') problems.push(el.name + ': no aria-invalid');
    const holders = [el, el.closest('fieldset')].filter(Boolean);
    const ids = holders.flatMap(h => (h.getAttribute('aria-describedby') || '').split(/\\s+/)).filter(Boolean);
    const texts = ids.map(id => document.getElementById(id)).filter(Boolean).map(e => e.innerText.trim());
    if (!texts.some(t => t.length > 0)) problems.push(el.name + ': error not described');
    return problems;
})"""


@pytest.fixture
def data(users, structure, settings, tmp_path):
    """A little of everything, so that each page shows its tables, panels and forms."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    scheme = SchemeFactory(name="Jeunes en Europe")
    FundingAgreementFactory(scheme=scheme)
    host = HostOrganisationFactory(name="Hostal del Sol", country="ES", town="Valencia")
    received = dossier_in_state(State.RECEIVED, users["admin"], structure=structure)
    building = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure, scheme=scheme)
    followed = dossier_in_state(State.FOLLOW_UP, users["admin"], structure=structure, scheme=scheme,
                                platform_counsellor=users["mobility"])
    StayFactory(dossier=followed, scheme=scheme, host=host, departure_date=today - datetime.timedelta(days=200),
                return_date=today - datetime.timedelta(days=70))
    followup_calls.create_due_calls()
    CoPayment.objects.create(dossier=followed, amount_due=150, waived=True, waiver_reason="Ressources trop faibles",
                             waived_by=users["mobility"], waived_at=timezone.now())
    meeting = Meeting.objects.create(date=today + datetime.timedelta(days=4), start_time=datetime.time(10),
                                     place="Salle Loire", capacity=10)
    session = CommissionSession.objects.create(date=today + datetime.timedelta(days=8))
    return {"received": received, "building": building, "followed": followed, "meeting": meeting,
            "session": session, "scheme": scheme, "host": host,
            "call": FollowUpCall.objects.filter(dossier=followed).order_by("month").first()}


def check_pages(page, paths):
    """Visit each page; return what fails, page by page (all pages are checked before the test fails)."""
    problems = {}
    for path in paths:
        response = page.goto(path)
        found = []
        if response.status != 200:
            found.append(f"HTTP {response.status}")
        if page.locator("html").get_attribute("lang") != "fr":
            found.append("page language is not French")
        if page.locator("h1").count() != 1:
            found.append(f"{page.locator('h1').count()} h1 headings")
        if page.locator("main").count() != 1:
            found.append("no single <main> landmark")
        unlabelled = page.evaluate(UNLABELLED)
        if unlabelled:
            found.append(f"unlabelled fields: {unlabelled}")
        violations = axe_violations(page)
        if violations:
            found.append(f"axe-core: {violations}")
        if found:
            problems[path] = found
    return problems


def test_every_page_of_platform_staff_is_accessible(page, data):
    d = data
    login(page, "mobilite")
    problems = check_pages(page, [
        "/dossiers/", "/dossiers/?state=fiche_recue", "/dossiers/a-traiter/",
        f"/dossiers/{d['received'].pk}/", f"/dossiers/{d['building'].pk}/", f"/dossiers/{d['followed'].pk}/",
        f"/dossiers/{d['building'].pk}/diagnostic/", f"/dossiers/{d['building'].pk}/projet/",
        f"/dossiers/{d['building'].pk}/pieces/", "/dossiers/pieces-demandees/",
        "/fiches/reunions/", "/fiches/reunions/nouvelle/", f"/fiches/reunions/{d['meeting'].pk}/",
        "/dossiers/commissions/", "/dossiers/commissions/nouvelle/", f"/dossiers/commissions/{d['session'].pk}/",
        "/departs/", "/departs/a-venir/", f"/departs/dossier/{d['followed'].pk}/visite/",
        f"/departs/dossier/{d['followed'].pk}/participation/",  # a waiver and its « Annuler la dispense »
        "/departs/structures-accueil/", f"/departs/structures-accueil/{d['host'].pk}/",
        "/departs/structures-accueil/nouvelle/", "/departs/conventions/", "/departs/dispositifs/",
        "/suivi/", "/suivi/?onglet=retard", f"/suivi/appels/{d['call'].pk}/", "/suivi/messages/",
        "/rapports/", "/rapports/departures/", "/rapports/funnel/", "/rapports/profile/", "/rapports/outcomes/",
        "/rapports/fej/", "/rapports/erasmus/", "/espace/equipe/rectifications/",
    ])
    assert not problems, problems
    assert not page.js_errors, page.js_errors


def test_every_page_of_a_counsellor_and_a_manager_is_accessible(page, data):
    piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    criterion = CommissionCriterion.objects.order_by("order").first()
    login(page, "conseiller")
    problems = check_pages(page, [
        "/fiches/mes-jeunes/", "/fiches/nouvelle/", f"/dossiers/{data['followed'].pk}/",
        f"/dossiers/{data['building'].pk}/pieces/", "/rapports/", "/rapports/departures/", "/rapports/outcomes/",
    ])
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "responsable")
    problems |= check_pages(page, [
        "/dossiers/", f"/dossiers/{data['followed'].pk}/", "/rapports/", "/rapports/departures/?year_from=2025",
        "/rapports/import/", "/departs/conventions/", "/departs/conventions/nouvelle/", "/departs/dispositifs/nouveau/",
        "/dossiers/pieces-demandees/", "/dossiers/pieces-demandees/nouvelle/", f"/dossiers/pieces-demandees/{piece.pk}/modifier/",
        f"/dossiers/pieces-demandees/{piece.pk}/supprimer/", "/dossiers/commissions/grille/",
        "/dossiers/commissions/grille/nouveau/", f"/dossiers/commissions/grille/{criterion.pk}/supprimer/",
    ])
    page.get_by_role("button", name="Se déconnecter").click()
    problems |= check_pages(page, ["/comptes/login/", "/accessibilite/", "/comptes/password_reset/"])
    # A refused request is announced: the summary is an alert and takes the focus.
    page.locator("input[name=email]").fill("jeanne@exemple")  # the browser lets it through; the server refuses it
    page.get_by_role("button", name="Recevoir le lien").click()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    problems |= {"password reset refused": axe_violations(page)} if axe_violations(page) else {}
    page.goto("/comptes/login/")
    page.get_by_role("link", name=re.compile("Accessibilité")).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Déclaration d'accessibilité"
    assert not problems, problems
    assert not page.js_errors, page.js_errors


def assert_errors_tied(page, where):
    invalid = page.locator("main [aria-invalid=true]")
    assert invalid.count() > 0, f"{where}: no field marked invalid"
    assert page.evaluate(UNTIED_ERRORS) == [], where
    assert axe_violations(page) == [], where


def test_form_errors_are_tied_to_their_fields(page, data):
    today = timezone.localdate()
    login(page, "conseiller")
    page.goto("/fiches/nouvelle/")
    page.get_by_role("button", name="Envoyer la fiche à la plateforme").click()
    assert_errors_tied(page, "fiche de liaison")
    # The error summary lists the fields and leads to them.
    summary = page.get_by_role("alert").filter(has_text="La fiche n'a pas été enregistrée")
    summary.get_by_role("link", name="Nom", exact=True).click()
    assert page.evaluate("() => document.activeElement.name") == "last_name"
    summary.get_by_role("link", name="Sexe", exact=True).click()  # radio buttons: the group's first input
    assert page.evaluate("() => [document.activeElement.name, document.activeElement.type]") == ["sex", "radio"]

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "mobilite")
    page.goto(f"/suivi/appels/{data['call'].pk}/")
    page.get_by_label("Oui, jeune joint").check()
    page.get_by_role("button", name="Enregistrer").click()  # joined, but no situation
    assert_errors_tied(page, "appel de suivi")
    situation = page.get_by_label("Situation du jeune")
    assert situation.get_attribute("aria-invalid") == "true"
    assert "Indiquez la situation du jeune" in situation.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).innerText).join(' ')")

    page.goto(f"/dossiers/{data['building'].pk}/projet/")
    page.get_by_label("Période prévue : du").fill(today.isoformat())
    page.get_by_label("Au", exact=True).fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Enregistrer le projet").click()
    assert_errors_tied(page, "projet de mobilité")

    page.goto("/fiches/reunions/nouvelle/")
    page.locator("main form").get_by_role("button", name="Enregistrer").click()
    assert_errors_tied(page, "nouvelle réunion")

    page.goto("/rapports/departures/?year_from=1800")
    assert_errors_tied(page, "filtres du rapport")

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "responsable")
    page.goto("/dossiers/pieces-demandees/nouvelle/")
    page.get_by_label("Nom de la pièce").fill("Carte vitale")  # already in the default list
    page.locator("main form").get_by_role("button", name="Enregistrer").click()
    assert_errors_tied(page, "pièce demandée en double")
    assert page.get_by_label("Nom de la pièce").input_value() == "Carte vitale"
    assert not page.js_errors, page.js_errors


# The focused element's ring and what touches it, computed in the browser: the outline's colour against the
# white halo its box-shadow paints under and beyond it (the halo must reach past the outline), or, without a
# halo, against the first opaque background behind the element. WCAG 1.4.11 asks 3:1.
FOCUS_STYLE = """() => {
    const el = document.activeElement, s = getComputedStyle(el);
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = c => { const [r, g, b] = rgb(c).map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
    const behind = node => { for (let n = node.parentElement; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor; const v = rgb(c);
        if (v.length === 3 || (v.length === 4 && v[3] > 0.9)) return c; } return 'rgb(255, 255, 255)'; };
    const width = parseFloat(s.outlineWidth) || 0, offset = parseFloat(s.outlineOffset) || 0;
    const shadow = s.boxShadow.match(/^(rgba?\\([^)]*\\))\\s+0px\\s+0px\\s+0px\\s+([\\d.]+)px/);
    const halo = shadow && parseFloat(shadow[2]) > offset + width ? shadow[1] : null;
    const against = halo || behind(el);
    return {tag: el.tagName, text: (el.innerText || el.name || '').trim().slice(0, 40),
            visible: s.outlineStyle !== 'none' && width >= 2,
            contrast: s.outlineStyle === 'none' ? 0 : Math.round(ratio(s.outlineColor, against) * 100) / 100}; }"""


def walk_focus(page, steps):
    page.locator("body").focus()
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_STYLE))
    return seen


def test_focus_is_visible_on_links_buttons_and_fields(page, data):
    login(page, "mobilite")
    page.goto("/dossiers/")
    seen = walk_focus(page, 25)  # skip link, menu (dark bar), search form, table links, invite bar
    assert seen[0]["text"] == "Aller au contenu"  # the skip link comes first
    invisible = [f for f in seen if not f["visible"]]
    assert not invisible, invisible
    assert {f["tag"] for f in seen} >= {"A", "INPUT", "SELECT", "BUTTON"}
    faint = [f for f in seen if f["contrast"] < 3]
    assert not faint, faint

    # A refused fiche: the red error summary's links, then the fields (radio buttons, selects, text).
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "conseiller")
    page.goto("/fiches/nouvelle/")
    page.get_by_role("button", name="Envoyer la fiche à la plateforme").click()
    seen = walk_focus(page, 40)
    faint = [f for f in seen if not f["visible"] or f["contrast"] < 3]
    assert not faint, faint
    assert {f["tag"] for f in seen} >= {"A", "INPUT", "SELECT"}


def test_counsellor_dossier_page_fits_a_375_pixel_screen(browser, live_server, data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True,
                                  locale="fr-FR")
    page = context.new_page()
    try:
        login(page, "conseiller")
        ARTIFACTS.mkdir(exist_ok=True)
        for name, path in [("dossier", f"/dossiers/{data['followed'].pk}/"),
                           ("pieces", f"/dossiers/{data['building'].pk}/pieces/")]:
            page.goto(path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / f"mobile-counsellor-{name}.png"), full_page=True)
            assert width <= 375, f"{path} is {width}px wide on a 375px screen"
            assert axe_violations(page) == [], path
        assert Path(ARTIFACTS / "mobile-counsellor-dossier.png").stat().st_size > 0
    finally:
        context.close()
