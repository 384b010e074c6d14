"""The satisfaction questionnaire on return and the surveys at 12 and 36 months (docs/surveys.md)."""


def todo_items(youth, today=None):
    """What the young person still has to answer, as items of their space's to-do list."""
    from .todo import todo_items as items

    return items(youth, today)
