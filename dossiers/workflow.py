"""The dossier workflow: every state of the wheel, the allowed transitions, and the one function that
changes a dossier's state.

Nothing else writes ``Dossier.state``. ``apply_transition`` checks the transition is in the table and
that the user's role may perform it, saves, and writes a ``DossierEvent`` (the timeline users read).
"""
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from ipm.enums import MOBILITY_ROLES, PLATFORM_ROLES


class State(models.TextChoices):
    RECEIVED = "fiche_recue", "Fiche reçue"
    INVITED = "invite_ic", "Invité en information collective"
    INFO_DONE = "ic_faite", "Information collective faite"
    DIAGNOSED = "diagnostic_fait", "Diagnostic fait"
    ORIENTED = "oriente", "Orienté"
    FILE_BUILDING = "en_montage", "Dossier en montage"
    IN_COMMISSION = "en_commission", "En commission"
    ACCEPTED = "accepte", "Accepté"
    REFUSED = "refuse", "Refusé"
    POSTPONED = "ajourne", "Ajourné"
    CONTRACT_SIGNED = "contrat_signe", "Contrat signé"
    ABROAD = "en_sejour", "En séjour"
    INTERRUPTED = "sejour_interrompu", "Séjour interrompu"
    RETURNED = "de_retour", "De retour"
    FOLLOW_UP = "en_suivi", "En suivi"
    CLOSED = "clos", "Clos"
    DROPPED = "abandon", "Abandon"


# The steps of the wheel shown in the step indicator, and the states that belong to each.
STEPS = [
    ("Fiche", {State.RECEIVED}),
    ("Information collective", {State.INVITED, State.INFO_DONE}),
    ("Diagnostic", {State.DIAGNOSED, State.ORIENTED}),
    ("Montage", {State.FILE_BUILDING}),
    ("Commission", {State.IN_COMMISSION, State.ACCEPTED, State.REFUSED, State.POSTPONED}),
    ("Contrat", {State.CONTRACT_SIGNED}),
    ("Séjour", {State.ABROAD, State.INTERRUPTED}),
    ("Retour et suivi", {State.RETURNED, State.FOLLOW_UP, State.CLOSED}),
]

# States where the young person is still on the wheel (not closed, not dropped).
FINAL_STATES = frozenset({State.CLOSED, State.DROPPED})
ACTIVE_STATES = frozenset(State) - FINAL_STATES
# States reached only once the stay has started: the dossier counts as a departure.
DEPARTED_STATES = frozenset({State.ABROAD, State.INTERRUPTED, State.RETURNED, State.FOLLOW_UP})
# Back from the stay (early or not): the monthly follow-up calls are due.
FOLLOWUP_STATES = frozenset({State.RETURNED, State.FOLLOW_UP, State.INTERRUPTED})
# States from which the follow-up may be closed.
CLOSABLE_STATES = frozenset({State.FOLLOW_UP, State.INTERRUPTED})
# The outcomes of a diagnostic, and the three decisions of a commission.
DIAGNOSED_STATES = frozenset({State.DIAGNOSED, State.ORIENTED})
DECIDED_STATES = frozenset({State.ACCEPTED, State.REFUSED, State.POSTPONED})

STAFF = PLATFORM_ROLES
MOBILITY = MOBILITY_ROLES


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    roles: frozenset = STAFF


_T = Transition
TRANSITIONS = [
    _T(State.RECEIVED, State.INVITED, "Inviter en information collective"),
    _T(State.RECEIVED, State.INFO_DONE, "Entretien individuel à la place de l'information collective"),
    _T(State.INVITED, State.INFO_DONE, "Présent à l'information collective"),
    _T(State.INVITED, State.RECEIVED, "Absent : à réinviter"),
    _T(State.INFO_DONE, State.DIAGNOSED, "Diagnostic réalisé : prêt à partir", MOBILITY),
    _T(State.INFO_DONE, State.ORIENTED, "Diagnostic réalisé : orienter", MOBILITY),
    _T(State.DIAGNOSED, State.ORIENTED, "Orienter vers une étape intermédiaire", MOBILITY),
    _T(State.DIAGNOSED, State.FILE_BUILDING, "Commencer le montage du dossier"),
    _T(State.ORIENTED, State.RECEIVED, "Retour dans la roue (nouvelle information collective)"),
    _T(State.ORIENTED, State.INFO_DONE, "Retour dans la roue (nouveau diagnostic)"),
    _T(State.FILE_BUILDING, State.IN_COMMISSION, "Inscrire à l'ordre du jour d'une commission"),
    _T(State.IN_COMMISSION, State.ACCEPTED, "Décision de la commission : accepté"),
    _T(State.IN_COMMISSION, State.REFUSED, "Décision de la commission : refusé"),
    _T(State.IN_COMMISSION, State.POSTPONED, "Décision de la commission : ajourné"),
    _T(State.IN_COMMISSION, State.FILE_BUILDING, "Retirer de l'ordre du jour"),
    _T(State.POSTPONED, State.IN_COMMISSION, "Présenter à une commission suivante"),
    _T(State.POSTPONED, State.FILE_BUILDING, "Reprendre le montage du dossier"),
    _T(State.REFUSED, State.ORIENTED, "Orienter après le refus"),
    _T(State.ACCEPTED, State.CONTRACT_SIGNED, "Contrat signé"),
    _T(State.CONTRACT_SIGNED, State.ABROAD, "Départ : en séjour"),
    _T(State.ABROAD, State.INTERRUPTED, "Séjour interrompu (retour anticipé)"),
    _T(State.ABROAD, State.RETURNED, "Retour du séjour"),
    _T(State.RETURNED, State.FOLLOW_UP, "Bilan de retour fait : suivi à six mois"),
    _T(State.INTERRUPTED, State.FOLLOW_UP, "Bilan fait : suivi à six mois"),
    _T(State.INTERRUPTED, State.CLOSED, "Clore le dossier"),
    _T(State.FOLLOW_UP, State.CLOSED, "Suivi terminé : clore le dossier"),
] + [
    _T(source, State.DROPPED, "Abandon")
    for source in State
    if source not in FINAL_STATES and source not in DEPARTED_STATES
]

