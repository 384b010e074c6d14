"""Commission pages: sessions, agenda, evaluation grid and decisions, minutes PDF."""
from functools import partial

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from departures import services as departures
from departures.models import Scheme
from ipm.access import capability_required, has_capability
from ipm.lists import paginate
from ipm.parsing import parse_ids
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.uploads import safe_filename

from .. import services
from ..enums import CommissionStatus, Decision
from ..forms import AgendaAddForm, CommissionSessionForm, ReviewForm
from ..minutes import minutes_pdf
from ..models import CommissionCriterion, CommissionReview, CommissionSession, Dossier
from ..workflow import AGENDA_STATES, State


@capability_required("casework", "read_all")
def commission_list(request):
    sessions = CommissionSession.objects.annotate(
        dossier_count=Count("reviews"),
        accepted=Count("reviews", filter=Q(reviews__decision=Decision.ACCEPTED)),
        refused=Count("reviews", filter=Q(reviews__decision=Decision.REFUSED)),
        postponed=Count("reviews", filter=Q(reviews__decision=Decision.POSTPONED)),
    ).order_by("-date", "-id")
    status = request.GET.get("status", "")
    if status in CommissionStatus.values:
        sessions = sessions.filter(status=status)
    context = {"status": status, "statuses": CommissionStatus.choices}
    context.update(paginate(request, sessions))
    return render(request, "dossiers/commission/list.html", context)


@capability_required("casework")
def commission_edit(request, pk=None):
    session = get_object_or_404(CommissionSession, pk=pk) if pk else None
    form = CommissionSessionForm(request.POST or None, instance=session)
    if session is None:
        add_token_field(form)  # a new session is created once, however many times the form is sent
    if request.method == "POST":
        if form.is_valid():
            try:
                with submitted_once(request, form) as submission:
                    session = form.save()
                    submission.done(session)
            except AlreadySubmitted as duplicate:
                return duplicate.redirect(request, reverse("dossiers:commission_list"))
            messages.success(request, f"{session} enregistrée.")
            return redirect(session)
        messages.error(request, "La commission n'a pas été enregistrée : corrigez les champs signalés en rouge.")
    return render(request, "dossiers/commission/form.html", {"form": form, "session": session})


def _ready_dossiers(user, session):
    """Dossiers that may be put on the agenda: in montage or postponed, complete first."""
    candidates = (
        Dossier.objects.visible_to(user).filter(state__in=AGENDA_STATES)
        .exclude(commission_reviews__session=session)
        .select_related("youth", "structure", "scheme")
        .order_by("youth__last_name", "youth__first_name")
    )
    candidates = list(candidates)
    states = services.bulk_completeness(candidates)
    rows = [(dossier, states[dossier.pk]) for dossier in candidates]
    rows.sort(key=lambda row: (not row[1].complete, row[0].youth.last_name))
    return rows


@capability_required("casework", "read_all")
def commission_detail(request, pk):
    session = get_object_or_404(CommissionSession.objects.prefetch_related("members"), pk=pk)
    reviews = (
        session.reviews.select_related("dossier__youth", "dossier__structure", "dossier__scheme", "postponed_to")
        .prefetch_related("scores")
        .order_by("dossier__youth__last_name", "dossier__youth__first_name")
    )
    staff = has_capability(request.user, "casework")
    context = {
        "session": session,
        "reviews": reviews,
        "candidates": _ready_dossiers(request.user, session) if staff else [],
        "add_form": AgendaAddForm(),
        "staff": staff,
        # For the places panel (departures/_quota_panel.html).
        "year": session.date.year,
        "schemes": Scheme.objects.filter(active=True).order_by("name"),
    }
    return render(request, "dossiers/commission/detail.html", context)


