"""The funder reports: one module per report, each with its ``NAME``, its ``TITLE``, its ``SUMMARY`` (one
line for the list of reports) and a function ``report(filters) -> Report`` built from a few aggregate
queries; what they share is in ``common``.

``REPORTS`` (name → function) is the one registry: the pages, the downloads, the ``report`` command,
the tests and the benchmark all go through it, in this order (the order of the list of reports).
Adding a report: see docs/reporting.md. The CSV layouts are docs/report-formats.md; how each figure
is counted is documented in docs/reporting.md.
"""
from . import departures, equity, fej, funnel, outcomes, parrainage, profile, reperage, satisfaction

MODULES = [departures, funnel, profile, outcomes, fej, satisfaction, parrainage, reperage, equity]

REPORTS = {module.NAME: module.report for module in MODULES}
REPORT_TITLES = {module.NAME: module.TITLE for module in MODULES}
REPORT_SUMMARIES = {module.NAME: module.SUMMARY for module in MODULES}


def build(name, filters):
    return REPORTS[name](filters)
