from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def report_cell(value):
    """Numbers as the French read them: '33,3 %' for a percentage, integers as they are."""
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",") + " %"
    return value
