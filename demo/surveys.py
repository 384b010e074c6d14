"""Demo data of the impact surveys, added on top of ``seed_demo`` (idempotent): the return questionnaire
of the young people back from their stay, and the surveys at 12 and 36 months of those who came back
long enough ago — about two in three answered (in the space or by phone), the others waiting, some
of them long enough to be on the staff's call list. docs/surveys.md."""
import datetime

from django.utils import timezone

from departures.models import Stay
from dossiers.workflow import FOLLOWUP_STATES, State
from followup.enums import Situation
from ipm.enums import Role
from ipm.models import User
from ipm.dates import add_months
from surveys import services
from surveys.enums import HORIZON_MONTHS, Horizon, ItemKind, Source
from surveys.models import Survey

SITUATIONS = [Situation.CDI, Situation.CDD_LONG, Situation.CDD_SHORT, Situation.TRAINING, Situation.STUDIES,
              Situation.JOB_SEEKING, Situation.CIVIC_SERVICE]
EMPLOYERS = ["Hôtel du Parc", "Boulangerie Martin", "Lycée Jean-Monnet", "Garage des Alpes", "Mairie de Vienne", ""]
COMMENTS = ["", "", "Merci pour tout, je repartirais demain.", "Le logement était loin du lieu de stage.",
            "J'ai trouvé du travail grâce à mon expérience à l'étranger."]


def _answers(version, rng):
    data = {}
    for item in version.items():
        values = [value for value, _label in item["options"]]
        if item["kind"] == ItemKind.FREE_TEXT:
            data[item["code"]] = rng.choice(COMMENTS)
        elif item["kind"] == ItemKind.MULTI_CHOICE:
            data[item["code"]] = rng.sample(values, k=min(len(values), rng.randint(1, 2)))
        elif values:
            # Mostly good marks, as the platform's questionnaires show, with a few « ne sait pas ».
            weights = [5, 4, 2, 1, 1][:len(values)] if item["kind"] == ItemKind.SCALE4 else None
            data[item["code"]] = rng.choices(values, weights=weights)[0]
    return data


def _answer(survey, rng, staff):
    source = Source.SPACE if rng.random() < 0.6 else Source.PHONE
    user = staff if source == Source.PHONE else None
    if survey.horizon == Horizon.RETURN:
        services.record_response(survey, _answers(survey.version, rng), source=source, user=user)
    else:
        situation = rng.choice(SITUATIONS)
        services.record_response(survey, {}, source=source, user=user, situation=situation,
                                 employer=rng.choice(EMPLOYERS), abroad=rng.random() < 0.1,
                                 comment=rng.choice(COMMENTS))


def seed_surveys(rng, staff=None, today=None):
    if Survey.objects.exists():
        return 0
    today = today or timezone.localdate()
    staff = staff or User.objects.filter(role=Role.MOBILITY, is_active=True).order_by("pk").first()
    stays = (Stay.objects.filter(dossier__state__in=FOLLOWUP_STATES | {State.CLOSED}, return_date__isnull=False)
             .exclude(dossier__youth__match_key__startswith=services.ERASED_KEY_PREFIX)
             .select_related("dossier__youth", "dossier__scheme").order_by("pk"))
    created = 0
    for stay in stays:
        due = {Horizon.RETURN: stay.review_date or stay.return_date + datetime.timedelta(days=14)}
        for horizon, months in HORIZON_MONTHS.items():
            due[horizon] = add_months(stay.return_date, months)
        for horizon, due_date in due.items():
            if due_date > today or (horizon == Horizon.RETURN and stay.dossier.state == State.RETURNED):
                continue
            survey = services.open_survey(stay.dossier, horizon, due_date)
            if survey is None:
                continue
            created += 1
            if rng.random() < 0.65:
                _answer(survey, rng, staff)
    return created
