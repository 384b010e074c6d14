"""The SMS provider's webhook: delivery reports, replies (« STOP ») and unsubscribes
(``followup.delivery``). Authenticated by the secret in its URL (``IPM_SMS_WEBHOOK_TOKEN``, compared in
constant time; unset: 404), CSRF-exempt (the provider has no session); a body that is not a report
answers 400, never 500."""
import json
import logging

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .delivery import BadReport, record

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def sms_webhook(request, token):
    expected = settings.IPM_SMS_WEBHOOK_TOKEN
    if not expected or not constant_time_compare(token, expected):
        raise Http404
    try:
        payload = json.loads(request.body.decode("utf-8"))
        reports = payload if isinstance(payload, list) else [payload]
        outcomes = [record(report) for report in reports]
    except (UnicodeDecodeError, ValueError) as exc:  # BadReport is a ValueError, as is bad JSON
        log.warning("Webhook SMS : rapport refusé (%s)", exc)
        return JsonResponse({"erreur": f"Rapport illisible : {exc}" if isinstance(exc, BadReport)
                             else "Rapport illisible : JSON attendu."}, status=400)
    return JsonResponse({"ok": True, "resultats": outcomes})
