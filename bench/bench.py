"""Ipm benchmark: median and p95 of the main pages, the reports (page, CSV, XLSX, PDF, and each report
against hand-written SQL), a fiche submission, the daily follow-up task, and a large streamed XLSX export.

    bench/run.sh                                  # PostgreSQL, 200,000 young people (see BENCHMARKS.md)
    bench/run.sh --youths 2000 --runs 5           # a quick look
    .venv/bin/python bench/bench.py --help        # against the database of DATABASE_URL

Requests go through Django's test client (the whole stack: middleware, sessions, templates), logged in
as the test suite does (``conftest.log_in``: a session with the second factor already verified).
The data set is made by ``generate_data`` unless the database already holds it (``--no-generate``).
Results are printed as Markdown tables and, with ``--json FILE``, saved.
"""
import argparse
import datetime
import json
import math
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REPORTS = ["departures", "funnel", "profile", "outcomes", "fej"]
PAGE_TARGET_MS = 150
REPORT_TARGET_MS = 1000
REPORT_SQL_RATIO = 2.0
XLSX_TARGET_S = 10


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timed(function, runs, warmup=1):
    """Run ``function(i)`` ``warmup`` + ``runs`` times; the times (ms) of the measured runs."""
    for i in range(warmup):
        function(-1 - i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        function(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times):
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "runs": len(times)}


