"""``{% load rgpd_tags %}``: ``user|may:"rgpd_export"`` — a capability check for templates that the
``can`` context does not list."""
from django import template

from ipm.access import has_capability

register = template.Library()


@register.filter
def may(user, capability):
    return has_capability(user, capability)


@register.filter
def shown(value):
    """A value of the subject-access export in French: dates d/m/Y, yes/no, « — » when empty."""
    import datetime

    from django.utils import timezone

    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value in (None, ""):
        return "—"
    return str(value)
