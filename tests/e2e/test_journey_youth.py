"""Journey: a young person, on a phone (375 px), asks for a sign-in link, enters their space by it,
confirms a meeting, sends a piece from the to-do list and, once accepted by the commission, accepts
their contract online. axe-core on every page of the way."""
import re

import pytest

from dossiers.enums import DocumentStatus
from dossiers.models import Document
from dossiers.transitions import apply_transition
from dossiers.workflow import State
from space.models import Answer, ContractAcceptance, InvitationAnswer
from space.tests.factories import contract_for, invitation_for, last_link, youth_with_dossier

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_young_person_signs_in_by_link_and_does_what_is_left(page, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = users["admin"]
    youth, dossier = youth_with_dossier(State.FILE_BUILDING, admin)
    invitation = invitation_for(dossier, users["reception"], title="Préparation au départ")
    page.set_viewport_size({"width": 375, "height": 812})

    # Asking for the link.
    page.goto("/espace/connexion/")
    assert_accessible(page)
    page.get_by_label("Votre adresse e-mail ou votre numéro de téléphone").fill("lea.martin@exemple.fr")
    page.get_by_role("button", name="Recevoir mon lien").click()
    assert page.get_by_role("status").filter(has_text="Si cette adresse est connue").is_visible()
    assert_accessible(page)

    # The link of the email: one button, and the space.
    page.goto(last_link(youth))
    assert_accessible(page)
    page.get_by_role("button", name="Entrer dans mon espace").click()
    page.wait_for_url(re.compile(r"/espace/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Léa"
    assert_accessible(page)
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll)

    # Confirming the meeting.
    page.get_by_role("link", name=re.compile("Dire si vous venez : Préparation au départ")).click()
    assert_accessible(page)
    page.get_by_label("Je viendrai").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_url(re.compile(r"/espace/$"))
    assert page.get_by_role("status").filter(has_text="votre réponse est enregistrée").is_visible()
    assert InvitationAnswer.objects.get(invitation=invitation).answer == Answer.CONFIRMED

    # Sending a piece from the to-do list.
    first = page.get_by_role("link", name=re.compile("^Envoyer la pièce")).first
    piece_name = re.search(r"« (.+) »", first.inner_text()).group(1)
    first.click()
    assert_accessible(page)
    assert page.evaluate(no_sideways_scroll)
    page.get_by_label(f"Fichier « {piece_name} »").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_label(f"Fichier « {piece_name} »").locator("xpath=ancestor::form").get_by_role(
        "button", name="Envoyer cette pièce").click()
    assert page.get_by_role("status").filter(has_text="est bien reçue").is_visible()
    assert_accessible(page)
    assert Document.objects.get(dossier=dossier, document_type__name=piece_name).status == DocumentStatus.RECEIVED

    # The commission accepts; staff generate the contract; the young person accepts it online.
    apply_transition(dossier, State.IN_COMMISSION, admin)
    apply_transition(dossier, State.ACCEPTED, admin)
    contract = contract_for(dossier, users["reception"])
    page.goto("/espace/")
    page.get_by_role("link", name=re.compile(r"Lire et accepter votre contrat d'engagement \(version 1\)")).click()
    assert_accessible(page)
    page.get_by_label("J'ai lu le contrat version 1 et je l'accepte").check()
    page.get_by_role("button", name="Accepter le contrat").click()
    assert page.get_by_role("status").filter(has_text="vous avez accepté le contrat version 1").first.is_visible()
    assert_accessible(page)
    acceptance = ContractAcceptance.objects.get(contract=contract)
    assert acceptance.version == 1 and acceptance.ip_address == "127.0.0.1" and "Chrome" in acceptance.user_agent
    assert not page.js_errors