class Bench:
    def __init__(self, runs, report_runs, out=print, seed=7):
        self.runs, self.report_runs, self.out = runs, report_runs, out
        self.rng = random.Random(seed)
        self.results = {"pages": {}, "reports": {}, "exports": {}, "tasks": {}, "xlsx": {}}

    # --- set-up ---------------------------------------------------------------------------------------
    def users(self):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from ipm.enums import Role
        from ipm.models import User
        from ipm.twofactor import requires_2fa
        from referrals.models import Structure

        # The counsellor works in the structure with the most dossiers (the heaviest « Mes jeunes »).
        from django.db.models import Count

        structure = Structure.objects.annotate(n=Count("dossiers")).order_by("-n").first()
        self.structure = structure
        clients = {}
        for role in (Role.COUNSELLOR, Role.RECEPTION, Role.MOBILITY, Role.MANAGER):
            user, _ = User.objects.get_or_create(username=f"bench-{role}", defaults={
                "role": role, "first_name": "Banc", "last_name": "D'essai",
                "structure": structure if role == Role.COUNSELLOR else None})
            client = Client()
            client.force_login(user)
            if requires_2fa(user):
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                    user=user, name="Banc d'essai", confirmed=True)
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            clients[str(role)] = (client, user)
        self.clients = clients
        # A generated platform counsellor: their own work lists and follow-up calls are the real ones.
        return clients

    def get(self, role, url, expect=200):
        client = self.clients[role][0]
        response = client.get(url)
        if response.status_code != expect:
            raise AssertionError(f"{url} ({role}): HTTP {response.status_code}, {expect} attendu")
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        return response

    def record(self, section, label, times, **extra):
        entry = {**summary(times), **extra}
        self.results[section][label] = entry
        self.out(f"  {label:<48} median {entry['median_ms']:>8.1f} ms   p95 {entry['p95_ms']:>8.1f} ms")
        return entry

    # --- pages ------------------------------------------------------------------------------------------
    def pages(self):
        from django.urls import reverse

        from dossiers.models import Dossier, Youth
        from dossiers.models import CommissionSession
        from referrals.models import Meeting

        self.out("Pages (test client, the whole stack)")
        names = list(Youth.objects.order_by("?").values_list("last_name", "first_name")[:200]) or [("Martin", "Léa")]
        dossier_ids = list(Dossier.objects.order_by("?").values_list("pk", flat=True)[:500])
        own_ids = list(Dossier.objects.filter(structure=self.structure).values_list("pk", flat=True)[:500])
        own_names = list(Youth.objects.filter(dossiers__structure=self.structure).values_list("last_name", flat=True)[:200])
        session = CommissionSession.objects.order_by("-date").first()
        meeting = Meeting.objects.order_by("-date").first()
        rng = self.rng
        cases = [
            ("Boîte de réception (accueil)", "reception", lambda i: reverse("dossiers:inbox")),
            ("Boîte de réception, page 50", "reception", lambda i: reverse("dossiers:inbox") + "?page=50"),
            ("Recherche par nom (nom + prénom)", "reception",
             lambda i: reverse("dossiers:inbox") + "?q=" + "+".join(rng.choice(names))),
            ("Recherche par nom (début du nom)", "mobility",
             lambda i: reverse("dossiers:inbox") + "?q=" + rng.choice(names)[0][:4]),
            ("Recherche filtrée (en cours, structure)", "mobility",
             lambda i: reverse("dossiers:inbox") + f"?state=actifs&structure={self.structure.pk}"),
            ("Page dossier (plateforme)", "mobility", lambda i: reverse("dossiers:detail", args=[rng.choice(dossier_ids)])),
            ("Page dossier (conseiller ML)", "counsellor",
             lambda i: reverse("dossiers:detail", args=[rng.choice(own_ids or dossier_ids)])),
            ("Mes jeunes (conseiller ML)", "counsellor", lambda i: reverse("referrals:my_youths")),
            ("Mes jeunes, recherche par nom (conseiller ML)", "counsellor",
             lambda i: reverse("referrals:my_youths") + "?q=" + rng.choice(own_names or [n[0] for n in names])),
            ("Listes de travail", "mobility", lambda i: reverse("dossiers:worklists")),
            ("Commissions", "mobility", lambda i: reverse("dossiers:commission_list")),
            ("Réunions", "mobility", lambda i: reverse("referrals:meeting_list")),
            ("Séjours en cours", "mobility", lambda i: reverse("departures:stays")),
            ("Départs à venir", "mobility", lambda i: reverse("departures:upcoming")),
            ("Appels de suivi", "mobility", lambda i: reverse("followup:calls")),
            ("Messages envoyés", "mobility", lambda i: reverse("followup:messages")),
        ]
        if session is not None:
            cases.append(("Commission (ordre du jour)", "mobility",
                          lambda i: reverse("dossiers:commission_detail", args=[session.pk])))
        if meeting is not None:
            cases.append(("Réunion (invités)", "mobility", lambda i: reverse("referrals:meeting_detail", args=[meeting.pk])))
        for label, role, url in cases:
            times = timed(lambda i, role=role, url=url: self.get(role, url(i)), self.runs)
            self.record("pages", label, times, target_ms=PAGE_TARGET_MS)

    # --- reports ------------------------------------------------------------------------------------------
    def reports(self):
        from django.db import connection
        from django.urls import reverse
        from django.utils import timezone

        from reporting import reports
        from reporting.filters import ReportFilters

        from bench import report_sql

        self.out("Reports: function vs hand-written SQL, page, downloads")
        manager = self.clients["manager"][1]
        today = timezone.localdate()
        for name in REPORTS:
            report = reports.build(name, ReportFilters(user=manager))
            with connection.cursor() as cursor:
                differences = report_sql.compare(name, report, cursor, today)
            if differences:
                sample = dict(list(differences.items())[:5])
                raise AssertionError(f"{name}: the report and the SQL disagree on {len(differences)} figures: {sample}")
            function_times = timed(lambda i, name=name: reports.build(name, ReportFilters(user=manager)),
                                   self.report_runs)

            def run_sql(i, name=name):
                with connection.cursor() as cursor:
                    report_sql.SQL[name](cursor, today)

            sql_times = timed(run_sql, self.report_runs)
            ratio = statistics.median(function_times) / max(statistics.median(sql_times), 0.001)
            entry = self.record("reports", f"{name}: rapport (fonction)", function_times, target_ms=REPORT_TARGET_MS)
            self.record("reports", f"{name}: SQL écrit à la main", sql_times)
            entry["sql_ratio"] = round(ratio, 2)
            entry["same_figures"] = True
            self.out(f"  {name}: same figures as the SQL ({len(report_sql.FROM_REPORT[name](report))} figures), "
                     f"ratio {ratio:.2f}")
            # Pages and downloads are kept in the file cache (reporting/cache.py): each run renews the data
            # generation first, so that it is counted and rendered as the first view after a change is;
            # the page seen again (from the cache) is measured apart.
            page_url = reverse("reporting:report", args=[name])
            page = timed(lambda i: self.after_change("manager", page_url), self.report_runs)
            self.record("reports", f"{name}: page", page, target_ms=REPORT_TARGET_MS)
            page = timed(lambda i: self.get("manager", page_url), self.report_runs)
            self.record("reports", f"{name}: page (revue, du cache)", page, target_ms=REPORT_TARGET_MS)
            page = timed(lambda i: self.after_change("counsellor", page_url), self.report_runs)
            self.record("reports", f"{name}: page (conseiller ML, sa structure)", page, target_ms=REPORT_TARGET_MS)
            for fmt in ("csv", "xlsx", "pdf"):
                download_url = reverse("reporting:download", args=[name, fmt])
                times = timed(lambda i, url=download_url: self.after_change("manager", url), self.report_runs)
                self.record("exports", f"{name}.{fmt}", times, target_ms=REPORT_TARGET_MS)

    def after_change(self, role, url):
        """``get`` once the reports' data generation is renewed: nothing current in the file cache."""
        from reporting import cache as report_cache

        report_cache.bump()
        return self.get(role, url)

    # --- writes and tasks -----------------------------------------------------------------------------------
    def fiche(self):
        from django.urls import reverse

        from referrals.models import Referral

        self.out("Fiche submission (conseiller ML, POST, new young person)")
        counsellor = self.clients["counsellor"][0]
        born = datetime.date.today() - datetime.timedelta(days=21 * 365)
        before = Referral.objects.count()

        def submit(i):
            data = {
                "action": "submit", "last_name": f"Banc{abs(i)}x{self.rng.randint(0, 10**9)}", "first_name": "Nathan",
                "birth_date": born.isoformat(), "sex": "M", "nationality": "FR", "email": "nathan@exemple.fr",
                "phone": "06 12 34 56 78", "address": "3 rue de la Paix", "postcode": "42000",
                "town": "Saint-Étienne", "qpv": "true", "zrr": "false", "qualification_level": "V",
                "employment_status": "demandeur_emploi", "registered_france_travail": "true",
                "unemployment_rights": "non", "housing": "parents", "social_security": "css", "resources": "cej",
                "driving_licence": "false", "passport": "valide", "languages": "Anglais A2",
                "wished_destination": "Irlande", "wished_sector": "Hôtellerie", "motivation": "Apprendre l'anglais.",
                "availability": "Dès le mois prochain", "consent": "on",
            }
            response = counsellor.post(reverse("referrals:create"), data)
            if response.status_code != 302:
                raise AssertionError(f"fiche refused: HTTP {response.status_code}")

        times = timed(submit, self.runs)
        submitted = Referral.objects.count() - before
        if submitted != self.runs + 1:
            raise AssertionError(f"{submitted} fiches recorded for {self.runs + 1} submissions")
        self.record("tasks", "Envoi d'une fiche (POST)", times, target_ms=PAGE_TARGET_MS)

    def daily_followup(self):
        from django.utils import timezone

        from followup.tasks import daily_followup

        self.out("Daily follow-up task (one run per day, the days after today)")
        today = timezone.localdate()
        made = []

        def run(i):
            made.append(daily_followup((today + datetime.timedelta(days=i + 2)).isoformat()))

        times = timed(run, self.report_runs)
        calls = sum(m["calls"] for m in made[1:])
        self.record("tasks", "Tâche quotidienne du suivi", times, calls_created=calls,
                    messages=sum(m["links"] + m["digests"] for m in made[1:]))

    # --- streamed XLSX ----------------------------------------------------------------------------------------
    def xlsx(self, rows):
        """The Erasmus+ export of ``rows`` stays (one scheme, one year), and of a tenth of it: time, and the
        peak of Python memory (tracemalloc) while it is built, which must not grow with the rows. The
        stays are made in a transaction rolled back at the end."""
        from django.db import transaction
        from django.urls import reverse

        from departures.models import FundingAgreement, Scheme, Stay
        from dossiers.models import Dossier, Youth
        from dossiers.workflow import State
        from reporting import erasmus

        self.out(f"Streamed XLSX export (Erasmus+): {rows // 10} and {rows} rows")
        year = datetime.date.today().year - 1
        with transaction.atomic():
            sizes = {}
            for n in (rows // 10, rows):
                scheme = Scheme.objects.create(name=f"Banc d'essai XLSX {n}")
                youths = Youth.objects.bulk_create([
                    Youth(last_name=f"Export{i}", first_name="Léa", birth_date=datetime.date(2000, 1, 1)
                          + datetime.timedelta(days=i % 3000), sex="F", match_key=f"bench-xlsx-{n}-{i}",
                          search_name=f"export{i} lea") for i in range(n)], batch_size=5000)
                dossiers = Dossier.objects.bulk_create([
                    Dossier(youth=y, structure=self.structure, state=State.CLOSED, received_on=datetime.date(year, 1, 2),
                            scheme=scheme) for y in youths], batch_size=5000)
                Stay.objects.bulk_create([
                    Stay(dossier=d, scheme=scheme, country="IE", city="Dublin",
                         departure_date=datetime.date(year, 1, 3) + datetime.timedelta(days=i % 300),
                         return_date=datetime.date(year, 1, 3) + datetime.timedelta(days=i % 300 + 60))
                    for i, d in enumerate(dossiers)], batch_size=5000)
                sizes[n] = FundingAgreement.objects.create(
                    funder="erasmus", year=year, scheme=scheme, places=n,
                    grant_agreement_number=f"{year}-1-FR01-KA122-VET-{n:09d}")
            for n, agreement in sizes.items():
                url = reverse("reporting:erasmus") + f"?agreement={agreement.pk}&format=xlsx&anyway=1"
                started = time.perf_counter()
                response = self.get("mobility", url)
                elapsed = time.perf_counter() - started
                size = len(b"".join(response.streaming_content)) if getattr(response, "streaming", False) \
                    else len(response.content)
                tracemalloc.start()
                content = erasmus.export(agreement)
                if hasattr(content, "read"):
                    while content.read(1 << 16):
                        pass
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                self.results["xlsx"][n] = {"seconds": round(elapsed, 2), "peak_python_mb": round(peak / 2**20, 1),
                                           "file_kb": round(size / 1024), "target_s": XLSX_TARGET_S}
                self.out(f"  {n:>7} rows: {elapsed:6.2f} s, file {size / 1024:8.0f} kB, "
                         f"peak Python memory {peak / 2**20:6.1f} MB")
            transaction.set_rollback(True)

    # --- report -------------------------------------------------------------------------------------------
    def misses(self):
        """The targets missed: a list of sentences (empty when every target is met)."""
        missed = []
        for section in ("pages", "tasks"):
            for label, entry in self.results[section].items():
                if entry.get("target_ms") and entry["p95_ms"] > entry["target_ms"]:
                    missed.append(f"{label}: p95 {entry['p95_ms']} ms > {entry['target_ms']} ms")
        for section in ("reports", "exports"):
            for label, entry in self.results[section].items():
                if entry.get("target_ms") and entry["p95_ms"] > entry["target_ms"]:
                    missed.append(f"{label}: p95 {entry['p95_ms']} ms > {entry['target_ms']} ms")
                if entry.get("sql_ratio", 0) > REPORT_SQL_RATIO:
                    missed.append(f"{label}: {entry['sql_ratio']} × the hand-written SQL > {REPORT_SQL_RATIO}")
        xlsx = self.results["xlsx"]
        if xlsx:
            small, large = min(xlsx), max(xlsx)
            if xlsx[large]["seconds"] > XLSX_TARGET_S:
                missed.append(f"XLSX {large} rows: {xlsx[large]['seconds']} s > {XLSX_TARGET_S} s")
            if xlsx[large]["peak_python_mb"] > 2 * xlsx[small]["peak_python_mb"] + 5:
                missed.append(f"XLSX memory grows with the rows: {xlsx[small]['peak_python_mb']} MB for {small}, "
                              f"{xlsx[large]['peak_python_mb']} MB for {large}")
        return missed

    def markdown(self):
        lines = []
        for section, title in (("pages", "Pages"), ("tasks", "Écritures et tâches"), ("reports", "Rapports"),
                               ("exports", "Téléchargements des rapports")):
            if not self.results[section]:
                continue
            lines += [f"### {title}", "", "| Mesure | Médiane (ms) | p95 (ms) | Cible | Rapport au SQL |",
                      "|---|---:|---:|---|---:|"]
            for label, e in self.results[section].items():
                target = f"p95 < {e['target_ms']} ms" if e.get("target_ms") else ""
                ratio = f"{e['sql_ratio']:.2f}" if "sql_ratio" in e else ""
                lines.append(f"| {label} | {e['median_ms']:.1f} | {e['p95_ms']:.1f} | {target} | {ratio} |")
            lines.append("")
        if self.results["xlsx"]:
            lines += ["### Export XLSX (Erasmus+)", "", "| Lignes | Durée (s) | Fichier (ko) | Pic mémoire Python (Mo) |",
                      "|---:|---:|---:|---:|"]
            for n, e in sorted(self.results["xlsx"].items()):
                lines.append(f"| {n} | {e['seconds']:.2f} | {e['file_kb']} | {e['peak_python_mb']:.1f} |")
            lines.append("")
        return "\n".join(lines)


def dataset_size():
    from departures.models import Stay
    from dossiers.models import Dossier, DossierEvent, Youth
    from followup.models import FollowUpCall

    return {"youths": Youth.objects.count(), "dossiers": Dossier.objects.count(),
            "events": DossierEvent.objects.count(), "stays": Stay.objects.count(),
            "calls": FollowUpCall.objects.count()}


def run(youths=200000, runs=20, report_runs=5, xlsx_rows=30000, generate=True, only=None, out=print):
    """Generate the data set when asked (and the database holds fewer young people), then measure.
    Returns the Bench (its ``results``, ``misses()`` and ``markdown()``)."""
    from django.core.management import call_command

    from dossiers.models import Youth

    if generate and Youth.objects.count() < youths:
        started = time.perf_counter()
        call_command("generate_data", youths=youths, force=True, stdout=sys.stdout if out is print else _Null())
        out(f"generate_data --youths {youths}: {time.perf_counter() - started:.0f} s")
    bench = Bench(runs, report_runs, out)
    bench.results["dataset"] = dataset_size()
    out(f"Data set: {bench.results['dataset']}")
    bench.users()
    steps = {"pages": bench.pages, "reports": bench.reports, "fiche": bench.fiche, "followup": bench.daily_followup,
             "xlsx": lambda: bench.xlsx(xlsx_rows)}
    for name, step in steps.items():
        if only and name not in only:
            continue
        if name == "xlsx" and not xlsx_rows:
            continue
        step()
    return bench


# The settings recommended for Ipm's database (BENCHMARKS.md): JIT compilation cost 0.3-0.5 s on the
# report queries for nothing, and the reports' sorts and hashes of 250,000 rows spill to disk at 4MB.
PG_SETTINGS = {"jit": "off", "work_mem": "32MB"}


def apply_pg_settings():
    """Set PG_SETTINGS on the database (new connections: gunicorn's) and on this connection."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        for key, value in PG_SETTINGS.items():
            cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(name)} SET {key} = %s", [value])
            cursor.execute(f"SET {key} = %s", [value])


class _Null:
    def write(self, *_):
        pass

    def flush(self):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--youths", type=int, default=200000, help="data set size (generate_data --youths)")
    parser.add_argument("--runs", type=int, default=30, help="measured runs of each page (after one warm-up)")
    parser.add_argument("--report-runs", type=int, default=7, help="measured runs of each report and export")
    parser.add_argument("--xlsx-rows", type=int, default=30000, help="rows of the large XLSX export (0: skip)")
    parser.add_argument("--no-generate", action="store_true", help="use the data already in the database")
    parser.add_argument("--only", nargs="*", choices=["pages", "reports", "fiche", "followup", "xlsx"])
    parser.add_argument("--no-pg-settings", action="store_true",
                        help="keep PostgreSQL's defaults (else jit off and work_mem 32MB for this database)")
    parser.add_argument("--pg-settings-only", action="store_true", help="apply the PostgreSQL settings and stop")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--markdown", help="write the result tables (Markdown) to this file")
    args = parser.parse_args(argv)

    import django
    from django.test.utils import setup_test_environment

    django.setup()
    # The test client's host, and emails kept in memory (the follow-up task sends some).
    setup_test_environment()
    from django.db import connection

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql" and not args.no_pg_settings:
        apply_pg_settings()
        print("PostgreSQL: " + ", ".join(f"{k} = {v}" for k, v in PG_SETTINGS.items()) + " (BENCHMARKS.md)")
    if args.pg_settings_only:
        return 0
    print(f"Database: {connection.vendor} {connection.settings_dict['HOST'] or connection.settings_dict['NAME']}")
    bench = run(args.youths, args.runs, args.report_runs, args.xlsx_rows, not args.no_generate, args.only)
    print()
    print(bench.markdown())
    missed = bench.misses()
    print("Targets: " + ("all met." if not missed else f"{len(missed)} missed:\n  - " + "\n  - ".join(missed)))
    if args.json:
        Path(args.json).write_text(json.dumps({**bench.results, "missed": missed}, indent=2, ensure_ascii=False,
                                              default=str))
    if args.markdown:
        Path(args.markdown).write_text(bench.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
