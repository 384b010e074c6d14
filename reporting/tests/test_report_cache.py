"""The report downloads are kept in the file cache (reporting/cache.py): the same file again is served
without counting the report, a file of one scope is never served to another, and any save or deletion
through the models the reports read gives new figures at once; writes that send no signal are bounded
by the entry's maximum age."""
import time
from datetime import date

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.workflow import State
from ipm import filecache
from reporting import cache as report_cache
from reporting.tests.factories import reported_dossier

pytestmark = pytest.mark.django_db

FUNNEL_CSV = reverse("reporting:download", args=["funnel", "csv"]) + "?year_from=2022"


def received(content):
    """The « fiches reçues » line of the funnel's CSV."""
    return content.decode().splitlines()[1]


def test_the_same_download_again_is_served_without_counting_the_report(world, client_for):
    client = client_for("manager")
    renders, hits = filecache.renders["report"], filecache.hits["report"]
    first = client.get(FUNNEL_CSV)
    second = client.get(FUNNEL_CSV)
    assert filecache.renders["report"] == renders + 1 and filecache.hits["report"] == hits + 1
    assert second.content == first.content and received(second.content) == "fiches reçues,4,100.0"
    assert second["Content-Disposition"] == first["Content-Disposition"] == 'attachment; filename="rapport-funnel-2022.csv"'


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_counsellor_of_another_structure_never_gets_the_first_ones_file(world, client_for, fmt):
    url = reverse("reporting:download", args=["funnel", fmt]) + "?year_from=2022"
    renders = filecache.renders["report"]
    saint_etienne = client_for("counsellor").get(url).content
    lyon = client_for("other_counsellor").get(url).content
    manager = client_for("manager").get(url).content
    assert filecache.renders["report"] == renders + 3
    assert len({saint_etienne, lyon, manager}) == 3
    if fmt == "csv":
        assert received(saint_etienne) == "fiches reçues,1,100.0"  # D5
        assert received(lyon) == "fiches reçues,3,100.0"  # D3, D4, D6
    # Back to the first counsellor: their own file, from the cache.
    assert client_for("counsellor").get(url).content == saint_etienne
    assert filecache.renders["report"] == renders + 3


def test_other_filters_or_formats_are_other_files(world, client_for):
    client = client_for("manager")
    csv_2022 = client.get(FUNNEL_CSV).content
    csv_2023 = client.get(reverse("reporting:download", args=["funnel", "csv"]) + "?year_from=2023").content
    excel = client.get(reverse("reporting:download", args=["funnel", "excel-csv"]) + "?year_from=2022").content
    assert received(csv_2022) != received(csv_2023) and excel.startswith(b"\xef\xbb\xbf")


def test_a_dossier_saved_or_deleted_gives_new_figures_at_once(world, users, structure, client_for):
    client = client_for("manager")
    assert received(client.get(FUNNEL_CSV).content) == "fiches reçues,4,100.0"
    extra = reported_dossier(users["admin"], State.RECEIVED, date(2022, 6, 1), structure=structure)
    assert received(client.get(FUNNEL_CSV).content) == "fiches reçues,5,100.0"
    extra.events.all().delete()
    Dossier.objects.get(pk=extra.pk).delete()
    assert received(client.get(FUNNEL_CSV).content) == "fiches reçues,4,100.0"


def test_a_write_without_signal_is_seen_once_the_entry_is_older_than_its_maximum_age(world, client_for, settings):
    settings.IPM_REPORT_CACHE_SECONDS = 1
    client = client_for("manager")
    assert received(client.get(FUNNEL_CSV).content) == "fiches reçues,4,100.0"
    Dossier.objects.filter(pk=world["D5"].pk).update(received_on=date(2021, 3, 1))  # out of 2022
    time.sleep(1.5)
    assert received(client.get(FUNNEL_CSV).content) == "fiches reçues,3,100.0"


def test_one_renewal_after_commit_per_transaction(world, users, structure):
    """Every save renews the generation at once; the transaction holds one renewal for its commit, however
    many rows it wrote (the test runs in one transaction: the world's rows and this dossier's)."""
    from django.db import connection

    before = filecache.generation(report_cache.GENERATION)
    reported_dossier(users["admin"], State.RECEIVED, date(2022, 6, 1), structure=structure)
    assert filecache.generation(report_cache.GENERATION) != before
    pending = [func for _sids, func, _robust in connection.run_on_commit if func is report_cache._bump_after_commit]
    assert len(pending) == 1
    before = filecache.generation(report_cache.GENERATION)
    pending[0]()
    assert filecache.generation(report_cache.GENERATION) != before


