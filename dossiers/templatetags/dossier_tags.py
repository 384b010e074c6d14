from django import template
from django.utils import timezone

from dossiers.workflow import GROUPS, STEPS, step_index, tone

register = template.Library()


@register.simple_tag
def age(birth_date, on=None):
    """'23 ans' — the age on a day (today by default)."""
    if not birth_date:
        return ""
    day = on or timezone.localdate()
    years = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return f"{years} ans"


@register.inclusion_tag("dossiers/_wheel_steps.html")
def wheel_steps(state):
    current = step_index(state)
    return {
        "steps": [
            {"label": label, "status": "done" if i < current else "current" if i == current else "todo"}
            for i, (label, _states) in enumerate(STEPS)
        ]
    }


@register.filter
def yes_no(value):
    return {True: "Oui", False: "Non"}.get(value, "Ne sait pas")


@register.filter
def state_tone(state):
    """The colour of a state's badge, from the workflow table: ``class="tone-{{ state|state_tone }}"``."""
    return tone(state) if state else ""


@register.filter
def state_in(state, group):
    """Whether a state belongs to a named group of the workflow table: ``state|state_in:"FINAL_STATES"``."""
    return state in GROUPS[group]
