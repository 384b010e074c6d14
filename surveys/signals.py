"""What starts a questionnaire and what keeps the versions up to date.

- At the return review the dossier goes « en suivi » (``dossiers.signals.state_changed``): once that is
  committed, the return questionnaire is due and its link is sent.
- Any change to a questionnaire, its sections or its items publishes it (``Questionnaire.publish``).
"""
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from dossiers.signals import state_changed
from dossiers.workflow import State

from .models import Item, Questionnaire, Section


def on_state_changed(sender, dossier, source, target, **kwargs):
    if target == State.FOLLOW_UP and source == State.RETURNED:
        from .schedule import start_return_questionnaire

        transaction.on_commit(lambda: start_return_questionnaire(dossier.pk))


def _questionnaire_of(instance):
    if isinstance(instance, Questionnaire):
        return instance.pk
    if isinstance(instance, Section):
        return instance.questionnaire_id
    return Section.objects.filter(pk=instance.section_id).values_list("questionnaire_id", flat=True).first()


def on_questionnaire_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    questionnaire = Questionnaire.objects.filter(pk=_questionnaire_of(instance)).first()
    if questionnaire is not None:
        questionnaire.publish()


def connect():
    state_changed.connect(on_state_changed, dispatch_uid="surveys.on_state_changed")
    for model in (Questionnaire, Section, Item):
        post_save.connect(on_questionnaire_changed, sender=model, dispatch_uid=f"surveys.publish.{model.__name__}")
        post_delete.connect(on_questionnaire_changed, sender=model, dispatch_uid=f"surveys.unpublish.{model.__name__}")
