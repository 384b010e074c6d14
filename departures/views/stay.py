"""The stay of a dossier: its planning, the departure, site visits and incidents, the return (or early
return) and the return review."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipm.access import capability_required
from ipm.locking import StaleDossier, add_version_field, claim, refuse, versioned_save
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.uploads import StorageUnavailable, serve_file

from .. import services
from ..budget import grant_for_stay
from ..forms import DepartureForm, EarlyReturnForm, IncidentForm, ReturnForm, ReturnReviewForm, SiteVisitForm, StayForm
from ..models import CoPayment, Incident, SiteVisit, Stay
from .common import form_page, run_service, visible_dossier


@capability_required("casework")
def stay_edit(request, pk):
    dossier = visible_dossier(request, pk)
    stay = services.get_or_start_stay(dossier)
    initial = {}
    project = getattr(dossier, "project", None) if stay.pk is None else None  # the mobility project (issue 3)
    if project is not None:
        # A new stay starts from the mobility project: destination and planned period.
        initial = {"country": project.country, "city": project.town, "planned_start": project.period_start,
                   "planned_end": project.period_end, "scheme": project.scheme_id or dossier.scheme_id}
    form = add_version_field(StayForm(request.POST or None, instance=stay, initial=initial, dossier=dossier), dossier)
    if request.method == "POST":
        if form.is_valid():
            try:
                with versioned_save(request, form, dossier):
                    stay = form.save(commit=False)
                    stay.dossier = dossier
                    stay.save()
            except StaleDossier:
                pass
            else:
                messages.success(request, "Séjour enregistré.")
                return redirect(dossier)
    extra = {}
    if stay.pk:
        extra["agreement"], extra["grant"] = grant_for_stay(stay)
    return form_page(request, dossier, form, "Modifier le séjour" if stay.pk else "Renseigner le séjour", "Enregistrer le séjour",
                     intro="Destination, structure d'accueil, dates prévues, hébergement et voyage.", extra=extra)


# --- Departure, stay events, return ----------------------------------------------------------------

def _step_page(request, dossier, form, operation, success, title, submit_label, intro, extra=None):
    """A page that records one step of the stay (a form, then a service that moves the dossier):
    the form again with the refusal on error, back to the dossier on success. ``extra`` is called only
    when the page is shown."""
    if request.method == "POST" and form.is_valid():
        response = run_service(request, dossier, lambda: operation(form.cleaned_data), success)
        if response:
            return response
    return form_page(request, dossier, form, title, submit_label, intro=intro, extra=extra() if extra else None)


@capability_required("casework")
def departure(request, pk):
    dossier = visible_dossier(request, pk)

    def unpaid_balance():
        copayment_obj = CoPayment.objects.filter(dossier=dossier).first()
        balance = copayment_obj.balance if copayment_obj and copayment_obj.balance > 0 else None
        return {"copayment_balance": balance}

    return _step_page(
        request, dossier, DepartureForm(request.POST or None, dossier=dossier),
        lambda data: services.record_departure(dossier, request.user, data["departure_date"], data["comment"]),
        "Départ enregistré : le jeune est en séjour.", "Départ du jeune", "Enregistrer le départ",
        intro="Le dossier passera à l'étape « En séjour ».", extra=unpaid_balance,
    )


@capability_required("casework")
def early_return(request, pk):
    dossier = visible_dossier(request, pk)
    return _step_page(
        request, dossier, EarlyReturnForm(request.POST or None, dossier=dossier),
        lambda data: services.record_early_return(dossier, request.user, data["return_date"], data["reason"]),
        "Retour anticipé enregistré : séjour interrompu.", "Retour anticipé (séjour interrompu)",
        "Enregistrer le retour anticipé",
        intro="Le dossier passera à l'étape « Séjour interrompu ». Le bilan de retour pourra ensuite être fait.",
    )


@capability_required("casework")
def return_home(request, pk):
    dossier = visible_dossier(request, pk)
    return _step_page(
        request, dossier, ReturnForm(request.POST or None, dossier=dossier),
        lambda data: services.record_return(dossier, request.user, data["return_date"], data["comment"]),
        "Retour enregistré : faites maintenant le bilan de retour.", "Retour du séjour", "Enregistrer le retour",
        intro="Le dossier passera à l'étape « De retour ».",
    )


@capability_required("casework")
def return_review(request, pk):
    dossier = visible_dossier(request, pk)
    stay = Stay.objects.filter(dossier=dossier).first()
    initial = {}
    if stay:
        initial = {"europass_mobility_issued": stay.europass_mobility_issued, "europass_status": stay.europass_status}
    form = ReturnReviewForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                response = run_service(
                    request, dossier,
                    lambda: services.record_return_review(
                        dossier, request.user, data["review_date"], data["notes"], data["activity_report"],
                        data["europass_mobility_issued"], data["europass_status"],
                    ),
                    "Bilan de retour enregistré : le suivi à six mois commence.",
                )
            except StorageUnavailable as exc:
                form.add_error("activity_report", exc.message)
                status = 400
            else:
                if response:
                    return response
    return form_page(request, dossier, form, "Bilan de retour", "Enregistrer le bilan", multipart=True, status=status,
                     intro="Le dossier passera à l'étape « En suivi » : le suivi mensuel des six mois commence.")


@capability_required("read_all", "submit_referral")
def activity_report(request, pk):
    dossier = visible_dossier(request, pk)
    stay = get_object_or_404(Stay, dossier=dossier)
    ext = stay.activity_report.name.rsplit(".", 1)[-1] if stay.activity_report else "pdf"
    return serve_file(stay.activity_report, f"rapport-activite-{dossier.youth.last_name}.{ext}")


def _stay_record(request, pk, form_class, model, titles, success, field, record_pk=None):
    """Add (or edit) a site visit or an incident of the dossier's stay. ``titles``: the new record's page
    title, and a function giving an existing record's (« Modifier la visite du 12/03/2026 »)."""
    dossier = visible_dossier(request, pk)
    stay = Stay.objects.filter(dossier=dossier).first()
    if stay is None:
        messages.error(request, "Renseignez d'abord le séjour.")
        return redirect(dossier)
    instance = get_object_or_404(model, pk=record_pk, stay=stay) if record_pk else None
    form = form_class(request.POST or None, instance=instance, stay=stay)
    if instance is None:
        add_token_field(form)  # a new visit or incident is recorded once, however many times it is sent
    else:
        add_version_field(form, dossier)  # a correction made on a stale page overwrites nothing
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as submission:
                if instance is not None:
                    claim(dossier, form.cleaned_data.get("dossier_version"))
                record = form.save(commit=False)
                record.stay = stay
                if instance is None:
                    setattr(record, field, request.user)
                record.save()
                submission.done(dossier)
        except AlreadySubmitted as duplicate:
            return duplicate.redirect(request, dossier.get_absolute_url())
        except StaleDossier as stale:
            refuse(request, form, dossier, stale.current_version)
        else:
            messages.success(request, success)
            return redirect(dossier)
    delete_url = reverse(f"departures:{model._meta.model_name}_delete", args=[dossier.pk, instance.pk]) if instance else ""
    title = titles[1](instance) if instance else titles[0]
    return form_page(request, dossier, form, title, "Enregistrer",
                     extra={"delete_url": delete_url, "delete_question": f"Supprimer définitivement : {instance} ?" if instance else ""})


