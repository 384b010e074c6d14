"""Sending SMS through a pluggable backend, like Django's email backends.

``IPM_SMS_BACKEND`` (setting or environment variable) names the backend class:

- ``ipm.sms.ConsoleBackend`` (default): writes each SMS to standard output — development;
- ``ipm.sms.FileBackend``: appends each SMS as one JSON line to ``IPM_SMS_FILE_PATH``
  (default ``var/sms.log``) — development and tests;
- ``ipm.sms_brevo.BrevoBackend``: Brevo's transactional SMS HTTP API — production;
- any class with a ``send(to, text, **options)`` method returning the provider's message id (or None)
  and raising ``SmsError`` on failure.

``segments(text)`` counts the parts an SMS is billed and delivered as (GSM 03.38 or UCS-2).
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
    """A send that failed. ``permanent``: retrying the same message cannot succeed (refused number,
    bad request, no credit); otherwise (timeout, server error) it may be tried again."""

    def __init__(self, reason, *, permanent=False):
        super().__init__(reason)
        self.permanent = permanent


# --- Segments -----------------------------------------------------------------------------------------
# GSM 03.38 basic character set, and its extension table (each extension character takes two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def encoding(text):
    """"GSM-7" if every character is in the GSM 03.38 alphabet (with its extension), else "UCS-2"."""
    return "GSM-7" if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text) else "UCS-2"


# Characters French texts use that GSM 03.38 lacks, written with the nearest GSM character: one
# « ê » would otherwise turn the whole SMS into UCS-2 (70 characters a part instead of 160).
GSM_FALLBACK = str.maketrans({
    "â": "a", "ê": "e", "ë": "e", "î": "i", "ï": "i", "ô": "o", "û": "u", "ç": "c", "œ": "oe",
    "Â": "A", "Ê": "E", "È": "E", "Ë": "E", "Î": "I", "Ï": "I", "Ô": "O", "Û": "U", "Ù": "U", "À": "A",
    "Œ": "OE", "’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"', "…": "...", "–": "-", "—": "-",
    "\u00a0": " ", "\u202f": " ",
})


def gsm_text(text):
    """``text`` with the usual French characters outside GSM 03.38 replaced (see ``GSM_FALLBACK``)."""
    return text.translate(GSM_FALLBACK)


def segments(text):
    """How many SMS parts ``text`` is sent as: GSM-7, 160 septets in one part, 153 per part beyond
    (an extension character counts two, and never straddles two parts); UCS-2, 70 characters in one
    part, 67 per part beyond (a character outside the basic plane counts two UTF-16 units)."""
    if not text:
        return 1
    if encoding(text) == "GSM-7":
        units = [2 if ch in GSM_EXTENSION else 1 for ch in text]
        single, multi = 160, 153
    else:
        units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
        single, multi = 70, 67
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for unit in units:  # a two-unit character is never split between two parts
        if used + unit > multi:
            parts, used = parts + 1, 0
        used += unit
    return parts


# --- Backends ----------------------------------------------------------------------------------------

class ConsoleBackend:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to, text, **options):
        with _lock:
            self.stream.write(f"--- SMS à {to} ---\n{text}\n")
            self.stream.flush()


class FileBackend:
    def __init__(self, path=None):
        self.path = path or settings.IPM_SMS_FILE_PATH or os.path.join(str(settings.VAR_DIR), "sms.log")

    def send(self, to, text, **options):
        line = json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False)
        with _lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def get_backend():
    path = settings.IPM_SMS_BACKEND
    return import_string(path)()


def send_sms(to, text, **options):
    """Send one SMS; returns the provider's message id (None for the development backends).
    ``options``: ``tag`` (what the message is, for the provider's logs), ``status_url`` (where the
    provider posts the delivery reports)."""
    if not to:
        raise SmsError("Aucun numéro de téléphone.", permanent=True)
    return get_backend().send(str(to), text, **options)
