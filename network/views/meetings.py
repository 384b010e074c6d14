"""Network meetings: list, create/edit/delete/cancel, the page with its invitations (users and ambassadors,
by email with the calendar file), attendance, and the minutes as PDF."""
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipm.access import capability_required
from ipm.lists import paginate
from ipm.pdf import html_to_pdf
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.uploads import safe_filename

from .. import invitations
from ..enums import Presence
from ..forms import InviteGuestsForm, NetworkMeetingForm, PresenceForm
from ..models import NetworkMeeting


@capability_required("read_all")
def meeting_list(request):
    qs = NetworkMeeting.objects.annotate(
        invited=Count("invitations"), present=Count("invitations", filter=Q(invitations__status=Presence.PRESENT)),
    ).order_by("-date", "-start_time")
    context = {"today": timezone.localdate()}
    context.update(paginate(request, qs))
    return render(request, "network/meeting_list.html", context)


@capability_required("casework")
def meeting_edit(request, pk=None):
    meeting = get_object_or_404(NetworkMeeting, pk=pk) if pk else None
    before = invitations.schedule_of(meeting) if meeting else None
    form = NetworkMeetingForm(request.POST or None, instance=meeting)
    if meeting is None:
        add_token_field(form)  # created once, however many times the form is sent
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as submission:
                meeting = form.save(commit=False)
                if meeting.created_by_id is None:
                    meeting.created_by = request.user
                meeting.save()
                moved = invitations.network_meeting_saved(meeting, before)  # the guests' calendars follow
                submission.done(meeting)
        except AlreadySubmitted as duplicate:
            return duplicate.redirect(request, reverse("network:meeting_list"))
        messages.success(request, "La réunion du réseau est enregistrée." + (
            f" {moved} invité(s) prévenu(s) du nouvel horaire, avec l'invitation mise à jour." if moved else ""))
        return redirect(meeting)
    return render(request, "network/meeting_form.html", {"form": form, "meeting": meeting},
                  status=400 if form.errors else 200)


@capability_required("read_all")
def meeting_detail(request, pk, invite_form=None):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    return render(request, "network/meeting_detail.html", {
        "meeting": meeting,
        "invitations": meeting.invitations.select_related("user__structure", "ambassador__youth"),
        "invite_form": invite_form or InviteGuestsForm(),
        "presence_choices": Presence.choices, "today": timezone.localdate(),
    }, status=400 if invite_form is not None else 200)


@require_POST
@capability_required("casework")
def meeting_invite(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    if meeting.is_cancelled:
        messages.error(request, "La réunion est annulée : plus personne ne peut y être invité.")
        return redirect(meeting)
    form = InviteGuestsForm(request.POST)
    if not form.is_valid():
        return meeting_detail(request, pk, invite_form=form)
    done = invitations.invite_users(meeting, form.cleaned_data["users"], request.user)
    by_ambassadors = invitations.invite_ambassadors(meeting, form.cleaned_data["ambassadors"], request.user)
    count = len(done.invited) + len(by_ambassadors.invited)
    if count:
        messages.success(request, f"{count} invitation(s) envoyée(s) par courriel, avec l'invitation pour l'agenda.")
    for guest, reason in done.skipped + by_ambassadors.skipped:
        messages.warning(request, f"{guest} : {reason}.")
    return redirect(meeting)


@require_POST
@capability_required("casework")
def meeting_attendance(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    if meeting.is_cancelled:
        messages.error(request, "La réunion est annulée : il n'y a pas de présence à noter.")
        return redirect(meeting)
    changed = 0
    for invitation in meeting.invitations.all():
        form = PresenceForm({"status": request.POST.get(f"presence-{invitation.pk}", "")})
        if form.is_valid() and form.cleaned_data["status"] != invitation.status:
            invitations.record_presence(invitation, form.cleaned_data["status"])
            changed += 1
    messages.success(request, f"Présences enregistrées ({changed} modifiée(s)).")
    return redirect(meeting)


@capability_required("casework")
def meeting_delete(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    if request.method == "POST":
        meeting.delete()
        messages.success(request, "La réunion du réseau est supprimée.")
        return redirect("network:meeting_list")
    return render(request, "network/confirm_delete.html", {
        "title": f"Supprimer la réunion « {meeting} » ?", "back": meeting.get_absolute_url(),
        "text": f"Ses {meeting.invitations.count()} invitation(s) et son compte rendu seront supprimés.",
    })


@capability_required("casework")
def meeting_cancel(request, pk):
    """« Annuler la réunion »: the page says how many guests will be told; the POST cancels (once: a second
    one changes nothing) and sends each guest the calendar's cancel."""
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    if meeting.is_cancelled:
        cancelled_on = timezone.localtime(meeting.cancelled_at)
        messages.info(request, f"Cette réunion est déjà annulée (le {cancelled_on:%d/%m/%Y}).")
        return redirect(meeting)
    if meeting.date < timezone.localdate():
        messages.error(request, "Cette réunion a déjà eu lieu : elle ne peut plus être annulée.")
        return redirect(meeting)
    if request.method == "POST":
        cancelled, told = invitations.cancel_meeting(meeting, request.user)
        if cancelled:
            messages.success(request, f"La réunion est annulée ; {told} invité(s) prévenu(s) par courriel, avec "
                                      "l'annulation pour leur agenda.")
        else:
            messages.info(request, "Cette réunion était déjà annulée : rien n'a été envoyé de nouveau.")
        return redirect(meeting)
    return render(request, "network/meeting_cancel.html", {
        "meeting": meeting, "told": len(invitations.to_tell_of_cancel(meeting))})


@capability_required("read_all")
def meeting_minutes(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    present = meeting.invitations.filter(status=Presence.PRESENT).select_related("user__structure", "ambassador__youth")
    html = render_to_string("network/minutes_pdf.html", {"meeting": meeting, "present": present,
                                                          "excused": meeting.invitations.filter(status=Presence.EXCUSED)})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = safe_filename(f"compte-rendu-reseau-{meeting.date:%Y-%m-%d}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
