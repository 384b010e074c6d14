"""The referring counsellor sends pieces for their own young people, through the staff upload path and its
content checks; only platform staff validate or refuse. Another structure's counsellor gets a 404."""
import pytest
from django.urls import reverse

from dossiers.enums import DocumentStatus
from dossiers.models import Document, DocumentType
from dossiers.tests.factories import DossierFactory
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def cv():
    return DocumentType.objects.get(name="CV en français", scheme__isnull=True)


def upload(client, dossier, document_type, name="cv.pdf", content=MINIMAL_PDF):
    return client.post(reverse("dossiers:document_upload", args=[dossier.pk, document_type.pk]),
                       {f"piece{document_type.pk}-file": uploaded_file_for_tests(name, content)})


def test_the_counsellor_uploads_a_piece_staff_then_review_it(client_for, users, structure, cv, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = DossierFactory(structure=structure, referring_counsellor=users["counsellor"])
    client = client_for("counsellor")
    page = client.get(reverse("dossiers:documents", args=[dossier.pk])).content.decode()
    assert "Vous pouvez déposer une pièce pour ce jeune" in page
    assert reverse("dossiers:document_upload", args=[dossier.pk, cv.pk]) in page
    assert "Vérifier" not in page  # the review column is staff's

    response = upload(client, dossier, cv)
    assert response.status_code == 302
    document = Document.objects.get(dossier=dossier, document_type=cv)
    assert document.status == DocumentStatus.RECEIVED and document.uploaded_by == users["counsellor"]
    assert "elle reste à vérifier" in client.get(response.url).content.decode()

    # The counsellor cannot validate it; staff can.
    review = reverse("dossiers:document_review", args=[dossier.pk, document.pk])
    assert client.post(review, {f"verif{cv.pk}-status": "valide"}).status_code == 403
    assert client_for("reception").post(review, {f"verif{cv.pk}-status": "valide"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALIDATED

    # A validated piece is not replaced by the counsellor (staff still can).
    client = client_for("counsellor")
    assert upload(client, dossier, cv, name="autre.pdf").status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALIDATED and document.original_name == "cv.pdf"
    assert upload(client_for("reception"), dossier, cv, name="autre.pdf").status_code == 302
    document.refresh_from_db()
    assert document.original_name == "autre.pdf" and document.status == DocumentStatus.RECEIVED


def test_the_same_content_checks_as_staff_uploads(client_for, users, structure, cv, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = DossierFactory(structure=structure)
    response = upload(client_for("counsellor"), dossier, cv, name="cv.pdf", content=b"<html><script>x</script>")
    assert response.status_code == 400
    assert not Document.objects.filter(dossier=dossier).exists()


def test_another_structures_counsellor_gets_a_404(client_for, users, structure, cv, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = DossierFactory(structure=structure)
    assert upload(client_for("other_counsellor"), dossier, cv).status_code == 404
    assert client_for("other_counsellor").get(reverse("dossiers:documents", args=[dossier.pk])).status_code == 404
    assert not Document.objects.exists()


def test_mes_jeunes_shows_the_pieces_of_each_young_person(client_for, users, structure, cv, settings, tmp_path):
    from dossiers.tests.factories import dossier_in_state
    from dossiers.workflow import State

    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"])
    client = client_for("counsellor")
    upload(client, dossier, cv)
    page = client.get(reverse("referrals:my_youths")).content.decode()
    assert "0 / 7 pièces validées" in page and "1 à vérifier" in page
    assert reverse("dossiers:documents", args=[dossier.pk]) in page
    document = Document.objects.get(dossier=dossier)
    client_for("reception").post(reverse("dossiers:document_review", args=[dossier.pk, document.pk]),
                                 {f"verif{cv.pk}-status": "refuse", f"verif{cv.pk}-reason": "Illisible"})
    assert "1 refusée" in client_for("counsellor").get(reverse("referrals:my_youths")).content.decode()
