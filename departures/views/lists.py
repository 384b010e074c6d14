"""The lists of stays in progress and of departures to come."""
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.workflow import State
from ipm.access import capability_required, has_capability, scope
from ipm.lists import paginate
from ipm.text import fold
from referrals.meeting_enums import MeetingKind
from referrals.models import Invitation
from referrals.views.meetings import upcoming_meetings

from ..forms import StayFilterForm
from .common import visible_stays


def _stay_list(request, queryset, template, extra=None):
    form = StayFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        for word in fold(data.get("q") or "").split():
            queryset = queryset.filter(dossier__youth__search_name__contains=word)
        if data.get("scheme"):
            queryset = queryset.filter(scheme=data["scheme"])
        country = (data.get("country") or "").strip()
        if country:
            from django_countries import countries

            codes = [code for code, name in countries if fold(country) in fold(name)] + [country.upper()]
            queryset = queryset.filter(country__in=codes)
    context = {"form": form}
    context.update(extra or {})
    context.update(paginate(request, queryset))
    return render(request, template, context)



@capability_required("read_all")
def stays_in_progress(request):
    today = timezone.localdate()
    queryset = visible_stays(request.user).filter(dossier__state=State.ABROAD).annotate(
        visit_count=Count("visits", distinct=True), incident_count=Count("incidents", distinct=True)
    ).order_by("planned_end", "departure_date")
    return _stay_list(request, queryset, "departures/stays_in_progress.html", {"today": today})


@capability_required("read_all")
def upcoming_departures(request):
    """Accepted dossiers and signed contracts: the departures to come, soonest first."""
    dossiers = scope(Dossier.objects.filter(state__in=[State.ACCEPTED, State.CONTRACT_SIGNED]), request.user, "structure")
    form = StayFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        for word in fold(data.get("q") or "").split():
            dossiers = dossiers.filter(youth__search_name__contains=word)
        if data.get("scheme"):
            dossiers = dossiers.filter(scheme=data["scheme"])
        if data.get("country"):
            dossiers = dossiers.filter(Q(stay__country__iexact=data["country"].strip()) | Q(stay__city__icontains=data["country"].strip()))
    dossiers = dossiers.select_related("youth", "structure", "scheme", "stay", "stay__host", "copayment").prefetch_related(
        "copayment__payments",
        Prefetch(
            "invitations", to_attr="preparation",
            queryset=Invitation.objects.filter(meeting__kind=MeetingKind.PREPARATION).select_related("meeting"),
        )
    ).order_by("stay__planned_start", "state_changed_at")
    invite_meetings = list(upcoming_meetings([MeetingKind.PREPARATION])) if has_capability(request.user, "casework") else []
    context = {"form": form, "invite_meetings": invite_meetings, "selectable": bool(invite_meetings)}
    context.update(paginate(request, dossiers))
    return render(request, "departures/upcoming.html", context)
