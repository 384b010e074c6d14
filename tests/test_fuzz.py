"""Hostile input on every page: no request, however malformed, gives a server error.

The walk reuses the access matrix (tests/test_access_matrix.py: its URL patterns, its world of one
dossier per state, its URL arguments). For each role of ``FUZZ_ROLES`` that may open a page:

- GET the page with hostile query parameters (``page=abc``, ``page=-1``, a 20-digit page, ``q`` with a
  NUL byte or 10,000 characters, impossible or out-of-range dates, ``abc`` for ids), every field of the
  page's own search forms (``<form method=get>``) filled with the same junk;
- GET the page with a 20-digit id in its URL;
- for each ``<form method=post>`` of the page (deduplicated by action and fields across roles), POST the
  form as shown, then hostile variants of each field (a deterministic sample of ``HOSTILE``, at most
  ``VARIANTS_PER_FIELD`` per field), every field junk at once, an empty body, a body of invalid UTF-8
  and return addresses to another site;
- POST-only endpoints also get a body of junk ids.

No response may have the status 500 nor carry "Traceback"; an exception escaping a view fails the test
with the request that raised it. Every request runs in a savepoint rolled back afterwards.
Run it alone with ``make test ARGS="-q -p no:cacheprovider tests/test_fuzz.py"``.
"""
import logging
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import log_in
from tests.test_access_matrix import GET, MATRIX, OK, ROLES, url_kwargs, world  # noqa: F401 (world: fixture)

pytestmark = pytest.mark.django_db

FUZZ_ROLES = ("admin", "assistant", "manager", "counsellor")
ABSENT, REPEATED = object(), object()
HOSTILE = ["abc", "", ABSENT, REPEATED, "-1", "9" * 30, "31/12/9999", "x" * 10_000, "a\x00b", "01/01/0001",
           "2026-02-30", "0"]
VARIANTS_PER_FIELD = 1
HOSTILE_QUERIES = [
    {"page": "abc", "q": "jeune\x00nul", "pk": "abc", "depuis": "31/12/9999", "jusqu_a": "01/01/0001"},
    {"page": "-1", "q": "x" * 10_000, "date": "2026-02-30", "structure": "abc", "statut": "\x00"},
    {"page": "99999999999999999999", "q": "", "depuis": "2026-02-30", "id": "9" * 30, "tri": "abc"},
]
FIELD_JUNK = ["abc", "31/12/9999\x00"]
NEXT_JUNK = ["foo", "//evil.example/"]
SKIP_POST_ACTIONS = {"logout"}  # would end the session of the walk


class FormParser(HTMLParser):
    """The forms of a page: method, action and the fields with the values the page proposes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                          "fields": {}, "files": [], "button": None}
            self.forms.append(self._form)
        form = self._form
        if tag == "option" and form is not None and self._select:
            if "selected" in attrs or not form["fields"].get(self._select):
                form["fields"][self._select] = attrs.get("value", "")
            return
        if form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs or name not in form["fields"]:
                    form["fields"][name] = attrs.get("value", "on")
            elif kind in ("submit", "image", "button", "reset"):
                if form["button"] is None:
                    form["button"] = (name, attrs.get("value", ""))
            else:
                form["fields"][name] = attrs.get("value", "")
        elif tag == "button" and form["button"] is None:
            form["button"] = (name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
            form["fields"].setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def baseline(form):
    data = dict(form["fields"])
    if form["button"]:
        data.setdefault(*form["button"])
    return data


def post_variants(form):
    """(label, data) of the hostile POSTs of one form, a deterministic bounded sample."""
    data = baseline(form)
    yield "as shown", data
    for index, name in enumerate(sorted(data)):  # the sample rotates through HOSTILE from field to field
        if name in ("csrfmiddlewaretoken",):
            continue
        values = NEXT_JUNK if name == "next" else [
            HOSTILE[(index * VARIANTS_PER_FIELD + k) % len(HOSTILE)] for k in range(VARIANTS_PER_FIELD)]
        for value in values:
            variant = dict(data)
            if value is ABSENT:
                del variant[name]
            elif value is REPEATED:
                variant[name] = [data[name], "abc"]
            else:
                variant[name] = value
            yield f"{name}={str(value)[:20]!r}", variant
    for junk in FIELD_JUNK:
        yield f"every field {junk[:12]!r}", {name: junk for name in data}
    yield "empty body", {}
    yield "next to another site", {**data, "next": "//evil.example/"}


def request_safely(client, failures, label, method, url, **kwargs):
    """One request in a savepoint rolled back afterwards; its server error (status 500, a traceback in
    the body, an exception) is added to ``failures``. Returns the response (None on an exception)."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, **kwargs)
            transaction.set_rollback(True)
    except Exception as exc:  # the test client re-raises what escaped the view
        failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:300]}")
        return None
    body = response.content if not getattr(response, "streaming", False) else b""
    if response.status_code >= 500 or b"Traceback" in body:
        failures.append(f"{label}: status {response.status_code}")
    return response


