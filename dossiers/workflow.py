"""The table of the wheel: every state of a dossier, its step, colour and next step, the named groups of
states, and the allowed transitions with the screen that records each one.

This module is the one place that names states: other modules use ``State`` and the groups below, never
their own list. It imports no model: the one function that changes a dossier's state,
``apply_transition``, lives in ``dossiers.transitions``. docs/workflow.md describes the table and how to
add a state.
"""
from collections import deque
from dataclasses import dataclass

from django.db import models

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


# --- The states ------------------------------------------------------------------------------------

# The colours of the state badges (static/css/ipm.css has one rule per tone: ``.tone-<name>``).
TONES = {
    "start": "bleu : la fiche arrive",
    "preparation": "violet : la préparation avec la plateforme",
    "commission": "ocre : attend la commission",
    "go": "vert : accepté, en route",
    "stop": "rouge : arrêt ou refus",
    "detour": "turquoise : orienté vers une étape intermédiaire",
    "after": "gris foncé : après le séjour",
}


@dataclass(frozen=True)
class StateRow:
    step: str | None  # the step of the wheel in the step indicator (None: shown on no step)
    tone: str  # a key of TONES
    next_step: str = ""  # what to do now, in the « Prochaine étape » box of the dossier page


STATES = {
    State.RECEIVED: StateRow("Fiche", "start",
        "Inviter le jeune à une information collective (depuis la liste « À inviter » ou la boîte de réception)."),
    State.INVITED: StateRow("Information collective", "start", "Noter sa présence à l'information collective."),
    State.INFO_DONE: StateRow("Information collective", "preparation",
        "Réaliser le diagnostic de mobilité avec un conseiller mobilité."),
    State.DIAGNOSED: StateRow("Diagnostic", "preparation",
        "Compléter le projet de mobilité puis commencer le montage du dossier."),
    State.ORIENTED: StateRow("Diagnostic", "detour",
        "Le jeune est orienté vers une étape intermédiaire ; il pourra revenir dans la roue."),
    State.FILE_BUILDING: StateRow("Montage", "preparation",
        "Dossier complet : l'inscrire à l'ordre du jour d'une commission."),
    State.IN_COMMISSION: StateRow("Commission", "commission", "En attente de la décision de la commission."),
    State.ACCEPTED: StateRow("Commission", "go"),
    State.REFUSED: StateRow("Commission", "stop"),
    State.POSTPONED: StateRow("Commission", "commission",
        "Dossier complet : l'inscrire à l'ordre du jour d'une commission."),
    State.CONTRACT_SIGNED: StateRow("Contrat", "go"),
    State.ABROAD: StateRow("Séjour", "go"),
    State.INTERRUPTED: StateRow("Séjour", "stop"),
    State.RETURNED: StateRow("Retour et suivi", "after"),
    State.FOLLOW_UP: StateRow("Retour et suivi", "after"),
    State.CLOSED: StateRow("Retour et suivi", "after"),
    State.DROPPED: StateRow(None, "stop"),
}


def tone(state):
    """The badge colour of a state (a key of TONES)."""
    return STATES[State(state)].tone


# The steps of the wheel shown in the step indicator, in order, and the states that belong to each.
STEPS = []
for _state, _row in STATES.items():
    if _row.step is not None:
        if not STEPS or STEPS[-1][0] != _row.step:
            STEPS.append((_row.step, set()))
        STEPS[-1][1].add(_state)


def step_index(state):
    """Index in STEPS of the step a state belongs to (for the step indicator), -1 for none."""
    for index, (_label, states) in enumerate(STEPS):
        if state in states:
            return index
    return -1


# --- The named groups ------------------------------------------------------------------------------

