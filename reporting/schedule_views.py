"""« Mes exports programmés »: a manager's own subscriptions — list, create, edit, delete (after a
confirmation). Other roles: 404. The files are mailed by the daily task (``reporting/schedules.py``)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ipm.access import capability_required

from . import reports, schedules
from .models import ExportSubscription
from .schedule_forms import FILTER_FIELDS, SubscriptionForm


def _own(request, pk):
    return get_object_or_404(ExportSubscription.objects.select_related("agreement"), pk=pk, owner=request.user)


@capability_required(schedules.CAPABILITY, hidden=True)
def schedule_list(request):
    today = timezone.localdate()
    subscriptions = ExportSubscription.objects.filter(owner=request.user).select_related("agreement")
    rows = [{"object": s, "description": schedules.describe(s), "next": schedules.next_send(s, today)}
            for s in subscriptions]
    return render(request, "reporting/schedules.html", {
        "rows": rows, "can_add": len(rows) < schedules.MAX_PER_USER, "max": schedules.MAX_PER_USER,
    })


def _form_page(request, subscription, initial=None):
    form = SubscriptionForm(request.POST or None, instance=subscription, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Export programmé enregistré : {schedules.describe(saved)}.")
        return redirect("reporting:schedules")
    return render(request, "reporting/schedule_form.html", {
        "form": form, "object": subscription,
        "title": "Modifier l'export programmé" if subscription.pk else "Programmer un export",
    }, status=400 if request.method == "POST" else 200)


@capability_required(schedules.CAPABILITY, hidden=True)
def schedule_create(request):
    if ExportSubscription.objects.filter(owner=request.user).count() >= schedules.MAX_PER_USER:
        messages.error(request, f"Vous avez déjà {schedules.MAX_PER_USER} exports programmés : supprimez-en un d'abord.")
        return redirect("reporting:schedules")
    # From a report's page (« Recevoir ce rapport par courriel »): that report with the filters shown.
    initial = {}
    if request.GET.get("report") in reports.REPORTS:
        initial = {"kind": ExportSubscription.REPORT, "report": request.GET["report"],
                   **{k: request.GET[k] for k in FILTER_FIELDS if request.GET.get(k)}}
    return _form_page(request, ExportSubscription(owner=request.user), initial)


@capability_required(schedules.CAPABILITY, hidden=True)
def schedule_edit(request, pk):
    return _form_page(request, _own(request, pk))


@capability_required(schedules.CAPABILITY, hidden=True)
def schedule_delete(request, pk):
    subscription = _own(request, pk)
    description = schedules.describe(subscription)
    if request.method == "POST":
        subscription.delete()
        messages.success(request, f"Export programmé supprimé : {description}. Il ne sera plus envoyé.")
        return redirect("reporting:schedules")
    return render(request, "reporting/schedule_delete.html", {
        "object": subscription, "description": description,
        "edit_url": reverse("reporting:schedule_edit", args=[subscription.pk]),
    })
