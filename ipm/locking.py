"""Optimistic locking of a dossier's edit forms: nothing is overwritten silently.

Every form that changes a dossier's data (diagnostic, mobility project, stay, co-payment…) carries the
dossier's ``version`` in a hidden field, as it was when the page was shown. Saving runs, in the same
transaction as the save::

    UPDATE dossiers_dossier SET version = version + 1 WHERE id = … AND version = <version of the page>

One row updated: nobody saved in between, the save goes on. No row: someone else saved the dossier
meanwhile — the save is refused (rolled back), the page comes back with what the user typed and a
clear message. The refused page carries the new version: saving it again is then a deliberate choice
to replace the other person's changes, made after reading the message.

Usage in a view::

    form = MyForm(request.POST or None, instance=...)
    add_version_field(form, dossier)
    if request.method == "POST" and form.is_valid():
        try:
            with versioned_save(request, form, dossier):
                form.save()
        except StaleDossier:
            pass  # the form shows the message; render it again
        else:
            return redirect(dossier)

A form posted without the hidden field (a script, an old page) is not checked but still bumps the
version, so that pages shown before it are refused.
"""
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import F

VERSION_FIELD = "dossier_version"

STALE_MESSAGE = (
    "Ce dossier a été modifié par une autre personne pendant que vous le complétiez : vos changements "
    "n'ont pas été enregistrés, pour ne pas effacer les siens. Votre saisie est conservée ci-dessous. "
    "Ouvrez le dossier dans un autre onglet pour voir ses changements ; si vous enregistrez à nouveau "
    "ce formulaire, votre saisie remplacera la sienne."
)


class StaleDossier(Exception):
    """The dossier changed since the form was shown."""

    def __init__(self, current_version=None):
        super().__init__(STALE_MESSAGE)
        self.current_version = current_version


def add_version_field(form, dossier):
    """Add the hidden ``dossier_version`` field (initial: the dossier's current version) to ``form``."""
    form.fields[VERSION_FIELD] = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput, initial=dossier.version
    )
    from .submission import show_in_layout

    show_in_layout(form, VERSION_FIELD)
    return form


def claim(dossier, version):
    """Bump the dossier's version if it is still ``version`` (None: unconditionally), in one UPDATE.
    Raises ``StaleDossier`` when someone else saved in between. Call it inside the save's transaction."""
    model = type(dossier)  # the ground knows no domain model: the row's own class
    rows = model.objects.filter(pk=dossier.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        current = model.objects.filter(pk=dossier.pk).values_list("version", flat=True).first()
        raise StaleDossier(current)
    dossier.version = model.objects.filter(pk=dossier.pk).values_list("version", flat=True).get()
    return dossier.version


def refuse(request, form, dossier, current_version):
    """Show the refusal: a message, the same text on the form, and the new version in the hidden field
    (the rest of what the user typed stays as it was)."""
    if current_version is not None:
        dossier.version = current_version
    messages.error(request, STALE_MESSAGE)
    form.add_error(None, STALE_MESSAGE)
    if form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(VERSION_FIELD)] = str(dossier.version)
        form.data = data


@contextmanager
def versioned_save(request, form, dossier):
    """Run the body (the save) in one transaction with the version check; on a conflict nothing is
    saved, the form gets the message, and ``StaleDossier`` is raised for the view to show the form."""
    version = form.cleaned_data.get(VERSION_FIELD) if hasattr(form, "cleaned_data") else None
    try:
        with transaction.atomic():
            claim(dossier, version)
            yield
    except StaleDossier as exc:
        refuse(request, form, dossier, exc.current_version)
        raise
