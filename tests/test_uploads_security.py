"""Uploads, through the screens: dangerous or disguised files are refused with a clear French message
and nothing is written (no row, no history, no file on disk); accepted files are stored under a
sanitised random name outside the static area, and no URL serves them except the access-checked views."""
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import get_resolver, reverse

from departures.models import Contract
from dossiers.tests.factories import dossier_in_state
from dossiers.models import Document, DocumentType
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF, minimal_docx, uploaded_file_for_tests

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
       b'<circle r="4"/></svg>')


def zip_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cv.pdf", MINIMAL_PDF)
        archive.writestr("virus.exe", b"MZ\x90\x00")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def dossier(users, structure):
    return dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                            referring_counsellor=users["counsellor"])


def piece():
    return DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()


def upload(client, dossier, name, content):
    kind = piece()
    return client.post(reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]),
                       {f"piece{kind.pk}-file": uploaded_file_for_tests(name, content)})


def files_on_disk(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


REFUSED = [
    ("html renamed pdf", "attestation.pdf", HTML, "page web"),
    ("svg with a script", "photo.png", SVG, "SVG"),
    ("svg by its name", "logo.svg", SVG, "extension acceptée"),
    ("content not matching the extension", "passeport.pdf", PNG, "mais son contenu est de type « image PNG »"),
    ("docx named jpg", "lettre.jpg", minimal_docx(), "renommez-le avec la bonne extension"),
    ("zip archive", "pieces.zip", zip_archive(), "extension acceptée"),
    ("zip renamed pdf", "pieces.pdf", zip_archive(), "archives"),
    ("executable renamed pdf", "facture.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "programmes"),
    ("empty file", "vide.pdf", b"", "vide"),
]


@pytest.mark.parametrize("label,name,content,message", REFUSED, ids=[r[0] for r in REFUSED])
def test_dangerous_or_disguised_file_is_refused_with_a_clear_message_and_nothing_written(
        client_for, dossier, media, label, name, content, message):
    history_before = Document.history.count()
    response = upload(client_for("assistant"), dossier, name, content)
    assert response.status_code == 400, label
    page = response.content.decode()
    assert "n&#x27;a pas été déposée" in page or "n'a pas été déposée" in page
    assert message.replace("'", "&#x27;") in page or message in page, page[page.find("alert"):][:600]
    assert not Document.objects.exists()
    assert Document.history.count() == history_before
    assert files_on_disk(media) == []


def test_oversized_file_is_refused_and_nothing_written(client_for, dossier, media, settings):
    settings.IPM_UPLOAD_MAX_BYTES = 4096
    response = upload(client_for("assistant"), dossier, "scan.pdf", MINIMAL_PDF + b"%" + b"0" * 8192)
    assert response.status_code == 400
    page = response.content.decode()
    assert "trop volumineux" in page and "taille maximale" in page
    assert not Document.objects.exists() and files_on_disk(media) == []


def test_signed_contract_scan_refuses_a_disguised_file_too(client_for, users, structure, media):
    signed = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure)
    from django.core.files.base import ContentFile

    contract = Contract.objects.create(dossier=signed, version=1, generated_by=users["admin"],
                                       pdf=ContentFile(MINIMAL_PDF, name="contrat.pdf"))
    on_disk = files_on_disk(media)
    response = client_for("assistant").post(
        reverse("departures:contract_scan_upload", args=[signed.pk, 1]),
        {"scan": uploaded_file_for_tests("contrat-signe.pdf", HTML)},
    )
    assert response.status_code == 200
    assert "page web" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.signed_scan
    assert files_on_disk(media) == on_disk


def test_stored_name_is_sanitised_and_random_the_original_kept_for_display(client_for, dossier, media):
    response = upload(client_for("assistant"), dossier, "../../etc/Pièce d'identité <b>été</b>;rm -rf.PDF", MINIMAL_PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    stored = document.file.name
    assert stored.startswith("dossiers/") and ".." not in stored and "<" not in stored and " " not in stored
    base = stored.rsplit("/", 1)[-1]
    random_part, _, safe = base.partition("_")
    assert len(random_part) == 32 and safe.endswith(".pdf")
    assert all(c.isascii() and (c.isalnum() or c in "-_.") for c in safe)
    # The file is inside the media directory, nowhere else.
    [path] = files_on_disk(media)
    assert path.resolve().is_relative_to(media.resolve())


def test_uploaded_files_are_never_reachable_by_a_static_or_media_url(client, client_for, dossier, media):
    upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF)
    stored = Document.objects.get().file.name
    prefixes = {django_settings.STATIC_URL, django_settings.MEDIA_URL, "/static/", "/media/", "/_media-non-servi/",
                "/uploads/", "/"}
    for role in (None, "admin"):
        web = client_for(role) if role else client
        if not role:
            web.logout()
        for prefix in prefixes:
            url = "/" + f"{prefix.strip('/')}/{stored}".lstrip("/")
            response = web.get(url)
            assert response.status_code in (302, 404), f"{url} answered {response.status_code}"
            if response.status_code == 302:
                assert reverse("login") in response.url
    # No URL pattern serves the media prefix, and the media directory is apart from the static files.
    routes = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any(route.startswith(django_settings.MEDIA_URL.strip("/")) for route in routes)
    static_dirs = [Path(d[1] if isinstance(d, tuple) else d).resolve() for d in django_settings.STATICFILES_DIRS]
    for directory in [*static_dirs, Path(django_settings.STATIC_ROOT).resolve()]:
        assert not media.resolve().is_relative_to(directory)


def test_download_goes_through_the_access_check_as_an_attachment_never_rendered(client_for, dossier):
    upload(client_for("assistant"), dossier, "attestation.pdf", MINIMAL_PDF)
    document = Document.objects.get()
    response = client_for("reception").get(reverse("dossiers:document_download", args=[dossier.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    # Another structure's counsellor: the dossier does not exist for them.
    assert client_for("other_counsellor").get(
        reverse("dossiers:document_download", args=[dossier.pk, document.pk])).status_code == 404
