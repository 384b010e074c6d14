"""The report pages and files the platform opens most, made ahead by the worker (docs/performance.md).

A page or download whose entry is not in the file cache (reporting/cache.py) costs the report's queries
plus, for a file, its rendering — for a PDF, WeasyPrint: 0.3 s alone, up to 1.5 s on a busy server. Every
two minutes (beat row of reporting/migrations/0008) ``run`` makes again, for every report, its page's
figures and its downloads (PDF, XLSX, both CSVs) for the whole platform with the page's default filters
— what a manager or the platform staff get by opening the report or clicking « Télécharger » without
filtering — when the data changed since their last render (a new generation, a new day) or when their
entry nears its maximum age (``IPM_REPORT_CACHE_SECONDS``). The download then finds the file: a look-up
instead of a render. A run where nothing changed reads a few cache entries and renders nothing. A file
with other filters, or a counsellor's (one structure), is still rendered at its first download and then
kept as before.
"""
import functools
import logging

from django.conf import settings
from django.core.cache import caches

from ipm import filecache

from . import cache as report_cache
from . import renderers, reports
from .filters import ReportFilters

log = logging.getLogger(__name__)

# The page's figures (the built report and its caveat, ``cache.PAGE``) and every download: the report,
# built once, costs far more than its rendering (a CSV of the FEJ report at 200,000 young people: 1 s).
FORMATS = (report_cache.PAGE, *renderers.FORMATS)
# The beat runs ``run`` this often (the migration writes the same figure); a file is rendered again once
# it is older than its maximum age minus two periods, so that it is replaced before it expires.
EVERY_SECONDS = 120
_RUNNING = "prerender:running"


def _files_of(name, filters):
    """``render(fmt)`` for the report ``name``: built at the first format asked, shared by the others."""
    built = []

    def render(fmt):
        if not built:
            built.append(reports.build(name, filters))
        if fmt == report_cache.PAGE:
            return report_cache.page_payload(built[0], filters)
        return renderers.filename(built[0], fmt), renderers.render(built[0], fmt)

    return render


def run():
    """Render ahead what is missing or old; the number of files rendered (None: another run is going on,
    the cache is unreachable, or it is not shared with the web server — the embedded default)."""
    if not filecache.shared():
        return None
    files = caches[filecache.ALIAS]
    timeout = settings.IPM_REPORT_CACHE_SECONDS
    try:
        if not files.add(_RUNNING, 1, timeout):
            return None
    except Exception:  # noqa: BLE001 — nothing can be kept: the downloads render as they would anyway
        log.warning("Cache des fichiers injoignable : rapports non préparés d'avance.", exc_info=True)
        return None
    younger_than = max(timeout - 2 * EVERY_SECONDS, timeout / 2)
    filters = ReportFilters()  # no viewer: everything, the scope of managers and platform staff
    rendered = 0
    try:
        for name in reports.REPORTS:
            # Read before the data (as at a download), once for the report's formats, which share one
            # build: a change committing meanwhile leaves the files under the generation it retires.
            fingerprint = report_cache.fingerprint()
            render = _files_of(name, filters)
            for fmt in FORMATS:
                rendered += filecache.refresh(report_cache.KIND, report_cache.key(name, fmt, filters), fingerprint,
                                              functools.partial(render, fmt), timeout, younger_than)
    finally:
        try:
            files.delete(_RUNNING)
        except Exception:  # noqa: BLE001 — the mark expires by itself
            log.warning("Cache des fichiers injoignable : fin de la préparation non notée.", exc_info=True)
    return rendered