def may_open(name, role):
    expected = MATRIX[name][2]
    return expected[ROLES.index(role)] == OK


def huge_ids(kwargs):
    return {key: (99999999999999999999 if isinstance(value, int) else value) for key, value in kwargs.items()}


def test_no_server_error_under_hostile_input(client, users, world):  # noqa: F811 (the fixture)
    failures, seen_forms, counts = [], set(), {"GET": 0, "POST": 0}
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the failures are listed below
    for role_index, role in enumerate(FUZZ_ROLES):
        client.logout()
        log_in(client, users[role])
        for name, (method, args, _) in MATRIX.items():
            if not may_open(name, role) or name in SKIP_POST_ACTIONS:
                continue
            kwargs = url_kwargs(world, args)
            url = reverse(name, kwargs=kwargs)
            if method != GET:
                counts["POST"] += 1
                request_safely(client, failures, f"{role} POST {url} junk ids", "post", url,
                               data={"dossiers": ["abc", "9" * 30], "meeting": "abc", "to": "abc",
                                     "next": "//evil.example/"})
                continue
            page = request_safely(client, failures, f"{role} GET {url}", "get", url)
            counts["GET"] += 1
            if page is None or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            forms = forms_of(page.content.decode())
            get_fields = {field for form in forms if form["method"] == "get" for field in form["fields"]}
            # The first role gets every hostile query, the others one (their pages differ little).
            for index, query in enumerate(HOSTILE_QUERIES if role == FUZZ_ROLES[0] else HOSTILE_QUERIES[role_index:][:1]):
                query = {**query, **{field: FIELD_JUNK[index % len(FIELD_JUNK)] for field in get_fields}}
                counts["GET"] += 1
                request_safely(client, failures, f"{role} GET {url} {sorted(query)}", "get", url, data=query)
            if role == FUZZ_ROLES[0] and any(isinstance(value, int) for value in kwargs.values()):
                counts["GET"] += 1
                request_safely(client, failures, f"{role} GET {name} huge id", "get",
                               reverse(name, kwargs=huge_ids(kwargs)))
            for form in forms:
                if form["method"] != "post":
                    continue
                action = form["action"] or url
                path = urlsplit(action).path
                if path in (reverse("logout"), reverse("login")):
                    continue
                key = path  # one form per action, whichever role or page shows it
                if key in seen_forms:
                    continue
                seen_forms.add(key)
                for label, data in post_variants(form):
                    counts["POST"] += 1
                    request_safely(client, failures, f"{role} POST {action} ({label})", "post", action, data=data)
                counts["POST"] += 1
                request_safely(client, failures, f"{role} POST {action} (invalid UTF-8)", "post", action,
                               data=b"next=%FF%FE&q=\xff\xfe\xfd", content_type="application/x-www-form-urlencoded")
    logging.getLogger("django.request").setLevel(logging.NOTSET)
    print("\n".join(failures))
    print(f"fuzz: {counts['GET']} GET, {counts['POST']} POST, {len(seen_forms)} forms")
    assert counts["POST"] > 300 and len(seen_forms) > 40, counts
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def test_the_form_parser_reads_fields_selects_textareas_and_the_button():
    forms = forms_of(
        '<form method="POST" action="/x/"><input type="hidden" name="t" value="1">'
        '<input type="checkbox" name="c" value="7"><select name="s"><option value="">--</option>'
        '<option value="3" selected>3</option></select><textarea name="n">bonjour</textarea>'
        '<button name="to" value="recu">Go</button></form><form><input name="q"></form>'
    )
    assert forms[0]["method"] == "post" and forms[0]["action"] == "/x/"
    assert baseline(forms[0]) == {"t": "1", "c": "7", "s": "3", "n": "bonjour", "to": "recu"}
    assert forms[1]["method"] == "get" and forms[1]["fields"] == {"q": ""}
