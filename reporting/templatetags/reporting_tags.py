from decimal import Decimal

from django import template
from django.utils.formats import number_format

from ..reports.common import Figure

register = template.Library()


@register.filter
def report_cell(value):
    """Numbers as the French read them: '33,3 %' for a percentage, '250 000' for a count (the thousands
    separated as the French locale does, with a no-break space), '0,5' for another figure with a decimal
    (``common.Figure``); '—' for no value."""
    if value is None:
        return "—"
    if isinstance(value, Figure):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",") + "\u00a0%"
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
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
