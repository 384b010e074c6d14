"""Backup codes of the second factor (django-otp's static tokens): ten single-use codes given at enrolment
and on demand, each accepted once on the second-factor step instead of the authenticator's code.

The codes are django-otp's ``StaticToken`` rows of the user's one ``StaticDevice`` (« Codes de secours »).
They are kept as django-otp keeps them (as the authenticator's secret is): whoever reads the database
could use them — the database is the secret. A code is consumed by one conditional DELETE, so that two
requests giving the same code at once let only one in.
"""
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

COUNT = 10
DEVICE_NAME = "Codes de secours"
# What the browser may send around a code: spaces and dashes (« abcd-efgh »), any case.
SEPARATORS = str.maketrans("", "", " -\u00a0\t")


def device_of(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def remaining(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def generate(user):
    """A new set of ``COUNT`` codes for ``user``: the old ones stop working. Returns the codes, to show once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).exclude(pk=getattr(device_of(user), "pk", None)).delete()
        device = device_of(user) or StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        device.token_set.all().delete()
        codes = set()
        while len(codes) < COUNT:
            codes.add(StaticToken.random_token())
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
        device.throttle_reset(commit=True)
    return sorted(codes)


def normalise(value):
    return (value or "").translate(SEPARATORS).lower()


def looks_like_a_code(value):
    """Eight letters and digits (base 32), not six digits (the authenticator's code)."""
    value = normalise(value)
    return len(value) == 8 and value.isalnum() and not value.isdigit()


def use(user, value):
    """The user's static device if ``value`` is one of their unused codes (now used up), else None. The
    device's own throttle applies (the caller applies the authenticator's too)."""
    device = device_of(user)
    if device is None:
        return None
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        return None
    deleted, _ = StaticToken.objects.filter(device=device, token=normalise(value)).delete()
    if not deleted:
        device.throttle_increment(commit=True)
        return None
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


def display(code):
    """« abcd efgh »: easier to read and copy out."""
    return f"{code[:4]} {code[4:]}"
