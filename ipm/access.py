"""Who may see and do what: decided here and nowhere else.

Every view gets its objects through these helpers. A counsellor sees only the young people, fiches
and dossiers of their own structure; platform staff see everything and work on it; managers see
everything, read-only on casework. An object outside what a user may see is a 404.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
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
}


def has_capability(user, capability):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in CAPABILITIES[capability]


def capability_required(*capabilities):
    """View decorator: anonymous → login page; lacking every named capability → 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_capability(request.user, c) for c in capabilities):
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


def visible_dossiers(user):
    from dossiers.models import Dossier

    return _scope_by_structure(Dossier.objects.all(), user, "structure")


def visible_youths(user):
    from dossiers.models import Youth

    qs = Youth.objects.all()
    if user.is_authenticated and (user.is_superuser or has_capability(user, "read_all")):
        return qs
    return qs.filter(pk__in=visible_dossiers(user).values("youth")).distinct() if user.is_authenticated else qs.none()


def visible_referrals(user):
    from referrals.models import Referral

    return _scope_by_structure(Referral.objects.all(), user, "structure")


def scope(queryset, user, structure_field):
    """Restrict any queryset holding a path to a structure (e.g. 'dossier__structure')."""
    return _scope_by_structure(queryset, user, structure_field)


def get_visible_dossier(user, pk, queryset=None):
    """The dossier if the user may see it, else 404."""
    qs = visible_dossiers(user) if queryset is None else queryset & visible_dossiers(user)
    return get_object_or_404(qs, pk=pk)


def get_visible_referral(user, pk):
    return get_object_or_404(visible_referrals(user), pk=pk)


def can_edit_casework(user):
    return has_capability(user, "casework")


def can_see_sensitive(user):
    return has_capability(user, "sensitive")


def require_capability(user, capability):
    if not has_capability(user, capability):
        raise PermissionDenied("Action réservée à d'autres rôles.")
