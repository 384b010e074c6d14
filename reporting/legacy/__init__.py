"""Legacy import: a platform's history (one row per dossier, in the template of docs/import.md) loaded
into the same records the application writes — Structure, Scheme, Youth, Dossier, the DossierEvent
timeline, Stay and the month-6 FollowUpCall — so that imported dossiers count in every report exactly
like dossiers created in the application.

Three steps, one module each: ``read`` (CSV or XLSX bytes → rows as dicts), ``check`` (every row
checked, every error with its line and column, and the ``Plan`` of what would be created; nothing is
written when there is one error) and ``write`` (the plan written in one transaction: the one sanctioned
bulk writer). Rows whose ``reference`` is already known are left alone: importing the same file twice
changes nothing.

The names below are those the views, the tasks, the ``import_legacy`` command and the tests use
(``check`` here is the function, not the module: import the module's other names from
``reporting.legacy.check``).
"""
from dataclasses import asdict

from .check import COLUMNS, REQUIRED_COLUMNS, ImportRefused, LegacyRow, LineError, Plan, check
from .template import template_csv, template_xlsx
from .write import run, timeline

__all__ = [
    "COLUMNS", "REQUIRED_COLUMNS", "ImportRefused", "LegacyRow", "LineError", "Plan", "check", "errors_as_dicts",
    "import_file", "run", "template_csv", "template_xlsx", "timeline",
]


def import_file(data, name="", user=None, dry_run=False, progress=None):
    """Check then (unless ``dry_run``) import a file. Returns the summary; raises ImportRefused with every
    error when the file is refused (nothing written)."""
    plan = check(data, name, progress=progress)
    if plan.errors:
        raise ImportRefused(plan.errors)
    if dry_run:
        return plan.summary()
    return run(plan, user=user, progress=progress)


def errors_as_dicts(errors):
    return [asdict(e) for e in errors]

