"""Uploaded files, for every app: one validator, safe storage names, and protected serving.

Accepted: PDF, JPEG, PNG, DOCX, up to ``settings.IPM_UPLOAD_MAX_BYTES``. The type is read from the
file's content (``filetype`` + a look inside DOCX zips), never trusted from the name or the browser, and
must agree with the extension. Web pages, SVG, scripts, archives and anything else are refused with a
French message. Files are stored under ``MEDIA_ROOT`` (outside the static area; there is no MEDIA_URL)
and reach the browser only through a view that checked access, via ``serve_file``.

Usage in a model and a form::

    file = models.FileField(upload_to=upload_path("documents"), validators=[validate_upload])
    file = UploadField(label="Fichier")          # in a form: same checks, before the model's

and in a view, after fetching the owner through the access helpers (404 outside the user's scope)::

    return serve_file(document.file, document.original_name)

Storage failures (disk full, read-only or missing media directory): the default storage
(``GuardedFileSystemStorage``) raises ``StorageUnavailable`` with a French message instead of an
``OSError``, and removes a file left half-written. A view shows it next to the form::

    try:
        save_upload(form)                       # or: with storage_guard(): services.upload_document(...)
    except StorageUnavailable as exc:
        form.add_error("file", str(exc))

(the writes to the database made inside are rolled back). A view that does not catch it gets the French
page of ``ipm.middleware.StorageUnavailableMiddleware`` (status 503), never a server error.
"""
import io
import logging
import os
import re
import threading
import unicodedata
import uuid
import zipfile
from contextlib import contextmanager

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.dispatch import Signal
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Accepted kinds: extension(s) → (canonical extension, MIME type, label).
PDF = "pdf"
JPEG = "jpg"
PNG = "png"
DOCX = "docx"
KINDS = {
    PDF: ("application/pdf", "PDF"),
    JPEG: ("image/jpeg", "image JPEG"),
    PNG: ("image/png", "image PNG"),
    DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document Word (DOCX)"),
}
EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/jpeg,image/png," + KINDS[DOCX][0]
ACCEPTED_LABEL = "PDF, JPEG, PNG ou DOCX"

_MARKUP_RE = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<!--|<\w)", re.IGNORECASE)
_SCRIPT_RE = re.compile(rb"^(#!|\s*(function|var|let|const|import)\b)")


def max_bytes():
    return settings.IPM_UPLOAD_MAX_BYTES


def _read_head(uploaded, size=8192):
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def _is_docx(uploaded):
    """A DOCX is a zip holding ``[Content_Types].xml`` and ``word/document.xml``, and no macros."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and "word/document.xml" in names and not has_macros


def _has_macros(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)


def detect_kind(uploaded):
    """The accepted kind read from the content (``pdf``, ``jpg``, ``png``, ``docx``) or None."""
    head = _read_head(uploaded)
    if head.startswith(b"%PDF-"):
        return PDF
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.extension == "jpg":
        return JPEG
    if guess.extension == "png":
        return PNG
    if guess.extension in ("zip", "docx") and _is_docx(uploaded):
        return DOCX
    return None


def _refusal_for_unknown(head, extension):
    if _MARKUP_RE.match(head) or _SCRIPT_RE.match(head):
        return (
            "Ce fichier est une page web, une image SVG ou un script (son contenu ne correspond pas à son "
            f"nom « .{extension} ») : ce type de fichier est refusé. Déposez un fichier {ACCEPTED_LABEL}."
        )
    guess = filetype.guess(head)
    if guess is not None and guess.mime.startswith("application/") and guess.extension in (
        "zip", "rar", "7z", "gz", "tar", "bz2", "xz", "cab", "exe", "elf", "docm", "xlsx", "xls", "doc", "pptx",
        "odt", "ods", "epub",
    ):
        return (
            f"Les archives, programmes et documents de type « {guess.extension} » sont refusés. "
            f"Déposez un fichier {ACCEPTED_LABEL}."
        )
    if guess is not None:
        return f"Le format « {guess.extension} » n'est pas accepté. Déposez un fichier {ACCEPTED_LABEL}."
    return (
        f"Le contenu de ce fichier n'est pas un {ACCEPTED_LABEL} valide (fichier renommé ou abîmé ?). "
        "Enregistrez-le de nouveau au bon format puis déposez-le."
    )


def validate_upload(uploaded):
    """Raise ``ValidationError`` (French message) unless ``uploaded`` is an accepted file whose content
    matches its extension and whose size is within the limit. Returns the detected kind."""
    if uploaded is None:
        return None
    # A file already stored (re-validating a saved model) was checked when it was uploaded.
    if getattr(uploaded, "_committed", False) and not hasattr(uploaded, "content_type"):
        return None
    name = os.path.basename(getattr(uploaded, "name", "") or "")
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(0)
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > max_bytes():
        raise ValidationError(
            f"Le fichier est trop volumineux ({filesizeformat(size)}) : la taille maximale est "
            f"{filesizeformat(max_bytes())}. Réduisez-le (par ex. scan en noir et blanc ou PDF compressé).",
            code="too_large",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ValidationError(
            f"Le fichier « {name} » n'a pas une extension acceptée : déposez un fichier {ACCEPTED_LABEL} "
            "(.pdf, .jpg, .jpeg, .png ou .docx).",
            code="extension",
        )
    kind = detect_kind(uploaded)
    if kind is None and _has_macros(uploaded):
        raise ValidationError(
            "Ce document contient des macros : il est refusé. Enregistrez-le au format .docx (sans macros) "
            "ou en PDF, puis déposez-le.",
            code="macros",
        )
    if kind is None:
        raise ValidationError(_refusal_for_unknown(_read_head(uploaded), extension), code="content")
    if kind != EXTENSIONS[extension]:
        raise ValidationError(
            f"Le fichier « {name} » porte l'extension « .{extension} » mais son contenu est de type "
            f"« {KINDS[kind][1]} » : renommez-le avec la bonne extension (.{kind}) ou déposez le bon fichier.",
            code="mismatch",
        )
    return kind


def safe_filename(name, default="fichier"):
    """A file name safe on every system: ASCII letters, digits, '-', '_' and one extension."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:80] or default
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:10]
    return f"{stem}.{extension}" if extension else stem


