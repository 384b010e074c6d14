from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone

from ipm import dates
from ipm.forms import NullBooleanRadio, date_field, validate_postcode

from dossiers.enums import OUTREACH_ORIGINS, Origin

from .models import OutreachAction, Referral

# Age limits: outside the hard range the fiche is refused; outside the usual range it is accepted
# with a warning.
HARD_AGE_RANGE = (16, 30)
USUAL_AGE_RANGE = (18, 26)

# Fields that must be filled to send the fiche (a draft needs only the name).
REQUIRED_ON_SUBMIT = [
    "last_name", "first_name", "birth_date", "sex", "postcode", "town",
    "qualification_level", "employment_status", "motivation", "consent",
]


def age_on(birth_date, day):
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class ReferralForm(forms.ModelForm):
    birth_date = date_field("Date de naissance", typed=True, kind=dates.BIRTH, required=False)
    consent_date = date_field("Date du consentement", kind=dates.PAST, required=False,
                              future_message="La date du consentement ne peut pas être dans le futur.")
    qpv = NullBooleanRadio(label="Habite en quartier prioritaire de la politique de la ville (QPV)")
    zrr = NullBooleanRadio(label="Habite en zone de revitalisation rurale (ZRR)")
    registered_france_travail = NullBooleanRadio(label="Inscrit à France Travail")
    driving_licence = NullBooleanRadio(label="Permis de conduire")

    class Meta:
        model = Referral
        fields = [
            "last_name", "first_name", "birth_date", "sex", "nationality",
            "email", "phone", "sms_consent", "address", "postcode", "town", "qpv", "zrr",
            "qualification_level", "employment_status", "registered_france_travail", "unemployment_rights",
            "housing", "social_security", "resources", "resources_details", "driving_licence", "passport",
            "languages",
            "wished_destination", "wished_sector", "motivation", "availability", "comments",
            "origin", "outreach_action", "consent", "consent_date",
        ]
        widgets = {
            "sex": forms.RadioSelect,
            "origin": forms.RadioSelect,
            "languages": forms.Textarea(attrs={"rows": 2, "placeholder": "Ex. : anglais B1, espagnol A2"}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "comments": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "06 12 34 56 78"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
        }
        help_texts = {
            "motivation": "Pourquoi ce projet de mobilité ? Ce que le jeune en attend.",
            "availability": "Ex. : disponible à partir de mars, pas d'engagement en cours.",
            "origin": "Repéré : inconnu de la mission locale, trouvé par une action d'aller-vers. Réactivé : avait "
                      "perdu le contact avec sa mission locale depuis au moins six mois.",
            "outreach_action": "Pour un jeune repéré ou réactivé : l'action qui l'a amené.",
            "consent": "Le jeune a été informé du traitement de ses données par la plateforme et l'accepte.",
            "sms_consent": "Sans cet accord, le jeune n'est prévenu que par courriel. Il pourra le retirer dans son "
                           "espace ou en répondant STOP.",
        }
        labels = {"sms_consent": "Le jeune accepte de recevoir des SMS (« J'accepte de recevoir des SMS »)"}

    def __init__(self, *args, submitting=False, choose_structure=False, structure=None, **kwargs):
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        self.warnings = []
        # A counsellor picks an action of their structure or one open to every structure.
        self.own_structure = structure or (self.instance.structure if self.instance.structure_id else None)
        actions = OutreachAction.objects.select_related("structure")
        if not choose_structure:
            actions = actions.filter(structure__isnull=True)
            if self.own_structure is not None:
                actions = actions | OutreachAction.objects.filter(structure=self.own_structure)
        self.fields["outreach_action"].queryset = actions.order_by("name", "pk")
        self.fields["outreach_action"].empty_label = "Aucune (parcours habituel)"
        self.fields["origin"].choices = Origin.choices
        self.fields["origin"].required = False  # not asked: the usual path
        if choose_structure:
            # Users attached to no structure (administrators) say for which prescriber they enter the fiche.
            from .models import Structure

            self.fields["structure"] = forms.ModelChoiceField(
                label="Structure prescriptrice", queryset=Structure.objects.filter(active=True),
                initial=self.instance.structure_id if self.instance.pk else None,
            )
        for name in ("sex",):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        for name in REQUIRED_ON_SUBMIT:
            # Required to send (shown with an asterisk); a draft may leave them empty.
            field = self.fields[name]
            field.required = submitting or not self.is_bound
            field.error_messages["required"] = (
                "Le consentement du jeune est obligatoire pour envoyer la fiche." if name == "consent"
                else "Ce champ est obligatoire pour envoyer la fiche."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["structure"] if choose_structure else []),
            Fieldset("Identité du jeune",
                     Div(Div("last_name", css_class="col-md-4"), Div("first_name", css_class="col-md-4"),
                         Div("birth_date", css_class="col-md-4"), css_class="row"),
                     Div(Div("sex", css_class="col-md-6"), Div("nationality", css_class="col-md-6"), css_class="row")),
            Fieldset("Coordonnées",
                     Div(Div("email", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
                     "sms_consent", "address",
                     Div(Div("postcode", css_class="col-md-3"), Div("town", css_class="col-md-9"), css_class="row"),
                     Div(Div("qpv", css_class="col-md-6"), Div("zrr", css_class="col-md-6"), css_class="row")),
            Fieldset("Situation",
                     Div(Div("qualification_level", css_class="col-md-6"), Div("employment_status", css_class="col-md-6"), css_class="row"),
                     Div(Div("registered_france_travail", css_class="col-md-6"), Div("unemployment_rights", css_class="col-md-6"), css_class="row"),
                     Div(Div("housing", css_class="col-md-6"), Div("social_security", css_class="col-md-6"), css_class="row"),
                     Div(Div("resources", css_class="col-md-6"), Div("resources_details", css_class="col-md-6"), css_class="row"),
                     Div(Div("driving_licence", css_class="col-md-6"), Div("passport", css_class="col-md-6"), css_class="row"),
                     "languages"),
            Fieldset("Projet de mobilité",
                     Div(Div("wished_destination", css_class="col-md-6"), Div("wished_sector", css_class="col-md-6"), css_class="row"),
                     "motivation", "availability", "comments"),
            Fieldset("Origine du jeune",
                     Div(Div("origin", css_class="col-md-6"), Div("outreach_action", css_class="col-md-6"),
                         css_class="row")),
            Fieldset("Consentement",
                     HTML('<p class="small text-muted">Le jeune doit avoir donné son accord au traitement de ses '
                          'données personnelles par la plateforme de mobilité (RGPD).</p>'),
                     "consent", Div(Div("consent_date", css_class="col-md-4"), css_class="row")),
        )


    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        validate_postcode(value)
        return value

    def clean_last_name(self):
        return " ".join((self.cleaned_data.get("last_name") or "").split())

    def clean_first_name(self):
        return " ".join((self.cleaned_data.get("first_name") or "").split())

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date is None:
            return None
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError("La date de naissance est dans le futur : vérifiez l'année.")
        age = age_on(birth_date, today)
        low, high = HARD_AGE_RANGE
        if age < low or age > high:
            raise forms.ValidationError(
                f"Le jeune aurait {age} ans : la plateforme accueille les jeunes de {low} à {high} ans. "
                "Vérifiez la date de naissance."
            )
        low, high = USUAL_AGE_RANGE
        if age < low or age > high:
            self.warnings.append(
                f"Le jeune a {age} ans, hors de la tranche habituelle des dispositifs ({low} à {high} ans) : "
                "la plateforme vérifiera qu'un dispositif lui est ouvert."
            )
        return birth_date

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors and "phone" not in self.errors:
                self.add_error("phone", "Indiquez au moins un moyen de contact : téléphone ou courriel.")
        if cleaned.get("consent") and not cleaned.get("consent_date"):
            cleaned["consent_date"] = timezone.localdate()
        if cleaned.get("consent_date") and cleaned["consent_date"] > timezone.localdate():
            self.add_error("consent_date", "La date du consentement ne peut pas être dans le futur.")
        self._clean_outreach(cleaned)
        return cleaned

    def _clean_outreach(self, cleaned):
        """An action is named for a young person repéré or réactivé, never for the usual path; it is one
        of the fiche's structure or one open to every structure."""
        origin, action = cleaned.get("origin") or Origin.USUAL, cleaned.get("outreach_action")
        cleaned["origin"] = origin
        if origin in OUTREACH_ORIGINS and action is None and "outreach_action" not in self.errors:
            label = "repéré" if origin == Origin.SPOTTED else "réactivé"
            self.add_error("outreach_action", f"Choisissez l'action d'aller-vers par laquelle le jeune a été {label}.")
        elif origin == Origin.USUAL and action is not None:
            self.add_error("outreach_action", "Un jeune venu par le parcours habituel n'a pas d'action d'aller-vers : "
                                              "choisissez « Aucune » ou changez l'origine.")
        elif action is not None and action.structure_id:
            structure = cleaned.get("structure") or self.own_structure
            if structure is not None and action.structure_id != structure.pk:
                self.add_error("outreach_action", f"L'action « {action.name} » est celle d'une autre structure : "
                                                  "choisissez une action de la structure de la fiche.")


class DossierFilterForm(forms.Form):
    """Search and filters of the dossier lists (inbox, Mes jeunes)."""

    q = forms.CharField(label="Nom ou prénom", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Rechercher un jeune"}))
    state = forms.ChoiceField(label="Étape", required=False)
    structure = forms.ModelChoiceField(label="Structure", required=False, queryset=None, empty_label="Toutes")
    department = forms.CharField(label="Département", required=False, max_length=3,
                                 widget=forms.TextInput(attrs={"placeholder": "Ex. 42", "size": 4}))
    date_from = date_field("Reçue depuis le", required=False)
    date_to = date_field("Reçue jusqu'au", required=False)

    def __init__(self, *args, structures=None, with_structure=True, **kwargs):
        from dossiers.workflow import State

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Toutes les étapes"), ("actifs", "En cours (hors clos et abandon)")] + list(State.choices)
        if with_structure and structures is not None:
            self.fields["structure"].queryset = structures
        else:
            del self.fields["structure"]
            del self.fields["department"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "La date de fin est avant la date de début.")
        return cleaned
