"""The « Mot de passe oublié » email, sent like every other email: rendered from
``followup/email/password_reset.txt`` and ``.html`` with the platform's footer, and recorded in the outbox
(sent after commit, retried), under its own kind, ``MessageKind.PASSWORD_RESET``.

The email carries a secret — the link that sets a new password, valid ``PASSWORD_RESET_TIMEOUT`` — so the
outbox keeps its text only until it is delivered: once sent (or failed for good) the row's text is
replaced by « (Lien de réinitialisation du mot de passe, non conservé.) » (``outbox.SECRET_KINDS``). The
pages « Messages envoyés » show that a link was sent to that address, never the link.

Django's rules are kept as they are (``PasswordResetForm``): only an active account with a usable password
receives a link (a young person's account has none), an unknown address gets the same « Courriel envoyé »
page and no message, and the link is Django's one-time token. The link is built on ``IPM_BASE_URL``, like
every other link the platform sends, never on the Host header of the request.

``config/urls.py`` wires the form into Django's ``PasswordResetView`` (the ground, ``ipm``, cannot import the
outbox).
"""
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import timezone

from .enums import Channel, MessageKind
from .mail import render_email
from .outbox import queue_message

SUBJECT = "Choisir un nouveau mot de passe"


def reset_url(uid, token):
    return settings.IPM_BASE_URL.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uid,
                                                                                          "token": token})


class PlatformPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email queued in the outbox in place of being sent at once."""

    def save(self, domain_override=None, *args, **kwargs):
        # The link is built on IPM_BASE_URL: no need of the site's domain (nor of a request to read it).
        return super().save(domain_override or settings.IPM_PLATFORM_NAME, *args, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        body, html = render_email("password_reset", {
            "user": user, "url": reset_url(context["uid"], context["token"]),
            "valid_for": _duration(minutes),
        })
        # Each request is a message of its own: the period is the moment it was asked for.
        queue_message(MessageKind.PASSWORD_RESET, Channel.EMAIL, f"user:{user.pk}",
                      timezone.now().strftime("%Y%m%d%H%M%S%f"), to_email, body, SUBJECT, html=html)


def _duration(minutes):
    """« 3 jours », « 1 heure », « 30 minutes »: how long the link stays valid, in words."""
    for size, one, many in ((24 * 60, "jour", "jours"), (60, "heure", "heures")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {one if count == 1 else many}"
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
