from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def platform_phone():
    """The platform's phone (``IPM_PLATFORM_PHONE``), told to a young person who cannot sign in."""
    return settings.IPM_PLATFORM_PHONE


@register.simple_tag
def open_rectifications():
    """How many rectification requests of the young people wait for staff (the work lists link to them)."""
    from space.models import RectificationRequest, RectificationStatus

    return RectificationRequest.objects.filter(status=RectificationStatus.OPEN).count()
