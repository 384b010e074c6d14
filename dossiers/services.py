"""Multi-step operations on a dossier before departure: diagnostic, application file, commission.

Views, commands and tests call these; every change of state goes through ``transitions.apply_transition``.
"""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ipm.access import can_see_sensitive

from . import rules, transitions
from .enums import Decision, DiagnosticOutcome, DocumentStatus
from .models import (
    CommissionCriterion,
    CommissionReview,
    CommissionScore,
    Diagnostic,
    Document,
    DocumentType,
    Dossier,
    DossierEvent,
    MobilityProject,
    SensitiveAccess,
    SensitiveDiagnostic,
    is_long_haul,
)
from .signals import decision_recorded, diagnostic_recorded, document_reviewed
from .workflow import AGENDA_STATES, State


class ServiceError(Exception):
    """A refused operation; the message is French and meant for the user."""


# --- Sensitive diagnostic items -----------------------------------------------------------------------


def log_sensitive_access(user, dossier, action=SensitiveAccess.READ, item=""):
    return SensitiveAccess.objects.create(user=user, dossier=dossier, action=action, item=item)


def read_sensitive(user, dossier):
    """The sensitive items of ``dossier`` for ``user``: None (and nothing logged) when the user may not
    see them; otherwise the record (created empty if needed) and a logged read."""
    if not can_see_sensitive(user):
        return None
    sensitive = SensitiveDiagnostic.objects.filter(diagnostic__dossier=dossier).first()
    log_sensitive_access(user, dossier, SensitiveAccess.READ)
    return sensitive


# --- Diagnostic ---------------------------------------------------------------------------------------


def first_departure_warning(dossier):
    """The French warning when a young person with no mobility experience is proposed a destination
    outside Europe (a first departure is never long-haul), else ''."""
    diagnostic = getattr(dossier, "diagnostic", None)
    project = getattr(dossier, "project", None)
    if project is None or not is_long_haul(project.country):
        return ""
    if diagnostic is not None and diagnostic.mobility_experience:
        return ""
    return (
        f"Première mobilité : la destination proposée ({project.country.name}) est hors d'Europe. "
        "Un premier départ se fait en Europe ; choisissez une destination européenne ou vérifiez "
        "l'expérience de mobilité du jeune dans le diagnostic."
    )


def save_diagnostic(dossier, diagnostic, sensitive, user):
    """Save the grid (``diagnostic`` and its ``sensitive`` part, unsaved model instances from the
    forms) and, when a conclusion is given and the dossier is waiting for its diagnostic, move it:
    ready → "diagnostic fait", not yet → "orienté". Returns the ``DossierEvent`` or None."""
    if diagnostic.outcome == DiagnosticOutcome.NOT_YET and not diagnostic.orientation:
        raise ServiceError("Choisissez une orientation quand le jeune n'est pas encore prêt à partir.")
    with transaction.atomic():
        # Under the dossier's row lock: a first save sent twice at once finds, the second time, the grid
        # the first one saved (updated, never a second insert on the one-to-one) and the state it moved to.
        state = Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("state", flat=True).first()
        dossier.state = state or dossier.state
        diagnostic.dossier = dossier
        if diagnostic._state.adding:
            _adopt(diagnostic, Diagnostic.objects.filter(dossier=dossier))
        if diagnostic.conducted_by_id is None:
            diagnostic.conducted_by = user
        diagnostic.save()
        if sensitive is not None:
            if not can_see_sensitive(user):
                raise ServiceError("Votre rôle ne permet pas de modifier les éléments sensibles.")
            sensitive.diagnostic = diagnostic
            if sensitive._state.adding:
                _adopt(sensitive, SensitiveDiagnostic.objects.filter(diagnostic=diagnostic))
            sensitive.save()
            log_sensitive_access(user, dossier, SensitiveAccess.WRITE)
        event = None
        if diagnostic.outcome and dossier.state == State.INFO_DONE:
            if diagnostic.outcome == DiagnosticOutcome.READY:
                event = transitions.apply_transition(dossier, State.DIAGNOSED, user, "Diagnostic : prêt à partir")
            else:
                comment = f"Diagnostic : pas encore prêt — {diagnostic.get_orientation_display().lower()}"
                if diagnostic.orientation_details:
                    comment += f" ({diagnostic.orientation_details})"
                if diagnostic.come_back_on:
                    comment += f" ; retour envisagé le {diagnostic.come_back_on:%d/%m/%Y}"
                event = transitions.apply_transition(dossier, State.ORIENTED, user, comment)
            diagnostic_recorded.send(sender=type(diagnostic), diagnostic=diagnostic, event=event)
        if dossier.platform_counsellor_id is None:
            Dossier.objects.filter(pk=dossier.pk).update(platform_counsellor=user)
    return event


