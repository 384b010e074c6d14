"""Merging two young people found to be the same person (two ``Youth`` rows for one person).

Staff choose, field by field, the identity to keep; every row pointing to the young person dropped
(dossiers — and with them their timeline, documents, invitations, calls, messages, sensitive-data
reads — fiches, and any other relation to ``Youth``, found through the model's relations so that an app
added later is moved too) then points to the one kept, and the dropped row is deleted. Each moved
dossier gets a note « Fusion des jeunes n° A et n° B » on its timeline; django-simple-history records
the change of the kept young person, of each moved row and the deletion of the other.

Refused when either young person is erased (anonymised: the predicate is given by the screen, the
RGPD module being above this app) or when the merge would leave two open dossiers.
"""
from django.db import transaction

from . import transitions
from .models import Dossier, Youth
from .workflow import ACTIVE_STATES

# The identity fields staff choose between (the others are computed or are timestamps).
IDENTITY_FIELDS = [
    "last_name", "first_name", "birth_date", "sex", "nationality", "email", "phone", "address", "postcode",
    "town", "qpv", "zrr", "qualification_level", "employment_status",
]


class MergeError(Exception):
    pass


def differing_fields(keep, other):
    """[(field, value kept, value of the other)] for the identity fields that differ."""
    rows = []
    for name in IDENTITY_FIELDS:
        field = Youth._meta.get_field(name)
        if field.value_from_object(keep) != field.value_from_object(other):
            rows.append((field, field.value_from_object(keep), field.value_from_object(other)))
    return rows


def merge_problem(keep, other, is_erased=lambda youth: False):
    """The French message refusing the merge of ``other`` into ``keep``, or None."""
    if keep.pk == other.pk:
        return "Choisissez deux jeunes différents."
    if is_erased(keep) or is_erased(other):
        return ("L'un de ces jeunes a été effacé (RGPD, données anonymisées) : ses dossiers ne peuvent pas "
                "être fusionnés.")
    open_count = Dossier.objects.filter(youth__in=[keep.pk, other.pk], state__in=ACTIVE_STATES).count()
    if open_count > 1:
        return ("Ces deux jeunes ont chacun un dossier en cours : un jeune n'a qu'un dossier ouvert. "
                "Clôturez ou passez en abandon l'un des deux dossiers, puis fusionnez.")
    return None


def _relations():
    """Every relation (foreign key or one-to-one) from another model to ``Youth``, history excluded."""
    return [rel for rel in Youth._meta.related_objects if rel.one_to_many or rel.one_to_one]


def moved_counts(other):
    """{model verbose name plural: rows pointing to ``other``}, for the confirmation step."""
    counts = {}
    for rel in _relations():
        n = rel.related_model._base_manager.filter(**{rel.field.name: other}).count()
        if n:
            counts[rel.related_model._meta.verbose_name_plural] = n
    return counts


def merge_youths(keep, other, take_from_other, user, is_erased=lambda youth: False):
    """Merge ``other`` into ``keep``: the identity fields named in ``take_from_other`` take the other's
    value; every row of ``other`` moves to ``keep``; ``other`` is deleted. Returns the moved dossiers.
    Raises ``MergeError`` (and writes nothing) when ``merge_problem`` refuses."""
    with transaction.atomic():
        pair = {y.pk: y for y in Youth.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])}
        if len(pair) != 2:
            raise MergeError("L'un de ces jeunes n'existe plus (déjà fusionné ?).")
        keep, other = pair[keep.pk], pair[other.pk]
        problem = merge_problem(keep, other, is_erased)
        if problem:
            raise MergeError(problem)
        label = f"Fusion des jeunes n° {keep.pk} et n° {other.pk} (le n° {other.pk} est réuni au n° {keep.pk})."
        moved = list(Dossier.objects.select_for_update().filter(youth=other).order_by("pk"))
        for rel in _relations():
            rows = rel.related_model._base_manager.filter(**{rel.field.name: other})
            if rel.one_to_one and rel.related_model._base_manager.filter(**{rel.field.name: keep}).exists():
                continue  # one per person (e.g. the space account): the kept person's stays, the other's goes
            for row in rows:
                setattr(row, rel.field.name, keep)
                row.save(update_fields=[rel.field.name])
        for name in IDENTITY_FIELDS:
            if name in take_from_other:
                setattr(keep, name, getattr(other, name))
        other_pk = other.pk
        other.delete()  # before saving ``keep``: the identity taken may give the other's match key
        keep.save()
        for dossier in moved:
            dossier.youth = keep
            transitions.record_note(dossier, user, label)
        for dossier in Dossier.objects.filter(youth=keep).exclude(pk__in=[d.pk for d in moved]):
            transitions.record_note(dossier, user, label)
    keep.merged_from = other_pk
    return moved
