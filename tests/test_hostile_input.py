"""Hostile conditions the ground handles without a server error: an upload on a disk that cannot take it
(read-only or missing media directory, disk full), ids and return addresses of the ground's pages.

How the failures are injected (the tests run as root, for whom a read-only mode does not block writes):
- « directory unusable »: MEDIA_ROOT lies under a regular file, so the operating system refuses to
  create it (NotADirectoryError) — a real failure of the real storage, whoever runs the tests;
- « disk full »: the file opened by Django's FileSystemStorage is replaced by one whose write fails with
  ENOSPC after the first bytes (injected at ``os.fdopen``, the call that storage uses) — the file is
  really created on disk, then left half-written as on a full disk.
"""
import errno
import io
import logging
import os
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from dossiers.models import Document, DocumentType, Youth
from dossiers.tests.factories import DossierFactory
from ipm.uploads import (
    MINIMAL_PDF, STORAGE_UNAVAILABLE_MESSAGE, GuardedFileSystemStorage, StorageUnavailable, save_upload,
    storage_guard, uploaded_file_for_tests,
)

pytestmark = pytest.mark.django_db

MESSAGE = ("Le dépôt du fichier a échoué : l'espace de stockage est indisponible. "
           "Réessayez plus tard ou prévenez l'administrateur.")


@pytest.fixture
def unusable_media(settings, tmp_path):
    """MEDIA_ROOT under a regular file: no directory can be created there."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class FullDisk(io.FileIO):
    """A real file on disk that takes the first 8 bytes written, then fails as a full disk does."""

    def write(self, data):
        room = max(0, 8 - self.tell())
        if room:
            super().write(data[:room])
        if len(data) > room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return len(data)


def full_disk():
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        if "b" in mode and "w" in mode:
            return FullDisk(fd, "w", closefd=True)
        return real_fdopen(fd, mode, *args, **kwargs)

    return mock.patch("django.core.files.storage.filesystem.os.fdopen", fdopen)


def test_the_message_is_the_french_one():
    assert STORAGE_UNAVAILABLE_MESSAGE == MESSAGE and str(StorageUnavailable()) == MESSAGE


def test_the_default_storage_is_the_guarded_one():
    assert isinstance(default_storage, GuardedFileSystemStorage)


def test_an_unusable_media_directory_gives_the_french_error(unusable_media, caplog):
    with caplog.at_level(logging.ERROR, logger="ipm.uploads"):
        with pytest.raises(StorageUnavailable) as error:
            default_storage.save("dossiers/piece.pdf", ContentFile(MINIMAL_PDF))
    assert str(error.value) == MESSAGE
    assert isinstance(error.value.__cause__, NotADirectoryError)
    assert "Storage write failed" in caplog.text  # the cause is in the log, for the administrator


def test_a_full_disk_gives_the_french_error_and_leaves_no_half_written_file(media_in_tmp):
    default_storage.save("dossiers/premier.pdf", ContentFile(MINIMAL_PDF))  # the directory exists
    with full_disk(), pytest.raises(StorageUnavailable) as error:
        default_storage.save("dossiers/piece.pdf", ContentFile(MINIMAL_PDF))
    assert error.value.__cause__.errno == errno.ENOSPC
    assert sorted(p.name for p in (media_in_tmp / "dossiers").iterdir()) == ["premier.pdf"]


def test_the_cleanup_never_removes_a_file_that_took_the_name_meanwhile(media_in_tmp):
    # Another upload took the name between the choice of the name and the write: Django's storage writes
    # under another free name, which is the one removed when the disk is full.
    default_storage.save("imports/export.csv", ContentFile(b"someone else's file"))
    with full_disk(), pytest.raises(StorageUnavailable):
        default_storage._save("imports/export.csv", ContentFile(b"a,b\n" * 100))
    assert [p.name for p in (media_in_tmp / "imports").iterdir()] == ["export.csv"]
    assert (media_in_tmp / "imports" / "export.csv").read_bytes() == b"someone else's file"


@pytest.fixture
def dossier(structure, users):
    return DossierFactory(structure=structure, referring_counsellor=users["counsellor"])


def piece():
    return DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()


def test_save_upload_rolls_back_and_raises_the_french_error(unusable_media, dossier):
    document = Document(dossier=dossier, document_type=piece(), original_name="piece.pdf", size=len(MINIMAL_PDF))
    document.file = ContentFile(MINIMAL_PDF, name="piece.pdf")
    with pytest.raises(StorageUnavailable):
        save_upload(document)
    assert not Document.objects.exists()


def test_storage_guard_rolls_back_the_writes_made_before_the_file(unusable_media, dossier):
    youth = dossier.youth
    with pytest.raises(StorageUnavailable):
        with storage_guard():
            Youth.objects.filter(pk=youth.pk).update(town="Changé avant le fichier")
            document = Document(dossier=dossier, document_type=piece(), original_name="piece.pdf", size=1)
            document.file = ContentFile(MINIMAL_PDF, name="piece.pdf")
            document.save()
    youth.refresh_from_db()
    assert youth.town != "Changé avant le fichier"


def test_storage_guard_turns_any_storage_oserror_into_the_french_error():
    with pytest.raises(StorageUnavailable) as error:
        with storage_guard():
            raise PermissionError(errno.EACCES, "Permission denied")  # another storage backend's failure
    assert str(error.value) == MESSAGE


def test_uploading_a_piece_on_an_unusable_disk_gives_a_french_page_not_a_server_error(client_for, dossier,
                                                                                       unusable_media):
    kind = piece()
    response = client_for("assistant").post(
        reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]),
        {f"piece{kind.pk}-file": uploaded_file_for_tests("attestation.pdf", MINIMAL_PDF)},
    )
    # The view handles the refusal: the pieces page again, with the message (the 503 page of the
    # middleware is for a view that does not).
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le dépôt du fichier a échoué : l&#x27;espace de stockage est indisponible" in page
    assert not Document.objects.exists()


def test_uploading_a_piece_on_a_full_disk_gives_a_french_page(client_for, dossier, media_in_tmp):
    kind = piece()
    client = client_for("assistant")
    with full_disk():
        response = client.post(
            reverse("dossiers:document_upload", args=[dossier.pk, kind.pk]),
            {f"piece{kind.pk}-file": uploaded_file_for_tests("attestation.pdf", MINIMAL_PDF)},
        )
    assert response.status_code == 400 and "Le dépôt du fichier a échoué" in response.content.decode()
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in media_in_tmp.rglob("*"))
