"""Memory of the legacy import's check: legacy files of 1,000, 10,000 and 60,000 rows (CSV and XLSX),
each checked in a fresh subprocess (``reporting.legacy.check``, the dry run the upload page and the
worker run), its peak memory measured two ways: Python's allocations (``tracemalloc``, peak during the
check) and the process's peak resident size (``resource.getrusage``, maxrss, the whole process).

    scripts/with-services.sh .venv/bin/python bench/import_memory.py          # PostgreSQL, as measured
    .venv/bin/python bench/import_memory.py --sizes 1000 10000 --formats csv  # the database of DATABASE_URL

Prints a Markdown table (the one in BENCHMARKS.md).
"""
import argparse
import datetime
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HEADER = [
    "reference", "nom", "prenom", "date_naissance", "sexe", "niveau", "situation", "qpv", "zrr", "structure",
    "date_fiche", "dispositif", "pays", "ville", "date_depart", "date_retour", "statut_final", "situation_6_mois",
]
STRUCTURES = ["Mission Locale de Saint-Étienne", "Mission Locale Loire, antenne de Feurs", "Cap Emploi Lyon"]
SCHEMES = ["Erasmus+ stages", "Chantier international", "Volontariat européen"]


def rows(count, seed=1):
    """``count`` valid legacy rows (every final status, departed ones with their dates)."""
    rng = random.Random(seed)
    for n in range(count):
        received = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
        status = rng.choice(["en_cours", "oriente", "refuse", "abandon", "parti", "parti", "interrompu"])
        departure = received + datetime.timedelta(days=rng.randrange(30, 120))
        back = departure + datetime.timedelta(days=rng.randrange(20, 180))
        departed = status in ("parti", "interrompu")
        yield [
            f"H{n:06d}", f"Nom{n}", rng.choice(["Léa", "Hugo", "Inès", "Enzo", "Jade"]),
            f"{datetime.date(1995, 1, 1) + datetime.timedelta(days=rng.randrange(3000)):%d/%m/%Y}",
            rng.choice("FM"), rng.choice(["V", "IV", "III", "4", ""]), rng.choice(["demandeur_emploi", "etudiant", ""]),
            rng.choice(["oui", "non", ""]), rng.choice(["oui", "non", ""]), rng.choice(STRUCTURES),
            f"{received:%d/%m/%Y}", rng.choice(SCHEMES) if departed else "", "IE" if departed else "",
            "Dublin" if departed else "", f"{departure:%d/%m/%Y}" if departed else "",
            f"{back:%d/%m/%Y}" if departed else "", status, "etudes" if departed and rng.random() < 0.3 else "",
        ]


def legacy_file(count, fmt):
    if fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(count))
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def child(count, fmt):
    """One measure, in this (fresh) process: prints a JSON line."""
    import django

    django.setup()
    from django.test.utils import override_settings

    from reporting import legacy

    data = legacy_file(count, fmt)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    # The generated XLSX writes every cell inline: at 60,000 rows it unpacks to 54 MB, past the default
    # IPM_IMPORT_XLSX_MAX_BYTES (50 MB) — lifted here to measure the reading, as the ratio check is.
    with override_settings(IPM_IMPORT_XLSX_RATIO_FROM_BYTES=10**12, IPM_IMPORT_XLSX_MAX_BYTES=10**12):
        plan = legacy.check(data, f"historique.{fmt}")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not plan.errors, plan.errors[:3]
    print(json.dumps({
        "rows": count, "format": fmt, "file_bytes": len(data), "seconds": round(elapsed, 2),
        "tracemalloc_peak": peak, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_before_kb": baseline, "dossiers": plan.dossiers,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 60000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"], choices=["csv", "xlsx"])
    parser.add_argument("--child", nargs=2, metavar=("ROWS", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(int(args.child[0]), args.child[1])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("| Rows | Format | File | Check (s) | Python peak (tracemalloc) | Process peak (maxrss) | per row |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for fmt in args.formats:
        for size in args.sizes:
            out = subprocess.run([sys.executable, __file__, "--child", str(size), fmt], check=True,
                                 capture_output=True, text=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            print(f"| {size:,} | {fmt.upper()} | {m['file_bytes'] / 1024 / 1024:.1f} MB | {m['seconds']} "
                  f"| {m['tracemalloc_peak'] / 1024 / 1024:.1f} MB | {m['maxrss_kb'] / 1024:.0f} MB "
                  f"| {m['tracemalloc_peak'] / size / 1024:.2f} KB |", flush=True)


if __name__ == "__main__":
    main()
