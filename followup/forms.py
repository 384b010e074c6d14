from django import forms

from ipm.enums import PLATFORM_ROLES

from .enums import MessageKind, MessageStatus, Situation

REACHED_CHOICES = [("oui", "Oui, jeune joint"), ("non", "Non, pas de réponse")]
SITUATION_CHOICES = [("", "— Choisir —")] + [c for c in Situation.choices if c[0] != Situation.UNKNOWN]


class CallForm(forms.Form):
    """One contact attempt recorded by the counsellor."""

    reached = forms.ChoiceField(label="Avez-vous joint le jeune ?", choices=REACHED_CHOICES, widget=forms.RadioSelect)
    situation = forms.ChoiceField(label="Situation du jeune", choices=SITUATION_CHOICES, required=False,
                                  help_text="Obligatoire si le jeune a été joint.")
    employer = forms.CharField(label="Employeur ou organisme de formation", max_length=200, required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reached") == "oui" and not cleaned.get("situation"):
            self.add_error("situation", "Indiquez la situation du jeune (il a été joint).")
        return cleaned

    @property
    def is_reached(self):
        return self.cleaned_data.get("reached") == "oui"


class YouthAnswerForm(forms.Form):
    """The young person's own answer through their personal link."""

    situation = forms.ChoiceField(label="Quelle est votre situation aujourd'hui ?", choices=SITUATION_CHOICES)
    employer = forms.CharField(label="Employeur, entreprise ou organisme de formation (facultatif)", max_length=200,
                               required=False)
    notes = forms.CharField(label="Un message pour votre conseiller (facultatif)", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


VIEW_CHOICES = [
    ("a_faire", "À faire (en retard et aujourd'hui)"),
    ("aujourdhui", "À appeler aujourd'hui"),
    ("retard", "En retard"),
    ("injoignables", "Injoignables (plusieurs tentatives)"),
    ("ouverts", "Tous les appels à faire"),
    ("realises", "Réalisés"),
]


class CallFilterForm(forms.Form):
    view = forms.ChoiceField(label="Afficher", choices=VIEW_CHOICES, required=False)
    q = forms.CharField(label="Nom ou prénom", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Rechercher un jeune"}))
    counsellor = forms.ChoiceField(label="Conseiller", required=False)

    def __init__(self, *args, **kwargs):
        from ipm.models import User

        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=PLATFORM_ROLES).order_by("last_name", "first_name")
        self.fields["counsellor"].choices = (
            [("", "Tous"), ("moi", "Mes appels"), ("aucun", "Non attribués")] + [(str(u.pk), str(u)) for u in staff]
        )


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(label="Statut", required=False,
                               choices=[("", "Tous")] + list(MessageStatus.choices))
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous")] + list(MessageKind.choices))
    q = forms.CharField(label="Destinataire", required=False, widget=forms.TextInput(attrs={"type": "search"}))
