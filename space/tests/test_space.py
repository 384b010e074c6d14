"""The space itself, through its pages: only the young person's own dossiers (another id is a 404), the
to-do list computed from the data, pieces sent and sent again, meeting answers, the contract accepted
online with its version, time, IP address and browser."""
import datetime
import html as html_module
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from departures.models import CoPayment
from dossiers.enums import DocumentStatus
from dossiers.models import Document
from dossiers.services import checklist_types, review_document
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF, minimal_docx
from referrals.meeting_enums import Attendance
from space.models import Answer, ContractAcceptance, InvitationAnswer
from space.services import account_for
from space.tests.factories import contract_for, invitation_for, signed_in_client, youth_with_dossier

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def text(response):
    return html_module.unescape(response.content.decode())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lea(users, media):
    youth, dossier = youth_with_dossier(State.FILE_BUILDING, users["admin"])
    return youth, dossier


@pytest.fixture
def other(users, media):
    return youth_with_dossier(State.ACCEPTED, users["admin"], email="sami@exemple.fr")


def first_piece(dossier):
    return checklist_types(dossier.scheme).filter(required=True).first()


def test_the_space_shows_only_the_young_persons_own_dossiers(client, lea, other):
    youth, dossier = lea
    other_youth, other_dossier = other
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Bonjour Léa" in home and reverse("space:dossier", args=[dossier.pk]) in home
    assert reverse("space:dossier", args=[other_dossier.pk]) not in home
    assert client.get(reverse("space:dossier", args=[dossier.pk])).status_code == 200
    for name in ("space:dossier", "space:pieces", "space:contract"):
        assert client.get(reverse(name, args=[other_dossier.pk])).status_code == 404, name
    contract = contract_for(other_dossier, None)
    assert client.get(reverse("space:contract_pdf", args=[other_dossier.pk, contract.version])).status_code == 404
    invitation = invitation_for(other_dossier, None)
    assert client.get(reverse("space:meeting", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("space:meeting", args=[invitation.pk]), {"answer": Answer.CONFIRMED}).status_code == 404
    assert not InvitationAnswer.objects.exists()
    piece = first_piece(other_dossier)
    response = client.post(reverse("space:piece_upload", args=[other_dossier.pk, piece.pk]),
                           {f"piece{piece.pk}-file": SimpleUploadedFile("a.pdf", MINIMAL_PDF)})
    assert response.status_code == 404 and not Document.objects.filter(dossier=other_dossier).exists()


def test_staff_and_administrators_are_refused_the_space(client, client_for, lea):
    for role in ("reception", "counsellor", "admin"):
        assert client_for(role).get(reverse("space:home")).status_code == 403, role


def test_a_youth_is_refused_staff_pages(client, lea):
    youth, dossier = lea
    signed_in_client(client, youth)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 403
    assert client.get(reverse("dossiers:inbox")).status_code == 403
    assert client.get(reverse("referrals:my_youths")).status_code == 403


def test_the_todo_list_asks_for_each_missing_piece(client, lea):
    youth, dossier = lea
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Ce qu'il me reste à faire" in home
    for piece in checklist_types(dossier.scheme).filter(required=True):
        assert f"Envoyer la pièce « {piece.name} »" in home


def test_an_uploaded_piece_lands_received_for_staff_to_check(client, lea):
    youth, dossier = lea
    piece = first_piece(dossier)
    signed_in_client(client, youth)
    response = client.post(reverse("space:piece_upload", args=[dossier.pk, piece.pk]),
                           {f"piece{piece.pk}-file": SimpleUploadedFile("photo.png", PNG)}, follow=True)
    assert "est bien reçue" in text(response)
    document = Document.objects.get(dossier=dossier, document_type=piece)
    assert document.status == DocumentStatus.RECEIVED
    assert document.uploaded_by == account_for(youth).user
    assert "Reçue, en cours de vérification" in text(client.get(reverse("space:pieces", args=[dossier.pk])))
    assert f"Envoyer la pièce « {piece.name} »" not in text(client.get(reverse("space:home")))


def test_a_wrong_file_is_refused_with_the_error_tied_to_the_field(client, lea):
    youth, dossier = lea
    piece = first_piece(dossier)
    signed_in_client(client, youth)
    url = reverse("space:piece_upload", args=[dossier.pk, piece.pk])
    for name, content, words in [("photo.png", MINIMAL_PDF, "porte l'extension"),
                                 ("lettre.docx", minimal_docx(), "les fichiers Word ne sont pas acceptés"),
                                 ("script.html", b"<script>alert(1)</script>", "extension acceptée")]:
        response = client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400, name
        page = text(response)
        assert words in page, name
        assert f'id="id_piece{piece.pk}-file-erreur"' in page and 'aria-invalid="true"' in page
    assert not Document.objects.filter(dossier=dossier).exists()


def test_a_refused_piece_shows_its_reason_and_can_be_sent_again(client, users, lea):
    youth, dossier = lea
    piece = first_piece(dossier)
    signed_in_client(client, youth)
    url = reverse("space:piece_upload", args=[dossier.pk, piece.pk])
    client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("photo.png", PNG)})
    document = Document.objects.get(dossier=dossier, document_type=piece)
    review_document(document, DocumentStatus.REJECTED, users["reception"], "Illisible — renvoyez une photo nette")
    home = text(client.get(reverse("space:home")))
    assert f"Renvoyer la pièce « {piece.name} »" in home and "Illisible — renvoyez une photo nette" in home
    pieces = text(client.get(reverse("space:pieces", args=[dossier.pk])))
    assert "Motif du refus :</strong> Illisible — renvoyez une photo nette" in pieces and "Renvoyer cette pièce" in pieces
    client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("photo-nette.pdf", MINIMAL_PDF)})
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED and document.rejection_reason == ""
    assert document.original_name == "photo-nette.pdf"