def _adopt(instance, existing):
    """An unsaved ``instance`` whose row was saved meanwhile (``existing``, its one-to-one) becomes that
    row: its save updates it. Its creation date is kept."""
    found = existing.values("pk", "created_at").first() if hasattr(instance, "created_at") else (
        existing.values("pk").first())
    if found is not None:
        instance.pk, instance._state.adding = found["pk"], False
        if "created_at" in found:
            instance.created_at = found["created_at"]


def save_project(dossier, project):
    """Save the mobility project and copy its scheme onto the dossier (the checklist depends on it)."""
    with transaction.atomic():
        project.dossier = dossier
        if project._state.adding:
            # A first save sent twice at once: under the dossier's row lock, the second one finds the
            # project the first one saved and updates it (never a second insert on the one-to-one).
            Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
            existing = MobilityProject.objects.filter(dossier=dossier).values_list("pk", flat=True).first()
            if existing is not None:
                project.pk, project._state.adding = existing, False
        project.save()
        Dossier.objects.filter(pk=dossier.pk).update(scheme=project.scheme)
        dossier.scheme = project.scheme
    return project


# --- Application file ---------------------------------------------------------------------------------


def checklist_types(scheme):
    """The pieces asked for a scheme: the default checklist plus the scheme's own pieces."""
    condition = Q(scheme__isnull=True)
    if scheme is not None:
        condition |= Q(scheme=scheme)
    return DocumentType.objects.filter(condition, active=True).select_related("scheme").order_by("order", "name")


@dataclass
class ChecklistLine:
    document_type: DocumentType
    document: Document | None

    @property
    def status(self):
        return self.document.status if self.document else DocumentStatus.MISSING

    @property
    def status_label(self):
        return DocumentStatus(self.status).label

    @property
    def done(self):
        return self.status == DocumentStatus.VALIDATED


@dataclass
class Completeness:
    lines: list

    @property
    def required(self):
        return [line for line in self.lines if line.document_type.required]

    @property
    def validated_count(self):
        return sum(1 for line in self.required if line.done)

    @property
    def missing(self):
        """Required pieces not validated yet (missing, to check, or rejected)."""
        return [line for line in self.required if not line.done]

    @property
    def complete(self):
        return not self.missing

    @property
    def percent(self):
        return int(100 * self.validated_count / len(self.required)) if self.required else 100


def completeness(dossier):
    rows = dossier.documents.select_related("uploaded_by", "reviewed_by", "carried_over_from")
    documents = {d.document_type_id: d for d in rows}
    lines = [ChecklistLine(t, documents.get(t.pk)) for t in checklist_types(dossier.scheme)]
    return Completeness(lines)


def bulk_completeness(dossiers):
    """{dossier id: Completeness} for many dossiers in two queries (work lists, commission agenda)."""
    dossiers = list(dossiers)
    types = list(DocumentType.objects.filter(active=True).select_related("scheme").order_by("order", "name"))
    documents = {}
    for document in Document.objects.filter(dossier__in=[d.pk for d in dossiers]):
        documents[(document.dossier_id, document.document_type_id)] = document
    result = {}
    for dossier in dossiers:
        lines = [
            ChecklistLine(t, documents.get((dossier.pk, t.pk)))
            for t in types if t.scheme_id is None or t.scheme_id == dossier.scheme_id
        ]
        result[dossier.pk] = Completeness(lines)
    return result


def missing_piece_condition():
    """SQL condition "this dossier lacks a validated required piece" (the opposite of
    ``Completeness.complete``, same rules as ``bulk_completeness``): an active required type of the
    default checklist or of the dossier's scheme without a validated document. For filtering and
    counting many dossiers in the database (work lists) instead of loading them."""
    validated = Document.objects.filter(
        dossier=OuterRef(OuterRef("pk")), document_type=OuterRef("pk"), status=DocumentStatus.VALIDATED,
    )
    missing_types = DocumentType.objects.filter(active=True, required=True).filter(
        Q(scheme__isnull=True) | Q(scheme=OuterRef("scheme"))
    ).filter(~Exists(validated))
    return Exists(missing_types)


