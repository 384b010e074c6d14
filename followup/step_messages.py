"""The young person is told of each step of their dossier, with a link into their space, by the channels
they chose (``followup.contact``), and the referring counsellor gets a copy unless they turned it off.
Each receiver records the messages in the sender's transaction under a key that makes a repeat write
nothing.

====================  ============================================  ========================================
step (kind)           key (object, period)                          trigger
====================  ============================================  ========================================
diagnostic            ``event:<n°>`` (the move), once               ``dossiers.signals.diagnostic_recorded``
                                                                    (the grid's conclusion moved the dossier)
piece refused         ``document:<n°>``, per upload of the piece    ``dossiers.signals.document_reviewed``
file complete         ``document:<n°>`` (the piece whose validation  ``dossiers.signals.document_reviewed``
                      completed the file), per upload
decision (young       ``review:<n°>``, once                         ``dossiers.signals.decision_recorded``
person)
contract ready        ``contract:<n°>`` (one version), once         ``departures.signals.contract_generated``
====================  ============================================  ========================================

The departure reminder (J-7) and the follow-up link are due on a day: ``followup.reminders``.
"""
from departures.models import Contract
from departures.signals import contract_generated
from dossiers.enums import Decision, DocumentStatus
from dossiers.models import CommissionReview, Document, Dossier
from dossiers.services import completeness
from dossiers.signals import decision_recorded, diagnostic_recorded, document_reviewed
from dossiers.workflow import AGENDA_STATES, State

from .contact import space_url, tell_youth
from .enums import MessageKind


def connect():
    diagnostic_recorded.connect(on_diagnostic_recorded, dispatch_uid="followup.step_diagnostic")
    document_reviewed.connect(on_document_reviewed, dispatch_uid="followup.step_document")
    decision_recorded.connect(on_decision_for_youth, dispatch_uid="followup.step_decision")
    contract_generated.connect(on_contract_generated, dispatch_uid="followup.step_contract")


def _dossier_of(obj):
    """The dossier with what the messages read (young person, counsellor)."""
    return Dossier.objects.select_related("youth", "referring_counsellor").get(pk=obj.dossier_id)


# --- The diagnostic's outcome --------------------------------------------------------------------------

def on_diagnostic_recorded(sender, diagnostic, event, **kwargs):
    dossier = _dossier_of(event)
    target = event.to_state
    ready = target == State.DIAGNOSED
    context = {"ready": ready}
    if ready:
        sms = "le diagnostic est fait : vous êtes prêt(e) à partir ! Prochaine étape : votre projet."
    else:
        orientation = diagnostic.get_orientation_display().lower() if diagnostic and diagnostic.orientation else ""
        context.update(orientation=orientation or "une étape intermédiaire",
                       details=diagnostic.orientation_details if diagnostic else "",
                       come_back_on=diagnostic.come_back_on if diagnostic else None)
        sms = f"le diagnostic est fait : nous vous proposons d'abord une étape ({context['orientation']}). Ce n'est pas un refus."
    return tell_youth(MessageKind.DIAGNOSTIC, f"event:{event.pk}", "", dossier, template="diagnostic",
                      subject="Votre diagnostic de mobilité", context=context, sms=sms,
                      link=space_url("space:dossier", dossier.pk), link_label="Voir mon dossier")


# --- A refused piece, the file complete ----------------------------------------------------------------

def upload_key(document):
    """The upload of the piece a review is about: a piece sent again and refused again is a new message."""
    return f"{document.uploaded_at:%y%m%d%H%M%S%f}" if document.uploaded_at else ""


def on_document_reviewed(sender, document, previous_status=None, **kwargs):
    document = Document.objects.select_related("document_type").get(pk=document.pk)
    if document.status == DocumentStatus.REJECTED:
        return tell_piece_refused(document)
    if document.status == DocumentStatus.VALIDATED and previous_status != DocumentStatus.VALIDATED:
        return tell_file_complete(document)
    return 0


def tell_piece_refused(document):
    dossier = _dossier_of(document)
    piece = document.document_type.name
    return tell_youth(
        MessageKind.PIECE_REFUSED, f"document:{document.pk}", upload_key(document), dossier,
        template="piece_refused", subject=f"Pièce à renvoyer : {piece}",
        context={"piece": piece, "reason": document.rejection_reason},
        sms=f"la pièce « {piece} » est à renvoyer ({document.rejection_reason}). Renvoyez-la depuis votre espace :",
        link=space_url("space:pieces", dossier.pk), link_label="Renvoyer la pièce",
    )


def tell_file_complete(document):
    """« Dossier complet » when this validation completed the file (while it is being built)."""
    dossier = _dossier_of(document)
    if dossier.state not in AGENDA_STATES and dossier.state != State.DIAGNOSED:
        return 0
    if not completeness(dossier).complete:
        return 0
    return tell_youth(
        MessageKind.FILE_COMPLETE, f"document:{document.pk}", upload_key(document), dossier,
        template="file_complete", subject="Dossier complet",
        context={}, sms="dossier complet ! Toutes vos pièces sont vérifiées ; prochaine étape, la commission.",
        link=space_url("space:dossier", dossier.pk), link_label="Voir mon dossier",
    )


# --- The commission's decision, to the young person ------------------------------------------------------

def on_decision_for_youth(sender, review, **kwargs):
    """The young person's own message of the decision (the counsellor has theirs, ``notifications``)."""
    review = CommissionReview.objects.select_related("session", "postponed_to").get(pk=review.pk)
    dossier = _dossier_of(review)
    decision = Decision(review.decision)
    orientation = review.get_orientation_display().lower() if review.orientation else ""
    missing = []
    if decision == Decision.POSTPONED:
        missing = [line.document_type.name for line in completeness(dossier).missing]
        sms = "la commission a ajourné sa décision ; votre dossier sera revu. Ce qu'il manque est dans votre espace :"
    elif decision == Decision.ACCEPTED:
        sms = "félicitations, la commission a accepté votre projet ! Prochaine étape : le contrat, dans votre espace :"
    else:
        sms = (f"la commission ne retient pas votre projet pour le moment et vous propose une autre voie ({orientation}). "
               "Un refus n'est jamais définitif : votre conseiller en parle avec vous.")
    return tell_youth(
        MessageKind.DECISION_YOUTH, f"review:{review.pk}", "", dossier, template="decision",
        subject="La décision de la commission", copy=False,
        context={"review": review, "decision": decision.value, "orientation": orientation, "missing": missing},
        sms=sms, link=space_url("space:dossier", dossier.pk), link_label="Voir mon dossier",
    )


# --- The contract ready ------------------------------------------------------------------------------------

def on_contract_generated(sender, contract, **kwargs):
    contract = Contract.objects.get(pk=contract.pk)
    dossier = _dossier_of(contract)
    return tell_youth(
        MessageKind.CONTRACT_READY, f"contract:{contract.pk}", "", dossier, template="contract_ready",
        subject="Votre contrat d'engagement est prêt", context={"contract": contract},
        sms=f"votre contrat d'engagement (version {contract.version}) est prêt : lisez-le et acceptez-le dans votre espace :",
        link=space_url("space:contract", dossier.pk), link_label="Lire et accepter mon contrat",
    )
