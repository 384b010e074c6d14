"""Reference data of the stages before departure, kept up to date by managers (capability
``manage_schemes``, like schemes and funding agreements): the pieces asked for an application file —
listed on the checklist page, ``views.stages.checklist`` — and the commission's evaluation grid.

Nothing is deleted that the dossiers still use: a piece with uploaded documents, a criterion with
scores can only be deactivated (it is no longer asked / no longer in the grid; what was recorded stays).
"""
from django.contrib import messages
from django.db.models import Exists, Max, OuterRef, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from departures.models import Scheme
from ipm.access import capability_required
from ipm.submission import save_once

from ..models import CommissionCriterion, CommissionScore, Document, DocumentType
from ..reference_forms import (
    DUPLICATE_CRITERION_MESSAGE,
    CommissionCriterionForm,
    DocumentTypeForm,
    duplicate_piece_message,
)

TEMPLATES = "dossiers/settings/"


def _next_order(model):
    """A new piece or criterion goes after the others (steps of 10 leave room to insert one between)."""
    highest = model.objects.aggregate(top=Max("order"))["top"]
    return min((highest or 0) + 10, 32767)


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


def _activation_choice(request):
    """The ``active`` value posted by the Désactiver / Réactiver buttons: True, False, or None."""
    return {"1": True, "0": False}.get(request.POST.get("active"))


def _set_active(request, obj, on_message, off_message, back):
    """Désactiver / Réactiver ``obj`` from the button's posted value, with the message of the choice."""
    active = _activation_choice(request)
    if active is None:
        messages.error(request, "Action inconnue : rien n'a été changé.")
    else:
        if obj.active != active:
            obj.active = active
            obj.save(update_fields=["active"])
        messages.success(request, on_message if active else off_message)
    return redirect(back)


def _delete_page(request, obj, *, uses, refusal, done_message, back, context):
    """Deleting asks first (GET: the confirmation page; POST: delete). ``uses()`` counts what still
    refers to ``obj``: while it is not zero ``obj`` is never deleted, and ``refusal(count)`` says why
    and offers deactivation. A use added between the page and the confirmation is caught too."""
    used = uses()
    if request.method == "POST":
        if not used:
            try:
                obj.delete()
            except ProtectedError:
                used = uses()
            else:
                messages.success(request, done_message)
                return redirect(back)
        messages.error(request, refusal(used))
        return redirect(request.path)
    return render(request, TEMPLATES + "confirm_delete.html", {
        "object": obj, "refusal": refusal(used) if used else "", "cancel_url": reverse(back), **context,
    })


def _edit_page(request, form, obj, *, back, duplicate_message, saved, context):
    """The add / change page of a piece or criterion. A new one carries a one-time token: sent twice, it
    is added once and the second sending leads to what the first created. ``duplicate_message()`` is
    the name's error when someone else added the same name at the same moment (the database refuses
    it); ``saved(obj, created)`` the success message."""
    back_url = reverse(back)
    if response := save_once(request, form, back=back_url, success=saved,
                             integrity_error=lambda: ("name", duplicate_message())):
        return response
    return render(request, TEMPLATES + "form.html", {"form": form, "object": obj, "cancel_url": back_url, **context})


# --- The pieces of the application file (checklist) ------------------------------------------------------


def _piece_where(document_type):
    if document_type.scheme_id:
        return f"pour le dispositif « {document_type.scheme} »"
    return "dans la liste par défaut (tous les dispositifs)"


def _piece_refusal(document_type, used):
    return (
        f"La pièce « {document_type.name} » ne peut pas être supprimée : "
        f"{_plural(used, 'pièce')} déposée{'s' if used > 1 else ''} dans des dossiers y "
        f"{'sont rattachées' if used > 1 else 'est rattachée'}. Désactivez-la plutôt : elle ne sera plus "
        "demandée, et les pièces déjà déposées resteront dans les dossiers."
    )


@capability_required("manage_schemes")
def document_type_edit(request, pk=None):
    """Add a piece to the checklist (the default one, or a scheme's), or change one."""
    document_type = get_object_or_404(DocumentType.objects.select_related("scheme"), pk=pk) if pk else DocumentType()
    initial = {}
    if document_type.pk is None:
        initial["order"] = _next_order(DocumentType)
        # "Ajouter une pièce pour ce dispositif" (from the scheme's page) chooses the scheme.
        wanted = request.GET.get("dispositif", "")
        if wanted.isdigit() and Scheme.objects.filter(pk=wanted).exists():
            initial["scheme"] = int(wanted)
    form = DocumentTypeForm(request.POST or None, instance=document_type, initial=initial)
    context = {
        "title": f"Modifier la pièce « {document_type.name} »" if document_type.pk else "Ajouter une pièce",
        "intro": "Les pièces demandées dans les dossiers : la liste par défaut s'applique à tous les dossiers, "
                 "un dispositif peut y ajouter ses propres pièces.",
        "kind": "piece",
    }
    if document_type.pk:
        context.update({
            "activation_url": reverse("dossiers:document_type_activation", args=[document_type.pk]),
            "delete_url": reverse("dossiers:document_type_delete", args=[document_type.pk]),
            "in_use": Document.objects.filter(document_type=document_type).count(),
        })

    def saved(piece, created):
        if created:
            return f"Pièce « {piece.name} » ajoutée {_piece_where(piece)}."
        return f"Pièce « {piece.name} » enregistrée."

    return _edit_page(
        request, form, document_type, back="dossiers:checklist", saved=saved, context=context,
        duplicate_message=lambda: duplicate_piece_message(form.cleaned_data.get("scheme")),
    )


