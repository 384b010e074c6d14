"""Parrainage pages: the pairs (a counsellor: those of their structure's candidates), forming a pair, a
pair's page with its meetings and their reports (« fiches de restitution »), ending a pair (« Binôme
terminé »: no more meetings then)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dossiers.models import Dossier
from ipm.access import capability_required
from ipm.lists import paginate
from ipm.parsing import parse_id
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once

from .. import services
from ..forms import PairingEndForm, PairingForm, PairMeetingForm
from ..models import PairMeeting, Pairing
from ..rules import NetworkError


@capability_required("pairing", "read_all")
def pairing_list(request):
    qs = Pairing.objects.visible_to(request.user).select_related(
        "candidate__youth", "candidate__structure", "sponsor__youth").prefetch_related("meetings")
    context = {"total": qs.count(), "active": qs.active_on(timezone.localdate()).count()}
    context.update(paginate(request, qs))
    return render(request, "network/pairing_list.html", context)


@capability_required("pairing")
def pairing_create(request):
    dossiers = Dossier.objects.visible_to(request.user)
    initial = {"candidate": parse_id(request.GET.get("candidat")), "sponsor": parse_id(request.GET.get("parrain")),
               "started_on": timezone.localdate()}
    form = PairingForm(request.POST or None, dossiers=dossiers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.make_pairing(data["candidate"], data["sponsor"], request.user, data["started_on"])
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le binôme est formé.")
            return redirect(pairing)
    return render(request, "network/pairing_form.html", {"form": form}, status=400 if form.errors else 200)


def _visible_pairing(request, pk):
    return Pairing.objects.select_related("candidate__youth", "candidate__structure", "sponsor__youth",
                                          "sponsor__structure", "ended_by").get_visible(request.user, pk=pk)


@capability_required("pairing", "read_all")
def pairing_detail(request, pk):
    pairing = _visible_pairing(request, pk)
    visible = set(Dossier.objects.visible_to(request.user).filter(
        pk__in=[pairing.candidate_id, pairing.sponsor_id]).values_list("pk", flat=True))
    return render(request, "network/pairing_detail.html", {
        "pairing": pairing, "meetings": pairing.meetings.select_related("recorded_by"), "visible": visible,
    })


@capability_required("pairing")
def pairing_end(request, pk):
    """« Binôme terminé »: the date of the end (asked, then confirmed by the button)."""
    pairing = _visible_pairing(request, pk)
    if pairing.ended_on is not None:
        messages.info(request, f"Ce binôme est déjà terminé (le {pairing.ended_on:%d/%m/%Y}).")
        return redirect(pairing)
    form = PairingEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_pairing(pairing, request.user, form.cleaned_data["ended_on"])
        except NetworkError as error:
            form.add_error("ended_on", str(error))
        else:
            messages.success(request, "Le binôme est terminé : aucune rencontre ne peut plus y être saisie.")
            return redirect(pairing)
    return render(request, "network/pairing_end.html", {"form": form, "pairing": pairing},
                  status=400 if form.errors else 200)


@capability_required("pairing")
def pair_meeting_add(request, pk):
    pairing = _visible_pairing(request, pk)
    if problem := services.ended_error(pairing):
        messages.error(request, problem)
        return redirect(pairing)
    form = PairMeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    add_token_field(form)  # recorded once, however many times the form is sent
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(request, form) as submission:
                submission.done(services.record_pair_meeting(pairing, request.user, data["date"], data["place"],
                                                             data["report"]))
        except AlreadySubmitted:
            return redirect(pairing)
        except NetworkError as error:
            form.add_error("date", str(error))
        else:
            messages.success(request, "La rencontre et sa fiche de restitution sont enregistrées.")
            return redirect(pairing)
    return render(request, "network/pair_meeting_form.html", {"form": form, "pairing": pairing},
                  status=400 if form.errors else 200)


@capability_required("pairing")
def pair_meeting_delete(request, pk, meeting_pk):
    pairing = _visible_pairing(request, pk)
    meeting = get_object_or_404(PairMeeting, pk=meeting_pk, pairing=pairing)
    if request.method == "POST":
        meeting.delete()
        messages.success(request, "La rencontre est supprimée.")
        return redirect(pairing)
    return render(request, "network/confirm_delete.html", {
        "title": f"Supprimer la rencontre du {meeting.date:%d/%m/%Y} ?", "back": pairing.get_absolute_url(),
        "text": "La rencontre et sa fiche de restitution seront supprimées.",
    })
