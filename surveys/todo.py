"""The questionnaires and surveys a young person still has to answer, as items of their to-do list in
the same shape as the space's (``space.todo.Item``: what, why, url, when, detail, kind, dossier_id)."""
import datetime
from dataclasses import dataclass

from django.utils import timezone

from .enums import Horizon
from .schedule import unanswered


@dataclass
class Item:
    what: str
    why: str
    url: str
    when: datetime.date | None = None
    detail: str = ""
    kind: str = ""
    dossier_id: int | None = None


def open_surveys(youth):
    return unanswered().filter(dossier__youth=youth).select_related("dossier")


def todo_items(youth, today=None):
    today = today or timezone.localdate()
    items = []
    for survey in open_surveys(youth).filter(due_date__lte=today):
        if survey.horizon == Horizon.RETURN:
            what = "Donner votre avis sur votre séjour (questionnaire de satisfaction)"
            why = "Vos réponses aident la plateforme à améliorer les séjours des prochains jeunes."
        else:
            what = f"Répondre à l'enquête : où en êtes-vous {'un an' if survey.horizon == Horizon.MONTHS_12 else 'trois ans'} après votre retour ?"
            why = "Quelques questions sur votre situation : elles comptent pour les financeurs des séjours."
        items.append(Item(what=what, why=why, url=survey.get_space_url(), when=survey.due_date, kind="survey",
                          dossier_id=survey.dossier_id))
    return items
