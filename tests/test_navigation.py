"""The main menu: each role sees the entries of the pages it may open, in the order of the wheel."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MENUS = {
    "counsellor": ["Mes jeunes", "Nouvelle fiche de liaison", "Réseau", "Rapports"],
    "reception": ["Dossiers", "À traiter", "Réunions", "Commissions", "Départs et séjours", "Suivi à six mois",
                  "Réseau", "Rapports"],
    "mobility": ["Dossiers", "À traiter", "Réunions", "Commissions", "Départs et séjours", "Suivi à six mois",
                 "Réseau", "Rapports"],
    "manager": ["Dossiers", "À traiter", "Réunions", "Commissions", "Départs et séjours", "Réseau", "Rapports", "Journal"],
    # The administrator holds every capability; sending a fiche for a structure is a button of « Dossiers ».
    "admin": ["Dossiers", "À traiter", "Réunions", "Commissions", "Départs et séjours", "Suivi à six mois",
              "Rapports", "Journal"],
}


def menu(page):
    """(label, url) of the main menu's links, in order."""
    html = page.content.decode()
    block = html[html.index('id="menu"'):]
    block = block[:block.index("</ul>")]
    return re.findall(r'<a class="nav-link" href="([^"]+)">([^<]+)</a>', block)


@pytest.mark.parametrize("role", MENUS)
def test_each_role_sees_its_menu_in_the_order_of_the_wheel_and_every_entry_opens(client_for, role):
    client = client_for(role)
    entries = menu(client.get(reverse("home"), follow=True))
    assert [label for _url, label in entries] == MENUS[role]
    for url, label in entries:
        assert client.get(url).status_code == 200, label


def test_the_administrator_sends_a_fiche_from_the_dossiers_page(client_for):
    page = client_for("admin").get(reverse("dossiers:inbox")).content.decode()
    assert f'href="{reverse("referrals:create")}">Nouvelle fiche de liaison</a>' in page
    assert 'Nouvelle fiche de liaison' not in client_for("reception").get(reverse("dossiers:inbox")).content.decode()