@require_POST
@capability_required("casework")
def agenda_add(request, pk):
    session = get_object_or_404(CommissionSession, pk=pk)
    ids = parse_ids(request.POST.getlist("dossiers"))
    form = AgendaAddForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    if not ids:
        messages.error(request, "Cochez au moins un dossier à inscrire.")
        return redirect(session)
    added = []
    for dossier in Dossier.objects.visible_to(request.user).filter(pk__in=ids).select_related("youth"):
        try:
            services.add_to_agenda(session, dossier, request.user, reason)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            added.append(dossier)
    if added:
        plural = "s" if len(added) > 1 else ""
        names = ", ".join(sorted(str(dossier.youth) for dossier in added))
        messages.success(request, f"{len(added)} dossier{plural} inscrit{plural} à l'ordre du jour : {names}.")
    return redirect(session)


@require_POST
@capability_required("casework")
def agenda_remove(request, pk, review_pk):
    review = get_object_or_404(CommissionReview.objects.select_related("dossier", "session"), session_id=pk, pk=review_pk)
    Dossier.objects.get_visible(request.user, pk=review.dossier_id)
    try:
        back = services.remove_from_agenda(review, request.user)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        where = {State.POSTPONED: " : il reste ajourné", State.FILE_BUILDING: " : il revient en montage"}.get(back, "")
        messages.success(request, f"Dossier retiré de l'ordre du jour{where}.")
    return redirect("dossiers:commission_detail", pk=pk)


@capability_required("casework", "read_all")
def review(request, pk, review_pk):
    """One dossier in commission: the evaluation grid and the decision."""
    item = get_object_or_404(
        CommissionReview.objects.select_related("session", "dossier__youth", "dossier__structure", "dossier__scheme"),
        session_id=pk, pk=review_pk,
    )
    dossier = Dossier.objects.get_visible(request.user, pk=item.dossier_id)
    criteria = CommissionCriterion.objects.filter(active=True)
    staff = has_capability(request.user, "casework")
    initial = {
        "decision": item.decision, "comment": item.comment, "orientation": item.orientation,
        "orientation_details": item.orientation_details, "postponed_to": item.postponed_to_id,
    }
    form = ReviewForm(request.POST or None, initial=initial, session=item.session, criteria=criteria, review=item)
    if request.method == "POST":
        if not staff:
            messages.error(request, "Votre rôle ne permet pas de saisir la grille ou la décision.")
            return redirect("dossiers:commission_detail", pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_scores(item, form.scores())
                if data["decision"] and not item.decision:
                    services.record_decision(
                        item, data["decision"], request.user, data["comment"], data["orientation"],
                        data["orientation_details"], data["postponed_to"],
                        # The one acceptance: a place of the scheme's funding (over quota, refused
                        # unless confirmed, and the overrun recorded), then "accepté".
                        accept=partial(departures.accept_dossier, confirm_over_quota=data["confirm_over_quota"]),
                    )
                    messages.success(request, f"Décision enregistrée pour {dossier.youth} : {item.get_decision_display().lower()}. "
                                              "Le conseiller prescripteur est prévenu par courriel.")
                else:
                    if item.decision and data["comment"] != item.comment:
                        item.comment = data["comment"]
                        item.save(update_fields=["comment"])
                    messages.success(request, "Grille d'évaluation enregistrée.")
            except departures.QuotaExceeded as exc:
                messages.error(request, str(exc) + " Cochez la case de confirmation sous la décision.")
            except (services.ServiceError, departures.DepartureError) as exc:
                messages.error(request, str(exc))
            else:
                return redirect("dossiers:commission_detail", pk=pk)
        else:
            messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés en rouge.")
    return render(request, "dossiers/commission/review.html", {
        "review": item, "session": item.session, "dossier": dossier, "youth": dossier.youth, "form": form,
        "staff": staff, "completeness": services.completeness(dossier),
        "in_commission": dossier.state == State.IN_COMMISSION,
    })


@capability_required("casework", "read_all")
def minutes(request, pk):
    session = get_object_or_404(CommissionSession, pk=pk)
    pdf = minutes_pdf(session)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = safe_filename(f"proces-verbal-commission-{session.date:%Y-%m-%d}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
