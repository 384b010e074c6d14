"""The demo has surveys to look at: return questionnaires and 12/36-month surveys, answered and waiting,
and the reports and call list show them."""
import io

import pytest
from django.core.management import call_command

from reporting import reports
from reporting.filters import ReportFilters

from surveys.enums import Horizon
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_surveys_answered_and_waiting_and_runs_twice_without_doubling(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "120", stdout=io.StringIO())
    surveys = Survey.objects.all()
    horizons = set(surveys.values_list("horizon", flat=True))
    assert Horizon.RETURN in horizons and Horizon.MONTHS_12 in horizons
    answered = Response.objects.count()
    assert 0 < answered < surveys.count()  # some answered, some waiting
    assert Response.objects.filter(survey__horizon=Horizon.RETURN, answers__isnull=False).exists()
    assert Response.objects.exclude(survey__horizon=Horizon.RETURN).exclude(situation="").exists()
    total = surveys.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Survey.objects.count() == total and Response.objects.count() == answered
    report = reports.build("satisfaction", ReportFilters())
    assert any(cell not in ("", "0", "0.0") for row in report.rows for cell in row.cells[1:])  # the report has figures