@require_POST
@capability_required("manage_schemes")
def document_type_activation(request, pk):
    """Désactiver (no longer asked in any dossier) or Réactiver a piece."""
    document_type = get_object_or_404(DocumentType, pk=pk)
    return _set_active(
        request, document_type,
        f"Pièce « {document_type.name} » réactivée : elle est de nouveau demandée {_piece_where(document_type)}.",
        f"Pièce « {document_type.name} » désactivée : elle n'est plus demandée dans les dossiers ; les pièces "
        "déjà déposées y restent.",
        "dossiers:checklist",
    )


@capability_required("manage_schemes")
def document_type_delete(request, pk):
    """A piece that dossiers hold documents for is never deleted: the page offers to deactivate it."""
    document_type = get_object_or_404(DocumentType.objects.select_related("scheme"), pk=pk)
    return _delete_page(
        request, document_type,
        uses=lambda: Document.objects.filter(document_type=document_type).count(),
        refusal=lambda used: _piece_refusal(document_type, used),
        done_message=f"Pièce « {document_type.name} » supprimée de la liste des pièces demandées.",
        back="dossiers:checklist",
        context={
            "kind": "piece", "title": f"Supprimer la pièce « {document_type.name} » ?",
            "where": _piece_where(document_type),
            "activation_url": reverse("dossiers:document_type_activation", args=[document_type.pk]),
            "edit_url": reverse("dossiers:document_type_edit", args=[document_type.pk]),
        },
    )


# --- The commission's evaluation grid ----------------------------------------------------------------------


def _criterion_refusal(criterion, used):
    return (
        f"Le critère « {criterion.name} » ne peut pas être supprimé : il a déjà servi dans "
        f"{_plural(used, 'grille')} d'évaluation de dossiers en commission. Désactivez-le plutôt : il n'apparaîtra plus dans la grille, "
        "et les notes déjà données seront conservées."
    )


@capability_required("manage_schemes")
def criterion_list(request):
    """The evaluation grid: every criterion, active ones first in their order."""
    criteria = CommissionCriterion.objects.annotate(
        in_use=Exists(CommissionScore.objects.filter(criterion=OuterRef("pk"))),
    ).order_by("-active", "order", "name")
    total = sum(c.max_score for c in criteria if c.active)
    return render(request, TEMPLATES + "criteria.html", {"criteria": criteria, "total": total})


@capability_required("manage_schemes")
def criterion_edit(request, pk=None):
    criterion = get_object_or_404(CommissionCriterion, pk=pk) if pk else CommissionCriterion()
    initial = {} if criterion.pk else {"order": _next_order(CommissionCriterion)}
    form = CommissionCriterionForm(request.POST or None, instance=criterion, initial=initial)
    context = {
        "title": f"Modifier le critère « {criterion.name} »" if criterion.pk else "Ajouter un critère",
        "intro": "La grille d'évaluation des commissions : chaque dossier examiné reçoit une note de 0 à la note "
                 "maximale de chaque critère actif, et un commentaire.",
        "kind": "criterion",
    }
    if criterion.pk:
        context.update({
            "activation_url": reverse("dossiers:criterion_activation", args=[criterion.pk]),
            "delete_url": reverse("dossiers:criterion_delete", args=[criterion.pk]),
            "in_use": CommissionScore.objects.filter(criterion=criterion).count(),
        })

    def saved(obj, created):
        if created:
            return f"Critère « {obj.name} » ajouté à la grille d'évaluation."
        return f"Critère « {obj.name} » enregistré."

    return _edit_page(
        request, form, criterion, back="dossiers:criteria", saved=saved, context=context,
        duplicate_message=lambda: DUPLICATE_CRITERION_MESSAGE,
    )


@require_POST
@capability_required("manage_schemes")
def criterion_activation(request, pk):
    """Désactiver (no longer in the grid of the commissions to come) or Réactiver a criterion."""
    criterion = get_object_or_404(CommissionCriterion, pk=pk)
    return _set_active(
        request, criterion,
        f"Critère « {criterion.name} » réactivé : il est de nouveau dans la grille.",
        f"Critère « {criterion.name} » désactivé : il n'apparaît plus dans la grille ; les notes déjà données "
        "sont conservées.",
        "dossiers:criteria",
    )


@capability_required("manage_schemes")
def criterion_delete(request, pk):
    """A criterion with scores is never deleted (deactivate it instead)."""
    criterion = get_object_or_404(CommissionCriterion, pk=pk)
    return _delete_page(
        request, criterion,
        uses=lambda: CommissionScore.objects.filter(criterion=criterion).count(),
        refusal=lambda used: _criterion_refusal(criterion, used),
        done_message=f"Critère « {criterion.name} » supprimé de la grille d'évaluation.",
        back="dossiers:criteria",
        context={
            "kind": "criterion", "title": f"Supprimer le critère « {criterion.name} » ?",
            "activation_url": reverse("dossiers:criterion_activation", args=[criterion.pk]),
            "edit_url": reverse("dossiers:criterion_edit", args=[criterion.pk]),
        },
    )
