"""PDF documents from HTML (WeasyPrint), made the same way everywhere: reports, contracts, commission
minutes, the RGPD export, the acceptance letter.

Two things make a render cheaper than WeasyPrint's defaults (measured in BENCHMARKS.md):

- one font configuration per thread, reused by every render: by default WeasyPrint builds a new one
  (a new Pango font map) for each document, and looks the fonts up and loads them again;
- Python's cyclic garbage collector paused while WeasyPrint lays the document out: the render
  allocates hundreds of thousands of short-lived objects, which made the collector run full
  collections of the whole process (50-120 ms each) in the middle of most renders. It resumes at the
  end of the render, and collects what the render left as usual.

Every PDF is tagged for accessibility (WeasyPrint's PDF/UA-1 variant: a structure tree, marked content,
the document's language and title in its catalogue and metadata), in one font family (``FONT_FAMILY``,
DejaVu Sans: the Debian package ``fonts-dejavu-core`` the production image installs; a user style sheet
imposes it on every element of every template, so that no document falls back to another font), in
French unless the template's ``<html lang>`` says otherwise, titled by its ``<title>`` (or ``title``).

Files are looked up on the disk (``base_url``: the project directory), never over HTTP.
"""
import gc
import threading

from django.conf import settings

PDF_VARIANT = "pdf/ua-1"
FONT_FAMILY = "DejaVu Sans"
DEFAULT_LANGUAGE = "fr"
# A user style sheet: « !important » in a user style sheet wins over the templates' own rules.
ONE_FONT_CSS = f'''
* {{ font-family: "{FONT_FAMILY}", sans-serif !important; }}
@page {{ font-family: "{FONT_FAMILY}", sans-serif !important; }}
'''

_local = threading.local()
_paused = threading.Lock()
_pauses = 0
_gc_was_enabled = True


def _one_font():
    stylesheet = getattr(_local, "one_font", None)
    if stylesheet is None:
        from weasyprint import CSS

        stylesheet = _local.one_font = CSS(string=ONE_FONT_CSS, font_config=font_config())
    return stylesheet


def font_config():
    """This thread's WeasyPrint font configuration (Pango's font maps are not shared between threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _pause_gc():
    global _pauses, _gc_was_enabled
    with _paused:
        if _pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def _resume_gc():
    global _pauses
    with _paused:
        _pauses -= 1
        if _pauses == 0 and _gc_was_enabled:
            gc.enable()


def html_to_pdf(html, base_url=None, title=None):
    """The tagged (PDF/UA-1) PDF bytes of the HTML document ``html``; relative URLs are files under
    ``base_url``. ``title``: the document's title when its HTML has no ``<title>``."""
    from weasyprint import HTML

    config = font_config()
    _pause_gc()
    try:
        document = HTML(string=html, base_url=str(base_url or settings.BASE_DIR)).render(
            font_config=config, stylesheets=[_one_font()], pdf_variant=PDF_VARIANT)
        metadata = document.metadata
        metadata.lang = metadata.lang or DEFAULT_LANGUAGE
        metadata.title = metadata.title or title or settings.IPM_PLATFORM_NAME
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        _resume_gc()
