"""axe-core on EVERY page of the application, for every role, and on the error state of every form.

The pages are those of the access matrix (tests/test_access_matrix.py: every URL pattern, with the
matrix's objects — one dossier per stage): each HTML page is opened in Chromium by each role that may open
it, plus every dossier's page for each role that reads dossiers (each stage shows other panels), and the
young person's own space. Then, on each page, each form with fields is sent with its fields emptied, and
the refused form is checked too (once per page: a form is the same for every role), and must be
announced (an alert, or the focus on its summary). Any serious or critical violation fails the test, with its page."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import log_in
from dossiers.models import Dossier
from ipm.enums import Role
from space.services import account_for
from tests import test_access_matrix
from tests.test_access_matrix import GET, MATRIX, MORE_PAGES, OK, ROLES, url_kwargs

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = test_access_matrix.world

# Pages left out of the sweep: the API's Swagger UI (/api/v1/docs/) is a third-party developers' tool, not a
# page of the platform's users; its own markup fails axe (contrast, nested buttons) and is not ours to
# change. tests/e2e/test_api_docs.py checks that it loads under the CSP and that our page around it passes.
NOT_SWEPT = {"api:docs"}

# Empty what a user types (text, numbers, dates, lists, choices) and send the form, the browser's own
# checks off, as someone who clicked « Enregistrer » too early would. Forms without any field (a single
# button that does something) and those asking for confirmation are left alone.
FORMS = """[...document.querySelectorAll('main form[method=post], main form[method=POST]')]
    .filter(f => !f.querySelector('[data-confirm]') && !f.hasAttribute('data-confirm') && !f.hasAttribute('hx-post'))
    .filter(f => [...f.elements].some(e => ['text', 'email', 'number', 'date', 'time', 'tel', 'textarea',
                                             'select-one', 'radio', 'file'].includes(e.type) && e.offsetParent !== null))"""
COUNT_FORMS = f"() => {FORMS}.length"
SEND_EMPTIED = f"""(index) => {{
    const form = {FORMS}[index];
    for (const e of form.elements) {{
        if (e.type === 'radio' || e.type === 'checkbox') e.checked = false;
        else if (e.tagName === 'SELECT') e.selectedIndex = -1;
        else if (!['hidden', 'submit', 'button'].includes(e.type)) e.value = '';
    }}
    form.noValidate = true;
    const button = form.querySelector('[type=submit]');
    setTimeout(() => button ? button.click() : form.requestSubmit(), 0);
}}"""


# A refused form is announced: an alert (role="alert", read out by screen readers when it appears) is on
# the page, or the focus is on the summary of what to fix.
ANNOUNCED = """() => !!document.querySelector('main [role=alert]')
    || !!(document.activeElement && document.activeElement.closest('[role=alert], [data-error-summary]'))"""


def sign_in(context, base_url, user):
    """The browser gets a session of ``user`` (second factor verified, as after the login page, which
    the journeys test)."""
    client = Client()
    log_in(client, user) if user.role != Role.YOUTH else client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.clear_cookies()
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])
    return client


def html_pages(client, urls):
    """Of ``urls``, those this client receives as an HTML page (downloads and redirects left out)."""
    keep = []
    for url in urls:
        response = client.get(url)
        if (response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
                and b"<html" in response.content[:500]):  # not a fragment for htmx (a progress bar)
            keep.append(url)
    return keep


def check(page, url, problems):
    violations = axe_violations(page)
    if violations:
        problems.setdefault(url, []).extend(violations)


def test_every_page_and_every_refused_form_of_every_role(page, live_server, users, world):
    youth = account_for(world.signed.youth).user
    dossier_pages = [reverse("dossiers:detail", args=[v.pk]) for v in vars(world).values() if isinstance(v, Dossier)]
    space_pages = [reverse("space:home"), reverse("space:preferences"), reverse("space:my_data")] + [
        reverse(name, args=[world.signed.pk]) for name in ("space:dossier", "space:pieces", "space:contract")]
    people = [(role, users[role]) for role in ROLES if role != "anonymous"] + [("youth", youth)]
    page.goto(live_server.url + "/comptes/login/")
    problems, seen, forms_sent, forms_done = {}, 0, 0, set()
    for role, user in people:
        index = ROLES.index(role) if role in ROLES else None
        urls = [reverse(name, kwargs=url_kwargs(world, args)) for name, (method, args, expected) in MATRIX.items()
                if method == GET and index is not None and expected[index] == OK and name not in NOT_SWEPT]
        urls += [reverse(name, kwargs=kwargs) for name, kwargs, expected in MORE_PAGES
                 if index is not None and expected[index] == OK]
        urls += space_pages if role == "youth" else dossier_pages
        client = sign_in(page.context, live_server.url, user)
        for url in html_pages(client, dict.fromkeys(urls)):
            page.goto(url)
            seen += 1
            check(page, f"{role} {url}", problems)
            if url in forms_done:  # a form is the same for every role: refused once is enough
                continue
            forms_done.add(url)
            for form_index in range(min(page.evaluate(COUNT_FORMS), 6)):  # each form, emptied and sent
                if form_index:
                    page.goto(url)
                with page.expect_navigation():
                    page.evaluate(SEND_EMPTIED, form_index)
                forms_sent += 1
                where = f"{role} {url} (formulaire {form_index + 1} envoyé vide)"
                check(page, where, problems)
                if page.locator("main [aria-invalid=true]").count() and not page.evaluate(ANNOUNCED):
                    problems.setdefault(where, []).append("refus non annoncé (ni alerte, ni focus sur le résumé)")
    assert seen > 300 and forms_sent > 40, (seen, forms_sent)
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())
