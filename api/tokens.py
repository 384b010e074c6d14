"""A structure's API keys: made here, shown once, kept as a SHA-256 hash; found back from the key an
information system sends (``Authorization: Bearer ipm_…``)."""
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "ipm_"
# Keys are 32 random bytes: a SHA-256 without salt is enough (nothing to guess by brute force).
KEY_BYTES = 32


def hash_key(key):
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def create_token(*, structure, name, counsellor, created_by):
    """A new token and its key (the only time the key is known: it is not stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(structure=structure, name=name, counsellor=counsellor, created_by=created_by,
                                    prefix=key[:len(KEY_PREFIX) + 6], key_hash=hash_key(key))
    return token, key


def find_token(key):
    """The active token of ``key`` (its structure active too), or None."""
    if not key or len(key) > 200:
        return None
    return (ApiToken.objects.active().select_related("structure", "counsellor")
            .filter(key_hash=hash_key(key)).first())


def revoke(token, user):
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = user
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token
