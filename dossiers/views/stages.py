"""Pages of the stages before departure on one dossier: diagnostic, mobility project, application file."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ipm.access import can_see_sensitive, capability_required, has_capability
from ipm.locking import StaleDossier, add_version_field, versioned_save
from ipm.uploads import StorageUnavailable, serve_file

from .. import services
from ..enums import DocumentStatus
from ..workflow import ACTIVE_STATES
from ..forms import DiagnosticForm, DocumentReviewForm, DocumentUploadForm, MobilityProjectForm, SensitiveDiagnosticForm
from ..models import Diagnostic, Document, DocumentType, Dossier, MobilityProject, SensitiveDiagnostic


@capability_required("casework", "read_all")
def diagnostic(request, pk):
    """The diagnostic grid: mobility staff fill it (sensitive items included, each read logged); other
    platform staff and managers read its non-sensitive part."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    instance = Diagnostic.objects.filter(dossier=dossier).first() or Diagnostic(dossier=dossier)
    may_edit = can_see_sensitive(request.user)
    sensitive_instance = None
    if may_edit:
        sensitive_instance = services.read_sensitive(request.user, dossier) or SensitiveDiagnostic()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Seuls les conseillers mobilité de la plateforme remplissent le diagnostic.")
        form = add_version_field(DiagnosticForm(request.POST, instance=instance), dossier)
        sensitive_form = SensitiveDiagnosticForm(request.POST, instance=sensitive_instance)
        if form.is_valid() and sensitive_form.is_valid():
            try:
                with versioned_save(request, form, dossier):
                    event = services.save_diagnostic(
                        dossier, form.save(commit=False), sensitive_form.save(commit=False), request.user
                    )
            except StaleDossier:
                pass
            except services.ServiceError as exc:
                messages.error(request, str(exc))
            else:
                if event is not None:
                    messages.success(request, f"Diagnostic enregistré : dossier passé à l'étape « {dossier.state_label} ».")
                else:
                    messages.success(request, "Diagnostic enregistré.")
                warning = services.first_departure_warning(dossier)
                if warning:
                    messages.warning(request, warning)
                return redirect(dossier)
        else:
            messages.error(request, "Le diagnostic n'a pas été enregistré : corrigez les champs signalés en rouge.")
    else:
        form = add_version_field(DiagnosticForm(instance=instance), dossier)
        sensitive_form = SensitiveDiagnosticForm(instance=sensitive_instance) if may_edit else None
    return render(request, "dossiers/diagnostic.html", {
        "dossier": dossier, "youth": dossier.youth, "form": form, "sensitive_form": sensitive_form,
        "may_edit": may_edit, "diagnostic": instance if instance.pk else None,
        "warning": services.first_departure_warning(dossier),
    })


@capability_required("casework")
def project(request, pk):
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    instance = MobilityProject.objects.filter(dossier=dossier).first() or MobilityProject(
        dossier=dossier, scheme=dossier.scheme
    )
    form = add_version_field(MobilityProjectForm(request.POST or None, instance=instance), dossier)
    if request.method == "POST":
        if form.is_valid():
            try:
                with versioned_save(request, form, dossier):
                    services.save_project(dossier, form.save(commit=False))
            except StaleDossier:
                pass
            else:
                messages.success(request, "Projet de mobilité enregistré.")
                warning = services.first_departure_warning(dossier)
                if warning:
                    messages.warning(request, warning)
                return redirect(dossier)
        else:
            messages.error(request, "Le projet n'a pas été enregistré : corrigez les champs signalés en rouge.")
    return render(request, "dossiers/project_form.html", {
        "dossier": dossier, "youth": dossier.youth, "form": form,
        "warning": services.first_departure_warning(dossier),
    })


@capability_required("casework", "read_all", "submit_referral")
def documents(request, pk):
    """The application file: the checklist with each piece's status, upload and review (staff)."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    return render(request, "dossiers/documents.html", _documents_context(request, dossier))


def _documents_context(request, dossier, upload_forms=None, review_forms=None):
    state = services.completeness(dossier)
    staff = has_capability(request.user, "casework")
    upload_forms = upload_forms or {}
    review_forms = review_forms or {}
    rows = []
    for line in state.lines:
        type_id = line.document_type.pk
        rows.append({
            "line": line,
            "upload_form": upload_forms.get(type_id) or DocumentUploadForm(prefix=f"piece{type_id}")
            if staff or _counsellor_may_upload(request.user, dossier, line.document) else None,
            "review_form": (review_forms.get(type_id) or DocumentReviewForm(prefix=f"verif{type_id}"))
            if staff and line.document else None,
        })
    return {"dossier": dossier, "youth": dossier.youth, "completeness": state, "rows": rows, "staff": staff,
            "can_upload": any(row["upload_form"] for row in rows)}


def _counsellor_may_upload(user, dossier, document):
    """The structure's counsellor sends a piece while the dossier is open, never replacing a validated one."""
    return (has_capability(user, "upload_pieces") and dossier.state in ACTIVE_STATES
            and (document is None or document.status != DocumentStatus.VALIDATED))


