"""Load test: counsellors, platform staff and managers browsing Ipm at once (see BENCHMARKS.md).

Run by bench/load.sh (gunicorn + PostgreSQL on 127.0.0.1). Each simulated user takes one account
written by bench/load_setup.py and logs in through the real pages, second factor included (the TOTP
code is computed from the account's device key, as the authenticator app would). Any error fails the
request (and the run: locust exits non-zero when a request failed).
"""
import json
import os
import random
import re
from binascii import unhexlify

from django_otp.oath import totp
from locust import HttpUser, between, events, task

ACCOUNTS = json.load(open(os.environ["IPM_LOAD_ACCOUNTS"]))
_free = list(ACCOUNTS["accounts"])
random.Random(1).shuffle(_free)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPORTS = ["departures", "funnel", "profile", "outcomes", "fej"]


class IpmUser(HttpUser):
    wait_time = between(1, 4)

    def on_start(self):
        self.account = _free.pop() if _free else random.choice(ACCOUNTS["accounts"])
        self.role = self.account["role"]
        page = self.client.get("/comptes/login/", name="connexion")
        token = CSRF.search(page.text).group(1)
        response = self.client.post("/comptes/login/", name="connexion", data={
            "csrfmiddlewaretoken": token, "username": self.account["username"], "password": self.account["password"]})
        if "double-authentification" in response.url:
            self.second_factor(response)

    def second_factor(self, response):
        key = unhexlify(self.account["key"].encode())
        # A code is accepted once per time step: wait for a fresh step if needed.
        token = CSRF.search(response.text).group(1)
        code = totp(key, step=self.account["step"], digits=self.account["digits"])
        with self.client.post(response.url, name="double authentification", catch_response=True, data={
                "csrfmiddlewaretoken": token, "token": f"{code:0{self.account['digits']}d}"}) as answer:
            if "double-authentification" in answer.url:
                answer.failure("code TOTP refusé")

    def page(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/comptes/" in response.url:
                response.failure("renvoyé vers la connexion")

    @task(5)
    def home_list(self):
        if self.role == "counsellor":
            self.page("/fiches/mes-jeunes/", "Mes jeunes")
        else:
            self.page("/dossiers/", "boîte de réception")

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

    @task(2)
    def staff_lists(self):
        if self.role in ("mobility", "reception"):
            url, name = random.choice([("/dossiers/a-traiter/", "listes de travail"), ("/departs/", "séjours en cours"),
                                       ("/suivi/", "appels de suivi"), ("/dossiers/commissions/", "commissions"),
                                       ("/fiches/reunions/", "réunions")])
            self.page(url, name)

    @task(2)
    def report(self):
        if self.role in ("manager", "counsellor"):
            name = random.choice(REPORTS)
            self.page(f"/rapports/{name}/", f"rapport {name}")

    @task(1)
    def export(self):
        if self.role == "manager":
            name, fmt = random.choice(REPORTS), random.choice(["csv", "xlsx", "pdf"])
            self.page(f"/rapports/{name}/telecharger.{fmt}", f"export {fmt}")


@events.quitting.add_listener
def _(environment, **_kw):
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
