"""Django REST framework's side of the tokens: authentication by key, throttling per token, the log of
every call."""
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiCall, ApiToken
from .tokens import find_token

INVALID = "Jeton d'API absent, invalide ou révoqué : demandez un jeton à la plateforme."


class StructureTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <clé>``. The request acts for the token's structure; ``request.user`` is
    the counsellor in whose name the fiches arrive, ``request.auth`` the token."""

    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        token = find_token(key)
        if token is None or not token.counsellor.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.counsellor, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema: ``Authorization: Bearer <clé>``."""

    target_class = StructureTokenAuthentication
    name = "jetonStructure"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Le jeton de la structure, créé par un responsable de la plateforme."}


class HasStructureToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class TokenRateThrottle(SimpleRateThrottle):
    """So many calls per token (``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['token']``), counted in the
    ``api`` cache (Redis in production and tests). Calls without a valid token count per address."""

    scope = "token"

    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        ident = f"token-{token.pk}" if isinstance(token, ApiToken) else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def log_call(request, response, referral_id=None):
    """The audit journal's line for one call: token, structure, method, address, status (no body)."""
    token = getattr(request, "_auth", None)
    token = token if isinstance(token, ApiToken) else None
    path = request.path.replace("\x00", "")[:255]  # (a NUL in the address: PostgreSQL refuses it)
    ApiCall.objects.create(token=token, structure_id=token.structure_id if token else None,
                           method=request.method[:10], path=path, status=response.status_code,
                           referral_id=referral_id)
