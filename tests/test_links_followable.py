"""No link a role cannot follow (RGAA 12, and plain courtesy): for every role, every page it may open is
read, and every link of the application on it is followed as that role; none answers 403 (« vous n'avez
pas accès ») or 404. A page that cannot be used by a role must not be offered to it."""
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import log_in
from departures.models import Stay
from dossiers.models import Dossier
from departures.tests.factories import HostOrganisationFactory
from ipm.enums import Role
from space.services import account_for
from tests import test_access_matrix
from tests.test_access_matrix import GET, MATRIX, MORE_PAGES, ROLES, url_kwargs

pytestmark = pytest.mark.django_db

matrix_world = test_access_matrix.world  # the matrix's objects: one dossier per state and what hangs from them


@pytest.fixture
def world(matrix_world):
    """The matrix's world, its stays with a host organisation (the host's page is for platform staff)."""
    Stay.objects.update(host=HostOrganisationFactory(name="Hostal del Sol"))
    return matrix_world

HREF = re.compile(r"<a\b[^>]*\bhref=\"([^\"#][^\"]*)\"", re.I)
NOT_PAGES = ("/admin/", "/static/", "/comptes/logout/")


def links_on(html):
    """The application's own links of a page (no anchors, no external, static or admin addresses)."""
    found = set()
    for href in HREF.findall(html):
        href = unescape(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(NOT_PAGES):
            continue
        found.add(href.split("#")[0])
    return found


def broken_links(client, user, world):
    """(page, link, status) for every link a user's pages offer that answers 403 or 404 to that user."""
    client.logout()
    client.force_login(user) if user.role == Role.YOUTH else log_in(client, user)
    pages, links = {}, {}
    urls = [reverse(name, kwargs=url_kwargs(world, args)) for name, (method, args, _) in MATRIX.items() if method == GET]
    urls += [reverse(name, kwargs=kwargs) for name, kwargs, _ in MORE_PAGES]
    # The matrix opens one dossier page; each stage shows other panels and links: open every dossier's.
    urls += [reverse("dossiers:detail", args=[value.pk]) for value in vars(world).values() if isinstance(value, Dossier)]
    with transaction.atomic():
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                pages[url] = response.content.decode()
        for page, html in pages.items():
            for link in links_on(html):
                links.setdefault(link, page)
        broken = []
        for link, page in sorted(links.items()):
            status = client.get(link).status_code
            if status in (403, 404):
                broken.append((page, link, status))
        transaction.set_rollback(True)
    return broken, len(pages), len(links)


@pytest.mark.parametrize("role", [role for role in ROLES if role not in ("anonymous",)] + ["youth"])
def test_every_link_shown_to_a_role_opens_for_it(client, users, world, role):
    user = account_for(world.signed.youth).user if role == "youth" else users[role]
    broken, pages, links = broken_links(client, user, world)
    assert pages >= 3 and links >= 5, (pages, links)  # the role really saw pages with links
    assert not broken, "\n".join(f"{page} → {link}: {status}" for page, link, status in broken)
