"""Form pieces shared by every app."""
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from . import dates

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


# Every date field reads the French ways of typing a date, and ISO (AAAA-MM-JJ, what scripts and old links
# send). JJ/MM/AA is read too (00 to 68 → 2000 to 2068, 69 to 99 → 1969 to 1999, Python's rule): each kind's
# sane range (``ipm.dates``) then refuses a century typed wrong, with its French message.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    """The one date widget of the project: a text field shown and typed the French way (JJ/MM/AAAA) in
    every browser, whatever its language — a native ``<input type="date">`` follows the browser's — with a
    button opening a calendar in the page's language (``static/js/dates.js``, vanillajs-datepicker). The
    button is shown by the script: without JavaScript the field is a plain text field."""

    template_name = "ipm/widgets/date.html"

    def __init__(self, attrs=None, calendar=True):
        attrs = {"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        self.calendar = calendar  # a birth date is typed, not picked: no calendar (and no extra tab stop)
        super().__init__(attrs=attrs, format="%d/%m/%Y")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["calendar"] = self.calendar
        return context

    def format_value(self, value):
        """A date shown again as sent (a refused form, a filter in the address) is shown JJ/MM/AAAA when it
        reads as a date (2026-12-31 → 31/12/2026); anything else stays as typed, to be corrected."""
        if isinstance(value, str):
            for pattern in DATE_INPUT_FORMATS:
                try:
                    return datetime.datetime.strptime(value.strip(), pattern).strftime("%d/%m/%Y")
                except ValueError:
                    continue
            return value
        return super().format_value(value)


class BoundedDateField(forms.DateField):
    """A date within the sane range of its kind (``ipm.dates``): a birth date from 01/01/1900 to today, an
    event that has happened from the platform's first year to today, a planned one up to a few years
    ahead. Out of range, the French message is shown under the field."""

    def __init__(self, *, kind=dates.PLANNED, future_message="", **kwargs):
        self.kind = kind
        self.future_message = future_message
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        problem = dates.range_error(value, self.kind, future_message=self.future_message)
        if problem:
            raise ValidationError(problem, code="out_of_range")


def date_field(label, typed=False, kind=None, future_message="", **kwargs):
    """The date field of every form (``DateInput``, JJ/MM/AAAA). ``typed`` adds the format as help text (a
    birth date, typed rather than picked). ``kind`` is one of ``ipm.dates`` BIRTH, PAST, PLANNED (default),
    VALIDITY; ``future_message`` replaces the generic message for a PAST date in the future."""
    kwargs.update(kind=kind or dates.PLANNED, future_message=future_message)
    if typed:
        kwargs.setdefault("help_text", "Au format JJ/MM/AAAA, par exemple 14/07/2004.")
    return BoundedDateField(label=label, widget=DateInput(calendar=not typed), input_formats=DATE_INPUT_FORMATS,
                            **kwargs)


def add_exceptional_date_fields(form):
    """The explicit override of a date rule that has legitimate exceptions: « Je confirme cette date
    exceptionnelle » and its reason (both optional until a date rule refuses the date)."""
    form.fields["confirm_exceptional_date"] = forms.BooleanField(label=dates.EXCEPTIONAL_LABEL, required=False)
    form.fields["exceptional_reason"] = forms.CharField(
        label="Motif de la date exceptionnelle", max_length=255, required=False,
        help_text="Obligatoire si vous confirmez une date exceptionnelle ; il est enregistré avec la date.",
    )


def exceptional_date(form, field, problem):
    """In a form's ``clean()``: ``problem`` (a date rule's French message, or None) refuses ``field``
    unless the override is confirmed with a reason. Returns the reason when the override is used."""
    if not problem:
        return ""
    data = form.cleaned_data
    reason = (data.get("exceptional_reason") or "").strip()
    if data.get("confirm_exceptional_date"):
        if reason:
            return reason
        form.add_error("exceptional_reason", "Indiquez le motif de cette date exceptionnelle.")
        return ""
    form.add_error(field, problem + f" S'il s'agit d'une exception, cochez « {dates.EXCEPTIONAL_LABEL} » "
                                    "et indiquez le motif.")
    return ""


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


class SaneDatesAdminMixin:
    """For the Django admin (administrators' back office): every date field of the model gets the same
    sane range as the application's forms (a birth date from 1900 to today, any other date from the
    platform's first year to a few years ahead), so that no page can be broken by a date like 31/12/9999."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models as db_models

        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, db_models.DateField) and not isinstance(db_field, db_models.DateTimeField) \
                and field is not None:
            kind = dates.BIRTH if "birth" in db_field.name else dates.VALIDITY if "expir" in db_field.name \
                else dates.PLANNED
            bounded = BoundedDateField(kind=kind, label=field.label, required=field.required,
                                       help_text=field.help_text, widget=field.widget, initial=field.initial)
            return bounded
        return field