def test_an_import_of_the_history_gives_new_figures_at_once(client_for):
    """The legacy import writes with bulk_create (no signal): it renews the generation itself."""
    from django.core.management import call_command

    from reporting.tests.test_legacy_import import EXAMPLE

    url = reverse("reporting:download", args=["departures", "csv"]) + "?year_from=2019&year_to=2022"
    client = client_for("manager")
    assert client.get(url).content.decode().splitlines()[-1] == "Total,0,0,0,0,0"
    call_command("import_legacy", str(EXAMPLE), stdout=open("/dev/null", "w"))
    assert client.get(url).content.decode().splitlines()[-1] == "Total,4,2,6,3,15"


FUNNEL_PAGE = reverse("reporting:report", args=["funnel"]) + "?year_from=2022"


def page_received(response):
    """The « fiches reçues » count the page shows (its table's first row)."""
    return response.context["report"].rows[0].cells[1]


def test_a_report_page_seen_again_is_not_counted_again(world, client_for):
    client = client_for("manager")
    renders, hits = filecache.renders["report"], filecache.hits["report"]
    first, second = client.get(FUNNEL_PAGE), client.get(FUNNEL_PAGE)
    # The first view counts the figures and the caveat (two entries); the second counts nothing.
    assert filecache.renders["report"] == renders + 2 and filecache.hits["report"] == hits + 1
    assert page_received(first) == page_received(second) == 4
    assert "fiches reçues" in second.content.decode() and second.context["flagged"] == first.context["flagged"]


def test_the_caveat_is_counted_once_for_every_report_of_the_same_filters(world, client_for):
    """The count of dossiers breaking a rule does not depend on the report: the second report's page
    of the same filters and scope counts its own figures only; a new break shows on both at once."""
    client = client_for("manager")
    funnel = client.get(FUNNEL_PAGE)
    renders, hits = filecache.renders["report"], filecache.hits["report"]
    profile = client.get(reverse("reporting:report", args=["profile"]) + "?year_from=2022")
    # Its figures counted (one entry), the caveat found (one hit).
    assert filecache.renders["report"] == renders + 1 and filecache.hits["report"] == hits + 1
    assert profile.context["flagged"] == funnel.context["flagged"]
    d5 = world["D5"]  # refused: still open
    Dossier.objects.create(youth=d5.youth, structure=d5.structure, received_on=date(2022, 9, 1))  # a second open one
    assert client.get(FUNNEL_PAGE).context["flagged"] == funnel.context["flagged"] + 2
    assert client.get(reverse("reporting:report", args=["profile"]) + "?year_from=2022").context["flagged"] == (
        funnel.context["flagged"] + 2)


def test_a_report_page_of_one_structure_is_never_shown_to_another(world, client_for):
    assert page_received(client_for("counsellor").get(FUNNEL_PAGE)) == 1  # D5
    assert page_received(client_for("other_counsellor").get(FUNNEL_PAGE)) == 3  # D3, D4, D6
    assert page_received(client_for("manager").get(FUNNEL_PAGE)) == 4


def test_a_report_page_shows_a_new_dossier_at_once(world, users, structure, client_for):
    client = client_for("manager")
    assert page_received(client.get(FUNNEL_PAGE)) == 4
    reported_dossier(users["admin"], State.RECEIVED, date(2022, 6, 1), structure=structure)
    assert page_received(client.get(FUNNEL_PAGE)) == 5


def test_a_report_page_whose_cached_figures_no_longer_read_is_counted_again(world, users, client_for):
    """After an upgrade, an entry written by other code is not an error page: the figures are counted."""
    from django.core.cache import caches

    from reporting.filters import ReportFilters

    client = client_for("manager")
    client.get(FUNNEL_PAGE)
    key = report_cache.key("funnel", report_cache.PAGE, ReportFilters(year_from=2022, year_to=2022, user=users["manager"]))
    fingerprint, name, _content, stored_at = filecache.stored(report_cache.KIND, key)
    caches[filecache.ALIAS].set(filecache._key(report_cache.KIND, key), (fingerprint, name, b"not a pickle", stored_at))
    response = client.get(FUNNEL_PAGE)
    assert response.status_code == 200 and page_received(response) == 4
