from django.contrib import messages
from django.core import signing
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipm.access import capability_required, scope
from ipm.locking import StaleDossier, add_version_field, versioned_save
from ipm.lists import paginate
from ipm.parsing import safe_next
from ipm.text import fold

from .calls import FollowUpError, call_from_token, close_followup, record_call, record_youth_answer
from .outbox import SECRET_KINDS, resend
from .enums import MessageStatus
from .forms import CallFilterForm, CallForm, MessageFilterForm, YouthAnswerForm
from .models import FollowUpCall, SentMessage, max_attempts
from dossiers.models import Dossier


def visible_calls(user):
    return scope(FollowUpCall.objects.all(), user, "dossier__structure")


# The tab the list opens on: what needs doing now.
DEFAULT_VIEW = "a_faire"


@capability_required("casework")
def call_list(request):
    """Calls to make (overdue and due today together, the oldest first: the list opens there), due
    today, overdue, flagged unreachable, done — for the platform counsellors."""
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("view", DEFAULT_VIEW)
    if "counsellor" not in data and visible_calls(request.user).filter(assigned_to=request.user).exists():
        data["counsellor"] = "moi"
    form = CallFilterForm(data)
    form.is_valid()
    filters = form.cleaned_data if form.is_valid() else {"view": DEFAULT_VIEW}
    calls = visible_calls(request.user).select_related("dossier__youth", "dossier__structure", "assigned_to")
    counsellor = filters.get("counsellor")
    if counsellor == "moi":
        calls = calls.filter(assigned_to=request.user)
    elif counsellor == "aucun":
        calls = calls.filter(assigned_to__isnull=True)
    elif counsellor:
        calls = calls.filter(assigned_to_id=counsellor)
    for word in fold(filters.get("q") or "").split():
        calls = calls.filter(dossier__youth__search_name__contains=word)
    open_calls = calls.filter(done_at__isnull=True)
    counts = open_calls.aggregate(
        a_faire=Count("pk", filter=Q(due_date__lte=today)),
        aujourdhui=Count("pk", filter=Q(due_date=today)),
        retard=Count("pk", filter=Q(due_date__lt=today)),
        injoignables=Count("pk", filter=Q(attempts__gte=max_attempts())),
        ouverts=Count("pk"),
    )
    view = filters.get("view") or DEFAULT_VIEW
    if view == "a_faire":
        shown = open_calls.filter(due_date__lte=today).order_by("due_date", "dossier__youth__last_name", "pk")
    elif view == "aujourdhui":
        shown = open_calls.filter(due_date=today).order_by("dossier__youth__last_name")
    elif view == "retard":
        shown = open_calls.filter(due_date__lt=today).order_by("due_date", "dossier__youth__last_name")
    elif view == "injoignables":
        shown = open_calls.filter(attempts__gte=max_attempts()).order_by("due_date")
    elif view == "realises":
        shown = calls.filter(done_at__isnull=False).order_by("-done_at")
    else:
        shown = open_calls.order_by("due_date", "dossier__youth__last_name")
    context = {"form": form, "view": view, "counts": counts, "today": today, "max_attempts": max_attempts(),
               "failed_messages": SentMessage.objects.filter(status=MessageStatus.FAILED).count()}
    context.update(paginate(request, shown))
    return render(request, "followup/call_list.html", context)


@capability_required("casework")
def call_record(request, pk):
    """Record a contact: reached or not, situation, employer or training, notes."""
    call = get_object_or_404(
        visible_calls(request.user).select_related("dossier__youth", "dossier__structure", "assigned_to"), pk=pk
    )
    initial = {"reached": "oui", "situation": call.situation, "employer": call.employer} if call.done_at and call.reached else {}
    form = add_version_field(CallForm(request.POST or None, initial=initial), call.dossier)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with versioned_save(request, form, call.dossier):
                    call, event = record_call(
                        call, request.user, reached=form.is_reached,
                        situation=data["situation"] if form.is_reached else "", employer=data["employer"],
                        notes=data["notes"],
                    )
            except StaleDossier:
                pass
            except FollowUpError as exc:
                messages.error(request, str(exc))
            else:
                youth = call.dossier.youth
                if form.is_reached:
                    messages.success(request, f"Suivi du mois {call.month} de {youth} enregistré.")
                else:
                    messages.info(request, f"Tentative n° {call.attempts} sans réponse enregistrée pour {youth}."
                                  + (" Jeune signalé injoignable." if call.unreachable else ""))
                if event is not None:
                    messages.success(request, f"Suivi à six mois terminé : dossier clos. {event.comment}")
                elif form.is_reached and call.month == 6:
                    messages.warning(request, "Dernier mois de suivi enregistré, mais le dossier n'a pas pu être clos "
                                     f"(étape « {call.dossier.state_label} ») : faites d'abord le bilan de retour.")
                return redirect(safe_next(request, request.POST.get("next"), "followup:calls"))
        else:
            messages.error(request, "Le suivi n'a pas été enregistré : corrigez les champs signalés ci-dessous.")
    history = call.dossier.followup_calls.exclude(pk=call.pk).order_by("month")
    return render(request, "followup/call_record.html", {"call": call, "form": form, "history": history,
                                                         "youth": call.dossier.youth,
                                                         "next": request.GET.get("next", "")})


@require_POST
@capability_required("casework")
def close_dossier(request, pk):
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    try:
        event = close_followup(dossier, request.user)
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier clos. {event.comment}")
    return redirect(dossier)


def answer(request, token):
    """The young person's personal link (no account): answer one month's follow-up."""
    try:
        call = call_from_token(token)
    except signing.SignatureExpired:
        return render(request, "followup/answer_closed.html", {"reason": "expired"}, status=410)
    except (signing.BadSignature, FollowUpCall.DoesNotExist):
        return render(request, "followup/answer_closed.html", {"reason": "invalid"}, status=404)
    if call.done_at is not None:
        return render(request, "followup/answer_closed.html", {"reason": "done", "call": call})
    form = YouthAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_youth_answer(call, **form.cleaned_data)
        except FollowUpError:  # answered (or called) in the meantime, e.g. a second click
            return render(request, "followup/answer_closed.html", {"reason": "done", "call": call})
        return render(request, "followup/answer_closed.html", {"reason": "thanks", "call": call})
    return render(request, "followup/answer.html", {"call": call, "form": form, "youth": call.dossier.youth})


@capability_required("casework")
def message_list(request):
    """Every message the scheduled tasks sent or tried to send; failures first."""
    data = request.GET.copy()
    data.setdefault("status", MessageStatus.FAILED)
    form = MessageFilterForm(data)
    qs = SentMessage.objects.select_related("dossier__youth")
    if form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            qs = qs.filter(recipient__icontains=form.cleaned_data["q"].strip())
    context = {"form": form, "failed_count": SentMessage.objects.filter(status=MessageStatus.FAILED).count(),
               "secret_kinds": sorted(SECRET_KINDS)}
    context.update(paginate(request, qs.order_by("-created_at", "-id")))
    return render(request, "followup/message_list.html", context)


@require_POST
@capability_required("casework")
def message_resend(request, pk):
    # A message carrying a secret link is not kept once failed: the person asks for a new link.
    message = get_object_or_404(SentMessage.objects.exclude(kind__in=SECRET_KINDS), pk=pk, status=MessageStatus.FAILED)
    resend(message)
    messages.success(request, f"Message à {message.recipient} remis en envoi.")
    return redirect("followup:messages")
