"""« Mes notifications »: a referring counsellor (mission locale) chooses which copies of the messages
sent to their young people they receive, kind by kind (``CopyOptOut``). What the young person receives
never changes."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from ipm.access import capability_required

from .contact import set_opt_outs
from .enums import COPY_KINDS, MessageKind
from .models import CopyOptOut

# What each copy is, in the counsellor's words.
COPY_LABELS = {
    MessageKind.INVITATION: "Invitation d'un jeune à une réunion",
    MessageKind.MEETING_MOVED: "Nouvel horaire d'une réunion",
    MessageKind.MEETING_CANCELLED: "Réunion annulée",
    MessageKind.DIAGNOSTIC: "Résultat du diagnostic de mobilité",
    MessageKind.PIECE_REFUSED: "Pièce refusée (à renvoyer)",
    MessageKind.FILE_COMPLETE: "Dossier complet",
    MessageKind.DECISION: "Décision de la commission",
    MessageKind.CONTRACT_READY: "Contrat prêt à accepter",
    MessageKind.DEPARTURE: "Rappel une semaine avant le départ",
}


class CopyForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Je reçois une copie de :", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, COPY_LABELS[kind]) for kind in COPY_KINDS],
        help_text="Décochez les copies que vous ne voulez plus recevoir. Le jeune, lui, reçoit toujours ses messages.",
    )


@capability_required("submit_referral")
def my_notifications(request):
    refused = set(CopyOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    wanted = [kind.value for kind in COPY_KINDS if kind not in refused]
    form = CopyForm(request.POST or None, initial={"kinds": wanted})
    if request.method == "POST" and form.is_valid():
        set_opt_outs(request.user, [kind.value for kind in COPY_KINDS if kind not in form.cleaned_data["kinds"]])
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("followup:my_notifications")
    return render(request, "followup/my_notifications.html", {"form": form})