def test_a_validated_piece_cannot_be_replaced_from_the_space(client, users, lea):
    youth, dossier = lea
    piece = first_piece(dossier)
    signed_in_client(client, youth)
    url = reverse("space:piece_upload", args=[dossier.pk, piece.pk])
    client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("photo.png", PNG)})
    document = Document.objects.get(dossier=dossier, document_type=piece)
    review_document(document, DocumentStatus.VALIDATED, users["reception"])
    response = client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("autre.pdf", MINIMAL_PDF)})
    assert response.status_code == 400 and "ne peut plus être changée" in text(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALIDATED and document.original_name == "photo.png"


def test_confirming_a_meeting_is_stored_and_leaves_the_todo_list(client, users, lea):
    youth, dossier = lea
    invitation = invitation_for(dossier, users["reception"], title="Information collective de décembre")
    signed_in_client(client, youth)
    assert "Dire si vous venez : Information collective de décembre" in text(client.get(reverse("space:home")))
    response = client.post(reverse("space:meeting", args=[invitation.pk]), {"answer": Answer.CONFIRMED}, follow=True)
    assert "votre réponse est enregistrée" in text(response)
    answer = InvitationAnswer.objects.get(invitation=invitation)
    assert answer.answer == Answer.CONFIRMED and answer.reason == ""
    assert "Dire si vous venez" not in text(client.get(reverse("space:home")))
    invitation.refresh_from_db()
    assert invitation.status == Attendance.INVITED  # staff still record who came


def test_declining_asks_a_reason(client, users, lea):
    youth, dossier = lea
    invitation = invitation_for(dossier, users["reception"])
    signed_in_client(client, youth)
    url = reverse("space:meeting", args=[invitation.pk])
    response = client.post(url, {"answer": Answer.DECLINED, "reason": "  "})
    assert response.status_code == 400
    page = text(response)
    assert "pourquoi vous ne pourrez pas venir" in page and 'id="id_reason-erreur"' in page
    assert not InvitationAnswer.objects.exists()
    client.post(url, {"answer": Answer.DECLINED, "reason": "Entretien d'embauche ce jour-là"})
    answer = InvitationAnswer.objects.get(invitation=invitation)
    assert answer.answer == Answer.DECLINED and answer.reason == "Entretien d'embauche ce jour-là"
    # Changing one's mind replaces the answer.
    client.post(url, {"answer": Answer.CONFIRMED, "reason": "ignoré"})
    answer.refresh_from_db()
    assert answer.answer == Answer.CONFIRMED and answer.reason == ""


def test_staff_see_the_answer_on_the_attendance_sheet(client, users, lea):
    from conftest import log_in

    youth, dossier = lea
    invitation = invitation_for(dossier, users["reception"])
    signed_in_client(client, youth)
    client.post(reverse("space:meeting", args=[invitation.pk]),
                {"answer": Answer.DECLINED, "reason": "Entretien d'embauche ce jour-là"})
    client.logout()
    log_in(client, users["reception"])
    sheet = text(client.get(reverse("referrals:meeting_detail", args=[invitation.meeting_id])))
    assert "Décliné par le jeune : Entretien d'embauche ce jour-là" in sheet


def test_a_past_meeting_cannot_be_answered(client, users, lea):
    youth, dossier = lea
    invitation = invitation_for(dossier, users["reception"], days=-1)
    signed_in_client(client, youth)
    response = client.post(reverse("space:meeting", args=[invitation.pk]), {"answer": Answer.CONFIRMED})
    assert response.status_code == 400 and "Ce rendez-vous est passé" in text(response)
    assert not InvitationAnswer.objects.exists()


def test_the_contract_is_accepted_online_with_version_time_ip_and_browser(client, users, other):
    youth, dossier = other
    contract = contract_for(dossier, users["reception"])
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Lire et accepter votre contrat d'engagement (version 1)" in home
    page = text(client.get(reverse("space:contract", args=[dossier.pk])))
    assert "J'ai lu le contrat version 1 et je l'accepte" in page
    pdf = client.get(reverse("space:contract_pdf", args=[dossier.pk, 1]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Not ticked: nothing recorded, the error is on the checkbox.
    response = client.post(reverse("space:contract", args=[dossier.pk]), {})
    assert response.status_code == 400 and "Cochez la case" in text(response)
    assert not ContractAcceptance.objects.exists()
    response = client.post(reverse("space:contract", args=[dossier.pk]), {"accept": "on"},
                           REMOTE_ADDR="203.0.113.42", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    assert response.status_code == 302
    acceptance = ContractAcceptance.objects.get(contract=contract)
    assert acceptance.version == 1 and acceptance.ip_address == "203.0.113.42"
    assert acceptance.user_agent == "Mozilla/5.0 (Linux; Android 14) Mobile"
    assert acceptance.user == account_for(youth).user and acceptance.text == "J'ai lu le contrat version 1 et je l'accepte"
    assert "Lire et accepter votre contrat" not in text(client.get(reverse("space:home")))
    # The copy kept: the contract's pages, then the acceptance page.
    kept = client.get(reverse("space:contract_pdf", args=[dossier.pk, 1]))
    assert kept.status_code == 200 and "contrat-v1-accepte.pdf" in kept["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(kept.streaming_content)))
    assert len(reader.pages) == 2 + 1
    last = reader.pages[-1].extract_text()
    assert "J'ai lu le contrat version 1 et je l'accepte" in last and "203.0.113.42" in last
    assert "Android 14" in last
    # Sent twice: one acceptance.
    client.post(reverse("space:contract", args=[dossier.pk]), {"accept": "on"})
    assert ContractAcceptance.objects.count() == 1
    # A new version needs a new acceptance.
    contract_for(dossier, users["reception"], version=2)
    home = text(client.get(reverse("space:home")))
    assert "Lire et accepter votre contrat d'engagement (version 2)" in home
    assert "J'ai lu le contrat version 2 et je l'accepte" in text(client.get(reverse("space:contract", args=[dossier.pk])))
    client.post(reverse("space:contract", args=[dossier.pk]), {"accept": "on"})
    assert list(ContractAcceptance.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_an_unreadable_contract_file_still_records_the_acceptance(client, users, other):
    youth, dossier = other
    contract = contract_for(dossier, users["reception"], content=MINIMAL_PDF)
    signed_in_client(client, youth)
    client.post(reverse("space:contract", args=[dossier.pk]), {"accept": "on"})
    acceptance = ContractAcceptance.objects.get(contract=contract)
    assert not acceptance.pdf
    download = client.get(reverse("space:contract_pdf", args=[dossier.pk, 1]))
    assert download.status_code == 200 and "contrat-v1.pdf" in download["Content-Disposition"]


def test_the_copayment_still_owed_is_in_the_todo_list(client, users, other):
    youth, dossier = other
    CoPayment.objects.create(dossier=dossier, amount_due=Decimal("80"))
    signed_in_client(client, youth)
    assert "il reste 80,00 € à payer" in text(client.get(reverse("space:home")))
    dossier.copayment.waived = True
    dossier.copayment.save()
    assert "à payer" not in text(client.get(reverse("space:home")))


def test_the_activity_report_is_asked_on_return(client, users, media):
    from departures.tests.factories import StayFactory

    youth, dossier = youth_with_dossier(State.RETURNED, users["admin"])
    StayFactory(dossier=dossier, return_date=datetime.date.today())
    signed_in_client(client, youth)
    assert "Préparer votre rapport d'activité" in text(client.get(reverse("space:home")))


def heic_photo():
    import io

    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (40, 90, 160)).save(buffer, format="HEIF")
    return buffer.getvalue()


def test_a_heic_phone_photo_is_turned_into_a_pdf(client, lea):
    youth, dossier = lea
    piece = first_piece(dossier)
    signed_in_client(client, youth)
    url = reverse("space:piece_upload", args=[dossier.pk, piece.pk])
    response = client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("IMG_0042.HEIC", heic_photo())})
    assert response.status_code == 302
    document = Document.objects.get(dossier=dossier, document_type=piece)
    assert document.status == DocumentStatus.RECEIVED and document.original_name == "IMG_0042.pdf"
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    broken = client.post(url, {f"piece{piece.pk}-file": SimpleUploadedFile("IMG_0043.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40)})
    assert broken.status_code == 400 and "Cette photo HEIC n'a pas pu être lue" in text(broken)


def test_a_dossier_page_lists_what_is_left_for_that_dossier_only(client, users, lea):
    from dossiers.tests.factories import dossier_in_state

    youth, building = lea
    accepted = dossier_in_state(State.ACCEPTED, users["admin"], youth=youth)
    contract_for(accepted, users["reception"])
    signed_in_client(client, youth)
    home = text(client.get(reverse("space:home")))
    assert "Lire et accepter votre contrat" in home and "Envoyer la pièce" in home
    page = text(client.get(reverse("space:dossier", args=[building.pk])))
    assert "Envoyer la pièce" in page and "Lire et accepter votre contrat" not in page
    page = text(client.get(reverse("space:dossier", args=[accepted.pk])))
    assert "Lire et accepter votre contrat" in page and "Envoyer la pièce" not in page
