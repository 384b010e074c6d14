"""A report's number of queries does not grow with the number of dossiers."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from departures.tests.factories import FundingAgreementFactory
from departures.enums import Funder
from dossiers.workflow import State
from followup.enums import Situation
from reporting import reports
from reporting.tests.factories import reported_dossier
from reporting.filters import ReportFilters

pytestmark = pytest.mark.django_db
MAX_QUERIES = 6


def add_dossiers(actor, structure, scheme, count, year):
    for i in range(count):
        reported_dossier(actor, State.FOLLOW_UP, date(year, 1 + i % 12, 1 + i % 27), structure=structure, scheme=scheme,
                         departure=date(year + 1, 1 + i % 12, 2), return_date=date(year + 1, 1 + i % 12, 20),
                         situation6=Situation.CDI if i % 2 else Situation.JOB_SEEKING,
                         qualification_level=["V", "4", "", "VI"][i % 4], sex="FM"[i % 2])
        reported_dossier(actor, State.DROPPED, date(year, 1 + i % 12, 3), structure=structure)


def counts(filters):
    result = {}
    for name in reports.REPORTS:
        with CaptureQueriesContext(connection) as queries:
            reports.build(name, filters)
        result[name] = len(queries.captured_queries)
    return result


@pytest.mark.parametrize("with_funder", [False, True])
def test_query_count_does_not_depend_on_the_number_of_dossiers(users, structure, schemes, with_funder,
                                                                django_assert_max_num_queries):
    actor = users["admin"]
    if with_funder:
        for year in (2020, 2021, 2022):
            FundingAgreementFactory(funder=Funder.ERASMUS, scheme=schemes["A"], year=year)
    filters = ReportFilters(funder=Funder.ERASMUS if with_funder else "")
    add_dossiers(actor, structure, schemes["A"], 2, 2020)
    small = counts(filters)
    add_dossiers(actor, structure, schemes["A"], 12, 2021)
    larger = counts(filters)
    assert small == larger
    for name in reports.REPORTS:
        with django_assert_max_num_queries(MAX_QUERIES):
            report = reports.build(name, filters)
        assert report.rows
    # The larger data really is there: (2 + 12) × 2 fiches.
    assert reports.build("funnel", ReportFilters(year_from=2020, year_to=2021)).rows[0].cells[1] == 28
