"""A structure's reports read by its information system: the very reports of the « Rapports » pages
(``reporting.reports``), with the page's filters (``reporting.forms.ReportFilterForm``), restricted to the
token's structure exactly as for a counsellor of that structure. Nothing is counted here: the report's
own function counts, this module only lays its ``Report`` out as JSON (column keys and French labels)."""
import dataclasses
import datetime
from decimal import Decimal

from django.utils import translation

from reporting import consistency, reports
from reporting.forms import ReportFilterForm

from .fiches import Refused

# The page's filters that a structure never chooses: its reports are those of its own structure.
STRUCTURE_FILTERS = ("structure", "department")
# « year »: one year, a shorthand for year_from (year_to then defaults to it, as on the page).
YEAR = "year"


def catalogue():
    """The reports a structure may read, in the order of the « Rapports » page."""
    return [{"key": name, "title": title, "summary": reports.REPORT_SUMMARIES[name]}
            for name, title in reports.REPORT_TITLES.items()]


def exists(name):
    return name in reports.REPORTS


def filter_form(token, name, data=None):
    """The page's filter form for the token's counsellor, without the structure and department choices."""
    form = ReportFilterForm(data, user=token.counsellor, report=name)
    for field in STRUCTURE_FILTERS:
        form.fields.pop(field, None)
    return form


def describe_filters(token, name):
    """The filters a report accepts: name, French label, and the values of a choice."""
    with translation.override("fr"):
        form = filter_form(token, name)
        described = [{"name": YEAR, "label": "Année (raccourci : year_from et year_to valent cette année)",
                      "choices": None}]
        for field_name, field in form.fields.items():
            choices = getattr(field, "choices", None)
            described.append({
                "name": field_name, "label": str(field.label),
                "choices": None if choices is None else [
                    {"value": str(value), "label": str(label)} for value, label in choices if value not in ("", None)],
            })
    return described


def _query(token, name, query):
    """The query string as the form's data, or ``Refused`` (unknown filter, ``year`` with a range)."""
    allowed = set(filter_form(token, name).fields) | {YEAR}
    unknown = sorted(str(key)[:50] for key in query if key not in allowed)
    if unknown:
        raise Refused({key: [f"Filtre inconnu : les filtres de ce rapport sont {', '.join(sorted(allowed))}."]
                       for key in unknown})
    data = {key: query.get(key) for key in query}
    if YEAR in data:
        if "year_from" in data or "year_to" in data:
            raise Refused({YEAR: ["Indiquez soit « year », soit « year_from » (et « year_to »), pas les deux."]})
        data["year_from"] = data.pop(YEAR)
    return data


def build(token, name, query):
    """The report ``name`` of the token's structure, filtered by ``query`` (a QueryDict), as JSON; or
    ``Refused`` with the form's French messages."""
    with translation.override("fr"):
        data = _query(token, name, query)
        form = filter_form(token, name, data or None)
        if form.is_bound and not form.is_valid():
            raise Refused({key: list(messages) for key, messages in form.errors.items()})
        # The structure's own figures only: its counsellor's restriction, and the structure itself (a token
        # whose counsellor has left for another structure reads nothing rather than the other one's).
        filters = dataclasses.replace(form.filters(), structure=token.structure, department="")
        data = payload(reports.build(name, filters))
        # The page's caveat: how many of these dossiers break a rule of the wheel (reporting/consistency.py).
        data["flagged_dossiers"] = consistency.flagged_in_period(filters)
        return data


def cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def payload(report):
    """A ``Report`` as JSON: its columns (key, French label, percentage or not), then each row as an object
    keyed by the columns' keys (the values of the CSV: codes, numbers), with its kind and, in ``labels``, the
    words the page shows for the cells holding a code (« F » → « Femmes »)."""
    rows = []
    for row in report.rows:
        pairs = list(zip(report.columns, row.cells))
        rows.append({
            "kind": row.kind,
            "cells": {key: cell(value) for key, value in pairs},
            "labels": {key: str(report.labels[value]) for key, value in pairs
                       if isinstance(value, str) and value in report.labels},
        })
    return {
        "key": report.name,
        "title": report.title,
        "period": report.period,
        "years": list(report.years),
        "filters": [{"label": label, "value": str(value)} for label, value in report.filters],
        "columns": [{"key": column.key, "label": column.title, "percent": column.percent}
                    for column in report.column_defs],
        "rows": rows,
        "notes": [str(note) for note in report.notes],
    }
