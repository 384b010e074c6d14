"""Journey: a young person, on a phone (375 px), asks for a sign-in link, enters their space by it,
confirms a meeting, sends a piece from the to-do list, sees it refused with the reason and sends it
again, sees « Dossier complet », accepts their contract online once accepted by the commission, and
answers the follow-up question « Où en êtes-vous ? » after the stay. Staff review the pieces through
their own view (the test client); the referring counsellor follows each step in « Mes jeunes » in a
second browser. axe-core on every page of the way."""
import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import log_in
from departures.tests.factories import StayFactory
from dossiers.enums import DocumentStatus
from dossiers.models import Document
from dossiers.tests.factories import validate_all_pieces
from dossiers.transitions import apply_transition
from dossiers.workflow import State, path_to
from followup.enums import CallSource
from followup.models import FollowUpCall
from followup.tests.factories import FollowUpCallFactory
from space.models import Answer, ContractAcceptance, InvitationAnswer
from space.tests.factories import contract_for, invitation_for, last_link, youth_with_dossier

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


REFUSAL = "Illisible — renvoyez une photo nette"


def counsellor_row(page, dossier):
    """The young person's row of « Mes jeunes », as the referring counsellor sees it now."""
    page.goto("/fiches/mes-jeunes/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=str(dossier.youth)))
    dossier.refresh_from_db()
    assert dossier.get_state_display() in row.inner_text()
    return row.inner_text()


def test_a_young_person_signs_in_by_link_and_does_what_is_left(page, browser, live_server, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = users["admin"]
    youth, dossier = youth_with_dossier(State.FILE_BUILDING, admin, structure=users["counsellor"].structure,
                                        referring_counsellor=users["counsellor"])
    # A long journey with two PDFs made on the way (the acceptance page, the export): room for a loaded machine.
    page.set_default_timeout(30_000)
    staff = log_in(Client(), users["reception"])
    # The referring counsellor, in a browser of their own.
    counsellor_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    counsellor_context.set_default_timeout(30_000)
    counsellor = counsellor_context.new_page()
    login(counsellor, "conseiller")
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
    document = Document.objects.get(dossier=dossier, document_type__name=piece_name)
    assert document.status == DocumentStatus.RECEIVED
    assert "1 à vérifier" in counsellor_row(counsellor, dossier)
    assert_accessible(counsellor)

    # Staff refuse it with a reason; the young person reads it in the to-do list and sends it again.
    type_pk = document.document_type_id
    review = reverse("dossiers:document_review", args=[dossier.pk, document.pk])
    assert staff.post(review, {f"verif{type_pk}-status": "refuse", f"verif{type_pk}-reason": REFUSAL}).status_code == 302
    assert "1 refusée" in counsellor_row(counsellor, dossier)
    page.goto("/espace/")
    again = page.get_by_role("link", name=f"Renvoyer la pièce « {piece_name} »")
    assert again.locator("xpath=ancestor::li").get_by_text(REFUSAL).is_visible()
    assert_accessible(page)
    again.click()
    assert page.locator(f"#piece-{type_pk}").get_by_text(REFUSAL).is_visible()
    assert_accessible(page)
    page.get_by_label(f"Fichier « {piece_name} »").set_input_files(
        {"name": "photo-nette.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="Renvoyer cette pièce").click()
    assert page.get_by_role("status").filter(has_text="est bien reçue").is_visible()
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED and document.original_name == "photo-nette.png"

    # Staff validate it, and every other piece: the file is complete.
    assert staff.post(review, {f"verif{type_pk}-status": "valide"}).status_code == 302
    validate_all_pieces(dossier, admin)
    page.goto(f"/espace/dossier/{dossier.pk}/")
    assert page.get_by_role("status").filter(has_text="Dossier complet").is_visible()
    assert_accessible(page)
    assert "Dossier complet" in counsellor_row(counsellor, dossier)

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
    assert "Contrat v1 accepté en ligne" in counsellor_row(counsellor, dossier)

    # After the stay: the first month's question of the follow-up, answered from the space.
    dossier.refresh_from_db()
    for step in path_to(State.FOLLOW_UP, start=State(dossier.state)):
        apply_transition(dossier, step, admin)
    StayFactory(dossier=dossier, return_date=datetime.date.today() - datetime.timedelta(days=31))
    call = FollowUpCallFactory(dossier=dossier, month=1, due_date=datetime.date.today())
    page.goto("/espace/")
    page.get_by_role("link", name=re.compile(r"Répondre à la question « Où en êtes-vous \? »")).click()
    assert_accessible(page)
    page.get_by_label("Quelle est votre situation aujourd'hui ?").select_option(label="En emploi — CDI")
    page.get_by_label("Employeur, entreprise ou organisme de formation (facultatif)").fill("Boulangerie du Rhône")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_url(re.compile(r"/espace/$"))
    assert page.get_by_role("status").filter(has_text="Votre réponse est transmise").is_visible()
    assert_accessible(page)
    call = FollowUpCall.objects.get(pk=call.pk)
    assert call.done_at and call.source == CallSource.YOUTH and call.employer == "Boulangerie du Rhône"
    assert "Suivi : a répondu (mois 1)" in counsellor_row(counsellor, dossier)

    # Their data: the download is offered; a rectification request is sent and listed with its status.
    page.get_by_role("link", name="Télécharger mes données ou demander une correction").click()
    assert page.get_by_role("link", name="Télécharger mes données (PDF)").is_visible()
    assert_accessible(page)
    page.get_by_label("Qu'est-ce qui est inexact ?").fill("Mon numéro de téléphone a changé")
    page.get_by_label("Que faudrait-il écrire à la place ?").fill("06 11 22 33 44")
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_role("status").filter(has_text="votre demande est envoyée").is_visible()
    assert page.get_by_text("Envoyée, à traiter").is_visible()
    assert_accessible(page)
    assert not page.js_errors
    counsellor_context.close()
