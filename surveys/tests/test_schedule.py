"""The schedules, day by day with time-machine: the questionnaire at the return review, the surveys at 12
and 36 months — exactly one per dossier and horizon, none after erasure or for a dossier closed as
dropped; two reminders, then the staff call list."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import log_in
from dossiers.tests.factories import YouthFactory
from dossiers.workflow import State
from followup.enums import MessageKind
from followup.models import SentMessage
from privacy import rgpd
from surveys import schedule
from surveys.enums import Horizon
from surveys.models import Survey
from surveys.tasks import daily_surveys

pytestmark = pytest.mark.django_db
from surveys.tests.factories import answered, returned  # noqa: E402

RETURN = datetime.date(2024, 3, 15)


def run_days(first, last):
    day = first
    while day <= last:
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 15)), tick=False):
            daily_surveys()
        day += datetime.timedelta(days=1)


def test_exactly_one_survey_per_horizon_over_three_years(users):
    with time_machine.travel(datetime.datetime(2024, 3, 1, 12), tick=False):
        kept = returned(users["admin"], return_date=RETURN, review_date=datetime.date(2024, 3, 20),
                        youth=YouthFactory(email="a@exemple.fr"))
        dropped = returned(users["admin"], return_date=RETURN, review_date=datetime.date(2024, 3, 20),
                           state=State.DROPPED, youth=YouthFactory(email="b@exemple.fr"))
        erased = returned(users["admin"], return_date=RETURN, review_date=datetime.date(2024, 3, 20),
                          state=State.CLOSED, youth=YouthFactory(email="c@exemple.fr"))
    # Around each due date, run the daily task every day (twice on some), and once a week in between.
    run_days(datetime.date(2024, 3, 18), datetime.date(2024, 4, 20))
    assert sorted(Survey.objects.values_list("dossier", "horizon", "due_date")) == sorted([
        (kept.pk, Horizon.RETURN, datetime.date(2024, 3, 20)), (erased.pk, Horizon.RETURN, datetime.date(2024, 3, 20))])
    rgpd.anonymise_youth(erased.youth)
    run_days(datetime.date(2025, 3, 10), datetime.date(2025, 4, 5))
    run_days(datetime.date(2025, 3, 15), datetime.date(2025, 3, 16))  # again: nothing twice
    run_days(datetime.date(2027, 3, 14), datetime.date(2027, 4, 5))
    rows = sorted(Survey.objects.filter(dossier=kept).values_list("horizon", "due_date"))
    assert rows == [("12", datetime.date(2025, 3, 15)), ("36", datetime.date(2027, 3, 15)),
                    ("retour", datetime.date(2024, 3, 20))]
    assert not Survey.objects.filter(dossier=dropped).exists()
    assert not Survey.objects.filter(dossier=erased).exclude(horizon=Horizon.RETURN).exists()
    # The messages: the link and two reminders per unanswered survey, each once; nothing to the others.
    periods = sorted(SentMessage.objects.filter(kind=MessageKind.SURVEY, dossier=kept).values_list("object_key", "period"))
    keys = [f"survey:{s.pk}" for s in Survey.objects.filter(dossier=kept).order_by("due_date")]
    assert periods == sorted([(k, p) for k in keys for p in ("", "rappel-1", "rappel-2")])
    assert not SentMessage.objects.filter(kind=MessageKind.SURVEY, dossier__in=[dropped, erased]).exclude(
        object_key=f"survey:{Survey.objects.get(dossier=erased).pk}").exists()


def test_old_returns_are_not_surveyed_at_once(users):
    """A dossier back long ago (an imported one, say) gets no late survey: only within the catch-up window."""
    returned(users["admin"], return_date=datetime.date(2020, 1, 10), review_date=datetime.date(2020, 1, 20),
             state=State.CLOSED)
    assert schedule.create_due_surveys(datetime.date(2024, 6, 1)) == 0
    assert schedule.create_due_surveys(datetime.date(2023, 1, 25)) == 1  # 36 months, caught up 15 days late


def test_unanswered_after_two_weeks_the_survey_is_on_the_call_list(client, users):
    youth = YouthFactory(first_name="Inès", last_name="Durand", phone="0611223344", email="")
    dossier = returned(users["admin"], return_date=datetime.date(2024, 1, 5), review_date=datetime.date(2024, 1, 10),
                       youth=youth)
    answered_one = returned(users["admin"], return_date=datetime.date(2024, 1, 5),
                            review_date=datetime.date(2024, 1, 10))
    schedule.create_due_surveys(datetime.date(2024, 1, 10))
    answered(answered_one)
    assert list(schedule.call_list(datetime.date(2024, 1, 23))) == []
    assert [s.dossier for s in schedule.call_list(datetime.date(2024, 1, 24))] == [dossier]
    with time_machine.travel(datetime.datetime(2024, 1, 24, 9), tick=False):
        log_in(client, users["assistant"])
        page = client.get(reverse("surveys:call_list")).content.decode()
    assert "Aucune enquête à appeler" not in page, page[-3000:]
    assert "DURAND Inès" in page and "06 11 22 33 44" in page  # typed 0611223344, shown the French way
    assert reverse("surveys:staff_entry", args=[dossier.pk, Horizon.RETURN]) in page
    assert str(answered_one.youth) not in page
