"""The report downloads (CSV, CSV pour Excel, XLSX, PDF) and the report pages' figures (``PAGE``) kept in
the file cache (ipm/filecache.py).

A report's figures are counted over many tables, too many to fingerprint at each download. So a file is
kept under its **key** — the report, its format, its filters (normalised: the ids of the scheme,
structure and host chosen, the years, the horizon…) and the **scope** of whoever asks
(``ipm.access.scope_key``: « everything » for staff and managers, one structure for a counsellor; a file
of one scope is never served to another) — with the **fingerprint** of the data it was counted from:

- the **data generation** of the reports, a word renewed (``bump``) at every save or deletion through
  the models of the apps the reports read (dossiers, referrals, departures, followup, surveys, network,
  reporting — the signals are connected in ``ReportingConfig.ready``), at once and again when the
  transaction commits; the legacy import (``bulk_create``, no signal) and the RGPD erasure (``update()``)
  renew it themselves;
- today's date (« in progress », the default period and the ages are counted from it);
- the platform's name (printed in the files).

A write that sends no signal (a queryset's ``update()`` elsewhere, raw SQL, the database edited by hand)
does not renew the generation: such a file may be served for at most ``IPM_REPORT_CACHE_SECONDS``
(10 minutes), how long an entry lives.
"""
import dataclasses
import logging
import pickle

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ipm import filecache
from ipm.access import scope_key

log = logging.getLogger(__name__)

KIND = "report"
GENERATION = "reports"
# The « format » of a report page's figures (the built report and its caveat count), kept like a file.
PAGE = "page"
# The name under which the caveat count is kept: shared by the pages of every report (no report has it).
CAVEAT = "caveat"
# The apps whose rows the reports read (reporting/reports/, reporting/filters.py)…
WATCHED_APPS = frozenset({"dossiers", "referrals", "departures", "followup", "surveys", "network", "reporting"})
# …but not these models of theirs, which no report reads (a test runs every report and checks that its
# queries never name their tables) and which are written while people only read: the sensitive-data
# access log (every dossier page of staff, every piece downloaded), the outbox, the import jobs'
# progress, the managers' export subscriptions. Watching them would retire every report file each time
# someone opens a dossier.
NOT_REPORT_DATA = frozenset({"dossiers.SensitiveAccess", "followup.SentMessage", "reporting.ImportJob",
                             "reporting.ExportSubscription"})


def _pk(value):
    return getattr(value, "pk", value)


def key(name, fmt, filters):
    """What file this is: the report, the format, the normalised filters and the viewer's scope."""
    # Every field of ReportFilters (a field added later is part of the key without anyone thinking of
    # it); the model instances by their id, the user by their scope.
    chosen = tuple((f.name, _pk(getattr(filters, f.name))) for f in dataclasses.fields(filters) if f.name != "user")
    return filecache.digest(name, fmt, chosen, "all" if filters.user is None else scope_key(filters.user))


def fingerprint():
    return filecache.digest(filecache.generation(GENERATION), timezone.localdate().isoformat(),
                            settings.IPM_PLATFORM_NAME)


def get_or_render(name, fmt, filters, render):
    """Report ``name`` in format ``fmt`` for ``filters`` as ``(file name, bytes)``; ``render()`` builds and
    renders it (returning that pair) when the cache holds no file of the current data. The fingerprint is read before the data, so a file
    counted while a change commits is kept under the generation that change replaces."""
    return filecache.get_or_render(KIND, key(name, fmt, filters), fingerprint(), render,
                                   settings.IPM_REPORT_CACHE_SECONDS)


def flagged(filters):
    """How many dossiers of the scope and period of ``filters`` break a rule of the wheel (the caveat of
    every report page), kept like a page's figures under the pseudo-report ``CAVEAT``: counted once for
    all the reports a viewer opens with the same filters (15 rules: a quarter of a second for one
    structure at 200,000 young people), again when the data changes."""
    from .consistency import flagged_in_period

    _name, content = get_or_render(CAVEAT, PAGE, filters, lambda: ("", str(flagged_in_period(filters)).encode()))
    try:
        return int(content)
    except ValueError:  # our own entry, unreadable after an upgrade: count again
        return flagged_in_period(filters)


def page_payload(report, filters):
    """What a report page shows, as bytes for the cache: the built report and how many dossiers of its
    period break a rule of the wheel (the caveat above the figures)."""
    return "", pickle.dumps((report, flagged(filters)), protocol=pickle.HIGHEST_PROTOCOL)


def page_figures(name, filters, build):
    """``(report, flagged)`` of the page of report ``name`` for ``filters`` (and the viewer's scope), from
    the cache when it holds them for the current data, else ``build()`` (the report) and counted. An
    entry that no longer reads (written by another version of the code) is counted again."""
    _name, content = get_or_render(name, PAGE, filters, lambda: page_payload(build(), filters))
    try:
        return pickle.loads(content)
    except Exception:  # noqa: BLE001 — our own entry, unreadable after an upgrade: count again
        log.warning("Chiffres du rapport %s illisibles dans le cache : recomptés.", name, exc_info=True)
        return pickle.loads(page_payload(build(), filters)[1])


def bump():
    """The reports' data changed: every cached report file is counted again at its next download."""
    filecache.bump(GENERATION)


def _bump_after_commit():
    bump()


def data_changed(**kwargs):
    """Renew the generation now (the change is seen by this transaction's own reads) and once more when
    the transaction commits (a download that counted the figures before the commit kept its file under
    the generation renewed now, which the second renewal retires). One renewal after commit per
    transaction, however many rows it writes."""
    bump()
    connection = connections[kwargs.get("using") or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        if not any(func is _bump_after_commit for _sids, func, _robust in connection.run_on_commit):
            transaction.on_commit(_bump_after_commit, using=connection.alias)


def _watched(sender):
    meta = getattr(sender, "_meta", None)
    return (meta is not None and meta.app_label in WATCHED_APPS and meta.label not in NOT_REPORT_DATA
            and not sender.__name__.startswith("Historical"))


def _saved_or_deleted(sender, **kwargs):
    if _watched(sender):
        data_changed(**kwargs)


def _m2m_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _watched(sender):
        data_changed(**kwargs)


def connect():
    """Called once by ``ReportingConfig.ready``."""
    post_save.connect(_saved_or_deleted, dispatch_uid="reporting.cache.saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="reporting.cache.deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="reporting.cache.m2m")
