"""The API's fields for its OpenAPI schema, read from the counsellor's form (no rule is written twice:
the form validates, these only describe)."""
from django import forms
from rest_framework import serializers

from referrals.forms import ReferralForm

from .fiches import COUNSELLOR_FIELD, EXTERNAL_FIELD, EXTERNAL_MAX_LENGTH, FIELDS


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
    fields[EXTERNAL_FIELD] = serializers.CharField(
        required=False, allow_blank=True, max_length=EXTERNAL_MAX_LENGTH,
        help_text="Identifiant du jeune dans le système de la structure (i-milo…), gardé avec la fiche : "
                  "GET /api/v1/fiches/?external_id=… retrouve ses fiches.")
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
    external_id = serializers.CharField(help_text="Identifiant du jeune dans le système de la structure (vide s'il "
                                                  "n'a pas été envoyé).")
    dossier = Dossier(allow_null=True)


class FicheCreated(Fiche):
    outcome = serializers.ChoiceField(choices=["new", "returning", "attached"])
    notice = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())


class Errors(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Par champ, les messages en français (« __all__ » : le contenu entier).")


class FilterChoice(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ReportFilter(serializers.Serializer):
    name = serializers.CharField(help_text="Le nom du paramètre (?year=2026, ?scheme=3…).")
    label = serializers.CharField()
    choices = FilterChoice(many=True, allow_null=True, help_text="Les valeurs possibles (null : un nombre).")


class ReportSummary(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    filters = ReportFilter(many=True)


class ReportColumn(serializers.Serializer):
    key = serializers.CharField(help_text="La clé de la colonne (l'en-tête du CSV, docs/report-formats.md).")
    label = serializers.CharField(help_text="Son titre en français.")
    percent = serializers.BooleanField(help_text="La colonne donne des pourcentages.")


class ReportRow(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["data", "total", "heading", "subtotal"])
    cells = serializers.DictField(help_text="Par clé de colonne, la valeur du CSV (nombre, pourcentage, code, texte).")
    labels = serializers.DictField(child=serializers.CharField(),
                                   help_text="Par clé de colonne, le code en clair, comme sur la page (« F » : « Femmes »).")


class ReportLabelValue(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class Report(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    period = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    filters = ReportLabelValue(many=True, help_text="Les filtres appliqués, en français (dont la structure).")
    columns = ReportColumn(many=True)
    rows = ReportRow(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="Comment les chiffres sont comptés.")
    flagged_dossiers = serializers.IntegerField(
        help_text="Combien de dossiers de la période contredisent une règle de la roue (dates dans le désordre…) : "
                  "les chiffres qui en dépendent sont à lire avec prudence, comme le dit la page.")
