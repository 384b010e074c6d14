"""Double submission: a form that creates something creates it once, however many times it is sent.

The form carries a one-time token (a random UUID in a hidden field, new at each display of the empty
form; kept when a refused form is shown again). Creating runs, in the same transaction, the insert of
the token into ``FormSubmission`` under its unique constraint: the second sending of the same page
(double click, browser « renvoyer », a slow network) fails on the constraint — waiting, on PostgreSQL,
for the first one to commit — and creates nothing; the user is sent to what the first one created.

Usage in a view::

    form = MyForm(request.POST or None)
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as submission:
                obj = form.save()
                submission.done(obj)                 # remembers where the created thing is
        except AlreadySubmitted as duplicate:
            return duplicate.redirect(request, fallback_url)  # nothing created twice
        return redirect(obj)

The reference-data pages (« create once / edit » of a ModelForm, then back to their list) do all of it,
``sent_before`` included, with one call::

    form = MyForm(request.POST or None, instance=obj)
    if (response := save_once(request, form, back=list_url, success=lambda obj, created: "Enregistré.")):
        return response          # saved (or sent before): the redirect
    return render(...)           # the form, new or shown again with its errors

The JavaScript of ``static/js/ipm.js`` (``form[data-once]``) also disables the button once clicked; the
token is what makes it sure. A form posted without a token (a script) is not guarded.
"""
import uuid
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

TOKEN_FIELD = "submission_token"

DUPLICATE_MESSAGE = (
    "Ce formulaire avait déjà été envoyé (double clic ou page renvoyée) : il n'a été enregistré qu'une fois."
)


class AlreadySubmitted(Exception):
    def __init__(self, url=""):
        super().__init__(DUPLICATE_MESSAGE)
        self.url = url

    def redirect(self, request, fallback):
        messages.info(request, DUPLICATE_MESSAGE)
        return redirect(self.url or fallback)


def add_token_field(form):
    """Add the hidden one-time ``submission_token`` field to ``form`` (a new token for each display)."""
    form.fields[TOKEN_FIELD] = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)
    show_in_layout(form, TOKEN_FIELD)
    return form


def show_in_layout(form, name):
    """A crispy form with an explicit layout renders only the fields it names: add the hidden one."""
    layout = getattr(getattr(form, "helper", None), "layout", None)
    if layout is not None:
        layout.append(name)


class _Submission:
    def __init__(self, record=None):
        self.record = record

    def done(self, obj=None, url=""):
        """Remember the page of what was created, where a second sending of the form will lead."""
        if self.record is None:
            return
        if not url and obj is not None and hasattr(obj, "get_absolute_url"):
            url = obj.get_absolute_url()
        if url:
            self.record.result_url = str(url)[:255]
            self.record.save(update_fields=["result_url"])


def consume(token, user=None):
    """Insert ``token``; raises ``AlreadySubmitted`` when it was already used. Inside a transaction."""
    from .models import FormSubmission

    try:
        with transaction.atomic():
            return FormSubmission.objects.create(
                token=token, user=user if user is not None and user.is_authenticated else None
            )
    except IntegrityError:
        raise AlreadySubmitted(_result_url(token) or "") from None


def _result_url(token):
    """Where the first sending of ``token`` led ("" if nowhere recorded), or None if it was never used."""
    from .models import FormSubmission

    return FormSubmission.objects.filter(token=token).values_list("result_url", flat=True).first()


def sent_before(request, form):
    """``AlreadySubmitted`` when this creation form was already sent and saved, else None. For forms whose
    own validation would refuse the second sending (the name it created is now taken) before
    ``submitted_once`` is reached: check this first, and lead to what the first sending created."""
    token = _posted_token(request, form)
    url = _result_url(token) if token is not None else None
    return None if url is None else AlreadySubmitted(url)


@contextmanager
def submitted_once(request, form):
    """Run the body (the creation) in one transaction with the token's insert; a token already used
    raises ``AlreadySubmitted`` before the body runs."""
    token = form.cleaned_data.get(TOKEN_FIELD) if hasattr(form, "cleaned_data") else None
    if token is None:
        token = _posted_token(request, form)
    with transaction.atomic():
        record = consume(token, getattr(request, "user", None)) if token is not None else None
        yield _Submission(record)


def _posted_token(request, form):
    raw = request.POST.get(form.add_prefix(TOKEN_FIELD)) if request.method == "POST" else None
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def save_once(request, form, *, back, success, done_url=None, integrity_error=None):
    """The « create once / edit » block of a page that saves a ModelForm and goes back to a list.

    A new object (``form.instance`` without pk) gets the one-time token; a creation sent again leads to what
    the first sending created (``sent_before``, then ``submitted_once``). A valid form is saved, the
    success message (``success(obj, created)``) shown, and the user sent to ``done_url(obj)`` (default:
    ``back``, also the fallback of a second sending). ``integrity_error()``, if given, returns the
    ``(field, message)`` of a database refusal (a name taken at the same moment) to show on the form.

    Returns the redirect to send, or None when the caller is to show the form (new, or with its errors)."""
    creating = form.instance.pk is None
    if creating:
        add_token_field(form)
    if request.method != "POST":
        return None
    if creating and (duplicate := sent_before(request, form)) is not None:
        return duplicate.redirect(request, back)
    if not form.is_valid():
        return None
    try:
        with submitted_once(request, form) as submission:
            obj = form.save()
            url = done_url(obj) if done_url is not None else back
            submission.done(url=url)
    except AlreadySubmitted as duplicate:
        return duplicate.redirect(request, back)
    except IntegrityError:
        if integrity_error is None:
            raise
        form.add_error(*integrity_error())
        return None
    messages.success(request, success(obj, creating))
    return redirect(url)
