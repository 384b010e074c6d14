"""SMS through Brevo's API, against a loopback server that speaks it (``brevo_server.FakeBrevo``): sent
with its id recorded, refused (4xx: failed at once, with the reason), retried (5xx, timeout, connection
refused), delivery status through the webhook, « STOP » honoured. The backend itself is not mocked."""
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup import outbox, tasks
from followup.contact import tell_youth
from followup.enums import Channel, DeliveryStatus, MessageKind, MessageStatus, OptOutSource
from followup.models import SentMessage, SmsOptOut
from ipm.sms import SmsError
from ipm.sms_brevo import BrevoBackend

from .brevo_server import API_KEY, FakeBrevo

pytestmark = pytest.mark.django_db
TOKEN = "secret-du-webhook-0123456789"


@pytest.fixture
def brevo(settings):
    with FakeBrevo() as fake:
        settings.IPM_SMS_BACKEND = "ipm.sms_brevo.BrevoBackend"
        settings.IPM_SMS_BREVO_API_KEY = API_KEY
        settings.IPM_SMS_BREVO_BASE_URL = fake.url
        settings.IPM_SMS_SENDER = "Mobilite"
        settings.IPM_SMS_TIMEOUT = 1
        settings.IPM_SMS_WEBHOOK_TOKEN = TOKEN
        settings.IPM_BASE_URL = "https://mobilite.exemple.fr"
        yield fake


def consenting(**kwargs):
    return YouthFactory(**{"email": "", "phone": "06 13 75 70 51", "sms_consent_at": timezone.now(), **kwargs})


def queue_sms(youth, key="call:1", text="Plateforme : où en êtes-vous ? https://mobilite.exemple.fr/espace/"):
    outbox.queue_message(MessageKind.FOLLOWUP_LINK, Channel.SMS, key, "", youth.phone, text)
    return SentMessage.objects.get(object_key=key)


def webhook(token=TOKEN):
    return reverse("followup:sms_webhook", args=[token])


def test_an_sms_is_sent_as_brevo_documents_it_and_its_id_recorded(brevo):
    message = queue_sms(consenting())
    assert message.recipient == "+33613757051"  # E.164 in the outbox
    assert outbox.deliver(message.pk) == ("sent", None)
    [(path, headers, _)] = brevo.requests
    assert path == "/v3/transactionalSMS/send" and headers["api-key"] == API_KEY
    [sms] = brevo.received
    assert {k: sms[k] for k in ("sender", "recipient", "content", "type", "unicodeEnabled", "tag", "webUrl")} == {
        "sender": "Mobilite", "recipient": "33613757051", "content": message.body, "type": "transactional",
        "unicodeEnabled": True, "tag": "lien_suivi",
        "webUrl": f"https://mobilite.exemple.fr/suivi/sms/rapports/{TOKEN}/"}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_id == str(sms["messageId"])
    assert message.delivery_status == DeliveryStatus.SENT and message.delivery_status_at is not None


def test_a_refused_sms_fails_at_once_with_brevos_reason_in_french(brevo):
    brevo.script.append((400, {"code": "invalid_parameter", "message": "Invalid phone number"}))
    message = queue_sms(consenting())
    assert outbox.deliver(message.pk) == ("failed", None)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert "Brevo a refusé le SMS (HTTP 400, paramètre refusé) : Invalid phone number." in message.last_error
    assert brevo.received == []


def test_a_wrong_api_key_is_said_plainly(brevo):
    with pytest.raises(SmsError) as error:
        BrevoBackend(api_key="mauvaise-cle").send("+33613757051", "Bonjour")
    assert error.value.permanent and "HTTP 401, clé d'API refusée" in str(error.value)


def test_no_credit_left_is_a_permanent_failure(brevo):
    brevo.script.append((402, {"code": "not_enough_credits", "message": "Not enough credits"}))
    with pytest.raises(SmsError) as error:
        BrevoBackend().send("+33613757051", "Bonjour")
    assert error.value.permanent and "crédit SMS épuisé" in str(error.value)


def test_a_server_error_is_retried_by_the_task_then_sent(brevo, settings):
    """The delivery task (``followup.deliver_message``) retries with back-off, as a worker does: here
    ``apply`` runs its retries at once. Brevo answers 500, then 503, then 201."""
    brevo.script += [(500, {"code": "internal_error", "message": "Internal error"}),
                     (503, {"code": "service_unavailable", "message": "Try later"})]
    settings.IPM_MESSAGE_RETRY_BASE_SECONDS = 60
    message = queue_sms(consenting(), "call:2")
    assert outbox.retry_delay(1) == 60 and outbox.retry_delay(2) == 120  # the countdowns the task gives
    assert tasks.deliver_message.apply(args=[message.pk]).get() == "sent"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3
    assert "HTTP 503" in message.last_error  # the last failure stays readable
    assert message.provider_id == str(brevo.received[0]["messageId"]) and len(brevo.requests) == 3


