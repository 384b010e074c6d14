"""The reports' PDF downloads alone (no other request at the same time): median and p95 of the
download through the page (manager, whole stack), of the report function and of the PDF rendering
(WeasyPrint) of the built report, on the database of DATABASE_URL (see BENCHMARKS.md).

    .venv/bin/python bench/pdf_bench.py                      # profile and fej, 20 runs each
    .venv/bin/python bench/pdf_bench.py --reports fej --runs 5 --profile   # and cProfile's top functions
    .venv/bin/python bench/pdf_bench.py --compare            # and WeasyPrint's defaults, run for run

``--compare`` also measures the download rendered as before ipm/pdf.py (WeasyPrint's defaults: a new
font configuration for each document, the garbage collector left running), alternating the two
run by run so that a change of the machine's load weighs on both alike.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PDF_TARGET_MS = 1000


def measure(name, runs, bench):
    from django.urls import reverse

    from reporting import cache as report_cache
    from reporting import renderers, reports
    from reporting.filters import ReportFilters

    from bench.bench import timed

    url = reverse("reporting:download", args=[name, "pdf"])

    def first_download(i):
        report_cache.bump()  # as after a change of the data: the file cache holds nothing current
        return bench.get("manager", url)

    download = timed(first_download, runs)
    cached = timed(lambda i: bench.get("manager", url), runs)
    built = reports.build(name, ReportFilters())
    function = timed(lambda i: reports.build(name, ReportFilters()), runs)
    render = timed(lambda i: renderers.to_pdf(built), runs)
    return {"download": bench.record("exports", f"{name}.pdf (page, rendered)", download, target_ms=PDF_TARGET_MS),
            "cached": bench.record("exports", f"{name}.pdf (page, from the file cache)", cached),
            "function": bench.record("reports", f"{name}: rapport (fonction)", function),
            "render": bench.record("exports", f"{name}.pdf (rendu WeasyPrint seul)", render)}


def default_render(html, base_url=None):
    """A render with WeasyPrint's defaults, as before ipm/pdf.py."""
    from django.conf import settings
    from weasyprint import HTML

    return HTML(string=html, base_url=str(base_url or settings.BASE_DIR)).write_pdf()


def compare(name, runs, bench):
    from unittest import mock

    from django.urls import reverse

    from bench.bench import summary

    from reporting import cache as report_cache

    url = reverse("reporting:download", args=[name, "pdf"])
    times = {"defaults": [], "ipm.pdf": []}
    bench.get("manager", url)
    for i in range(runs):
        for label in (("defaults", "ipm.pdf") if i % 2 else ("ipm.pdf", "defaults")):
            with mock.patch("reporting.renderers.html_to_pdf", default_render if label == "defaults" else
                            __import__("ipm.pdf", fromlist=["html_to_pdf"]).html_to_pdf):
                report_cache.bump()  # every run renders (no file cache hit)
                started = time.perf_counter()
                bench.get("manager", url)
                times[label].append((time.perf_counter() - started) * 1000)
    for label, values in times.items():
        entry = summary(values)
        print(f"  {name}.pdf (page), {label:<10} median {entry['median_ms']:>8.1f} ms   p95 {entry['p95_ms']:>8.1f} ms")


def profile(name, runs, bench):
    from django.urls import reverse

    from reporting import cache as report_cache

    url = reverse("reporting:download", args=[name, "pdf"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        report_cache.bump()
        bench.get("manager", url)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
    print(text.getvalue())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", nargs="*", default=["profile", "fej"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--compare", action="store_true", help="also WeasyPrint's defaults, run for run")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the download")
    args = parser.parse_args(argv)

    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from bench.bench import Bench

    bench = Bench(runs=args.runs, report_runs=args.runs)
    bench.users()
    missed = []
    for name in args.reports:
        print(f"{name}:")
        result = measure(name, args.runs, bench)
        if result["download"]["p95_ms"] >= PDF_TARGET_MS:
            missed.append(f"{name}.pdf p95 {result['download']['p95_ms']} ms")
        if args.compare:
            compare(name, args.runs, bench)
        if args.profile:
            profile(name, max(1, args.runs // 4), bench)
    print("Targets: " + ("all met." if not missed else "missed: " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
