"""Helpers shared by the departures pages."""
from django.contrib import messages
from django.shortcuts import redirect, render

from dossiers.models import Dossier
from ipm.access import scope

from .. import services
from ..models import Stay


def visible_dossier(request, pk):
    return Dossier.objects.get_visible(request.user, pk=pk)


def form_page(request, dossier, form, title, submit_label, intro="", multipart=False, extra=None, status=200):
    context = {
        "dossier": dossier, "youth": dossier.youth if dossier else None, "form": form, "title": title,
        "submit_label": submit_label, "intro": intro, "multipart": multipart,
    }
    context.update(extra or {})
    return render(request, "departures/form_page.html", context, status=status)


def run_service(request, dossier, operation, success):
    """Run a service; a refusal becomes an error message on the form page, else back to the dossier."""
    try:
        operation()
    except services.DepartureError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, success)
    return redirect(dossier)


def visible_stays(user):
    return scope(Stay.objects.all(), user, "dossier__structure").select_related(
        "dossier", "dossier__youth", "dossier__structure", "scheme", "host"
    )