def upload_document(dossier, document_type, uploaded, user):
    """Store ``uploaded`` (already validated by ``UploadField``) as the piece ``document_type`` of
    ``dossier``; a new upload replaces the previous file and waits for checking again."""
    if not checklist_types(dossier.scheme).filter(pk=document_type.pk).exists():
        raise ServiceError("Cette pièce n'est pas demandée pour ce dossier.")
    with transaction.atomic():
        # The dossier's row lock first: a first upload of one piece sent twice at once (no row yet to lock)
        # finds, the second time, the piece the first one created and replaces its file.
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        document = Document.objects.select_for_update().filter(dossier=dossier, document_type=document_type).first()
        old_file = document.file.name if document and document.file else None
        if document is None:
            document = Document(dossier=dossier, document_type=document_type)
        document.file = uploaded
        document.original_name = uploaded.name[:255]
        document.size = uploaded.size
        document.status = DocumentStatus.RECEIVED
        document.uploaded_by = user
        document.uploaded_at = timezone.now()
        document.reviewed_by = None
        document.reviewed_at = None
        document.rejection_reason = ""
        document.full_clean(exclude=["dossier", "document_type"])
        document.save()
        if old_file and old_file != document.file.name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return document


def review_document(document, status, user, reason=""):
    status = DocumentStatus(status)
    if status == DocumentStatus.REJECTED and not reason.strip():
        raise ServiceError("Indiquez le motif du refus de la pièce, pour que le jeune puisse la corriger.")
    if status not in (DocumentStatus.VALIDATED, DocumentStatus.REJECTED, DocumentStatus.RECEIVED):
        raise ServiceError("Statut inconnu.")
    previous_status = document.status
    document.status = status
    document.reviewed_by = user if status != DocumentStatus.RECEIVED else None
    document.reviewed_at = timezone.now() if status != DocumentStatus.RECEIVED else None
    document.rejection_reason = reason.strip() if status == DocumentStatus.REJECTED else ""
    with transaction.atomic():  # the young person is told (``signals.document_reviewed``) with the change
        document.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
        document_reviewed.send(sender=Document, document=document, previous_status=previous_status)
    return document


# --- Commission ---------------------------------------------------------------------------------------

def add_to_agenda(session, dossier, user, override_reason=""):
    """Put ``dossier`` on ``session``'s agenda (→ "en commission"). An incomplete file needs an
    explicit reason, recorded on the agenda line and in the timeline. The dossier row is locked, so a
    double click cannot put it twice on the agenda."""
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("youth", "scheme").get(pk=dossier.pk)
        if locked.state not in AGENDA_STATES:
            raise ServiceError(
                f"Le dossier de {locked.youth} est « {locked.get_state_display()} » : seul un dossier en montage "
                "ou ajourné peut être inscrit en commission."
            )
        if CommissionReview.objects.filter(session=session, dossier=locked).exists():
            raise ServiceError(f"Le dossier de {locked.youth} est déjà à l'ordre du jour de cette commission.")
        state = completeness(locked)
        if not state.complete and not override_reason:
            missing = ", ".join(line.document_type.name for line in state.missing)
            raise ServiceError(
                f"Le dossier de {locked.youth} est incomplet (pièces non validées : {missing}). "
                "Pour l'inscrire quand même, indiquez le motif."
            )
        review = CommissionReview.objects.create(
            session=session, dossier=locked, added_by=user,
            incomplete_override=not state.complete, override_reason=override_reason if not state.complete else "",
        )
        comment = f"Inscrit à l'ordre du jour : {session}"
        if not state.complete:
            comment += f" — dossier incomplet, inscrit malgré tout : {override_reason}"
        transitions.apply_transition(dossier, State.IN_COMMISSION, user, comment)
    return review


def state_before_agenda(dossier):
    """The state ``dossier`` had before it was last put on an agenda (the ``from_state`` of its last
    event to "en commission"): « en montage », or « ajourné » for a dossier presented again."""
    event = (DossierEvent.objects.filter(dossier=dossier, to_state=State.IN_COMMISSION)
             .order_by("-created_at", "-pk").first())
    if event is not None and event.from_state == State.POSTPONED:
        return State.POSTPONED
    return State.FILE_BUILDING


