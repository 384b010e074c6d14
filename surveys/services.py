"""What is given to whom, and recording the answers (once).

``questionnaire_for(scheme)``: the questionnaire a dossier of that scheme is given (one naming the
scheme, else one for every scheme). ``record_response`` checks the answers against the version given
(required items, known options) and records them once: a second answer to the same survey is refused.
"""
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from dossiers.workflow import State

from .enums import Horizon, ItemKind, Source
from .models import Answer, Questionnaire, Response, Survey

ERASED_KEY_PREFIX = "anonyme|"  # an erased young person's match key (privacy.rgpd.ANONYMOUS_KEY_PREFIX)


class SurveyError(Exception):
    """A refused answer; the message is French and meant for the user."""


def questionnaire_for(scheme):
    """The active questionnaire for a scheme: one naming the scheme first, else one for all schemes."""
    active = Questionnaire.objects.filter(active=True).annotate(n_schemes=Count("schemes"))
    named = active.filter(schemes=scheme).order_by("pk").first() if scheme is not None else None
    return named or active.filter(n_schemes=0).order_by("pk").first()


def current_version_for(scheme):
    questionnaire = questionnaire_for(scheme)
    return questionnaire.current_version if questionnaire is not None else None


def is_erased(youth):
    return youth.match_key.startswith(ERASED_KEY_PREFIX)


def can_receive(dossier):
    """No survey for an erased young person nor for a dossier closed as dropped."""
    return dossier.state != State.DROPPED and not is_erased(dossier.youth)


def open_survey(dossier, horizon, due_date):
    """The survey of this dossier at this horizon, created once (the return questionnaire takes the
    current version of its questionnaire). None when the dossier may not receive one."""
    if not can_receive(dossier):
        return None
    existing = Survey.objects.filter(dossier=dossier, horizon=horizon).first()
    if existing is not None:
        return existing
    version = None
    if horizon == Horizon.RETURN:
        version = current_version_for(dossier.scheme)
        if version is None:
            return None
    try:
        with transaction.atomic():
            return Survey.objects.create(dossier=dossier, horizon=horizon, due_date=due_date, version=version)
    except IntegrityError:
        return Survey.objects.get(dossier=dossier, horizon=horizon)


def clean_answers(version, data):
    """The answers of ``data`` ({item code: value, list of values, or text}) checked against the version:
    returns ``(answers, errors)`` with answers as [(code, value, text)] and errors {code: message}."""
    answers, errors = [], {}
    for item in version.items() if version is not None else []:
        code, raw = item["code"], data.get(item["code"])
        known = {value for value, _label in item["options"]}
        if item["kind"] == ItemKind.FREE_TEXT:
            text = (raw or "").strip() if isinstance(raw, str) else ""
            if text:
                answers.append((code, "", text))
            elif item["required"]:
                errors[code] = "Cette question demande une réponse."
            continue
        values = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
        values = [v for v in dict.fromkeys(values) if v]
        if item["kind"] != ItemKind.MULTI_CHOICE and len(values) > 1:
            errors[code] = "Choisissez une seule réponse."
        elif any(v not in known for v in values):
            errors[code] = "Choisissez parmi les réponses proposées."
        elif not values and item["required"]:
            errors[code] = "Cette question demande une réponse."
        else:
            answers += [(code, v, "") for v in values]
    return answers, errors


def record_response(survey, data, *, source=Source.SPACE, user=None, situation="", employer="", abroad=None,
                    comment=""):
    """Record the answers to ``survey`` once. Raises ``SurveyError`` (with ``errors``) when an answer is
    missing or unknown, or when the survey was already answered."""
    version = survey.version if survey.horizon == Horizon.RETURN else None
    answers, errors = clean_answers(version, data)
    if survey.horizon != Horizon.RETURN and not situation:
        errors["situation"] = "Indiquez la situation."
    if errors:
        error = SurveyError("Certaines réponses manquent ou ne sont pas valables.")
        error.errors = errors
        raise error
    try:
        with transaction.atomic():
            locked = Survey.objects.select_for_update().get(pk=survey.pk)
            if Response.objects.filter(survey=locked).exists():
                raise SurveyError("Ce questionnaire a déjà reçu une réponse : on n'y répond qu'une fois.")
            response = Response.objects.create(
                survey=locked, version=version, source=source, entered_by=user, answered_at=timezone.now(),
                situation=situation, employer=employer, abroad=abroad, comment=comment,
            )
            Answer.objects.bulk_create([Answer(response=response, item_code=c, value=v, text=t) for c, v, t in answers])
    except IntegrityError as exc:  # two answers at the same moment: the second is refused
        raise SurveyError("Ce questionnaire a déjà reçu une réponse : on n'y répond qu'une fois.") from exc
    return response
