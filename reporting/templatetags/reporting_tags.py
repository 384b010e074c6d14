from decimal import Decimal

from django import template

from ..reports.common import Figure

register = template.Library()


@register.filter
def report_cell(value):
    """Numbers as the French read them: '33,3 %' for a percentage, '0,5' for another figure with a decimal
    (``common.Figure``), integers as they are; '—' for no value."""
    if value is None:
        return "—"
    if isinstance(value, Figure):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",") + " %"
    return value


@register.filter
def cell_align(value):
    return "text-end" if isinstance(value, (int, Decimal)) else "text-start"


@register.filter
def row_label(value, labels):
    """The words for a row label code (e.g. 'emploi_cdi' → 'En emploi — CDI'), else the value."""
    if isinstance(value, str) and labels:
        return labels.get(value, value)
    return value
