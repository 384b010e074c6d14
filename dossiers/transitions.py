"""Applying the workflow table (``dossiers.workflow``) to a dossier: the one function that changes a
dossier's state, the first event of its timeline, and the screen that records a transition.

Nothing else writes ``Dossier.state`` (the legacy import loads history in bulk, see reporting/legacy.py).
``apply_transition`` checks the transition is in the table and that the user's role may perform it,
saves, and writes a ``DossierEvent`` (the timeline users read).
"""
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import CommissionReview, Dossier, DossierEvent
from .signals import state_changed
from .workflow import State, TransitionError, check, transition


def apply_transition(dossier, target, user, comment="", expected_source=None):
    """Move ``dossier`` to ``target`` on behalf of ``user``; returns the written ``DossierEvent``.

    Raises ``TransitionError`` (and writes nothing) when the transition is not in the table or when
    the user's role may not perform it. The dossier row is locked for the change, so two people
    acting at once cannot both move it from the same state. ``expected_source`` is the state the user
    saw when choosing the action (the dossier page sends it): if the dossier moved meanwhile, the action
    is refused rather than applied to a state the user did not see.
    """
    target = State(target)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if expected_source is not None and expected_source != locked.state:
            raise TransitionError(
                f"Le dossier a changé entre-temps : il est maintenant « {State(locked.state).label} ». "
                "Rechargez la page et vérifiez avant d'agir."
            )
        check(locked.state, target, user)
        source = locked.state
        now = timezone.now()
        Dossier.objects.filter(pk=locked.pk).update(state=target, state_changed_at=now, updated_at=now)
        event = DossierEvent.objects.create(
            dossier=locked, actor=user, from_state=source, to_state=target, comment=comment, created_at=now
        )
        state_changed.send(sender=Dossier, dossier=locked, source=source, target=target, user=user)
    dossier.state = target
    dossier.state_changed_at = now
    return event


def record_creation(dossier, user, comment=""):
    """The first event of a dossier's timeline (the state it was created in)."""
    return DossierEvent.objects.create(
        dossier=dossier, actor=user, from_state="", to_state=dossier.state, comment=comment
    )


def record_note(dossier, user, comment):
    """A note on the timeline that changes no state (a fiche attached, a merge): ``from_state`` and
    ``to_state`` are both the dossier's state, so the reports that count events reaching a state by
    ``to_state`` (reached once at least) and ``rules.acceptance_day`` (which skips notes) are not fooled."""
    return DossierEvent.objects.create(
        dossier=dossier, actor=user, from_state=dossier.state, to_state=dossier.state, comment=comment
    )


def screen_link(dossier, target, source=None):
    """(url, text) of the screen that records the move of ``dossier`` from ``source`` (default: its
    state) to ``target``, as the workflow table names it; None when the generic action records it."""
    move = transition(source or dossier.state, target)
    if move is None or move.screen is None:
        return None
    if move.screen == "dossiers:review":  # decided on the dossier's line of a commission's agenda
        review = CommissionReview.objects.filter(dossier=dossier, decision="").select_related("session").last()
        if review is None:
            return (reverse("dossiers:commission_list"), "Ouvrir la commission")
        return (reverse("dossiers:review", args=[review.session_id, review.pk]), f"Décider : {review.session}")
    try:
        return (reverse(move.screen, args=[dossier.pk]), move.hint)
    except NoReverseMatch:  # a list screen, e.g. the commission sessions
        return (reverse(move.screen), move.hint)