def test_a_timeout_and_a_refused_connection_are_tried_again_later(brevo, settings):
    brevo.script.append(("hang", None))
    settings.IPM_SMS_TIMEOUT = 0.5
    message = queue_sms(consenting())
    outcome, delay = outbox.deliver(message.pk)
    message.refresh_from_db()
    assert outcome == "retry" and delay > 0 and message.status == MessageStatus.PENDING
    assert "Brevo n'a pas répondu dans les 0.5 secondes" in message.last_error
    settings.IPM_SMS_BREVO_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    message.next_attempt_at = None
    message.save()
    assert outbox.deliver(message.pk)[0] == "retry"
    message.refresh_from_db()
    assert "Brevo injoignable" in message.last_error and message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_brevo_posts_the_delivery_report_back_and_staff_see_it(brevo, settings, live_server, client_for):
    settings.IPM_BASE_URL = live_server.url
    delivered, bounced = queue_sms(consenting(), "call:3"), queue_sms(consenting(phone="+49 1512 3456789"), "call:4")
    assert outbox.deliver(delivered.pk)[0] == outbox.deliver(bounced.pk)[0] == "sent"
    first, second = brevo.received
    assert second["recipient"] == "4915123456789"
    assert brevo.post_event(first, "delivered") == 200
    assert brevo.post_event(second, "hard_bounce") == 200
    assert brevo.post_event(first, "sent") == 200  # late: never moves the message back
    delivered.refresh_from_db(), bounced.refresh_from_db()
    assert delivered.delivery_status == DeliveryStatus.DELIVERED
    assert bounced.delivery_status == DeliveryStatus.FAILED and bounced.delivery_detail == "numéro injoignable"
    page = client_for("reception").get(reverse("followup:messages") + "?status=envoye").content.decode()
    assert "Distribution :" in page and "remis" in page and "échoué" in page and "numéro injoignable" in page


def test_stop_in_reply_stops_every_later_sms_and_the_email_goes_instead(brevo, client, users, structure):
    youth = consenting(email="lea@exemple.fr")
    message = queue_sms(youth)
    outbox.deliver(message.pk)
    [sms] = brevo.received
    response = client.post(webhook(), json.dumps(brevo.event(sms, "replied", reply="Stop")),
                           content_type="application/json")
    assert response.status_code == 200
    opt_out = SmsOptOut.objects.get()
    assert opt_out.phone == "+33613757051" and opt_out.source == OptOutSource.STOP
    # A message of the outbox to that number is recorded « non envoyé », with the reason, and never sent.
    assert outbox.queue_message(MessageKind.EUROPASS, Channel.SMS, "stay:1", "", youth.phone, "Rappel") is False
    refused = SentMessage.objects.get(object_key="stay:1")
    assert refused.status == MessageStatus.REFUSED and "demandé à ne plus recevoir de SMS" in refused.last_error
    assert outbox.deliver(refused.pk) == ("skipped", None) and len(brevo.received) == 1
    # A step told to the young person goes by email instead.
    from followup.models import ContactPreference
    ContactPreference.objects.create(youth=youth, channel="sms")
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=structure, youth=youth)
    tell_youth(MessageKind.DIAGNOSTIC, "event:1", "", dossier, template="diagnostic", subject="Diagnostic",
               context={"ready": True}, sms="le diagnostic est fait", link="https://mobilite.exemple.fr/espace/",
               copy=False)
    assert list(SentMessage.objects.filter(object_key="event:1").values_list("channel", flat=True)) == [Channel.EMAIL]


def test_an_unsubscribe_event_is_an_opt_out_too(brevo, client):
    response = client.post(webhook(), json.dumps({"to": "33613757051", "msg_status": "unsubscribe", "messageId": 7}),
                           content_type="application/json")
    assert response.status_code == 200
    assert SmsOptOut.objects.get().source == OptOutSource.UNSUBSCRIBE


def test_an_sms_already_queued_when_stop_arrives_is_not_sent(brevo):
    youth = consenting()
    message = queue_sms(youth)
    SmsOptOut.objects.create(phone="+33613757051", source=OptOutSource.STOP, text="STOP")
    assert outbox.deliver(message.pk) == ("skipped", None)
    message.refresh_from_db()
    assert message.status == MessageStatus.REFUSED and brevo.received == []


def test_no_sms_without_consent(brevo):
    youth = YouthFactory(email="", phone="06 13 75 70 51")
    assert outbox.queue_message(MessageKind.EUROPASS, Channel.SMS, "stay:2", "", youth.phone, "Rappel") is False
    message = SentMessage.objects.get()
    assert message.status == MessageStatus.REFUSED and "n'a pas accepté de recevoir des SMS" in message.last_error


@pytest.mark.parametrize("body", [b"pas du json", b"[1, 2]", b'{"msg_status": "delivered"}', b'{"to": "33"}',
                                  b'{"msg_status": "replied", "reply": "STOP", "to": "abc"}', b"\xff\xfe"])
def test_a_bad_report_answers_400_never_500(brevo, client, body):
    response = client.post(webhook(), body, content_type="application/json")
    assert response.status_code == 400 and "Rapport illisible" in response.json()["erreur"]


def test_the_webhook_needs_its_secret(brevo, client, settings):
    assert client.post(webhook("mauvais"), "{}", content_type="application/json").status_code == 404
    assert client.get(webhook()).status_code == 405
    settings.IPM_SMS_WEBHOOK_TOKEN = ""
    assert client.post(webhook(TOKEN), "{}", content_type="application/json").status_code == 404