@deconstructible
class UploadPath:
    """An ``upload_to`` value: ``<prefix>/<year>/<month>/<random>_<safe name>`` (the random part makes
    stored names unguessable and unique). Serialisable in migrations."""

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        today = timezone.localdate()
        return f"{self.prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}_{safe_filename(filename)}"

    def __eq__(self, other):
        return isinstance(other, UploadPath) and other.prefix == self.prefix


def upload_path(prefix):
    return UploadPath(prefix)


class UploadField(forms.FileField):
    """A form field running ``validate_upload``; the widget proposes only accepted types."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", f"{ACCEPTED_LABEL}, {filesizeformat(max_bytes())} au maximum."
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value is not None and value is not initial and hasattr(value, "content_type"):
            self.kind = validate_upload(value)
        return value


logger = logging.getLogger(__name__)

STORAGE_UNAVAILABLE_MESSAGE = (
    "Le dépôt du fichier a échoué : l'espace de stockage est indisponible. "
    "Réessayez plus tard ou prévenez l'administrateur."
)


class StorageUnavailable(Exception):
    """The uploaded file could not be written (disk full, read-only, directory missing or not writable)."""

    def __init__(self, message=STORAGE_UNAVAILABLE_MESSAGE):
        super().__init__(message)
        self.message = message


class GuardedFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` whose write failures become ``StorageUnavailable`` (logged with their cause
    for the administrator); a file left half-written is removed."""

    # The name being written by this thread: Django's ``_save`` picks another free name if the first
    # one was taken meanwhile (``get_available_name``), and only the file it created may be removed.
    _writing = threading.local()

    def get_available_name(self, name, max_length=None):
        available = super().get_available_name(name, max_length=max_length)
        if getattr(self._writing, "name", None) is not None:
            self._writing.name = available
        return available

    def _save(self, name, content):
        self._writing.name = name
        try:
            return super()._save(name, content)
        except OSError as exc:
            written = self._writing.name
            logger.error("Storage write failed for %s: %s", written, exc, exc_info=True)
            try:
                # Created by this write (exclusive creation: a name already taken is never opened).
                os.remove(self.path(written))
            except OSError:
                pass
            raise StorageUnavailable() from exc
        finally:
            self._writing.name = None


@contextmanager
def storage_guard():
    """Run code that stores uploaded files in one transaction: if the storage fails (whatever storage
    backend, ``OSError`` included), the database writes are rolled back and ``StorageUnavailable`` is
    raised."""
    try:
        with transaction.atomic():
            yield
    except StorageUnavailable:
        raise
    except OSError as exc:
        logger.error("Storage write failed: %s", exc, exc_info=True)
        raise StorageUnavailable() from exc


def save_upload(target, *args, **kwargs):
    """``target.save(*args, **kwargs)`` — a model instance, a ``FieldFile`` (``save(name, content)``) or a
    model form — under ``storage_guard``. Returns what ``save`` returns."""
    with storage_guard():
        return target.save(*args, **kwargs)


# Sent each time ``serve_file`` hands a stored file to the current request's user (kwargs: ``fieldfile``,
# ``download_name``). The ground does not know who records it: the audit app connects to it.
file_served = Signal()


def serve_file(fieldfile, download_name=None):
    """Send a stored file as a download, after the caller checked access. Never rendered inline by
    the browser (``Content-Disposition: attachment``, ``X-Content-Type-Options: nosniff``)."""
    if not fieldfile or not fieldfile.name:
        raise Http404("Fichier introuvable.")
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Fichier introuvable.")
    name = safe_filename(download_name or os.path.basename(fieldfile.name))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = KINDS[EXTENSIONS[extension]][0] if extension in EXTENSIONS else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    # The audit log (privacy.audit) listens: who downloaded which file of which dossier.
    file_served.send(sender=type(getattr(fieldfile, "instance", None)), fieldfile=fieldfile, download_name=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def uploaded_file_for_tests(name, content):
    """A ``SimpleUploadedFile``-like object from bytes (handy in tests and commands)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def minimal_docx():
    """The bytes of a tiny valid DOCX (for tests and demo data)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Lettre de motivation</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()
