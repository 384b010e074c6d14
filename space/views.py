"""The young person's space (/espace/): signing in by link, their to-do list, pieces, meetings and
contract. Every page but the two sign-in pages is for the « Jeune » role only, and every object is
looked up among that young person's own rows (another id is a 404)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dossiers import services as dossier_services
from dossiers.enums import DocumentStatus
from dossiers.models import Dossier
from dossiers.workflow import ACTIVE_STATES
from followup.calls import FollowUpError, record_youth_answer
from ipm.access import capability_required
from privacy import own_data
from referrals import calendar
from referrals.meeting_enums import Attendance
from ipm.lists import paginate
from ipm.uploads import serve_file

from . import services, todo
from .forms import (
    AcceptContractForm, AnswerForm, FollowUpAnswerForm, HandleRectificationForm, LinkRequestForm, PieceForm,
    RectificationForm,
)
from .models import RectificationRequest, RectificationStatus

def limited_note():
    """Past the link limit: plain words, what to do, and whom to call."""
    minutes = max(1, settings.IPM_SPACE_LINK_WINDOW // 60)
    return (f"Trop de demandes en peu de temps. Réessayez dans {minutes} minutes, ou appelez la plateforme"
            f"{' au ' + settings.IPM_PLATFORM_PHONE if settings.IPM_PLATFORM_PHONE else ''}. "
            "Le dernier lien reçu reste valable 30 minutes.")


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


# --- Signing in -----------------------------------------------------------------------------------------


def sign_in(request):
    """Ask for a link with the email or phone on file: the same answer whether it is known or not."""
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    answered = limited = False
    if request.method == "POST" and form.is_valid():
        limited = not services.request_link(form.cleaned_data["address"], client_ip(request))
        answered = True
        form = LinkRequestForm()
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "space/sign_in.html", {
        "form": form, "answered": answered, "limited": limited, "same_answer": services.SAME_ANSWER,
        "limited_note": limited_note(),
    }, status=status)


def link(request):
    """The link of the email or SMS. Opening it shows one button; pressing it signs in. (Mail
    scanners open links on their own: a link used up by a GET would be spent before the young person
    clicks.)"""
    token = request.POST.get("sesame") if request.method == "POST" else request.GET.get("sesame")
    if request.method == "POST" and token:
        user = authenticate(request, sesame=token)
        if user is not None and getattr(user, "youth_account", None) is not None:
            login(request, user)  # updates the last login date: the link is now spent
            # Inactivity: with SESSION_SAVE_EVERY_REQUEST, each request pushes the end back by this much.
            request.session.set_expiry(settings.IPM_SPACE_IDLE_SECONDS)
            return redirect("space:home")
        return render(request, "space/link.html", {"expired": True}, status=410)
    return render(request, "space/link.html", {"token": token or "", "expired": not token},
                  status=200 if token else 410)


# --- The space ------------------------------------------------------------------------------------------


def _own_dossier(request, pk):
    youth = services.youth_of(request.user)
    return get_object_or_404(services.dossiers_of(youth), pk=pk)


@capability_required("own_space")
def home(request):
    youth = services.youth_of(request.user)
    dossiers = list(services.dossiers_of(youth))
    return render(request, "space/home.html", {
        "youth": youth, "items": todo.todo(youth), "dossiers": dossiers,
        "invitations": [i for i in services.invitations_of(youth) if services.can_answer(i)],
    })


@capability_required("own_space")
def dossier(request, pk):
    dossier = _own_dossier(request, pk)
    youth = dossier.youth
    return render(request, "space/dossier.html", {
        "youth": youth, "dossier": dossier, "completeness": dossier_services.completeness(dossier),
        "contract": services.latest_contract(dossier),
        "items": [item for item in todo.todo(youth) if item.dossier_id == dossier.pk],
    })


def _piece_rows(dossier, forms=None):
    forms = forms or {}
    can_send = dossier.state in ACTIVE_STATES
    rows = []
    for line in dossier_services.completeness(dossier).lines:
        type_id = line.document_type.pk
        sendable = can_send and line.status != DocumentStatus.VALIDATED
        form = (forms.get(type_id) or PieceForm(prefix=f"piece{type_id}")) if sendable else None
        if form is not None:
            form.fields["file"].label = f"Fichier « {line.document_type.name} »"
        rows.append({"line": line, "form": form})
    return rows


@capability_required("own_space")
def pieces(request, pk):
    dossier = _own_dossier(request, pk)
    return render(request, "space/pieces.html", {"dossier": dossier, "rows": _piece_rows(dossier)})


@require_POST
@capability_required("own_space")
def piece_upload(request, pk, type_pk):
    dossier = _own_dossier(request, pk)
    document_type = get_object_or_404(dossier_services.checklist_types(dossier.scheme), pk=type_pk)
    form = PieceForm(request.POST, request.FILES, prefix=f"piece{type_pk}")
    existing = dossier.documents.filter(document_type=document_type).first()
    if dossier.state not in ACTIVE_STATES or (existing and existing.status == DocumentStatus.VALIDATED):
        form.add_error(None, "Cette pièce ne peut plus être changée ici : parlez-en à votre conseiller.")
    elif form.is_valid():
        try:
            dossier_services.upload_document(dossier, document_type, form.cleaned_data["file"], request.user)
        except dossier_services.ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Merci ! « {document_type.name} » est bien reçue : l'équipe va la vérifier.")
            return redirect("space:pieces", pk=dossier.pk)
    return render(request, "space/pieces.html", {
        "dossier": dossier, "rows": _piece_rows(dossier, {type_pk: form}), "failed": form,
    }, status=400)


@capability_required("own_space")
def meeting(request, invitation_pk):
    youth = services.youth_of(request.user)
    invitation = get_object_or_404(services.invitations_of(youth), pk=invitation_pk)
    answer = services.answer_of(invitation)
    form = AnswerForm(request.POST if request.method == "POST" else None, initial={"answer": answer.answer, "reason": answer.reason} if answer else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_invitation(invitation, form.cleaned_data["answer"], form.cleaned_data["reason"])
            except services.SpaceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Merci, votre réponse est enregistrée : l'équipe la voit tout de suite.")
                return redirect("space:home")
        status = 400
    return render(request, "space/meeting.html", {
        "invitation": invitation, "meeting": invitation.meeting, "answer": answer, "form": form,
        "open": services.can_answer(invitation),
    }, status=status)


@capability_required("own_space")
def meeting_ics(request, invitation_pk):
    """The young person's invitation for their agenda: the same calendar entry (UID) as the email's, a
    cancel once the invitation is withdrawn."""
    youth = services.youth_of(request.user)
    invitation = get_object_or_404(services.invitations_of(youth).select_related(
        "dossier__youth", "dossier__referring_counsellor"), pk=invitation_pk)
    method = "CANCEL" if invitation.status == Attendance.WITHDRAWN else "REQUEST"
    response = HttpResponse(calendar.build_invitation(invitation, method), content_type=calendar.content_type(method))
    response["Content-Disposition"] = f'attachment; filename="{calendar.FILENAME}"'
    return response


@capability_required("own_space")
def contract(request, pk):
    dossier = _own_dossier(request, pk)
    contract = services.latest_contract(dossier)
    if contract is None:
        return render(request, "space/contract.html", {"dossier": dossier, "contract": None})
    acceptance = services.accepted(contract)
    form = AcceptContractForm(request.POST if request.method == "POST" else None, contract=contract)
    status = 200
    if request.method == "POST":
        if acceptance is None and form.is_valid():
            try:
                services.accept_contract(contract, request.user, client_ip(request),
                                         request.META.get("HTTP_USER_AGENT", ""))
            except services.SpaceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"C'est fait : vous avez accepté le contrat version {contract.version}.")
                return redirect("space:contract", pk=dossier.pk)
        status = 400
    return render(request, "space/contract.html", {
        "dossier": dossier, "contract": contract, "acceptance": acceptance, "form": form,
    }, status=status)


@capability_required("own_space")
def contract_pdf(request, pk, version):
    dossier = _own_dossier(request, pk)
    contract = get_object_or_404(dossier.contracts.select_related("online_acceptance"), version=version)
    acceptance = services.accepted(contract)
    if acceptance is not None and acceptance.pdf:  # the copy kept, with its acceptance page
        return serve_file(acceptance.pdf, f"contrat-v{contract.version}-accepte.pdf")
    return serve_file(contract.pdf, f"contrat-v{contract.version}.pdf")


@capability_required("own_space")
def followup(request, call_pk):
    """« Où en êtes-vous ? » for one month, recorded as the personal link records it (no token: the young
    person is signed in)."""
    youth = services.youth_of(request.user)
    call = get_object_or_404(services.calls_of(youth), pk=call_pk)
    form = FollowUpAnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and services.can_answer_call(call):
        if form.is_valid():
            try:
                record_youth_answer(call, **form.cleaned_data)
            except FollowUpError as exc:  # recorded meanwhile (a second click, or the counsellor's call)
                messages.info(request, str(exc))
            else:
                messages.success(request, "Merci ! Votre réponse est transmise à votre conseiller.")
            return redirect("space:home")
        status = 400
    return render(request, "space/followup.html", {
        "call": call, "form": form, "open": services.can_answer_call(call), "youth": youth,
    }, status=status)


@capability_required("own_space")
def my_data(request):
    """« Mes données »: download everything held about me; ask for a correction; my requests."""
    youth = services.youth_of(request.user)
    form = RectificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_rectification(youth, form.cleaned_data["wrong"], form.cleaned_data["correct"])
        except services.SpaceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Merci, votre demande est envoyée : l'équipe vous répond ici, en général sous un mois.")
            return redirect("space:my_data")
    return render(request, "space/my_data.html", {
        "youth": youth, "form": form, "requests": services.rectifications_of(youth).select_related("handled_by"),
    }, status=400 if form.errors else 200)


@capability_required("own_space")
def my_data_export(request, fmt):
    """The young person's own copy (privacy.own_data): without the team's notes and the sensitive items."""
    if fmt not in ("pdf", "json"):
        raise Http404("Format inconnu.")
    youth = services.youth_of(request.user)
    content = own_data.export(youth, request.user, fmt)
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else "application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{timezone.localdate():%Y%m%d}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Staff: send the link from the dossier page; the copy of a contract accepted online ------------------


@capability_required("read_all", "submit_referral")
def accepted_contract_pdf(request, pk, version):
    """The contract version with its acceptance page (the copy kept), for those who read the contract."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    contract = get_object_or_404(dossier.contracts.select_related("online_acceptance"), version=version)
    acceptance = services.accepted(contract)
    if acceptance is None:
        raise Http404("Cette version du contrat n'a pas été acceptée en ligne.")
    return serve_file(acceptance.pdf, f"contrat-{dossier.youth.last_name}-v{version}-accepte.pdf")


