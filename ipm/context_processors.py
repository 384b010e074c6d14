from django.conf import settings

from .access import has_capability


def platform(request):
    user = getattr(request, "user", None)
    caps = {}
    if user is not None and user.is_authenticated:
        caps = {name: has_capability(user, name) for name in
                ("submit_referral", "casework", "read_all", "sensitive", "reports", "manage_schemes", "import", "audit",
                 "scheduled_exports", "ambassadors", "pairing")}
    return {"PLATFORM_NAME": settings.IPM_PLATFORM_NAME, "can": caps}
