"""Departures pages: the dossier's contract, co-payment, stay, visits and return; the lists of stays,
departures to come, host organisations, funding agreements and schemes."""
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from dossiers.workflow import State
from ipm.access import capability_required, has_capability, scope
from ipm.lists import paginate
from ipm.locking import StaleDossier, add_version_field, claim, refuse, versioned_save
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.text import fold
from ipm.uploads import serve_file
from referrals.meeting_enums import MeetingKind
from referrals.meeting_views import upcoming_meetings
from referrals.models import Invitation

from . import services
from .forms import (
    AcceptForm,
    CoPaymentForm,
    DepartureForm,
    EarlyReturnForm,
    FundingAgreementForm,
    HostFilterForm,
    HostOrganisationForm,
    IncidentForm,
    PaymentForm,
    ReturnForm,
    ReturnReviewForm,
    ScanForm,
    SchemeForm,
    SignatureForm,
    SiteVisitForm,
    StayFilterForm,
    StayForm,
    WaiverForm,
    YearForm,
)
from .models import Contract, CoPayment, FundingAgreement, HostOrganisation, Incident, Scheme, SiteVisit, Stay

def _dossier(request, pk):
    return Dossier.objects.get_visible(request.user, pk=pk)


def _form_page(request, dossier, form, title, submit_label, intro="", multipart=False, extra=None, status=200):
    context = {
        "dossier": dossier, "youth": dossier.youth if dossier else None, "form": form, "title": title,
        "submit_label": submit_label, "intro": intro, "multipart": multipart,
    }
    context.update(extra or {})
    return render(request, "departures/form_page.html", context, status=status)


def _run(request, dossier, operation, success):
    """Run a service; a refusal becomes an error message on the form page, else back to the dossier."""
    try:
        operation()
    except services.DepartureError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, success)
    return redirect(dossier)


# --- Acceptance with the quota check ---------------------------------------------------------------

@capability_required("casework")
def accept(request, pk):
    dossier = _dossier(request, pk)
    row = services.quota_for(dossier.scheme) if dossier.scheme_id else None
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_dossier(
                dossier, request.user, form.cleaned_data["comment"], form.cleaned_data["confirm_over_quota"]
            )
        except services.QuotaExceeded as exc:
            messages.warning(request, str(exc))
            row = exc.row
        except services.DepartureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Dossier accepté par la commission.")
            return redirect(dossier)
    return _form_page(
        request, dossier, form, "Décision de la commission : accepter", "Accepter le dossier",
        extra={"quota_row": row},
    )


# --- Stay planning ---------------------------------------------------------------------------------

@capability_required("casework")
def stay_edit(request, pk):
    dossier = _dossier(request, pk)
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
    return _form_page(request, dossier, form, "Le séjour", "Enregistrer le séjour",
                      intro="Destination, structure d'accueil, dates prévues, hébergement et voyage.")


# --- Contract --------------------------------------------------------------------------------------

@require_POST
@capability_required("casework")
def contract_generate(request, pk):
    dossier = _dossier(request, pk)
    seen = request.POST.get("seen_version", "")
    try:
        with transaction.atomic():
            # Double click: the page said which version it showed; under the dossier's row lock, a second
            # sending of the same page finds a newer version and generates nothing.
            Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
            latest = Contract.objects.filter(dossier=dossier).order_by("-version").values_list("version", flat=True).first()
            if seen.isdigit() and int(seen) != (latest or 0):
                messages.info(request, f"Le contrat venait déjà d'être généré (version {latest}) : rien n'a été généré "
                                       "une seconde fois.")
                return redirect(dossier)
            contract = services.generate_contract(dossier, request.user)
    except services.DepartureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Contrat généré (version {contract.version}). Les versions précédentes restent disponibles.")
    return redirect(dossier)


@capability_required("read_all", "submit_referral")
def contract_pdf(request, pk, version):
    dossier = _dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    return serve_file(contract.pdf, f"contrat-{dossier.youth.last_name}-v{version}.pdf")


@capability_required("read_all", "submit_referral")
def contract_scan(request, pk, version):
    dossier = _dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    ext = contract.signed_scan.name.rsplit(".", 1)[-1] if contract.signed_scan else "pdf"
    return serve_file(contract.signed_scan, f"contrat-signe-{dossier.youth.last_name}-v{version}.{ext}")


@capability_required("casework")
def contract_sign(request, pk):
    dossier = _dossier(request, pk)
    latest = dossier.contracts.order_by("-version").first()
    form = SignatureForm(request.POST or None, request.FILES or None, dossier=dossier)
    if request.method == "POST":
        if form.is_valid():
            response = _run(
                request, dossier,
                lambda: services.sign_contract(dossier, request.user, form.cleaned_data["signed_on"], form.cleaned_data["scan"]),
                "Signature du contrat enregistrée : dossier « contrat signé ».",
            )
            if response:
                return response
    intro = (f"La signature porte sur la dernière version du contrat (version {latest.version}, "
             f"générée le {timezone.localtime(latest.generated_at):%d/%m/%Y}).") if latest else \
        "Aucun contrat n'a encore été généré : générez-le d'abord depuis le dossier."
    return _form_page(request, dossier, form, "Signature du contrat", "Enregistrer la signature", intro=intro, multipart=True)


