"""Brevo's transactional SMS API (``IPM_SMS_BACKEND = "ipm.sms_brevo.BrevoBackend"``).

The request and answers are those of Brevo's public documentation (API v3):

- ``POST {IPM_SMS_BREVO_BASE_URL}/v3/transactionalSMS/send`` (the endpoint that replaced the deprecated
  ``/v3/transactionalSMS/sms`` in 2025), headers ``api-key: <key>``, ``accept`` and ``content-type``
  ``application/json``; JSON body ``sender`` (11 letters or digits at most), ``recipient`` (the number
  with its country code, no « + »), ``content``, ``type`` (``"transactional"``), ``tag``, ``webUrl``
  (where Brevo posts the delivery reports of this message), ``unicodeEnabled``;
- success: ``201`` with ``{"messageId": <integer>}``;
- errors: ``400`` (``{"code": "invalid_parameter" | "missing_parameter", "message": …}``), ``401``
  (``unauthorized``: bad key), ``402`` (``not_enough_credits``), ``403`` (``permission_denied``),
  ``404``, ``429`` (too many requests), ``5xx``.

A 4xx answer other than 429 is permanent (``SmsError(permanent=True)``: the outbox marks the message
« échec » at once); 429, 5xx, a timeout or a refused connection are worth another try. Uses only the
standard library (``urllib``), with ``IPM_SMS_TIMEOUT`` seconds of timeout.
"""
import json
import socket
import urllib.error
import urllib.request

from django.conf import settings

from .sms import SmsError, encoding

SEND_PATH = "/v3/transactionalSMS/send"

# Brevo's error codes, said in French for the messages page.
REASONS = {
    "invalid_parameter": "paramètre refusé",
    "missing_parameter": "paramètre manquant",
    "unauthorized": "clé d'API refusée",
    "not_enough_credits": "crédit SMS épuisé",
    "permission_denied": "envoi non autorisé pour ce compte",
    "document_not_found": "ressource introuvable",
}


def recipient_of(number):
    """``+33612345678`` → ``33612345678`` (Brevo wants the country code without « + »)."""
    digits = str(number).strip()
    return digits[1:] if digits.startswith("+") else digits


def _reason(status, body):
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        data = {}
    code = data.get("code", "") if isinstance(data, dict) else ""
    message = data.get("message", "") if isinstance(data, dict) else ""
    said = REASONS.get(code, code or "erreur")
    return f"Brevo a refusé le SMS (HTTP {status}, {said}){' : ' + message if message else ''}."[:500]


class BrevoBackend:
    def __init__(self, api_key=None, base_url=None, sender=None, timeout=None):
        self.api_key = api_key or settings.IPM_SMS_BREVO_API_KEY
        self.base_url = (base_url or settings.IPM_SMS_BREVO_BASE_URL).rstrip("/")
        self.sender = sender or settings.IPM_SMS_SENDER
        self.timeout = timeout or settings.IPM_SMS_TIMEOUT

    def payload(self, to, text, tag="", status_url=""):
        body = {"sender": self.sender, "recipient": recipient_of(to), "content": text, "type": "transactional",
                "unicodeEnabled": encoding(text) == "UCS-2"}
        if tag:
            body["tag"] = tag
        if status_url:
            body["webUrl"] = status_url
        return body

    def send(self, to, text, *, tag="", status_url="", **options):
        """Send one SMS; returns Brevo's ``messageId`` (as text)."""
        if not self.api_key:
            raise SmsError("Envoi de SMS non configuré : aucune clé d'API Brevo (IPM_SMS_BREVO_API_KEY).",
                           permanent=True)
        request = urllib.request.Request(
            self.base_url + SEND_PATH, method="POST",
            data=json.dumps(self.payload(to, text, tag, status_url), ensure_ascii=False).encode("utf-8"),
            headers={"api-key": self.api_key, "accept": "application/json", "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            reason = _reason(status, exc.read())
            raise SmsError(reason, permanent=400 <= status < 500 and status != 429) from exc
        except (socket.timeout, TimeoutError) as exc:
            raise SmsError(f"Brevo n'a pas répondu dans les {self.timeout} secondes : nouvel essai plus tard.") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise SmsError(f"Brevo n'a pas répondu dans les {self.timeout} secondes : nouvel essai plus tard.") from exc
            raise SmsError(f"Brevo injoignable ({exc.reason}) : nouvel essai plus tard.") from exc
        except OSError as exc:  # connection reset and the like
            raise SmsError(f"Brevo injoignable ({exc}) : nouvel essai plus tard.") from exc
        try:
            message_id = json.loads(body)["messageId"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SmsError("Réponse de Brevo illisible (pas de messageId) : l'envoi n'est pas confirmé.") from exc
        return str(message_id)
