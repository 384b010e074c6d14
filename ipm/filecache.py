"""Rendered files (PDF, XLSX, CSV) kept in the « files » cache (Redis in production) so that a download of
a file whose data has not changed costs a look-up instead of a render (docs/performance.md § « Cache des
fichiers »).

One entry per file: under the file's ``key`` (what file: a commission's minutes, a report in a format for
a scope and filters) the cache holds the ``fingerprint`` of the data it was rendered from, its name, its
bytes and when it was stored.
A download with the same fingerprint gets the bytes; any other fingerprint renders the file again and
replaces the entry. The callers choose the fingerprint (a hash of what the document prints, a data
generation bumped when the data changes) and how long an entry may live.

The cache is an accelerator, never a source: when it cannot be reached the file is rendered as before
(logged), and files larger than ``IPM_FILE_CACHE_MAX_BYTES`` are not kept. The ground knows no domain
model: the apps say what a key and a fingerprint are.
"""
import hashlib
import logging
import time
import uuid
from collections import Counter

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger(__name__)

ALIAS = "files"
# Part of every key: raise it when a renderer or a style sheet changes what an unchanged file looks like,
# so that the files rendered by the previous code are not served after a deploy.
FORMAT_VERSION = 1
# Renders and hits of this process, by kind (« minutes », « report »): the tests and benchmarks read them.
renders = Counter()
hits = Counter()


def _cache():
    return caches[ALIAS]


def digest(*parts):
    """A short stable hash of ``parts`` (their ``repr``), for keys and fingerprints."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _key(kind, key):
    return f"file:v{FORMAT_VERSION}:{kind}:{key}"


def _entry(name):
    """``(fingerprint, file name, content, stored at)`` or None; None too when the cache is unreachable."""
    try:
        entry = _cache().get(name)
    except Exception:  # noqa: BLE001 — an unreachable cache only costs a render
        log.warning("Cache des fichiers injoignable (lecture de %s) : le fichier est calculé.", name, exc_info=True)
        return None
    return entry if isinstance(entry, tuple) and len(entry) == 4 else None


def _keep(name, filename, content, fingerprint, timeout, replaced):
    try:
        if len(content) <= settings.IPM_FILE_CACHE_MAX_BYTES:
            _cache().set(name, (fingerprint, filename, content, time.time()), timeout)
        elif replaced is not None:
            _cache().delete(name)
    except Exception:  # noqa: BLE001
        log.warning("Cache des fichiers injoignable (écriture de %s).", name, exc_info=True)


def _render_and_keep(kind, name, render, fingerprint, timeout, replaced):
    """``render()``, counted and kept under ``name``; returns its ``(file name, content)``."""
    filename, content = render()
    renders[kind] += 1
    _keep(name, filename, content, fingerprint, timeout, replaced)
    return filename, content


def get_or_render(kind, key, fingerprint, render, timeout):
    """The file ``(kind, key)`` rendered from data of this ``fingerprint``, as ``(name, content)``: from
    the cache when it holds it, else ``render()`` (which returns the pair; then kept ``timeout`` seconds)."""
    name = _key(kind, key)
    entry = _entry(name)
    if entry is not None and entry[0] == fingerprint:
        hits[kind] += 1
        return entry[1], entry[2]
    return _render_and_keep(kind, name, render, fingerprint, timeout, entry)


def refresh(kind, key, fingerprint, render, timeout, younger_than):
    """Render the file ``(kind, key)`` ahead of its downloads unless the cache holds it for this
    ``fingerprint``, stored less than ``younger_than`` seconds ago. True when it was rendered."""
    name = _key(kind, key)
    entry = _entry(name)
    if entry is not None and entry[0] == fingerprint and time.time() - entry[3] < younger_than:
        return False
    _render_and_keep(kind, name, render, fingerprint, timeout, entry)
    return True


def shared():
    """Whether every process reads the same cache (Redis), so that a file the worker makes ahead is the
    web server's; the embedded default's cache is each process's own memory."""
    return "locmem" not in settings.CACHES[ALIAS]["BACKEND"].lower()


def stored(kind, key):
    """What the cache holds for the file ``(kind, key)``: ``(fingerprint, name, content, stored at)`` or None."""
    try:
        return _cache().get(_key(kind, key))
    except Exception:  # noqa: BLE001
        return None


def forget(kind, *keys):
    """Drop the files ``(kind, key)`` for each key (e.g. the minutes naming an erased person)."""
    if not keys:
        return
    try:
        _cache().delete_many([_key(kind, key) for key in keys])
    except Exception:  # noqa: BLE001
        log.warning("Cache des fichiers injoignable : %s %s non effacés (ils expirent d'eux-mêmes).", kind, keys,
                    exc_info=True)


def _generation_key(name):
    return f"generation:{name}"


def generation(name):
    """The current generation of the data ``name``: a random word, changed by ``bump``. A generation lost
    by the cache (evicted, restarted) is replaced by a new one, so a lost generation can never bring back
    the files of an older one."""
    key = _generation_key(name)
    try:
        value = _cache().get(key)
        if value is None:
            _cache().add(key, uuid.uuid4().hex, None)
            value = _cache().get(key)
    except Exception:  # noqa: BLE001
        log.warning("Cache des fichiers injoignable (génération %s).", name, exc_info=True)
        value = None
    # Unreachable: a word of its own, so that nothing stored is taken for current.
    return value or uuid.uuid4().hex


def bump(name):
    """The data ``name`` changed: every file fingerprinted with its generation is rendered again."""
    try:
        _cache().set(_generation_key(name), uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001
        log.warning("Cache des fichiers injoignable : génération %s non renouvelée.", name, exc_info=True)
