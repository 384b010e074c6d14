"""A loopback HTTP server that speaks Brevo's transactional SMS API as documented (the real service
cannot be reached from the test machines): ``POST /v3/transactionalSMS/send`` with the ``api-key``
header and a JSON body (``sender``, ``recipient``, ``content``, ``type``…), answering ``201
{"messageId": …}`` or Brevo's error bodies (``{"code": …, "message": …}``); it can then post delivery
reports and replies to the ``webUrl`` each message gave, as Brevo's webhook does."""
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "xkeysib-cle-de-test"


class FakeBrevo:
    def __init__(self, api_key=API_KEY):
        self.api_key = api_key
        self.received = []  # the JSON bodies of the SMS accepted
        self.requests = []  # every request: (path, headers, body)
        self.script = []  # answers to give first: (status, body) or "hang"
        self.next_id = 1511882900176220
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, answer = fake.answer(self.path, self.headers, body)
                if status == "hang":
                    threading.Event().wait(3)
                    return
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path, headers, raw):
        if path != "/v3/transactionalSMS/send":
            return 404, {"code": "document_not_found", "message": "Invalid route"}
        if headers.get("api-key") != self.api_key:
            return 401, {"code": "unauthorized", "message": "Key not found"}
        if not (headers.get("content-type") or "").startswith("application/json"):
            return 400, {"code": "invalid_parameter", "message": "Content-Type must be application/json"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"code": "invalid_parameter", "message": "Invalid JSON"}
        for name in ("sender", "recipient", "content"):
            if not body.get(name):
                return 400, {"code": "missing_parameter", "message": f"{name} is missing"}
        if not str(body["recipient"]).isdigit() or len(body["sender"]) > 11:
            return 400, {"code": "invalid_parameter", "message": "Invalid recipient or sender"}
        with self.lock:
            if self.script:
                return self.script.pop(0)
            self.next_id += 1
            body["messageId"] = self.next_id
            self.received.append(body)
            return 201, {"messageId": self.next_id}

    def event(self, sms, msg_status, **extra):
        """A webhook payload as Brevo posts it for one SMS it accepted."""
        return {"id": 26570, "to": sms["recipient"], "sms_count": 1, "credits_used": 0.045,
                "messageId": sms["messageId"], "remaining_credit": 118.8, "msg_status": msg_status,
                "date": "2026-12-02 10:15:00", "type": "transactional", "reference": "ab1cde2fgh3i4jklmno",
                "tag": sms.get("tag", ""), **extra}

    def post_event(self, sms, msg_status, **extra):
        """Post the event to the message's ``webUrl``, as Brevo does; returns the HTTP status."""
        request = urllib.request.Request(sms["webUrl"], method="POST",
                                         data=json.dumps(self.event(sms, msg_status, **extra)).encode(),
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
