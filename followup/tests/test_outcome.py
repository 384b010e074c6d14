"""The situation → outcome rules: a « sortie positive » is a CDI, a CDD of six months or more, or a
qualifying training, at a contact within the six months; it is derived, never typed."""
import pytest

from followup.enums import Situation, is_positive, outcome_of

S = Situation


@pytest.mark.parametrize("situation", [S.CDI, S.CDD_LONG, S.TRAINING])
def test_positive_situations(situation):
    assert is_positive(situation)


@pytest.mark.parametrize("situation", [S.CDD_SHORT, S.TEMPORARY, S.STUDIES, S.CIVIC_SERVICE, S.JOB_SEEKING, S.OTHER,
                                       S.UNKNOWN, ""])
def test_other_situations_are_not_positive(situation):
    assert not is_positive(situation)


def test_outcome_is_last_known_situation_and_positive_if_any_month_was():
    assert outcome_of([S.JOB_SEEKING, S.CDI, S.CDD_SHORT]) == (S.CDD_SHORT, True)


def test_outcome_without_positive_month():
    assert outcome_of([S.JOB_SEEKING, S.TEMPORARY, S.CDD_SHORT, S.STUDIES]) == (S.STUDIES, False)


def test_outcome_ignores_blank_and_unknown():
    assert outcome_of(["", S.TRAINING, S.UNKNOWN, ""]) == (S.TRAINING, True)
    assert outcome_of([]) == ("", False)
