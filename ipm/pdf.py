"""PDF documents from HTML (WeasyPrint), made the same way everywhere: reports, contracts, commission
minutes, the RGPD export, the acceptance letter.

Two things make a render cheaper than WeasyPrint's defaults (measured in BENCHMARKS.md):

- one font configuration per thread, reused by every render: by default WeasyPrint builds a new one
  (a new Pango font map) for each document, and looks the fonts up and loads them again;
- Python's cyclic garbage collector paused while WeasyPrint lays the document out: the render
  allocates hundreds of thousands of short-lived objects, which made the collector run full
  collections of the whole process (50-120 ms each) in the middle of most renders. It resumes at the
  end of the render, and collects what the render left as usual.

Files are looked up on the disk (``base_url``: the project directory), never over HTTP.
"""
import gc
import threading

from django.conf import settings

_local = threading.local()
_paused = threading.Lock()
_pauses = 0
_gc_was_enabled = True


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


def html_to_pdf(html, base_url=None):
    """The PDF bytes of the HTML document ``html``; relative URLs are files under ``base_url``."""
    from weasyprint import HTML

    config = font_config()
    _pause_gc()
    try:
        document = HTML(string=html, base_url=str(base_url or settings.BASE_DIR))
        return document.write_pdf(font_config=config)
    finally:
        _resume_gc()
