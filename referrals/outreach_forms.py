"""The form of the « aller-vers » actions managers keep (outreach cohorts of the fiche de liaison)."""
from django import forms

from .models import OutreachAction, Structure


class OutreachActionForm(forms.ModelForm):
    class Meta:
        model = OutreachAction
        fields = ["name", "structure", "kind"]
        labels = {"name": "Nom de l'action", "structure": "Structure", "kind": "Type d'action"}
        help_texts = {
            "name": "Ex. : « Maraude quartier Croix-Rousse », « Live Instagram mobilité », « Forum jobs d'été ».",
            "structure": "Laisser « Toutes les structures » pour une action que chaque conseiller peut choisir ; "
                         "sinon, seuls les conseillers de cette structure la proposent sur leurs fiches.",
        }
        error_messages = {"name": {"required": "Indiquez le nom de l'action."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.order_by("name")
        self.fields["structure"].empty_label = "Toutes les structures"

    def clean_name(self):
        return " ".join((self.cleaned_data.get("name") or "").split())

    def clean(self):
        cleaned = super().clean()
        name, structure = cleaned.get("name"), cleaned.get("structure")
        if name:
            same = OutreachAction.objects.filter(name__iexact=name, structure=structure).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", "Cette action existe déjà pour cette structure : modifiez l'action existante.")
        return cleaned