TRANSITION_TABLE = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionError(Exception):
    """A refused transition; the message is French and meant for the user."""


def _user_roles_allow(user, transition):
    return user.is_superuser or user.role in transition.roles


def allowed_transitions(dossier, user):
    """The transitions this user may apply to this dossier now, in table order."""
    return [t for t in TRANSITIONS if t.source == dossier.state and _user_roles_allow(user, t)]


def can_apply(dossier, target, user):
    transition = TRANSITION_TABLE.get((dossier.state, target))
    return transition is not None and _user_roles_allow(user, transition)


def apply_transition(dossier, target, user, comment="", expected_source=None):
    """Move ``dossier`` to ``target`` on behalf of ``user``; returns the written ``DossierEvent``.

    Raises ``TransitionError`` (and writes nothing) when the transition is not in the table or when
    the user's role may not perform it. The dossier row is locked for the change, so two people
    acting at once cannot both move it from the same state. ``expected_source`` is the state the user
    saw when choosing the action (the dossier page sends it): if the dossier moved meanwhile, the action
    is refused rather than applied to a state the user did not see.
    """
    from .models import Dossier, DossierEvent

    target = State(target)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if expected_source is not None and expected_source != locked.state:
            raise TransitionError(
                f"Le dossier a changé entre-temps : il est maintenant « {State(locked.state).label} ». "
                "Rechargez la page et vérifiez avant d'agir."
            )
        transition = TRANSITION_TABLE.get((locked.state, target))
        if transition is None:
            raise TransitionError(
                f"Le dossier est « {State(locked.state).label} » : "
                f"il ne peut pas passer à « {target.label} »."
            )
        if not _user_roles_allow(user, transition):
            raise TransitionError(f"Votre rôle ne permet pas l'action « {transition.label} ».")
        source = locked.state
        now = timezone.now()
        Dossier.objects.filter(pk=locked.pk).update(state=target, state_changed_at=now, updated_at=now)
        event = DossierEvent.objects.create(
            dossier=locked, actor=user, from_state=source, to_state=target, comment=comment, created_at=now
        )
    dossier.state = target
    dossier.state_changed_at = now
    return event


def record_creation(dossier, user, comment=""):
    """The first event of a dossier's timeline (the state it was created in)."""
    from .models import DossierEvent

    return DossierEvent.objects.create(
        dossier=dossier, actor=user, from_state="", to_state=dossier.state, comment=comment
    )


def step_index(state):
    """Index in STEPS of the step a state belongs to (for the step indicator)."""
    for index, (_label, states) in enumerate(STEPS):
        if state in states:
            return index
    return -1


# Detours a typical dossier does not take on its way to another state.
DETOURS = frozenset({State.ORIENTED, State.REFUSED, State.POSTPONED, State.INTERRUPTED, State.DROPPED})


def path_to(target, start=State.RECEIVED):
    """The shortest list of states leading from ``start`` to ``target`` through allowed transitions
    (``start`` excluded), going through no detour (orientation, refusal, postponement, interruption,
    abandon) unless it is the target: a closed dossier came back from its stay and was followed up.
    Used by demo data, generated data and tests to bring a dossier to any state."""
    from collections import deque

    target = State(target)
    previous = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for transition in TRANSITIONS:
            if transition.target in DETOURS and transition.target != target:
                continue
            if transition.source == state and transition.target not in previous:
                previous[transition.target] = state
                queue.append(transition.target)
    if target not in previous:
        raise ValueError(f"{target} unreachable from {start}")
    path = []
    state = target
    while state != start:
        path.append(state)
        state = previous[state]
    return list(reversed(path))
