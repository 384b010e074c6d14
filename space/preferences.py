"""« Mes préférences de contact »: the young person chooses how they are told of each step of their
dossier — by email, by SMS or both (``followup.contact``). The sign-in link still goes to the address
they type on the sign-in page. « J'accepte de recevoir des SMS » records (dated) or withdraws their
consent to SMS (``followup.optout``); ticking it again also lifts a former « STOP »."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from followup.contact import choice_of, set_choice
from followup.enums import ContactChoice
from followup.optout import give_consent, opted_out, withdraw_consent
from ipm.access import capability_required

from . import services
from .forms import AccessibleForm


class ContactPreferenceForm(AccessibleForm):
    channel = forms.ChoiceField(label="Comment voulez-vous être prévenu(e) ?", choices=ContactChoice.choices,
                                widget=forms.RadioSelect)
    sms_consent = forms.BooleanField(label="J'accepte de recevoir des SMS", required=False)

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
        consent = self.fields["sms_consent"]
        if youth.sms_consent_at:
            consent.help_text = (f"Accepté le {timezone.localtime(youth.sms_consent_at):%d/%m/%Y}. Décochez pour ne "
                                 "plus recevoir de SMS ; vous pouvez aussi répondre STOP à un de nos SMS.")
        else:
            consent.help_text = "Sans votre accord, nous ne vous envoyons aucun SMS : nous vous écrivons par courriel."
        if youth.phone and opted_out(youth.phone):
            consent.help_text += " Vous avez répondu STOP : cochez la case pour recevoir de nouveau nos SMS."

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel in (ContactChoice.SMS, ContactChoice.BOTH) and not self.youth.phone:
            raise forms.ValidationError("Aucun numéro de téléphone n'est enregistré pour vous : demandez à votre "
                                        "conseiller de l'ajouter, ou choisissez le courriel.")
        if channel in (ContactChoice.EMAIL, ContactChoice.BOTH) and not self.youth.email:
            raise forms.ValidationError("Aucune adresse électronique n'est enregistrée pour vous : demandez à "
                                        "votre conseiller de l'ajouter, ou choisissez le SMS.")
        return channel

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") in (ContactChoice.SMS, ContactChoice.BOTH) and not cleaned.get("sms_consent"):
            self.add_error("sms_consent", "Pour être prévenu(e) par SMS, cochez « J'accepte de recevoir des SMS ».")
        return cleaned


@capability_required("own_space")
def preferences(request):
    youth = services.youth_of(request.user)
    form = ContactPreferenceForm(request.POST or None, youth=youth, initial={
        "channel": choice_of(youth), "sms_consent": youth.sms_consent_at is not None and not opted_out(youth.phone)})
    if request.method == "POST" and form.is_valid():
        set_choice(youth, form.cleaned_data["channel"])
        if form.cleaned_data["sms_consent"] and (youth.sms_consent_at is None or opted_out(youth.phone)):
            give_consent(youth)
        elif not form.cleaned_data["sms_consent"] and youth.sms_consent_at is not None:
            withdraw_consent(youth)
        messages.success(request, "C'est noté : nous vous préviendrons "
                         f"{ContactChoice(form.cleaned_data['channel']).label.lower()}.")
        return redirect("space:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "space/preferences.html", {"form": form, "youth": youth}, status=status)