@require_POST
@capability_required("casework")
def send_link(request, pk):
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    channel = services.send_link(dossier.youth)
    if channel is None:
        messages.error(request, "Aucun courriel ni téléphone n'est connu pour ce jeune : ajoutez-en un pour lui "
                                "envoyer son lien.")
    else:
        where = dossier.youth.email if channel == "email" else dossier.youth.phone
        messages.success(request, f"Lien de connexion à son espace envoyé à {where} (valable 30 minutes).")
    return redirect(dossier.get_absolute_url())


@capability_required("casework")
def rectifications(request):
    """Staff's work list: the young people's rectification requests, those to handle first."""
    show = "traitees" if request.GET.get("vue") == "traitees" else "a_traiter"
    rows = RectificationRequest.objects.select_related("youth", "handled_by").prefetch_related("youth__dossiers")
    open_rows = rows.filter(status=RectificationStatus.OPEN)
    listed = open_rows.order_by("created_at", "pk") if show == "a_traiter" else \
        rows.filter(status=RectificationStatus.HANDLED).order_by("-handled_at", "-pk")
    context = {"show": show, "open_count": open_rows.count(), "form": HandleRectificationForm()}
    context.update(paginate(request, listed))
    return render(request, "space/rectifications.html", context)


@require_POST
@capability_required("casework")
def rectification_handle(request, pk):
    row = get_object_or_404(RectificationRequest.objects.select_related("youth"), pk=pk)
    form = HandleRectificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rien n'a été enregistré : " + " ".join(form.errors.get("note", [])))
    else:
        try:
            services.handle_rectification(row, request.user, form.cleaned_data["note"])
        except services.SpaceError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, f"Demande de {row.youth} marquée traitée : le jeune voit votre réponse dans son espace.")
    return redirect("space:rectifications")
