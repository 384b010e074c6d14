from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template import loader
from django.http import HttpResponseServerError

from .access import has_capability
from .parsing import safe_next


@login_required
def home(request):
    """Each role lands on its own work list."""
    user = request.user
    if has_capability(user, "casework") or has_capability(user, "read_all"):
        return redirect("dossiers:inbox")
    if has_capability(user, "submit_referral"):
        return redirect("referrals:my_youths")
    if has_capability(user, "own_space"):
        return redirect("space:home")
    return render(request, "home.html")


def accessibility(request):
    """The accessibility statement RGAA asks for (« Déclaration d'accessibilité »): public, linked from the
    footer of every page."""
    return render(request, "accessibility.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (``CSRF_FAILURE_VIEW``: expired page, cookies blocked, sent from
    another site): a French page saying what to do, with a link back to the form's page when the browser
    said which page of this site it was on; status 403."""
    referer = urlsplit(request.headers.get("Referer", ""))
    back = None
    if referer.netloc == request.get_host():
        back = safe_next(request, referer.path + (f"?{referer.query}" if referer.query else ""), None)
    return render(request, "403_csrf.html", {"back": back}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The French 500 page, standalone (no database, no context processor), with the request id the
    user can quote; the traceback goes to the log under the same id, never to the page."""
    from .middleware import current_request_id

    request_id = getattr(request, "request_id", None) or current_request_id()
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": request_id}))
