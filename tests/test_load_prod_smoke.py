"""The production-mode server of the load test (bench/prod_server.py, run by bench/load.sh) starts and
behaves as production does, in seconds: gunicorn over HTTPS with its throw-away certificate, DEBUG
off (no technical error page), HSTS, Secure cookies that a real cookie jar sends back over HTTPS only,
a login through the page that ends on the second factor, and a collected static file served by
WhiteNoise. The load figures themselves are in BENCHMARKS.md."""
import http.cookiejar
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from bench import prod_server
from ipm.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Essai-production-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = urllib.parse.quote(db["PASSWORD"] or "")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production-mode server shares the test database: PostgreSQL only")
    env = prod_server.prepare(tmp_path, quick=True)
    env.update(DATABASE_URL=database_url(), CONN_MAX_AGE="0")
    port = free_port()
    process = prod_server.start(tmp_path, port, env, workers=1, error_log=str(tmp_path / "gunicorn.log"))
    base = f"https://127.0.0.1:{port}"
    try:
        assert prod_server.wait(base + "/comptes/login/", 60), (tmp_path / "gunicorn.log").read_text()
        yield base
    finally:
        process.terminate()
        process.wait(10)


def test_production_mode_server_over_https(server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the server's default
    user = UserFactory(role=Role.MANAGER, username="responsable-prod")
    user.set_password(PASSWORD)
    user.save()
    jar = http.cookiejar.CookieJar()
    https = urllib.request.HTTPSHandler(context=prod_server.insecure_context())
    browser = urllib.request.build_opener(https, urllib.request.HTTPCookieProcessor(jar))

    page = browser.open(server + "/comptes/login/")
    body = page.read().decode()
    assert page.status == 200
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    assert all(cookie.secure for cookie in jar) and {c.name for c in jar} == {"csrftoken"}

    stylesheet = re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', body).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # collected, hashed name (manifest storage)
    static = browser.open(server + stylesheet)
    assert static.status == 200 and "text/css" in static.headers["Content-Type"]

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user.username,
                                   "password": PASSWORD}).encode()
    login = browser.open(urllib.request.Request(server + "/comptes/login/", data=data,
                                                headers={"Referer": server + "/comptes/login/"}))
    assert "/comptes/double-authentification/" in login.url  # two-factor required, as in production
    session = [cookie for cookie in jar if cookie.name == "sessionid"]
    assert session and session[0].secure

    no_redirect = urllib.request.build_opener(https, NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as missing:
        no_redirect.open(server + "/cette-page-n-existe-pas/")
    assert missing.value.code == 404
    assert "URLconf" not in missing.value.read().decode()  # DEBUG off: no technical page
