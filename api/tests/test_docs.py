"""The API's Swagger UI at /api/v1/docs/: public like the schema, its files ours (drf-spectacular-sidecar),
its start script at a URL of its own so that the page holds no inline script or style (the CSP)."""
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_page_is_public_and_holds_no_inline_script_nor_style(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources  # no CDN
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_start_script_reads_our_schema(client):
    response = client.get("/api/v1/docs/?script=")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/v1/schema/"' in response.content.decode()
