"""Sending SMS through a pluggable backend, like Django's email backends.

``IPM_SMS_BACKEND`` (setting or environment variable) names the backend class:

- ``ipm.sms.ConsoleBackend`` (default): writes each SMS to standard output — development;
- ``ipm.sms.FileBackend``: appends each SMS as one JSON line to ``IPM_SMS_FILE_PATH``
  (default ``var/sms.log``) — development and tests;
- any class with a ``send(to, text)`` method raising an exception on failure, e.g. one wrapping a
  provider's HTTP API in production.
"""
import json
import os
import sys
import threading

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

_lock = threading.Lock()


class SmsError(Exception):
    pass


class ConsoleBackend:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to, text):
        with _lock:
            self.stream.write(f"--- SMS à {to} ---\n{text}\n")
            self.stream.flush()


class FileBackend:
    def __init__(self, path=None):
        self.path = path or settings.IPM_SMS_FILE_PATH or os.path.join(str(settings.VAR_DIR), "sms.log")

    def send(self, to, text):
        line = json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False)
        with _lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def get_backend():
    path = settings.IPM_SMS_BACKEND
    return import_string(path)()


def send_sms(to, text):
    if not to:
        raise SmsError("Aucun numéro de téléphone.")
    get_backend().send(to, text)
