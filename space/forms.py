from django import forms

from django.template.defaultfilters import filesizeformat

from followup.forms import SITUATION_CHOICES
from ipm.uploads import DOCX, UploadField, max_bytes

from .models import Answer
from .photos import heic_to_pdf, is_heic


class AccessibleForm(forms.Form):
    """Bootstrap classes, and each field tied to its help text and its error (``aria-describedby``,
    ``aria-invalid``): a screen reader reads the error with the field. See space/_field.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            check = isinstance(field.widget, (forms.CheckboxInput, forms.RadioSelect))
            attrs["class"] = "form-check-input" if check else "form-control"
            if field.help_text:
                attrs["aria-describedby"] = f"{self.field_id(name)}-aide"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["class"] += " is-invalid"
            attrs["aria-describedby"] = " ".join(
                filter(None, [attrs.get("aria-describedby"), f"{self.field_id(name)}-erreur"])
            )

    def field_id(self, name):
        """The field's id (as its BoundField gives it), without creating the BoundField: it would keep
        the label and help text as they are now, before a subclass sets them."""
        return self.auto_id % self.add_prefix(name)


class LinkRequestForm(AccessibleForm):
    address = forms.CharField(
        label="Votre adresse e-mail ou votre numéro de téléphone", max_length=254,
        help_text="Celle ou celui que vous avez donné à votre conseiller.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "autocapitalize": "none"}),
        error_messages={"required": "Indiquez votre adresse e-mail ou votre numéro de téléphone."},
    )


class PhotoUploadField(UploadField):
    """``UploadField`` that first turns a HEIC/HEIF photo into a PDF, then runs the same checks."""

    def clean(self, data, initial=None):
        if data is not None and hasattr(data, "content_type") and is_heic(data):
            data = heic_to_pdf(data, max_bytes())
        return super().clean(data, initial)


class PieceForm(AccessibleForm):
    """A piece sent by the young person: the same checks as staff uploads, PDF and photos only."""

    file = PhotoUploadField(
        label="Choisir le fichier",
        error_messages={"required": "Choisissez le fichier à envoyer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"Une photo nette (JPEG, PNG, ou HEIC changée en PDF) ou un PDF, {filesizeformat(max_bytes())} au maximum."
        )
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,image/heic,image/heif"
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if getattr(self.fields["file"], "kind", None) == DOCX:
            raise forms.ValidationError("Envoyez une photo (JPEG, PNG, HEIC) ou un PDF : les fichiers Word ne sont pas acceptés ici.")
        return uploaded


class AnswerForm(AccessibleForm):
    answer = forms.ChoiceField(label="Votre réponse", choices=Answer.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choisissez votre réponse."})
    reason = forms.CharField(
        label="Pourquoi ne pourrez-vous pas venir ?", max_length=255, required=False,
        help_text="Quelques mots suffisent : l'équipe vous proposera une autre date.",
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Dites-nous en quelques mots pourquoi vous ne pourrez pas venir.")
        return data


class FollowUpAnswerForm(AccessibleForm):
    """« Où en êtes-vous ? » — the monthly follow-up, the same fields as the personal link's form."""

    situation = forms.ChoiceField(label="Quelle est votre situation aujourd'hui ?", choices=SITUATION_CHOICES,
                                  error_messages={"required": "Choisissez votre situation."})
    employer = forms.CharField(label="Employeur, entreprise ou organisme de formation (facultatif)",
                               max_length=200, required=False)
    notes = forms.CharField(label="Un message pour votre conseiller (facultatif)", required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation"].widget.attrs["class"] = "form-select"


class RectificationForm(AccessibleForm):
    """A rectification request: what is wrong, and what it should be."""

    wrong = forms.CharField(
        label="Qu'est-ce qui est inexact ?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : « Mon adresse est fausse » ou « Mon nom est mal écrit ».",
        error_messages={"required": "Dites-nous ce qui est inexact."},
    )
    correct = forms.CharField(
        label="Que faudrait-il écrire à la place ?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Dites-nous ce qu'il faudrait écrire à la place."},
    )


class HandleRectificationForm(forms.Form):
    """Staff: the request is handled; the note says what was done (the young person reads it)."""

    note = forms.CharField(
        label="Ce qui a été fait (le jeune le lit)", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Dites au jeune ce qui a été fait (ou pourquoi rien n'a été changé)."},
    )


class AcceptContractForm(AccessibleForm):
    accept = forms.BooleanField(
        required=True, error_messages={"required": "Cochez la case pour accepter le contrat."},
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept"].label = f"J'ai lu le contrat version {contract.version} et je l'accepte"
