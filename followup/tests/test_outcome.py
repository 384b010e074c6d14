"""The situation → outcome rules: a « sortie positive » is a CDI, a CDD of six months or more, or a
qualifying training, six months after return (the month-6 contact, as the reports count it); it is
derived, never typed."""
import pytest

from followup.enums import Situation, is_positive, latest_situation, outcome_of

S = Situation


@pytest.mark.parametrize("situation", [S.CDI, S.CDD_LONG, S.TRAINING])
def test_positive_situations(situation):
    assert is_positive(situation)


@pytest.mark.parametrize("situation", [S.CDD_SHORT, S.TEMPORARY, S.STUDIES, S.CIVIC_SERVICE, S.JOB_SEEKING, S.OTHER,
                                       S.UNKNOWN, ""])
def test_other_situations_are_not_positive(situation):
    assert not is_positive(situation)


def test_outcome_is_the_month_six_situation():
    assert outcome_of({1: S.JOB_SEEKING, 3: S.CDI, 6: S.CDD_LONG}) == (S.CDD_LONG, True)
    assert outcome_of({1: S.CDI, 2: S.CDI, 6: S.CDD_SHORT}) == (S.CDD_SHORT, False)
    assert outcome_of({6: S.TRAINING}) == (S.TRAINING, True)


def test_outcome_unknown_without_month_six():
    assert outcome_of({1: S.CDI, 5: S.CDI}) == ("", False)
    assert outcome_of({6: S.UNKNOWN}) == ("", False)
    assert outcome_of({}) == ("", False)


def test_latest_situation():
    assert latest_situation({1: S.JOB_SEEKING, 4: S.TEMPORARY, 2: S.CDI}) == (4, S.TEMPORARY)
    assert latest_situation({1: S.STUDIES, 3: S.UNKNOWN}) == (1, S.STUDIES)
    assert latest_situation({}) == (None, "")