def remove_from_agenda(review, user):
    """Take ``review``'s dossier off the agenda: it returns to the state it had before it was put on
    (a postponed dossier stays postponed). Returns that state (None when the dossier had already moved)."""
    if review.decision:
        raise ServiceError("La décision est déjà prise : ce dossier ne peut plus être retiré de l'ordre du jour.")
    back = None
    with transaction.atomic():
        dossier = review.dossier
        if dossier.state == State.IN_COMMISSION:
            back = state_before_agenda(dossier)
            comment = f"Retiré de l'ordre du jour : {review.session}"
            if back == State.POSTPONED:
                comment += " (reste ajourné)"
            transitions.apply_transition(dossier, back, user, comment)
        review.delete()
    return back


def save_scores(review, scores):
    """``scores``: {criterion_id: (score or None, comment)}."""
    criteria = {c.pk: c for c in CommissionCriterion.objects.filter(pk__in=scores)}
    for criterion_id, (score, comment) in scores.items():
        criterion = criteria[criterion_id]
        if score is not None and not 0 <= score <= criterion.max_score:
            raise ServiceError(f"« {criterion.name} » : la note doit être entre 0 et {criterion.max_score}.")
        CommissionScore.objects.update_or_create(
            review=review, criterion=criterion, defaults={"score": score, "comment": comment or ""}
        )


def record_decision(review, decision, user, comment="", orientation="", orientation_details="", postponed_to=None,
                    accept=None):
    """The commission's decision on one dossier. Accepted → "accepté" through ``accept(dossier, user,
    comment, event_comment=...)``: the one acceptance, of the departures app
    (``departures.services.accept_dossier``: a place of the scheme's funding, refused over quota unless
    confirmed, the overrun recorded), passed by the commission screen, as dossiers knows nothing of places; refused → "refusé" then "orienté" (an
    orientation is required); postponed → "ajourné", and put on the agenda of ``postponed_to`` when a
    later session is given. All in one transaction: a refused acceptance writes nothing. The referring
    counsellor is told by email (``signals.decision_recorded``: the outbox records it in this transaction,
    sends it once committed)."""
    decision = Decision(decision)
    if problem := rules.decision_date_error(review.session, comment):
        raise ServiceError(problem)
    if decision == Decision.ACCEPTED and accept is None:
        raise TypeError("record_decision: an acceptance needs accept (departures.services.accept_dossier).")
    if decision == Decision.REFUSED and not orientation:
        raise ServiceError("Un refus demande une orientation : choisissez vers quoi orienter le jeune.")
    if postponed_to is not None:
        if decision != Decision.POSTPONED:
            postponed_to = None
        elif postponed_to.pk == review.session_id or postponed_to.date < review.session.date:
            raise ServiceError("Choisissez une commission postérieure pour le report.")
    with transaction.atomic():
        # Locked: two members saving at once cannot both decide.
        if CommissionReview.objects.select_for_update().get(pk=review.pk).decision:
            raise ServiceError("La décision de la commission est déjà enregistrée pour ce dossier.")
        dossier = review.dossier
        review.decision = decision
        review.comment = comment
        review.orientation = orientation if decision == Decision.REFUSED else ""
        review.orientation_details = orientation_details if decision == Decision.REFUSED else ""
        review.postponed_to = postponed_to
        review.decided_by = user
        review.decided_at = timezone.now()
        review.save()
        text = f"{review.session} : {decision.label.lower()}" + (f" — {comment}" if comment else "")
        if decision == Decision.ACCEPTED:
            accept(dossier, user, comment, event_comment=text)
        else:
            target = {Decision.REFUSED: State.REFUSED, Decision.POSTPONED: State.POSTPONED}[decision]
            transitions.apply_transition(dossier, target, user, text)
        if decision == Decision.REFUSED:
            label = review.get_orientation_display().lower()
            transitions.apply_transition(
                dossier, State.ORIENTED, user,
                f"Orientation après le refus : {label}" + (f" ({orientation_details})" if orientation_details else ""),
            )
        if postponed_to is not None:
            add_to_agenda(postponed_to, dossier, user, override_reason="Reporté par la commission précédente")
        decision_recorded.send(sender=CommissionReview, review=review)
    return review
