"""Phone numbers with ``phonenumbers`` (django-phonenumber-field): parsed as typed (``06 13 75 70 51``,
``0613757051``, ``+33 6 13 75 70 51``, ``+49 30 123456``; without a country code, French:
``PHONENUMBER_DEFAULT_REGION = "FR"``), stored in E.164 (``+33613757051``), shown the French way — a
French number as ``06 13 75 70 51``, any other in international form (``+49 30 123456``).

``PhoneField`` is the model field (its values are ``Phone``); ``phone_form_field`` the form field, whose
French error keeps what was typed; ``e164(value)`` the form the SMS provider and the outbox use. A value
that could not be parsed (kept as typed by the data migration) stays readable: ``str()`` gives it back
unchanged, and ``e164`` gives "" so that nothing is sent to it.
"""
import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField as PhoneNumberFormField
from phonenumber_field.modelfields import PhoneNumberDescriptor, PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber, to_python

FRANCE = 33
INVALID = ("Numéro de téléphone invalide : « %(value)s ». Saisissez un numéro français (ex. 06 12 34 56 78) "
           "ou un numéro international commençant par + (ex. +32 470 12 34 56).")


class Phone(PhoneNumber):
    def __str__(self):
        if not self.is_valid():
            return self.raw_input or ""
        fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if self.country_code == FRANCE
               else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return self.format_as(fmt)

    __hash__ = PhoneNumber.__hash__


def parse(value, region=None):
    """A ``Phone`` (valid or not, keeping the raw text), or the empty value unchanged."""
    number = to_python(value, region=region)
    if isinstance(number, PhoneNumber) and not isinstance(number, Phone):
        phone = Phone(raw_input=number.raw_input or "")
        phone.merge_from(number)
        return phone
    return number


def e164(value):
    """``+33613757051`` for any valid number (a ``Phone`` or typed text), "" otherwise."""
    number = parse(value) if value else None
    return number.as_e164 if isinstance(number, PhoneNumber) and number.is_valid() else ""


def display(value):
    return str(parse(value)) if value else ""


class PhoneDescriptor(PhoneNumberDescriptor):
    def __set__(self, instance, value):
        instance.__dict__[self.field.name] = parse(value, region=self.field.region)


class PhoneField(PhoneNumberField):
    """A phone number stored in E.164, read back as a ``Phone`` (shown the French way)."""

    attr_class = Phone
    descriptor_class = PhoneDescriptor

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return parse(value)

    def to_python(self, value):
        return parse(value, region=self.region)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


class PhoneFormField(PhoneNumberFormField):
    """Accepts what people type; refuses an invalid number with a French message quoting it."""

    default_error_messages = {"invalid": INVALID}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                           "placeholder": "06 12 34 56 78"}))
        kwargs.pop("error_messages", None)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = INVALID

    def prepare_value(self, value):
        return str(value) if isinstance(value, PhoneNumber) else value

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        number = parse(str(value).strip(), region=self.region)
        if not isinstance(number, PhoneNumber) or not number.is_valid():
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return number

    def validate(self, value):
        super(PhoneNumberFormField, self).validate(value)

    def run_validators(self, value):
        pass  # to_python has checked the number


def phone_form_field(label="Téléphone", required=False, **kwargs):
    return PhoneFormField(label=label, required=required, **kwargs)


def convert_stored(apps, label, model_name, field, out=None):
    """Data migration: each stored number written in E.164; a value that cannot be parsed is left as
    typed (nothing lost: the form shows it with its error on the next edit, no SMS goes to it) and listed.
    Returns the (pk, value) pairs left as typed."""
    import sys

    model = apps.get_model(label, model_name)
    kept = []
    for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        raw = str(value)
        try:
            number = phonenumbers.parse(raw, "FR")
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            model.objects.filter(pk=pk).update(**{field: phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)})
        else:
            kept.append((pk, raw))
    if kept:
        (out or sys.stdout).write(
            f"\n  {model_name}.{field} : {len(kept)} numéro(s) illisible(s) laissé(s) tel(s) que saisi(s) : "
            + ", ".join(f"n° {pk} « {raw} »" for pk, raw in kept[:50]) + ("…" if len(kept) > 50 else "") + "\n")
    return kept
