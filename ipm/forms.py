"""Form pieces shared by every app."""
import re

from django import forms
from django.core.exceptions import ValidationError

YES_NO_UNKNOWN = [("", "Ne sait pas"), ("true", "Oui"), ("false", "Non")]


class NullBooleanRadio(forms.TypedChoiceField):
    """Oui / Non / Ne sait pas, stored as True / False / None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=YES_NO_UNKNOWN,
            coerce=lambda v: {"true": True, "false": False}.get(v),
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        return {True: "true", False: "false"}.get(value, "")


class DateInput(forms.DateInput):
    """A native date picker; the value travels as AAAA-MM-JJ, typed dates JJ/MM/AAAA are accepted too."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TypedDateInput(forms.DateInput):
    """A text field for dates typed the French way (JJ/MM/AAAA), e.g. a birth date: quicker than a
    calendar for a date decades ago, and the same in every browser."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


def date_field(label, typed=False, **kwargs):
    if typed:
        kwargs.setdefault("help_text", "Au format JJ/MM/AAAA, par exemple 14/07/2004.")
        return forms.DateField(label=label, widget=TypedDateInput(),
                               input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"], **kwargs)
    return _native_date_field(label, **kwargs)


def _native_date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"], **kwargs
    )


PHONE_RE_FR = re.compile(r"^0[1-9]\d{8}$")
PHONE_RE_INTL = re.compile(r"^\+[1-9]\d{7,14}$")


def normalize_phone(value):
    """'06.12.34.56.78' → '06 12 34 56 78'; '+33 6 12…' → '06 12 …'; other countries kept as +…"""
    raw = re.sub(r"[\s.\-()/]", "", value or "")
    if not raw:
        return ""
    if raw.startswith("0033"):
        raw = "+" + raw[2:]
    if raw.startswith("+33") and len(raw) == 12:
        raw = "0" + raw[3:]
    if PHONE_RE_FR.match(raw):
        return " ".join(raw[i:i + 2] for i in range(0, 10, 2))
    if PHONE_RE_INTL.match(raw) and not raw.startswith("+33"):
        return raw
    raise ValidationError(
        "Numéro de téléphone invalide : saisissez 10 chiffres commençant par 0 (ex. 06 12 34 56 78) "
        "ou un numéro international commençant par + (ex. +32 470 12 34 56)."
    )


def validate_postcode(value):
    if value and not re.fullmatch(r"\d{5}", value):
        raise ValidationError("Le code postal doit comporter 5 chiffres (ex. 42000).")
