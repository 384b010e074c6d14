"""The downloads the load test found slow, each measured twice: **changed** (the data changed before each
download, so the file is rendered: what every download cost before the file cache) and **unchanged** (the
same file downloaded again: served from the cache, docs/performance.md § « Cache des fichiers »).

    scripts/with-services.sh .venv/bin/python bench/file_cache_bench.py            # 2,000 young people, 10 runs
    scripts/with-services.sh .venv/bin/python bench/file_cache_bench.py --youths 5000 --reviews 80 --runs 20

Measured through the page (Django's test client, the whole stack), as bench/bench.py does: the minutes
of a commission of ``--reviews`` dossiers (platform staff), and each report of bench/locustfile.py in
CSV, XLSX and PDF (a manager). « changed » edits one printed datum before each run (a decision's
motivation for the minutes, a young person's first name for the reports), alternating with the
« unchanged » runs so that a change of the machine's load weighs on both alike.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REPORTS = ["departures", "funnel", "profile", "outcomes", "fej"]
FORMATS = ["csv", "xlsx", "pdf"]


def alternate(download, change, runs):
    """(changed, unchanged) times in ms: ``change()`` then a download, then the same download again."""
    download()  # warm-up (imports, fonts, the first render)
    times = {"changed": [], "unchanged": []}
    for _ in range(runs):
        change()
        for label in ("changed", "unchanged"):
            started = time.perf_counter()
            download()
            times[label].append((time.perf_counter() - started) * 1000)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--youths", type=int, default=2000)
    parser.add_argument("--reviews", type=int, default=60, help="dossiers on the commission's agenda")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reports", nargs="*", default=REPORTS)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from bench.bench import Bench, summary
    from bench.load_setup import commission
    from dossiers.models import CommissionReview, Youth

    if not Youth.objects.exists():
        started = time.perf_counter()
        call_command("generate_data", youths=args.youths, force=True, verbosity=0)
        print(f"generate_data --youths {args.youths}: {time.perf_counter() - started:.0f} s")
    bench = Bench(runs=args.runs, report_runs=args.runs)
    bench.users()
    staff = bench.clients["mobility"][1]
    session = commission(staff, args.reviews)[0]
    print(f"{Youth.objects.count()} young people; commission n° {session}: "
          f"{CommissionReview.objects.filter(session=session).count()} dossiers")

    def show(label, times):
        for kind in ("changed", "unchanged"):
            entry = summary(times[kind])
            print(f"  {label:<28} {kind:<10} median {entry['median_ms']:>8.1f} ms   p95 {entry['p95_ms']:>8.1f} ms")

    review = CommissionReview.objects.filter(session=session).order_by("pk").first()
    counter = iter(range(10**6))

    def edit_decision():
        review.comment = f"Projet solide ({next(counter)})."
        review.save(update_fields=["comment"])

    minutes = reverse("dossiers:minutes", args=[session])
    show("procès-verbal PDF", alternate(lambda: bench.get("mobility", minutes), edit_decision, args.runs))

    youth = Youth.objects.order_by("pk").first()

    def edit_youth():
        youth.first_name = f"Prénom{next(counter)}"
        youth.save(update_fields=["first_name"])

    for name in args.reports:
        for fmt in FORMATS:
            url = reverse("reporting:download", args=[name, fmt])
            show(f"{name}.{fmt}", alternate(lambda: bench.get("manager", url), edit_youth, args.runs))
    Youth.objects.filter(pk=youth.pk).update(first_name=F("first_name"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
