"""Phone photos in HEIC/HEIF (the iPhone's default) turned into a one-page PDF before the usual upload
checks, with pillow-heif (its wheel carries libheif: no system package needed)."""
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

HEIC_EXTENSIONS = {"heic", "heif"}
# The ISO-BMFF brands of HEIF images, after the "ftyp" box at byte 4.
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def is_heic(uploaded):
    name = getattr(uploaded, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    uploaded.seek(0)
    head = uploaded.read(12)
    uploaded.seek(0)
    return extension in HEIC_EXTENSIONS or (head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS)


def heic_to_pdf(uploaded, max_bytes):
    """A PDF upload (same name, .pdf) of the photo, upright as the phone took it."""
    from PIL import Image, ImageOps
    from pillow_heif import register_heif_opener

    register_heif_opener()
    if uploaded.size > max_bytes:
        return uploaded  # the usual checks refuse it with their message on size
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            output = io.BytesIO()
            image.save(output, format="PDF", resolution=150)
    except Exception as exc:  # noqa: BLE001 — any unreadable image gets the same French message
        raise ValidationError(
            "Cette photo HEIC n'a pas pu être lue. Reprenez-la, ou envoyez-la en JPEG (réglage « Le plus "
            "compatible » de l'appareil photo) ou en PDF.", code="heic",
        ) from exc
    stem = os.path.splitext(os.path.basename(uploaded.name))[0] or "photo"
    return SimpleUploadedFile(f"{stem}.pdf", output.getvalue(), content_type="application/pdf")
