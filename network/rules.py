"""Who may be an ambassador, a parrain or a candidate, read from the named groups of the wheel."""
from dossiers.workflow import ACTIVE_STATES, DEPARTED_STATES, FOLLOWUP_STATES, State

# Back from the stay: the follow-up states, and « clos », which only they lead to (CLOSABLE_STATES).
AFTER_RETURN_STATES = FOLLOWUP_STATES | {State.CLOSED}
# Still on the wheel and not gone yet: a candidate a parrain or marraine may help.
CANDIDATE_STATES = ACTIVE_STATES - DEPARTED_STATES


class NetworkError(Exception):
    """A refused operation of the network; the message is French and meant for the user."""


def ambassador_error(dossier):
    if dossier.state not in AFTER_RETURN_STATES:
        return (f"Le dossier est à l'étape « {dossier.get_state_display()} » : seul un jeune revenu de son séjour "
                "peut devenir ambassadeur.")
    return ""


def pairing_error(candidate, sponsor):
    if candidate.state not in CANDIDATE_STATES:
        return f"Le candidat est à l'étape « {candidate.get_state_display()} » : il n'attend plus de départ."
    if sponsor.state not in AFTER_RETURN_STATES:
        return "Le parrain ou la marraine doit être un ancien participant revenu de son séjour."
    if candidate.youth_id == sponsor.youth_id:
        return "Un jeune ne peut pas être son propre parrain."
    return ""


def pairing_end_error(pairing, ended_on, today, last_meeting=None):
    """Why ``ended_on`` cannot end ``pairing`` ("" if it can): not before the pair was formed nor before a
    meeting it held, not in the future."""
    if ended_on > today:
        return "Un binôme se termine au plus tard aujourd'hui : la date de fin ne peut pas être dans le futur."
    if ended_on < pairing.started_on:
        return (f"Le binôme a été formé le {pairing.started_on:%d/%m/%Y} : il ne peut pas être terminé "
                "avant cette date.")
    if last_meeting is not None and ended_on < last_meeting:
        return (f"Le binôme s'est rencontré le {last_meeting:%d/%m/%Y} : il ne peut pas être terminé avant "
                "cette rencontre.")
    return ""
