"""Middleware of the ground: a request id on every request; no caching of a signed-in user's pages.

A request identifier on every request, to tie a user's report to the server's logs.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) gives each request an id — the one a trusted proxy
sent in ``X-Request-ID`` if it looks like an id, else a fresh random one — stores it on
``request.request_id``, returns it in the ``X-Request-ID`` response header, and makes it available to
every log record written while the request runs (``%(request_id)s`` in a log format; ``-`` outside a
request, e.g. in a Celery task). The 500 page shows it so that a user can quote it.

``PrivateCacheMiddleware`` (after the authentication middleware) sends ``Cache-Control: private,
no-store`` with every response to a signed-in user: the pages show personal data, which neither a shared
proxy nor the browser's cache (a shared computer, the back button after logging out) may keep. A response
that chose its own ``Cache-Control`` (file downloads, pages marked ``never_cache``) keeps it.

``StorageUnavailableMiddleware``: an uploaded file that could not be written (``ipm.uploads.
StorageUnavailable``: disk full, read-only) and that the view did not handle gives a French page,
status 503, instead of a server error.

``NullCharacterMiddleware``: a query string carrying a NUL character (``?q=%00``), which no page needs and
PostgreSQL refuses in any text, is answered 400 with a French message before any view reads it.
"""
import contextvars
import logging
import re
import uuid

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .uploads import StorageUnavailable

HEADER = "X-Request-ID"
_VALID_INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current = contextvars.ContextVar("ipm_request_id", default="-")
_current_request = contextvars.ContextVar("ipm_request", default=None)


def current_request_id():
    """The id of the request being handled, or ``-``."""
    return _current.get()


def current_request():
    """The request being handled (e.g. to record who downloaded a file), or None."""
    return _current_request.get()


def new_request_id():
    return uuid.uuid4().hex[:16]


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_INCOMING.match(incoming) else new_request_id()
        request.request_id = request_id
        token = _current.set(request_id)
        request_token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(request_token)
            _current.reset(token)
        response[HEADER] = request_id
        return response


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StorageUnavailable):
            return render(request, "503_storage.html", {"message": exception.message}, status=503)
        return None


NULL_CHARACTER_MESSAGE = "Adresse invalide : elle contient un caractère interdit. Revenez à la page précédente."


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(NULL_CHARACTER_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestIdFilter(logging.Filter):
    """Logging filter: sets ``record.request_id`` (for handlers whose format uses it)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def _install_record_factory():
    """Every log record carries the current request id, whatever handler formats it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "ipm_request_id", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = _current.get()
        return record

    factory.ipm_request_id = True
    logging.setLogRecordFactory(factory)


_install_record_factory()