# The end of the wheel: closed after the follow-up, or dropped on the way.
FINAL_STATES = frozenset({State.CLOSED, State.DROPPED})
# States where the young person is still on the wheel (not closed, not dropped).
ACTIVE_STATES = frozenset(State) - FINAL_STATES
# Waiting for the information meeting: a young person may be invited to one (again).
INVITABLE_STATES = frozenset({State.RECEIVED, State.INVITED})
# The outcomes of a diagnostic.
DIAGNOSED_STATES = frozenset({State.DIAGNOSED, State.ORIENTED})
# A file that may be put on a commission's agenda: in montage, or postponed by a commission.
AGENDA_STATES = frozenset({State.FILE_BUILDING, State.POSTPONED})
# The three decisions of a commission.
DECIDED_STATES = frozenset({State.ACCEPTED, State.REFUSED, State.POSTPONED})
# Accepted and not yet gone: the contract, the stay planning and the preparation meeting.
CONTRACT_STATES = frozenset({State.ACCEPTED, State.CONTRACT_SIGNED})
# States reached only once the stay has started: the dossier counts as a departure.
DEPARTED_STATES = frozenset({State.ABROAD, State.INTERRUPTED, State.RETURNED, State.FOLLOW_UP})
# From the commission to the return: the places, contract, stay and return of the departures app.
DEPARTURE_STAGE_STATES = frozenset({State.IN_COMMISSION}) | CONTRACT_STATES | DEPARTED_STATES
# Back from the stay (early or not): the monthly follow-up calls are due.
FOLLOWUP_STATES = frozenset({State.RETURNED, State.FOLLOW_UP, State.INTERRUPTED})
# States from which the follow-up may be closed.
CLOSABLE_STATES = frozenset({State.FOLLOW_UP, State.INTERRUPTED})

# The groups by name, for templates (``{% if dossier.state|state_in:"FINAL_STATES" %}``) and the docs.
GROUPS = {
    "FINAL_STATES": FINAL_STATES, "ACTIVE_STATES": ACTIVE_STATES, "INVITABLE_STATES": INVITABLE_STATES,
    "DIAGNOSED_STATES": DIAGNOSED_STATES, "AGENDA_STATES": AGENDA_STATES, "DECIDED_STATES": DECIDED_STATES,
    "CONTRACT_STATES": CONTRACT_STATES, "DEPARTED_STATES": DEPARTED_STATES,
    "DEPARTURE_STAGE_STATES": DEPARTURE_STAGE_STATES, "FOLLOWUP_STATES": FOLLOWUP_STATES,
    "CLOSABLE_STATES": CLOSABLE_STATES,
}


# --- The transitions -------------------------------------------------------------------------------

STAFF = PLATFORM_ROLES
MOBILITY = MOBILITY_ROLES


@dataclass(frozen=True)
class Transition:
    """One allowed move. ``screen``: the URL name of the screen that records it (it records more than a
    state: dates, reasons, files, a decision), or None for the generic action of the dossier page
    (``dossiers:transition``), which refuses any transition that has a screen. A screen URL takes the
    dossier's id, except a list screen (the commission sessions). ``hint``: what the dossier page shows
    for it (the label when not given). ``confirm``: a question asked before applying it. ``button``:
    the screen is one confirmed click (a POST, e.g. closing), not a page with a form."""

    source: str
    target: str
    label: str
    roles: frozenset = STAFF
    screen: str | None = None
    hint: str = ""
    confirm: str = ""
    button: bool = False

    def __post_init__(self):
        if not self.hint:
            object.__setattr__(self, "hint", self.label)


_T = Transition
DIAGNOSTIC = {"screen": "dossiers:diagnostic", "hint": "Remplir le diagnostic"}
AGENDA = {"screen": "dossiers:commission_list", "hint": "Inscrire en commission"}
# Decided on the dossier's line of the commission's agenda (the page opens the pending review).
DECISION = {"screen": "dossiers:review", "hint": "Décider en commission"}
# Closing ends the follow-up (open calls marked « non joint »): one confirmed click on the dossier page.
CLOSE = {"screen": "followup:close", "button": True,
         "confirm": "Clore le dossier ? Les appels de suivi restants seront notés « non joint »."}

