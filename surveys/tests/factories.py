"""Test data of the surveys: a returned young person (stay ended, return review done) and answers."""
import datetime

from departures.tests.factories import StayFactory
from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from surveys.enums import Horizon, Source
from surveys.models import Questionnaire, Survey
from surveys.services import current_version_for, record_response


def default_questionnaire():
    return Questionnaire.objects.get(name="Questionnaire de satisfaction au retour")


def returned(actor, *, return_date, review_date=None, state=State.FOLLOW_UP, scheme=None, host=None, youth=None,
             **youth_fields):
    """A dossier in ``state`` whose stay ended on ``return_date`` (review on ``review_date``)."""
    youth = youth or YouthFactory(**youth_fields)
    kwargs = {"youth": youth}
    if scheme is not None:
        kwargs["scheme"] = scheme
    dossier = dossier_in_state(state, actor, **kwargs)
    stay_kwargs = {"scheme": dossier.scheme} if dossier.scheme_id else {}
    if scheme is not None:
        stay_kwargs["scheme"] = scheme
    StayFactory(dossier=dossier, departure_date=return_date - datetime.timedelta(days=90), return_date=return_date,
                review_date=review_date, host=host, **stay_kwargs)
    return dossier


# Answers to every required item of the default questionnaire.
REQUIRED = {"organisation_plateforme": "4", "organisation_partenaire": "3", "information_avant_depart": "oui",
            "stage": "4", "experience_enrichissante": "oui", "situation_actuelle": "En emploi", "repartir": "oui"}


def answered(dossier, answers=None, *, source=Source.PHONE, user=None, day=None):
    """The return questionnaire of ``dossier`` answered with REQUIRED updated by ``answers``."""
    survey = Survey.objects.filter(dossier=dossier, horizon=Horizon.RETURN).first() or Survey.objects.create(
        dossier=dossier, horizon=Horizon.RETURN, due_date=day or datetime.date.today(),
        version=current_version_for(dossier.scheme))
    data = {**REQUIRED, **(answers or {})}
    return record_response(survey, data, source=source, user=user)
