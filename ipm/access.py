"""Who may see and do what: decided here and nowhere else.

Every view gets its objects through these helpers. A counsellor sees only the young people, fiches
and dossiers of their own structure; platform staff see everything and work on it; managers see
everything, read-only on casework. An object outside what a user may see is a 404.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from .enums import MOBILITY_ROLES, PLATFORM_ROLES, Role

# Named capabilities → roles that hold them (superusers hold all).
CAPABILITIES = {
    # Fill and send fiches de liaison, follow "Mes jeunes".
    "submit_referral": {Role.COUNSELLOR},
    # Work the wheel: inbox, transitions, meetings, files, commissions, stays, follow-up.
    "casework": set(PLATFORM_ROLES),
    # Read every dossier (the inbox and dossier pages) without acting on them.
    "read_all": set(PLATFORM_ROLES) | {Role.MANAGER},
    # The sensitive diagnostic items: health, allergies, vaccinations, criminal record.
    "sensitive": set(MOBILITY_ROLES),
    # Reports: managers and staff on everything, counsellors restricted to their structure.
    "reports": set(PLATFORM_ROLES) | {Role.MANAGER, Role.COUNSELLOR},
    # Reference data: schemes, funding agreements.
    "manage_schemes": {Role.MANAGER, Role.ADMIN},
    # Legacy import.
    "import": {Role.MANAGER, Role.ADMIN},
    # RGPD: export everything held on one young person (subject access request), sensitive items included.
    "rgpd_export": set(MOBILITY_ROLES),
    # RGPD: erase (anonymise) a young person whose dossiers are all closed.
    "rgpd_erase": {Role.ADMIN},
    # Search the audit log (who changed, read or downloaded what, when).
    "audit": {Role.MANAGER, Role.ADMIN},
    # The API tokens of the structures' information systems (create, see, revoke).
    "manage_api_tokens": {Role.MANAGER, Role.ADMIN},
    # Upload a piece of the application file: platform staff, and the counsellor of the dossier's structure
    # (their own young people: the dossier is looked up among those they may see). Only staff validate.
    "upload_pieces": set(PLATFORM_ROLES) | {Role.COUNSELLOR},
    # « Mes exports programmés »: reports, Erasmus+ and funders' files mailed monthly or yearly, each manager
    # their own (the pages are hidden — 404 — from the other roles).
    "scheduled_exports": {Role.MANAGER, Role.ADMIN},
    # The network's ambassadors: staff and managers find them all; a counsellor, those of their structure
    # (contact details only when staff shared them). Registering and inviting them is casework.
    "ambassadors": set(PLATFORM_ROLES) | {Role.MANAGER, Role.COUNSELLOR},
    # Parrainage: pair a candidate with a parrain or marraine, record their meetings (a counsellor for the
    # young people of their own structure).
    "pairing": set(PLATFORM_ROLES) | {Role.COUNSELLOR},
    # The young person's own space (/espace/): their dossiers, pieces, meetings, contract. Nothing else.
    "own_space": {Role.YOUTH},
}


def has_capability(user, capability):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in CAPABILITIES[capability]


def capability_required(*capabilities, hidden=False):
    """View decorator: anonymous → login page (the space's sign-in page for the young person's own
    pages); lacking every named capability → 403 (404 with ``hidden``: the page does not exist for them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # A young person's page (a link from one of their messages) leads to their own sign-in
                # page, not the staff's login.
                login_url = "space:login" if capabilities == ("own_space",) else None
                return redirect_to_login(request.get_full_path(), login_url=login_url)
            if not any(has_capability(request.user, c) for c in capabilities):
                if hidden:
                    raise Http404("Page introuvable.")
                raise PermissionDenied("Cette page n'est pas ouverte à votre rôle.")
            return view(request, *args, **kwargs)

        wrapper.capabilities = capabilities
        return wrapper

    return decorator


def _scope_by_structure(queryset, user, structure_field):
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or has_capability(user, "read_all"):
        return queryset
    if user.role == Role.COUNSELLOR and user.structure_id:
        return queryset.filter(**{structure_field: user.structure_id})
    return queryset.none()


def scope_key(user):
    """A word naming what ``scope`` lets ``user`` see: two users with the same word see the same rows
    (« all »: everything; « structure:<id> »: one structure's; « none »: nothing). Kept beside
    ``_scope_by_structure`` so that the two cannot drift: cached files are keyed on it (reporting/cache.py)."""
    if not user.is_authenticated or not user.is_active:
        return "none"
    if user.is_superuser or has_capability(user, "read_all"):
        return "all"
    if user.role == Role.COUNSELLOR and user.structure_id:
        return f"structure:{user.structure_id}"
    return "none"


def scope(queryset, user, structure_field):
    """Restrict any queryset holding a path to a structure (e.g. 'dossier__structure')."""
    return _scope_by_structure(queryset, user, structure_field)


class ScopedQuerySet(models.QuerySet):
    """What a user may see of a model whose rows belong to a structure: the model's manager is
    ``objects = MyQuerySet.as_manager()`` with ``structure_field`` naming the path to the structure
    (``"structure"``, ``"dossier__structure"``…). The ground knows no domain model: each app's models
    declare their own scope, and every view goes through ``Model.objects.visible_to(user)``."""

    structure_field = "structure"

    def visible_to(self, user):
        return _scope_by_structure(self, user, self.structure_field)

    def get_visible(self, user, **lookups):
        """The one row the user may see, else 404 (never 403: the row's existence is not told)."""
        return get_object_or_404(self.visible_to(user), **lookups)


def can_edit_casework(user):
    return has_capability(user, "casework")


def can_see_sensitive(user):
    return has_capability(user, "sensitive")


def require_capability(user, capability):
    if not has_capability(user, capability):
        raise PermissionDenied("Action réservée à d'autres rôles.")
