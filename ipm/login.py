"""Logging in: the login forms, the lock of one account, and a throttle of one address across accounts.

Forms: Django's, refusing an identifier longer than any account's before trying it (Django only sets
the widget's ``maxlength``: a longer value reached the authentication and the failed-login log, whose
column is shorter — a server error).

Failed logins: django-axes counts them per (username, address): ``AXES_FAILURE_LIMIT`` of them lock
that account from that address for ``AXES_COOLOFF_TIME``. That alone lets one password be tried on
every account in turn (password spraying). ``LoginThrottleHandler`` (``AXES_HANDLER``) adds a second
count: the failed logins from one address, whatever the username, during the same cool-off; at
``IPM_LOGIN_ADDRESS_FAILURE_LIMIT`` every login from that address is refused (French lockout page,
status 429) until the cool-off has passed. The limit is higher than the per-account one so that the
occasional mistyped passwords of an office behind one address do not lock it.

Behind a reverse proxy, ``AXES_IPWARE_PROXY_COUNT`` must be set, or every user shares the proxy's
address.
"""
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum


class UsernameLengthMixin:
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(MaxLengthValidator(
            limit, message=f"L'identifiant ne peut pas dépasser {limit} caractères : vérifiez la saisie.",
        ))


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    """The login page's form."""


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The administration site's login form."""


def address_failures(request):
    """Failed logins from the request's address, every username together, during the cool-off."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.IPM_LOGIN_ADDRESS_FAILURE_LIMIT:
            # The lockout page says which lock applies (the address, not one account).
            request.ipm_address_locked = True
            return max(failures, get_failure_limit(request, credentials))
        return failures
