"""Load test: counsellors, platform staff and managers browsing Ipm at once (see BENCHMARKS.md).

Run by bench/load.sh: gunicorn over HTTPS (self-signed certificate, not checked here) with the
production settings, PostgreSQL on 127.0.0.1. Each simulated user takes one account written by
bench/load_setup.py and logs in through the real pages, second factor included (the TOTP code is
computed from the account's device key, as the authenticator app would). The session and CSRF cookies
are ``Secure``: they travel because the connection is HTTPS. Forms are posted with the Referer a
browser sends (Django's CSRF check requires it over HTTPS). Any error fails the request (and the run:
locust exits non-zero when a request failed).

Every role browses its main pages and downloads what it can: report CSV, XLSX and PDF (each report's
PDF under its own name), contracts, pieces of dossiers, commission minutes, and a static file.
"""
import json
import os
import random
import re
from binascii import unhexlify

import urllib3
from django_otp.oath import totp
from locust import HttpUser, between, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

ACCOUNTS = json.load(open(os.environ["IPM_LOAD_ACCOUNTS"]))
_free = list(ACCOUNTS["accounts"])
random.Random(1).shuffle(_free)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'<link[^>]+href="(/static/[^"]+\.css)"')
REPORTS = ["departures", "funnel", "profile", "outcomes", "fej"]
STAFF_PAGES = [("/dossiers/a-traiter/", "listes de travail"), ("/departs/", "séjours en cours"),
               ("/departs/a-venir/", "départs à venir"), ("/suivi/", "appels de suivi"),
               ("/dossiers/commissions/", "commissions"), ("/fiches/reunions/", "réunions"),
               ("/suivi/messages/", "messages envoyés")]


class IpmUser(HttpUser):
    wait_time = between(1, 4)

    def on_start(self):
        self.client.verify = False  # the throw-away self-signed certificate of bench/prod_server.py
        self.account = _free.pop() if _free else random.choice(ACCOUNTS["accounts"])
        self.role = self.account["role"]
        self.stylesheet = None
        page = self.client.get("/comptes/login/", name="connexion")
        token = CSRF.search(page.text).group(1)
        with self.client.post("/comptes/login/", name="connexion", catch_response=True, headers={"Referer": page.url},
                              data={"csrfmiddlewaretoken": token, "username": self.account["username"],
                                    "password": self.account["password"]}) as response:
            if "/comptes/login/" in response.url:
                response.failure("connexion refusée")
        if "double-authentification" in response.url:
            self.second_factor(response)

    def second_factor(self, response):
        key = unhexlify(self.account["key"].encode())
        token = CSRF.search(response.text).group(1)
        code = totp(key, step=self.account["step"], digits=self.account["digits"])
        with self.client.post(response.url, name="double authentification", catch_response=True,
                              headers={"Referer": response.url},
                              data={"csrfmiddlewaretoken": token, "token": f"{code:0{self.account['digits']}d}"}) as answer:
            if "double-authentification" in answer.url:
                answer.failure("code TOTP refusé")

    def page(self, url, name, download=None):
        """GET ``url``; a page must be HTML of a signed-in user, a download an attachment of its type."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/comptes/" in response.url:
                response.failure("renvoyé vers la connexion")
            elif download and download not in response.headers.get("Content-Type", ""):
                response.failure(f"pas un fichier {download}: {response.headers.get('Content-Type')}")
            elif download is None and self.stylesheet is None:
                found = STYLESHEET.search(response.text)
                self.stylesheet = found.group(1) if found else ""
        return response

    @task(5)
    def home_list(self):
        if self.role == "counsellor":
            self.page("/fiches/mes-jeunes/", "Mes jeunes")
        else:
            self.page("/dossiers/", "boîte de réception")

    @task(1)
    def home(self):
        self.page("/", "accueil")

    @task(4)
    def search(self):
        if self.role == "counsellor":
            return self.page("/fiches/mes-jeunes/?q=" + random.choice(ACCOUNTS["names"]).split()[0], "Mes jeunes (recherche)")
        self.page("/dossiers/?q=" + random.choice(ACCOUNTS["names"]).replace(" ", "+"), "recherche par nom")

    @task(5)
    def dossier(self):
        ids = self.account["dossiers"] if self.role == "counsellor" else ACCOUNTS["dossiers"]
        if ids:
            self.page(f"/dossiers/{random.choice(ids)}/", "page dossier")

    @task(1)
    def new_fiche(self):
        if self.role == "counsellor":
            self.page("/fiches/nouvelle/", "nouvelle fiche")

    @task(3)
    def staff_lists(self):
        if self.role in ("mobility", "reception"):
            self.page(*random.choice(STAFF_PAGES))

    @task(2)
    def report(self):
        if self.role in ("manager", "counsellor"):
            name = random.choice(REPORTS)
            self.page(f"/rapports/{name}/", f"rapport {name}")

    @task(1)
    def report_index(self):
        if self.role == "manager":
            self.page("/rapports/", "rapports (catalogue)")

    @task(3)
    def export(self):
        if self.role == "manager":
            name, fmt = random.choice(REPORTS), random.choice(["csv", "xlsx", "pdf"])
            label = f"export pdf {name}" if fmt == "pdf" else f"export {fmt}"
            kind = {"csv": "text/csv", "xlsx": "spreadsheetml", "pdf": "application/pdf"}[fmt]
            self.page(f"/rapports/{name}/telecharger.{fmt}", label, download=kind)

    @task(1)
    def contract(self):
        pairs = self.account["contracts"] if self.role == "counsellor" else ACCOUNTS["contracts"]
        if pairs and self.role != "reception":
            dossier, version = random.choice(pairs)
            self.page(f"/departs/dossier/{dossier}/contrat/v{version}.pdf", "contrat PDF", download="application/pdf")

    @task(1)
    def document(self):
        if self.role in ("mobility", "reception") and ACCOUNTS["documents"]:
            dossier, document = random.choice(ACCOUNTS["documents"])
            self.page(f"/dossiers/{dossier}/pieces/fichier/{document}/", "pièce du dossier", download="application/pdf")

    @task(1)
    def minutes(self):
        if self.role in ("mobility", "manager") and ACCOUNTS["commissions"]:
            session = random.choice(ACCOUNTS["commissions"])
            self.page(f"/dossiers/commissions/{session}/proces-verbal.pdf", "procès-verbal PDF",
                      download="application/pdf")

    @task(1)
    def static(self):
        if self.stylesheet:
            with self.client.get(self.stylesheet, name="fichier statique (CSS)", catch_response=True) as response:
                if response.status_code != 200 or "text/css" not in response.headers.get("Content-Type", ""):
                    response.failure(f"HTTP {response.status_code}")


@events.quitting.add_listener
def _(environment, **_kw):
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