@require_POST
@capability_required("upload_pieces")
def document_upload(request, pk, type_pk):
    """Platform staff, or the counsellor of the dossier's structure (another structure's dossier: 404)."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    document_type = get_object_or_404(services.checklist_types(dossier.scheme), pk=type_pk)
    form = DocumentUploadForm(request.POST, request.FILES, prefix=f"piece{type_pk}")
    existing = dossier.documents.filter(document_type=document_type).first()
    if not has_capability(request.user, "casework") and not _counsellor_may_upload(request.user, dossier, existing):
        messages.error(request, f"« {document_type.name} » ne peut plus être changée : elle est validée, ou le "
                                "dossier n'est plus en cours. Parlez-en à l'équipe de la plateforme.")
        return redirect("dossiers:documents", pk=dossier.pk)
    if form.is_valid():
        try:
            services.upload_document(dossier, document_type, form.cleaned_data["file"], request.user)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        except StorageUnavailable as exc:
            form.add_error("file", exc.message)
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Pièce « {document_type.name} » déposée : elle reste à vérifier.")
            return redirect("dossiers:documents", pk=dossier.pk)
    else:
        messages.error(request, f"« {document_type.name} » n'a pas été déposée : " + " ".join(form.errors.get("file", [])))
    context = _documents_context(request, dossier, upload_forms={document_type.pk: form})
    return render(request, "dossiers/documents.html", context, status=400)


@require_POST
@capability_required("casework")
def document_review(request, pk, doc_pk):
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    document = get_object_or_404(Document.objects.select_related("document_type"), dossier=dossier, pk=doc_pk)
    prefix = f"verif{document.document_type_id}"
    form = DocumentReviewForm(request.POST, prefix=prefix)
    if form.is_valid():
        services.review_document(document, form.cleaned_data["status"], request.user, form.cleaned_data["reason"])
        messages.success(request, f"« {document.document_type.name} » : {document.get_status_display().lower()}.")
        return redirect("dossiers:documents", pk=dossier.pk)
    messages.error(request, "La vérification n'a pas été enregistrée : " + " ".join(form.errors.get("reason", [])))
    context = _documents_context(request, dossier, review_forms={document.document_type_id: form})
    return render(request, "dossiers/documents.html", context, status=400)


@require_POST
@capability_required("casework")
def document_delete(request, pk, doc_pk):
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    document = get_object_or_404(Document, dossier=dossier, pk=doc_pk)
    name = document.document_type.name
    stored = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(stored))
    messages.success(request, f"Pièce « {name} » supprimée.")
    return redirect("dossiers:documents", pk=dossier.pk)


@capability_required("casework", "read_all", "submit_referral")
def document_download(request, pk, doc_pk):
    """Serve a piece to platform staff only, after the access check. A dossier outside the user's
    scope (e.g. another structure's), or a piece that does not belong to this dossier, is a 404; the
    counsellor of the structure and managers see the checklist status but not the files (pieces such
    as the health form hold health data): 403."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    if not has_capability(request.user, "casework"):
        raise PermissionDenied("Les fichiers des pièces sont réservés à l'équipe de la plateforme.")
    document = get_object_or_404(Document.objects.select_related("document_type"), dossier=dossier, pk=doc_pk)
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
    name = f"dossier{dossier.pk}-{document.document_type.name}.{extension}"
    return serve_file(document.file, name)


@capability_required("manage_schemes", "casework")
def checklist(request):
    """The checklists per scheme, the default list first. Managers (``manage_schemes``) add, change,
    deactivate and delete pieces from here (``views.reference_data``); platform staff read it."""
    types = DocumentType.objects.select_related("scheme").order_by(
        F("scheme__name").asc(nulls_first=True), "order", "name"
    )
    can_edit = has_capability(request.user, "manage_schemes")
    if can_edit:  # a piece that dossiers hold documents for can only be deactivated
        types = types.annotate(in_use=Exists(Document.objects.filter(document_type=OuterRef("pk"))))
    return render(request, "dossiers/checklist.html", {"types": types, "can_edit": can_edit})
