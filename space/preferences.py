"""« Mes préférences de contact »: the young person chooses how they are told of each step of their
dossier — by email, by SMS or both (``followup.contact``). The sign-in link still goes to the address
they type on the sign-in page."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from followup.contact import choice_of, set_choice
from followup.enums import ContactChoice
from ipm.access import capability_required

from . import services
from .forms import AccessibleForm


class ContactPreferenceForm(AccessibleForm):
    channel = forms.ChoiceField(label="Comment voulez-vous être prévenu(e) ?", choices=ContactChoice.choices,
                                widget=forms.RadioSelect)

    def __init__(self, *args, youth, **kwargs):
        self.youth = youth
        super().__init__(*args, **kwargs)
        on_file = []
        if youth.email:
            on_file.append(f"courriel : {youth.email}")
        if youth.phone:
            on_file.append(f"SMS : {youth.phone}")
        self.fields["channel"].help_text = (
            "Nous vous écrivons à chaque étape : rendez-vous, pièces, décision, contrat, départ, suivi. "
            + (f"Vos coordonnées : {', '.join(on_file)}. " if on_file else "")
            + "Pour les changer, demandez à votre conseiller."
        )

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel in (ContactChoice.SMS, ContactChoice.BOTH) and not self.youth.phone:
            raise forms.ValidationError("Aucun numéro de téléphone n'est enregistré pour vous : demandez à votre "
                                        "conseiller de l'ajouter, ou choisissez le courriel.")
        if channel in (ContactChoice.EMAIL, ContactChoice.BOTH) and not self.youth.email:
            raise forms.ValidationError("Aucune adresse électronique n'est enregistrée pour vous : demandez à "
                                        "votre conseiller de l'ajouter, ou choisissez le SMS.")
        return channel


@capability_required("own_space")
def preferences(request):
    youth = services.youth_of(request.user)
    form = ContactPreferenceForm(request.POST or None, youth=youth, initial={"channel": choice_of(youth)})
    if request.method == "POST" and form.is_valid():
        set_choice(youth, form.cleaned_data["channel"])
        messages.success(request, "C'est noté : nous vous préviendrons "
                         f"{ContactChoice(form.cleaned_data['channel']).label.lower()}.")
        return redirect("space:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "space/preferences.html", {"form": form, "youth": youth}, status=status)
