"""Every date field of every form of the project is typed the French way (JJ/MM/AAAA), in every browser:
the one widget ``ipm.forms.DateInput`` (a text field; a native ``<input type="date">`` would follow the
browser's language, mm/dd/yyyy in an English browser). The browser side is in tests/e2e/test_date_fields.py."""
import datetime
import importlib
import pkgutil

import pytest
from django import forms

from ipm.forms import DATE_INPUT_FORMATS, DateInput, date_field
from tests.test_architecture import LAYERS


def project_forms():
    for package in LAYERS:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if ".tests" in info.name or ".migrations" in info.name or info.name.endswith(("wsgi", "asgi", "celery")):
                continue
            importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in LAYERS}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_no_date_field_of_any_form_uses_a_native_date_input():
    classes = project_forms()
    date_fields = [(cls, name, field) for cls in classes for name, field in cls.base_fields.items()
                   if isinstance(field, forms.DateField)]
    assert len(date_fields) >= 25, "the walk finds the project's date fields"
    wrong = [f"{cls.__module__}.{cls.__qualname__}.{name}" for cls, name, field in date_fields
             if not isinstance(field.widget, DateInput) or field.widget.input_type == "date"]
    assert wrong == [], "Champs de date sans le widget français (ipm.forms.DateInput) : " + ", ".join(wrong)


class Form(forms.Form):
    day = date_field("Date du départ")


def test_the_field_is_shown_the_french_way_with_its_calendar_button_hidden_without_javascript():
    html = str(Form(initial={"day": datetime.date(2026, 12, 31)})["day"])
    assert 'type="text"' in html and 'value="31/12/2026"' in html
    assert 'placeholder="JJ/MM/AAAA"' in html and 'inputmode="numeric"' in html
    assert 'data-date-picker-for="id_day"' in html and "hidden>" in html  # shown by static/js/dates.js


@pytest.mark.parametrize("typed", ["31/12/2026", "31/12/26", "2026-12-31", "31.12.2026", "31-12-2026", " 31/12/2026 "])
def test_the_french_ways_and_iso_are_read(typed):
    form = Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 31)


def test_a_date_shown_again_as_sent_is_shown_the_french_way():
    assert 'value="31/12/2026"' in str(Form({"day": "2026-12-31"})["day"])
    assert 'value="31/12/2026"' in str(Form({"day": "31/12/26"})["day"])
    assert 'value="31/02/2026"' in str(Form({"day": "31/02/2026"})["day"])  # refused: kept to be corrected


@pytest.mark.parametrize("typed", ["12/31/2026", "31/02/2026", "abc", "2026-13-01"])
def test_an_american_or_impossible_date_is_refused_in_french(typed):
    form = Form({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Saisissez une date valide."]


def test_the_formats_are_the_ones_documented():
    assert DATE_INPUT_FORMATS[0] == "%d/%m/%Y" and "%Y-%m-%d" in DATE_INPUT_FORMATS
