"""The benchmark (bench/bench.py) at a tiny scale, so that it cannot rot: it generates a small data set,
measures every page, report, export, the fiche submission, the daily follow-up task and a small XLSX
export, and checks on the way that each report gives the same figures as its hand-written SQL (on
PostgreSQL; that SQL is PostgreSQL's). Timings are not asserted here: the figures are in BENCHMARKS.md."""
import pytest
from django.db import connection

from bench import bench

pytestmark = pytest.mark.django_db


def test_benchmark_runs_at_a_tiny_scale(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    lines = []
    only = None if connection.vendor == "postgresql" else ["pages", "fiche", "followup", "xlsx"]
    result = bench.run(youths=150, runs=1, report_runs=1, xlsx_rows=100, only=only, out=lines.append)
    results = result.results
    assert results["dataset"]["youths"] >= 150
    assert results["dataset"]["dossiers"] > results["dataset"]["youths"]
    assert "Page dossier (plateforme)" in results["pages"]
    assert results["tasks"]["Envoi d'une fiche (POST)"]["runs"] == 1
    assert set(results["xlsx"]) == {10, 100}
    if connection.vendor == "postgresql":
        for name in bench.REPORTS:
            entry = results["reports"][f"{name}: rapport (fonction)"]
            assert entry["same_figures"] is True
            assert entry["sql_ratio"] > 0
            assert f"{name}.pdf" in results["exports"]
    assert "| Page dossier (plateforme) |" in result.markdown()
