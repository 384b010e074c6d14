"""The check keeps no row: what it finds across batches (a reference repeated 1,000 lines further, one
young person open twice far apart) is found as when the file was kept whole, and its memory stays flat."""
import importlib
import tracemalloc

import pytest

from reporting import legacy
from reporting.legacy.seen import Seen, digest

pytestmark = pytest.mark.django_db

# The module (``reporting.legacy.check`` is also the function of that name).
check_module = importlib.import_module("reporting.legacy.check")

HEADER = ",".join(legacy.COLUMNS)


def row(n, reference=None, last_name=None, status="oriente"):
    return (f"{reference or f'H{n}'},{last_name or f'Nom{n}'},Léa,01/02/2000,F,,,,,Mission Locale Test,"
            f"10/01/2019,,,,,,{status},")


def csv(lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_seen_keeps_every_digest_and_its_number_through_growth():
    seen = Seen(capacity=4)
    for n in range(5000):
        seen.put(digest(f"R{n}"), n)
    assert len(seen) == 5000
    assert all(seen.get(digest(f"R{n}")) == n for n in range(5000))
    assert seen.get(digest("R5000")) is None and digest("R5000") not in seen
    seen.put(digest("R7"), 0)
    assert seen.get(digest("R7")) == 0 and len(seen) == 5000


def test_a_reference_repeated_far_apart_names_both_lines(monkeypatch):
    monkeypatch.setattr(check_module, "BATCH", 50)
    lines = [row(n) for n in range(1200)]
    lines[1100] = row(1100, reference="H3")
    plan = legacy.check(csv(lines), "h.csv")
    assert [str(e) for e in plan.errors] == ["Ligne 1102, colonne « reference » : la référence « H3 » figure déjà ligne 5."]
    assert plan.summary()["dossiers"] == 0  # a refused file creates nothing


def test_one_young_person_open_twice_in_different_batches_is_warned_on_both_lines(monkeypatch):
    monkeypatch.setattr(check_module, "BATCH", 50)
    lines = [row(n) for n in range(300)]
    lines[10] = row(10, last_name="Martin", status="en_cours")
    lines[250] = row(250, last_name="MARTIN", status="en_cours")
    plan = legacy.check(csv(lines), "h.csv")
    assert not plan.errors
    summary = plan.summary()
    assert summary["dossiers"] == 300 and summary["new_youths"] == 299
    assert [(w["line"], w["column"]) for w in summary["warnings"]] == [(12, "statut_final"), (252, "statut_final")]
    assert "ligne 252" in summary["warnings"][0]["message"] and "ligne 12" in summary["warnings"][1]["message"]
    assert len(plan.rows) == 300  # the write reads the file again
    assert legacy.run(plan)["dossiers"] == 300


def test_checking_ten_times_more_rows_takes_about_the_same_memory():
    def peak(count):
        data = csv([row(n) for n in range(count)])
        tracemalloc.start()
        plan = legacy.check(data, "h.csv")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert not plan.errors and plan.dossiers == count
        return top

    small, large = peak(500), peak(5000)
    # Kept whole, 4,500 more rows took about 5 MB (1.2 KB a row); now the two digest tables grow by
    # about 0.2 MB.
    assert large - small < 1024 * 1024, (small, large)