@capability_required("casework")
def contract_scan_upload(request, pk, version):
    dossier = _dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            services.attach_signed_scan(contract, form.cleaned_data["scan"])
            messages.success(request, f"Copie signée du contrat (version {version}) ajoutée.")
            return redirect(dossier)
    return _form_page(request, dossier, form, f"Copie signée du contrat (version {version})", "Déposer la copie", multipart=True)


# --- Co-payment ------------------------------------------------------------------------------------

@capability_required("casework")
def copayment(request, pk):
    """The co-payment page: amount due, payments, balance, waiver; three small forms posting here."""
    dossier = _dossier(request, pk)
    current = CoPayment.objects.filter(dossier=dossier).first()
    default_due = current.amount_due if current else (dossier.scheme.default_copayment if dossier.scheme else 0)
    amount_form = add_version_field(CoPaymentForm(initial={"amount_due": default_due}), dossier)
    payment_form = add_token_field(PaymentForm())
    waiver_form = add_version_field(WaiverForm(), dossier)
    here = reverse("departures:copayment", args=[dossier.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "amount":
            amount_form = add_version_field(CoPaymentForm(request.POST), dossier)
            if amount_form.is_valid():
                try:
                    with versioned_save(request, amount_form, dossier):
                        services.set_copayment(dossier, amount_form.cleaned_data["amount_due"])
                except StaleDossier:
                    pass
                else:
                    messages.success(request, "Montant de la participation enregistré.")
                    return redirect(here)
        elif action == "payment":
            payment_form = add_token_field(PaymentForm(request.POST))
            if payment_form.is_valid():
                data = {k: v for k, v in payment_form.cleaned_data.items() if k != "submission_token"}
                try:
                    with submitted_once(request, payment_form) as submission:
                        services.record_payment(dossier, request.user, **data)
                        submission.done(url=here)
                except AlreadySubmitted as duplicate:
                    return duplicate.redirect(request, here)
                messages.success(request, "Paiement enregistré.")
                return redirect(here)
        elif action == "waive":
            waiver_form = add_version_field(WaiverForm(request.POST), dossier)
            if waiver_form.is_valid():
                try:
                    with versioned_save(request, waiver_form, dossier):
                        services.waive_copayment(dossier, request.user, waiver_form.cleaned_data["reason"])
                except StaleDossier:
                    pass
                else:
                    messages.success(request, "Dispense de participation enregistrée.")
                    return redirect(here)
        elif action == "cancel_waiver":
            services.cancel_waiver(dossier)
            messages.success(request, "Dispense annulée : la participation est de nouveau due.")
            return redirect(here)
    return render(request, "departures/copayment.html", {
        "dossier": dossier, "youth": dossier.youth, "copayment": current,
        "payments": current.payments.select_related("recorded_by") if current else [],
        "amount_form": amount_form, "payment_form": payment_form, "waiver_form": waiver_form,
    })


# --- Departure, stay events, return ----------------------------------------------------------------

def _step_page(request, dossier, form, operation, success, title, submit_label, intro, extra=None):
    """A page that records one step of the stay (a form, then a service that moves the dossier):
    the form again with the refusal on error, back to the dossier on success. ``extra`` is called only
    when the page is shown."""
    if request.method == "POST" and form.is_valid():
        response = _run(request, dossier, lambda: operation(form.cleaned_data), success)
        if response:
            return response
    return _form_page(request, dossier, form, title, submit_label, intro=intro, extra=extra() if extra else None)


@capability_required("casework")
def departure(request, pk):
    dossier = _dossier(request, pk)

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
    dossier = _dossier(request, pk)
    return _step_page(
        request, dossier, EarlyReturnForm(request.POST or None, dossier=dossier),
        lambda data: services.record_early_return(dossier, request.user, data["return_date"], data["reason"]),
        "Retour anticipé enregistré : séjour interrompu.", "Retour anticipé (séjour interrompu)",
        "Enregistrer le retour anticipé",
        intro="Le dossier passera à l'étape « Séjour interrompu ». Le bilan de retour pourra ensuite être fait.",
    )


@capability_required("casework")
def return_home(request, pk):
    dossier = _dossier(request, pk)
    return _step_page(
        request, dossier, ReturnForm(request.POST or None, dossier=dossier),
        lambda data: services.record_return(dossier, request.user, data["return_date"], data["comment"]),
        "Retour enregistré : faites maintenant le bilan de retour.", "Retour du séjour", "Enregistrer le retour",
        intro="Le dossier passera à l'étape « De retour ».",
    )


@capability_required("casework")
def return_review(request, pk):
    dossier = _dossier(request, pk)
    stay = Stay.objects.filter(dossier=dossier).first()
    initial = {}
    if stay:
        initial = {"europass_mobility_issued": stay.europass_mobility_issued, "europass_status": stay.europass_status}
    form = ReturnReviewForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            response = _run(
                request, dossier,
                lambda: services.record_return_review(
                    dossier, request.user, data["review_date"], data["notes"], data["activity_report"],
                    data["europass_mobility_issued"], data["europass_status"],
                ),
                "Bilan de retour enregistré : le suivi à six mois commence.",
            )
            if response:
                return response
    return _form_page(request, dossier, form, "Bilan de retour", "Enregistrer le bilan", multipart=True,
                      intro="Le dossier passera à l'étape « En suivi » : le suivi mensuel des six mois commence.")


@capability_required("read_all", "submit_referral")
def activity_report(request, pk):
    dossier = _dossier(request, pk)
    stay = get_object_or_404(Stay, dossier=dossier)
    ext = stay.activity_report.name.rsplit(".", 1)[-1] if stay.activity_report else "pdf"
    return serve_file(stay.activity_report, f"rapport-activite-{dossier.youth.last_name}.{ext}")


def _stay_record(request, pk, form_class, model, title, success, field, record_pk=None):
    """Add (or edit) a site visit or an incident of the dossier's stay."""
    dossier = _dossier(request, pk)
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
    return _form_page(request, dossier, form, title, "Enregistrer",
                      extra={"delete_url": delete_url, "delete_question": f"Supprimer définitivement : {instance} ?" if instance else ""})


def _stay_record_delete(request, pk, model, record_pk, success):
    dossier = _dossier(request, pk)
    record = get_object_or_404(model, pk=record_pk, stay__dossier=dossier)
    record.delete()
    messages.success(request, success)
    return redirect(dossier)


@capability_required("casework")
def visit_add(request, pk, visit_pk=None):
    return _stay_record(request, pk, SiteVisitForm, SiteVisit, "Visite in situ", "Visite enregistrée.", "visited_by", visit_pk)


@capability_required("casework")
def incident_add(request, pk, incident_pk=None):
    return _stay_record(request, pk, IncidentForm, Incident, "Incident pendant le séjour", "Incident enregistré.",
                        "recorded_by", incident_pk)


@require_POST
@capability_required("casework")
def visit_delete(request, pk, visit_pk):
    return _stay_record_delete(request, pk, SiteVisit, visit_pk, "Visite supprimée.")


@require_POST
@capability_required("casework")
def incident_delete(request, pk, incident_pk):
    return _stay_record_delete(request, pk, Incident, incident_pk, "Incident supprimé.")


# --- Lists -----------------------------------------------------------------------------------------

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


def _stays(user):
    return scope(Stay.objects.all(), user, "dossier__structure").select_related(
        "dossier", "dossier__youth", "dossier__structure", "scheme", "host"
    )


@capability_required("read_all")
def stays_in_progress(request):
    today = timezone.localdate()
    queryset = _stays(request.user).filter(dossier__state=State.ABROAD).annotate(
        visit_count=Count("visits", distinct=True), incident_count=Count("incidents", distinct=True)
    ).order_by("planned_end", "departure_date")
    return _stay_list(request, queryset, "departures/stays_in_progress.html", {"today": today})


@capability_required("read_all")
def upcoming_departures(request):
    """Accepted dossiers and signed contracts: the departures to come, soonest first."""
    from dossiers.models import Dossier

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


# --- Host organisations ----------------------------------------------------------------------------

@capability_required("read_all")
def host_list(request):
    form = HostFilterForm(request.GET or None)
    hosts = HostOrganisation.objects.annotate(hosted=Count("stays", distinct=True))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            hosts = hosts.filter(Q(name__icontains=data["q"]) | Q(town__icontains=data["q"]))
        if data.get("sector"):
            hosts = hosts.filter(sector__icontains=data["sector"])
        if data.get("country"):
            from django_countries import countries

            term = data["country"].strip()
            codes = [code for code, name in countries if fold(term) in fold(name)] + [term.upper()]
            hosts = hosts.filter(country__in=codes)
    context = {"form": form}
    context.update(paginate(request, hosts.order_by("-active", "name")))
    return render(request, "departures/host_list.html", context)


@capability_required("read_all")
def host_detail(request, pk):
    host = get_object_or_404(HostOrganisation, pk=pk)
    stays = _stays(request.user).filter(host=host).order_by("-planned_start", "-departure_date")
    return render(request, "departures/host_detail.html", {"host": host, "stays": stays})


@capability_required("casework")
def host_edit(request, pk=None):
    host = get_object_or_404(HostOrganisation, pk=pk) if pk else HostOrganisation()
    form = HostOrganisationForm(request.POST or None, instance=host)
    if host.pk is None:
        add_token_field(form)  # a new host organisation is created once, however many times it is sent
    if request.method == "POST":
        if form.is_valid():
            try:
                with submitted_once(request, form) as submission:
                    host = form.save()
                    submission.done(host)
            except AlreadySubmitted as duplicate:
                return duplicate.redirect(request, reverse("departures:hosts"))
            messages.success(request, f"Structure d'accueil « {host.name} » enregistrée.")
            return redirect(host)
    title = f"Modifier « {host.name} »" if host.pk else "Nouvelle structure d'accueil"
    return _form_page(request, None, form, title, "Enregistrer",
                      extra={"cancel_url": host.get_absolute_url() if host.pk else reverse("departures:hosts")})


# --- Funding agreements and schemes ----------------------------------------------------------------

def _year(request):
    year = timezone.localdate().year
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = year
    form = YearForm(data)
    scheme = None
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        scheme = form.cleaned_data.get("scheme")
    return form, year, scheme


@capability_required("read_all")
def funding_list(request):
    form, year, scheme = _year(request)
    agreements = FundingAgreement.objects.filter(year=year).select_related("scheme")
    if scheme:
        agreements = agreements.filter(scheme=scheme)
    rows = services.quota_summary(year)
    if scheme:
        rows = [row for row in rows if row.scheme == scheme]
    context = {"form": form, "year": year, "rows": rows, "overruns": None}
    context.update(paginate(request, agreements.order_by("scheme__name", "funder")))
    from .models import QuotaOverrun

    context["overruns"] = QuotaOverrun.objects.filter(year=year).select_related("dossier__youth", "scheme", "confirmed_by")
    return render(request, "departures/funding_list.html", context)


@capability_required("manage_schemes")
def funding_edit(request, pk=None):
    agreement = get_object_or_404(FundingAgreement, pk=pk) if pk else FundingAgreement()
    form = FundingAgreementForm(request.POST or None, instance=agreement)
    if agreement.pk is None:
        add_token_field(form)  # a new agreement is created once, however many times it is sent
    if request.method == "POST":
        if form.is_valid():
            try:
                with submitted_once(request, form) as submission:
                    agreement = form.save()
                    submission.done(url=reverse("departures:funding") + f"?year={agreement.year}")
            except AlreadySubmitted as duplicate:
                return duplicate.redirect(request, reverse("departures:funding"))
            messages.success(request, "Convention de financement enregistrée.")
            return redirect(reverse("departures:funding") + f"?year={agreement.year}")
    title = "Modifier la convention de financement" if agreement.pk else "Nouvelle convention de financement"
    return _form_page(request, None, form, title, "Enregistrer", extra={
        "cancel_url": reverse("departures:funding"), "delete_url": _delete_url(agreement),
        "delete_question": "Supprimer définitivement cette convention de financement ?",
    })


def _delete_url(agreement):
    if agreement.pk:
        return reverse("departures:funding_delete", args=[agreement.pk])
    return ""


@require_POST
@capability_required("manage_schemes")
def funding_delete(request, pk):
    agreement = get_object_or_404(FundingAgreement, pk=pk)
    year = agreement.year
    agreement.delete()
    messages.success(request, "Convention de financement supprimée.")
    return redirect(reverse("departures:funding") + f"?year={year}")


@capability_required("read_all")
def scheme_list(request):
    schemes = Scheme.objects.annotate(
        dossier_count=Count("dossiers", distinct=True),
    ).order_by("-active", "name")
    q = request.GET.get("q", "").strip()
    if q:
        schemes = schemes.filter(name__icontains=q)
    context = {"q": q, "has_checklist": _has_checklist()}
    context.update(paginate(request, schemes))
    return render(request, "departures/scheme_list.html", context)


def _has_checklist():
    try:
        from dossiers.models import DocumentType  # noqa: F401
    except ImportError:
        return False
    return True


@capability_required("manage_schemes")
def scheme_edit(request, pk=None):
    scheme = get_object_or_404(Scheme, pk=pk) if pk else Scheme()
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST":
        if form.is_valid():
            scheme = form.save()
            messages.success(request, f"Dispositif « {scheme.name} » enregistré.")
            return redirect("departures:schemes")
    title = f"Modifier le dispositif « {scheme.name} »" if scheme.pk else "Nouveau dispositif"
    checklist = scheme.document_types.all() if scheme.pk and hasattr(scheme, "document_types") else None
    return _form_page(request, None, form, title, "Enregistrer",
                      extra={"cancel_url": reverse("departures:schemes"), "checklist": checklist, "scheme": scheme})
