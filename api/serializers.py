"""The API's fields for its OpenAPI schema, read from the counsellor's form (no rule is written twice:
the form validates, these only describe)."""
from django import forms
from rest_framework import serializers

from referrals.forms import ReferralForm

from .fiches import COUNSELLOR_FIELD, FIELDS


def _describe(name, field):
    text = str(field.label or name)
    if field.help_text:
        text += f" — {field.help_text}"
    common = {"required": False, "help_text": text}
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common, allow_null=True)
    if isinstance(field, forms.ModelChoiceField):  # a row's number (its choices are in the database: never
        return serializers.IntegerField(**common, allow_null=True)  # read them when the URLs are loaded)
    choices = getattr(field, "choices", None)
    if choices is not None:
        values = [value for value, _ in choices if value not in ("", None)]
        if set(values) <= {"true", "false"}:
            return serializers.BooleanField(**common, allow_null=True)
        return serializers.ChoiceField(choices=[(v, str(label)) for v, label in choices if v not in ("", None)],
                                       allow_null=True, allow_blank=True, **common)
    return serializers.CharField(**common, allow_blank=True, allow_null=True,
                                 max_length=getattr(field, "max_length", None))


def _input_fields():
    form_fields = ReferralForm.base_fields
    fields = {name: _describe(name, form_fields[name]) for name in FIELDS}
    fields[COUNSELLOR_FIELD] = serializers.EmailField(
        required=False, help_text="Courriel du conseiller de la structure au nom duquel la fiche arrive "
                                  "(par défaut : le conseiller du jeton).")
    return fields


FicheInput = type("FicheInput", (serializers.Serializer,), _input_fields())


class Dossier(serializers.Serializer):
    id = serializers.IntegerField()
    step = serializers.CharField(help_text="Étape du dossier sur la roue (code).")
    step_label = serializers.CharField(help_text="Étape du dossier, en clair.")


class Fiche(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    counsellor_email = serializers.EmailField()
    dossier = Dossier(allow_null=True)


class FicheCreated(Fiche):
    outcome = serializers.ChoiceField(choices=["new", "returning", "attached"])
    notice = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())


class Errors(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Par champ, les messages en français (« __all__ » : le contenu entier).")