def _stay_record_delete(request, pk, model, record_pk, success):
    dossier = visible_dossier(request, pk)
    record = get_object_or_404(model, pk=record_pk, stay__dossier=dossier)
    record.delete()
    messages.success(request, success)
    return redirect(dossier)


@capability_required("casework")
def visit_add(request, pk, visit_pk=None):
    return _stay_record(request, pk, SiteVisitForm, SiteVisit,
                        ("Nouvelle visite in situ", lambda visit: f"Modifier la visite du {visit.visit_date:%d/%m/%Y}"),
                        "Visite enregistrée.", "visited_by", visit_pk)


@capability_required("casework")
def incident_add(request, pk, incident_pk=None):
    return _stay_record(request, pk, IncidentForm, Incident,
                        ("Nouvel incident pendant le séjour",
                         lambda incident: f"Modifier l'incident du {incident.occurred_on:%d/%m/%Y}"), "Incident enregistré.",
                        "recorded_by", incident_pk)


@require_POST
@capability_required("casework")
def visit_delete(request, pk, visit_pk):
    return _stay_record_delete(request, pk, SiteVisit, visit_pk, "Visite supprimée.")


@require_POST
@capability_required("casework")
def incident_delete(request, pk, incident_pk):
    return _stay_record_delete(request, pk, Incident, incident_pk, "Incident supprimé.")
