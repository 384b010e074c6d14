"""Uploads: type read from the content, size limit, safe names, files served only through access checks."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers.enums import DocumentStatus
from dossiers.tests.factories import DossierFactory
from dossiers.models import Document, DocumentType
from ipm.uploads import MINIMAL_PDF, minimal_docx, safe_filename, uploaded_file_for_tests, validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\0" * 64


@pytest.mark.parametrize("name,content,kind", [
    ("attestation.pdf", MINIMAL_PDF, "pdf"),
    ("carte.PNG", PNG, "png"),
    ("photo.jpeg", JPEG, "jpg"),
    ("photo.jpg", JPEG, "jpg"),
    ("lettre.docx", minimal_docx(), "docx"),
])
def test_accepted_files(name, content, kind):
    assert validate_upload(uploaded_file_for_tests(name, content)) == kind


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,expected", [
    ("cv.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page web"),
    ("photo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "SVG"),
    ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "script"),
    ("lettre.docx", _zip(["a.txt"]), "archives"),
    ("macro.docx", _zip(["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"]), "macros"),
    ("scan.pdf", PNG, "renommez-le"),
    ("carte.jpg", MINIMAL_PDF, "renommez-le"),
    ("page.html", b"<html></html>", "extension"),
    ("image.svg", b"<svg/>", "extension"),
    ("archive.zip", _zip(["a.txt"]), "extension"),
    ("sans-extension", MINIMAL_PDF, "extension"),
    ("abime.pdf", b"pas un pdf du tout", "renommé ou abîmé"),
    ("vide.pdf", b"", "vide"),
])
def test_refused_files(name, content, expected):
    with pytest.raises(ValidationError) as error:
        validate_upload(uploaded_file_for_tests(name, content))
    assert expected in " ".join(error.value.messages)


def test_size_limit(settings):
    settings.IPM_UPLOAD_MAX_BYTES = 1000
    big = MINIMAL_PDF + b"%" + b"0" * 2000
    with pytest.raises(ValidationError) as error:
        validate_upload(uploaded_file_for_tests("gros.pdf", big))
    assert "trop volumineux" in error.value.messages[0]


def test_safe_filename():
    assert safe_filename("../../etc/Été été/CV français?.PDF") == "CV-francais.pdf"
    assert safe_filename("<script>.pdf") == "script.pdf"
    assert safe_filename("...") == "fichier"


# --- Through the screens ------------------------------------------------------------------------------


@pytest.fixture
def dossier(structure, users):
    return DossierFactory(structure=structure, referring_counsellor=users["counsellor"])


def piece():
    return DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()


def upload(client, dossier, name, content):
    kind = piece()
    return client.post(
        reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]),
        {f"piece{kind.pk}-file": uploaded_file_for_tests(name, content)},
    )


def test_renamed_html_file_is_refused_on_upload(client_for, dossier):
    response = upload(client_for("assistant"), dossier, "attestation.pdf", b"<html><body>pas un pdf</body></html>")
    assert response.status_code == 400
    assert "page web" in response.content.decode()
    assert not Document.objects.exists()


def test_oversized_file_is_refused_on_upload(client_for, dossier, settings):
    settings.IPM_UPLOAD_MAX_BYTES = 2048
    response = upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF + b"0" * 4096)
    assert response.status_code == 400
    assert "trop volumineux" in response.content.decode()
    assert not Document.objects.exists()


def test_valid_pdf_stored_outside_static_with_safe_name(client_for, dossier, media_in_tmp):
    response = upload(client_for("assistant"), dossier, "Attestation été 2026.pdf", MINIMAL_PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.status == DocumentStatus.RECEIVED
    assert document.original_name == "Attestation été 2026.pdf"
    assert document.file.name.startswith("dossiers/") and document.file.name.endswith("_Attestation-ete-2026.pdf")
    assert (media_in_tmp / document.file.name).read_bytes() == MINIMAL_PDF


@pytest.mark.parametrize("role,status", [
    ("reception", 200), ("mobility", 200), ("assistant", 200), ("admin", 200),
    ("counsellor", 403), ("manager", 403), ("other_counsellor", 404),
])
def test_pdf_served_only_to_platform_staff(client_for, dossier, role, status):
    upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF)
    document = Document.objects.get()
    response = client_for(role).get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_document_of_another_dossier_requested_by_url_is_404(client_for, dossier, other_structure, users):
    upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF)
    document = Document.objects.get()
    other = DossierFactory(structure=other_structure)
    client = client_for("assistant")
    # The document id with another dossier's id in the URL.
    assert client.get(reverse("dossiers:document_download", args=[other.pk, document.pk])).status_code == 404
    assert client.get(reverse("dossiers:document_download", args=[dossier.pk, document.pk + 999])).status_code == 404


def test_document_of_another_structure_is_404_for_a_counsellor(client_for, dossier):
    upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF)
    # The counsellor of the other structure does not even see that the dossier exists.
    response = client_for("other_counsellor").get(reverse("dossiers:documents", args=[dossier.pk]))
    assert response.status_code == 404
    # The counsellor of the dossier's own structure sees the checklist, not the file link.
    page = client_for("counsellor").get(reverse("dossiers:documents", args=[dossier.pk]))
    assert page.status_code == 200
    assert "attestation.pdf" in page.content.decode()
    assert reverse("dossiers:document_download", args=[dossier.pk, Document.objects.get().pk]) not in page.content.decode()


def test_each_download_of_a_piece_is_logged(client_for, users, dossier):
    from dossiers.models import SensitiveAccess

    health = DocumentType.objects.get(scheme__isnull=True, name="Fiche sanitaire")
    client = client_for("assistant")
    client.post(reverse("dossiers:document_upload", args=[dossier.pk, health.pk]),
                {f"piece{health.pk}-file": uploaded_file_for_tests("piece.pdf", MINIMAL_PDF)})
    document = Document.objects.get(dossier=dossier)
    assert client.get(reverse("dossiers:document_download", args=[dossier.pk, document.pk])).status_code == 200
    entry = SensitiveAccess.objects.get(dossier=dossier)
    assert (entry.user, entry.action) == (users["assistant"], SensitiveAccess.DOWNLOAD)
    assert "Fiche sanitaire" in entry.item
    # Refused requests leave no trace of a download.
    client_for("counsellor").get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    assert SensitiveAccess.objects.filter(dossier=dossier).count() == 1