TRANSITIONS = [
    _T(State.RECEIVED, State.INVITED, "Inviter en information collective"),
    _T(State.RECEIVED, State.INFO_DONE, "Entretien individuel à la place de l'information collective"),
    _T(State.INVITED, State.INFO_DONE, "Présent à l'information collective"),
    _T(State.INVITED, State.RECEIVED, "Absent : à réinviter"),
    _T(State.INFO_DONE, State.DIAGNOSED, "Diagnostic réalisé : prêt à partir", MOBILITY, **DIAGNOSTIC),
    _T(State.INFO_DONE, State.ORIENTED, "Diagnostic réalisé : orienter", MOBILITY, **DIAGNOSTIC),
    _T(State.DIAGNOSED, State.ORIENTED, "Orienter vers une étape intermédiaire", MOBILITY),
    _T(State.DIAGNOSED, State.FILE_BUILDING, "Commencer le montage du dossier"),
    _T(State.ORIENTED, State.RECEIVED, "Retour dans la roue (nouvelle information collective)"),
    _T(State.ORIENTED, State.INFO_DONE, "Retour dans la roue (nouveau diagnostic)"),
    _T(State.FILE_BUILDING, State.IN_COMMISSION, "Inscrire à l'ordre du jour d'une commission", **AGENDA),
    _T(State.IN_COMMISSION, State.ACCEPTED, "Décision de la commission : accepté", **DECISION),
    _T(State.IN_COMMISSION, State.REFUSED, "Décision de la commission : refusé", **DECISION),
    _T(State.IN_COMMISSION, State.POSTPONED, "Décision de la commission : ajourné", **DECISION),
    _T(State.IN_COMMISSION, State.FILE_BUILDING, "Retirer de l'ordre du jour", **DECISION),
    _T(State.POSTPONED, State.IN_COMMISSION, "Présenter à une commission suivante", **AGENDA),
    _T(State.POSTPONED, State.FILE_BUILDING, "Reprendre le montage du dossier"),
    _T(State.REFUSED, State.ORIENTED, "Orienter après le refus"),
    _T(State.ACCEPTED, State.CONTRACT_SIGNED, "Contrat signé", screen="departures:contract_sign"),
    _T(State.CONTRACT_SIGNED, State.ABROAD, "Départ : en séjour", screen="departures:departure"),
    _T(State.ABROAD, State.INTERRUPTED, "Séjour interrompu (retour anticipé)", screen="departures:early_return"),
    _T(State.ABROAD, State.RETURNED, "Retour du séjour", screen="departures:return"),
    _T(State.RETURNED, State.FOLLOW_UP, "Bilan de retour fait : suivi à six mois", screen="departures:review"),
    _T(State.INTERRUPTED, State.FOLLOW_UP, "Bilan fait : suivi à six mois", screen="departures:review"),
    _T(State.INTERRUPTED, State.CLOSED, "Clore le dossier", **CLOSE),
    _T(State.FOLLOW_UP, State.CLOSED, "Suivi terminé : clore le dossier", hint="Clore le dossier (suivi terminé)",
       **CLOSE),
] + [
    _T(source, State.DROPPED, "Abandon", confirm="Confirmer l'abandon du dossier ?")
    for source in State
    if source not in FINAL_STATES and source not in DEPARTED_STATES
]

TRANSITION_TABLE = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionError(Exception):
    """A refused transition; the message is French and meant for the user."""


def transition(source, target):
    """The transition of the table from ``source`` to ``target``, or None when it is not allowed."""
    return TRANSITION_TABLE.get((source, target))


def _user_roles_allow(user, transition):
    return user.is_superuser or user.role in transition.roles


def allowed_transitions(dossier, user):
    """The transitions this user may apply to this dossier now, in table order."""
    return [t for t in TRANSITIONS if t.source == dossier.state and _user_roles_allow(user, t)]


def can_apply(dossier, target, user):
    found = transition(dossier.state, target)
    return found is not None and _user_roles_allow(user, found)


def check(source, target, user):
    """The transition from ``source`` to ``target`` if ``user`` may apply it, else ``TransitionError``."""
    target = State(target)
    found = transition(source, target)
    if found is None:
        raise TransitionError(f"Le dossier est « {State(source).label} » : il ne peut pas passer à « {target.label} ».")
    if not _user_roles_allow(user, found):
        raise TransitionError(f"Votre rôle ne permet pas l'action « {found.label} ».")
    return found


# Detours a typical dossier does not take on its way to another state.
DETOURS = frozenset({State.ORIENTED, State.REFUSED, State.POSTPONED, State.INTERRUPTED, State.DROPPED})


def path_to(target, start=State.RECEIVED):
    """The shortest list of states leading from ``start`` to ``target`` through allowed transitions
    (``start`` excluded), going through no detour (orientation, refusal, postponement, interruption,
    abandon) unless it is the target: a closed dossier came back from its stay and was followed up.
    Used by demo data, generated data and tests to bring a dossier to any state."""
    target = State(target)
    previous = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for move in TRANSITIONS:
            if move.target in DETOURS and move.target != target:
                continue
            if move.source == state and move.target not in previous:
                previous[move.target] = state
                queue.append(move.target)
    if target not in previous:
        raise ValueError(f"{target} unreachable from {start}")
    path = []
    state = target
    while state != start:
        path.append(state)
        state = previous[state]
    return list(reversed(path))
