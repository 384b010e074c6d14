"""Two-factor login (TOTP) for platform staff, managers and administrators.

After the password, such a user must enter the 6-digit code of their authenticator app — or one of their
backup codes (``ipm/backup_codes.py``), each accepted once; the first time, they register the app by
scanning a QR code, then are shown their ten backup codes, once. Until then every page sends them to that
step. Their security page (« Sécurité du compte ») regenerates the codes; an administrator resets a lost
second factor from the users' administration (``ipm/admin.py``), recorded in the audit journal.
"""
import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import backup_codes
from .enums import ALL_STRUCTURES_ROLES
from .models import AccountEvent
from .parsing import safe_next

# Pages reachable before the second factor: the two-factor pages themselves, logout, static files.
EXEMPT_URL_NAMES = {"otp_verify", "otp_setup", "logout"}
# The backup codes just made, kept in the session until the page showing them is opened (once).
CODES_SESSION_KEY = "ipm_backup_codes"


def requires_2fa(user):
    return bool(
        settings.IPM_REQUIRE_2FA and user.is_authenticated and (user.is_superuser or user.role in ALL_STRUCTURES_ROLES)
    )


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and requires_2fa(user) and not user.is_verified():
            match = request.resolver_match or _resolve(request.path_info)
            name = match.url_name if match else None
            if name not in EXEMPT_URL_NAMES and not request.path_info.startswith(settings.STATIC_URL.rstrip("/") + "/"):
                target = "otp_verify" if TOTPDevice.objects.filter(user=user, confirmed=True).exists() else "otp_setup"
                return redirect(_with_next(target, request.get_full_path()))
        return self.get_response(request)


def _with_next(url_name, next_url):
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{reverse(url_name)}?{query.urlencode(safe='/')}"


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


class TokenForm(forms.Form):
    """The authenticator's code; with ``backup``, one of the user's backup codes is accepted instead. The
    authenticator's throttle (django-otp: after a wrong code, a growing wait) is shared: a wrong backup
    code counts as a wrong code, and no code of either kind is tried while it runs."""

    token = forms.CharField(
        label="Code à 6 chiffres de votre application d'authentification", max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, device=None, backup=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.backup = backup
        self.used_device = None
        if backup:
            field = self.fields["token"]
            field.label = "Code à 6 chiffres de votre application, ou un code de secours"
            field.max_length = 20
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
            field.widget.attrs.update(maxlength="20", minlength="6", inputmode="text", autocapitalize="none",
                                      spellcheck="false")

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        wrong = ("Code incorrect ou expiré : saisissez le code affiché en ce moment par votre application"
                 + (", ou un code de secours que vous n'avez pas encore utilisé." if self.backup else "."))
        if self.device is not None:
            allowed, _data = self.device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError(
                    "Trop d'essais à la suite : attendez quelques secondes, puis saisissez le nouveau code."
                )
        if self.device is not None and self.backup and backup_codes.looks_like_a_code(token):
            self.used_device = backup_codes.use(self.device.user, token)
            if self.used_device is None:
                self.device.throttle_increment(commit=True)
                raise forms.ValidationError(wrong)
            self.device.throttle_reset(commit=True)
            return token
        if not token.isdigit() or len(token) != 6 or self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(wrong)
        self.used_device = self.device
        return token


def _next_url(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), "home")


def _verified(request, device):
    """The second factor is accepted: mark the session verified under a new session key (what an
    observer learnt of the key before the code was given is worth nothing after)."""
    otp_login(request, device)
    request.session.cycle_key()


@login_required
def otp_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(_with_next("otp_setup", _next_url(request)))
    form = TokenForm(request.POST or None, device=device, backup=True)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.used_device)
        if form.used_device != device:
            AccountEvent.record(AccountEvent.CODE_USED, request.user)
            left = backup_codes.remaining(request.user)
            messages.warning(request, f"Code de secours accepté : il ne servira plus. Il vous en reste {left}. "
                             "Si vous avez perdu votre téléphone, demandez à un administrateur de réinitialiser votre "
                             "double authentification ; sinon, générez de nouveaux codes depuis « Sécurité du compte ».")
        return redirect(_next_url(request))
    return render(request, "registration/otp_verify.html", {
        "form": form, "next": _next_url(request), "has_codes": backup_codes.remaining(request.user) > 0,
    })


def _qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return mark_safe(buffer.getvalue().decode())  # generated by qrcode: paths only, no user text


@login_required
def otp_setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not request.user.is_verified():
        return redirect(_with_next("otp_verify", _next_url(request)))
    with transaction.atomic():
        # Under the user's row lock: two tabs opening this page at once make one device to confirm (two
        # would make every later visit fail).
        get_user_model().objects.select_for_update().filter(pk=request.user.pk).first()
        device = (TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
                  or TOTPDevice.objects.create(user=request.user, confirmed=False, name="Application"))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        _verified(request, device)
        request.session[CODES_SESSION_KEY] = backup_codes.generate(request.user)
        messages.success(request, "Double authentification activée : ce code vous sera demandé à chaque connexion.")
        return redirect(_with_next("otp_backup_codes", _next_url(request)))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/otp_setup.html", {
        "form": form, "next": _next_url(request), "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })


# --- Backup codes and the security page ----------------------------------------------------------------

@login_required
def otp_backup_codes(request):
    """The codes just made (at enrolment or on regeneration), shown this once: the session forgets them."""
    codes = request.session.pop(CODES_SESSION_KEY, None)
    return render(request, "registration/otp_backup_codes.html", {
        "codes": [backup_codes.display(c) for c in codes or ()], "next": _next_url(request),
        "remaining": backup_codes.remaining(request.user),
    })


@login_required
def account_security(request):
    """The user's own security page: their second factor, how many backup codes are left, the password."""
    has_authenticator = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "registration/account_security.html", {
        "has_authenticator": has_authenticator, "required": requires_2fa(request.user),
        "remaining": backup_codes.remaining(request.user), "count": backup_codes.COUNT,
    })


@login_required
def otp_backup_codes_regenerate(request):
    """Asks first (the old codes stop working), then makes ten new codes and shows them once."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        messages.error(request, "Activez d'abord la double authentification : les codes de secours l'accompagnent.")
        return redirect("account_security")
    if request.method == "POST":
        if not request.POST.get("confirm"):
            messages.error(request, "Cochez la case pour confirmer : vos codes actuels ne fonctionneront plus.")
            return redirect("otp_backup_codes_regenerate")
        request.session[CODES_SESSION_KEY] = backup_codes.generate(request.user)
        AccountEvent.record(AccountEvent.CODES_REGENERATED, request.user)
        return redirect(_with_next("otp_backup_codes", reverse("account_security")))
    return render(request, "registration/otp_backup_codes_regenerate.html", {
        "remaining": backup_codes.remaining(request.user), "count": backup_codes.COUNT,
    })


def reset_second_factor(account, actor):
    """An administrator's reset of ``account``'s second factor (lost phone): the authenticator and the backup
    codes are deleted, the account must enrol again at its next page (its open sessions too), and the reset
    is recorded for the audit journal."""
    from django_otp.plugins.otp_static.models import StaticDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        return AccountEvent.record(AccountEvent.RESET_2FA, account, actor=actor)
