"""Ambassador pages: the search, registering the young person's consent, their page (details, participations,
invitation to speak), the withdrawal by staff on their word or by themselves in their space."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from ipm.access import capability_required, has_capability
from ipm.lists import paginate
from ipm.parsing import parse_id
from referrals.models import Meeting
from space import services as space_services

from .. import invitations, services
from ..forms import AmbassadorCreateForm, AmbassadorForm, AmbassadorSearchForm, PresenceForm, SpeakerForm, WithdrawForm
from ..models import Ambassador, SpeakerInvitation
from ..rules import NetworkError


def sees_contact(user, ambassador):
    """Platform staff always see an ambassador's email and phone; a manager or the counsellor of their
    structure only when staff shared them (``contact_shared``, with the young person's agreement)."""
    return has_capability(user, "casework") or ambassador.contact_shared


def _upcoming_meetings():
    return Meeting.objects.filter(date__gte=timezone.localdate(), cancelled_at__isnull=True).order_by("date", "start_time")


@capability_required("ambassadors")
def ambassador_list(request):
    form = AmbassadorSearchForm(request.GET or None)
    qs = Ambassador.objects.visible_to(request.user).active().select_related(
        "youth", "dossier__structure", "dossier__scheme", "dossier__stay__scheme")
    if form.is_valid():
        data = form.cleaned_data
        qs = services.search(qs, destination=data["destination"], scheme=data["scheme"],
                             department=data["department"], structure=data["structure"], text=data["q"])
    context = {"form": form, "total": qs.count()}
    context.update(paginate(request, qs))
    return render(request, "network/ambassador_list.html", context)


@capability_required("casework")
def ambassador_create(request):
    dossiers = Dossier.objects.visible_to(request.user)
    initial = {"dossier": parse_id(request.GET.get("dossier")), "consent_on": timezone.localdate()}
    form = AmbassadorCreateForm(request.POST or None, dossiers=dossiers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ambassador = services.make_ambassador(
                data["dossier"], request.user, data["consent_on"], availability=data["availability"],
                months=data["months"], preferred_contact=data["preferred_contact"],
                contact_shared=data["contact_shared"])
        except NetworkError as error:
            form.add_error("dossier", str(error))
        else:
            messages.success(request, f"{ambassador} est ambassadeur ou ambassadrice du réseau.")
            return redirect(ambassador)
    return render(request, "network/ambassador_form.html", {"form": form, "ambassador": None},
                  status=400 if form.errors else 200)


def _visible(request, pk):
    return Ambassador.objects.visible_to(request.user).select_related(
        "youth", "dossier__structure", "dossier__scheme", "dossier__stay__scheme").get_visible(request.user, pk=pk)


@capability_required("ambassadors")
def ambassador_detail(request, pk, speaker_form=None):
    ambassador = _visible(request, pk)
    upcoming, past = services.participations(ambassador)
    return render(request, "network/ambassador_detail.html", {
        "ambassador": ambassador, "upcoming": upcoming, "past": past,
        "sees_contact": sees_contact(request.user, ambassador),
        "dossier_visible": Dossier.objects.visible_to(request.user).filter(pk=ambassador.dossier_id).exists(),
        "speaker_form": speaker_form or SpeakerForm(meetings=_upcoming_meetings()),
        "presence_choices": PresenceForm.base_fields["status"].choices,
    }, status=400 if speaker_form is not None else 200)


@capability_required("casework")
def ambassador_edit(request, pk):
    ambassador = _visible(request, pk)
    form = AmbassadorForm(request.POST or None, instance=ambassador)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les informations de l'ambassadeur sont enregistrées.")
        return redirect(ambassador)
    return render(request, "network/ambassador_form.html", {"form": form, "ambassador": ambassador},
                  status=400 if form.errors else 200)


@capability_required("casework")
def ambassador_withdraw(request, pk):
    """Staff record the withdrawal the young person asked for (asks first)."""
    ambassador = _visible(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(ambassador, request.user, form.cleaned_data["note"])
        except NetworkError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"L'accord de {ambassador} est retiré : il ou elle n'apparaît plus dans les recherches.")
        return redirect("network:ambassador_list")
    return render(request, "network/ambassador_withdraw.html", {"ambassador": ambassador, "form": form})


@require_POST
@capability_required("casework")
def ambassador_speak(request, pk):
    ambassador = _visible(request, pk)
    form = SpeakerForm(request.POST, meetings=_upcoming_meetings())
    if not form.is_valid():
        return ambassador_detail(request, pk, speaker_form=form)
    result = invitations.invite_speakers(form.cleaned_data["meeting"], [ambassador], request.user)
    if result.invited:
        messages.success(request, f"{ambassador} est invité(e) à intervenir ; le courriel et l'invitation pour "
                                  "l'agenda partent.")
    for _guest, reason in result.skipped:
        messages.warning(request, f"Invitation non envoyée : {reason}.")
    return redirect(ambassador)


@require_POST
@capability_required("casework")
def speaker_presence(request, pk):
    speaker = SpeakerInvitation.objects.filter(
        ambassador__in=Ambassador.objects.visible_to(request.user)).filter(pk=pk).first()
    if speaker is None:
        raise Http404
    form = PresenceForm(request.POST)
    if form.is_valid():
        invitations.record_presence(speaker, form.cleaned_data["status"])
        messages.success(request, "Présence enregistrée.")
    else:
        messages.error(request, "Choisissez une présence.")
    return redirect(speaker.ambassador)


@capability_required("own_space")
def youth_withdraw(request):
    """The young person withdraws their own agreement from their space (asks first)."""
    youth = space_services.youth_of(request.user)
    ambassador = Ambassador.objects.active().filter(youth=youth).first()
    if ambassador is None:
        raise Http404
    if request.method == "POST":
        services.withdraw(ambassador, request.user, "Retiré par le jeune depuis son espace")
        messages.success(request, "C'est noté : vous n'êtes plus ambassadeur. Merci pour votre engagement !")
        return redirect("space:home")
    return render(request, "network/youth_withdraw.html", {"ambassador": ambassador})
