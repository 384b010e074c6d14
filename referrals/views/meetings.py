"""Meeting pages: list, create/edit, detail with invitations and attendance, bulk invite, .ics file."""
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from dossiers.workflow import TransitionError
from ipm.access import capability_required, has_capability
from ipm.lists import paginate
from ipm.parsing import parse_id, parse_ids, safe_next
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once

from .. import calendar, meetings
from ..meeting_enums import ATTENDANCE_CHOICES, SEAT_HOLDING, Attendance
from ..meeting_forms import MeetingFilterForm, MeetingForm
from ..models import Invitation, Meeting


def upcoming_meetings(kinds=None):
    qs = Meeting.objects.filter(date__gte=timezone.localdate()).annotate(
        taken=Count("invitations", filter=Q(invitations__status__in=SEAT_HOLDING))
    ).order_by("date", "start_time")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


@capability_required("casework", "read_all")
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None)
    qs = Meeting.objects.select_related("facilitator").annotate(
        taken=Count("invitations", filter=Q(invitations__status__in=SEAT_HOLDING)),
        present=Count("invitations", filter=Q(invitations__status=Attendance.PRESENT)),
    )
    when = "a_venir"
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        when = form.cleaned_data["when"] or "a_venir"
    today = timezone.localdate()
    if when == "a_venir":
        qs = qs.filter(date__gte=today).order_by("date", "start_time")
    elif when == "passees":
        qs = qs.filter(date__lt=today).order_by("-date", "-start_time")
    else:
        qs = qs.order_by("-date", "-start_time")
    context = {"form": form}
    context.update(paginate(request, qs))
    return render(request, "referrals/meetings/meeting_list.html", context)


@capability_required("casework")
def meeting_edit(request, pk=None):
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    before = meetings.schedule_of(meeting) if meeting else None  # the form changes the instance
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if meeting is None:
        add_token_field(form)  # a new meeting is created once, however many times the form is sent
    if request.method == "POST":
        if form.is_valid():
            try:
                with submitted_once(request, form) as submission:
                    meeting = form.save(commit=False)
                    if meeting.pk is None:
                        meeting.created_by = request.user
                    meeting.save()
                    moved = meetings.meeting_saved(meeting, before)  # tells those invited the new time
                    submission.done(meeting)
            except AlreadySubmitted as duplicate:
                return duplicate.redirect(request, reverse("referrals:meeting_list"))
            messages.success(request, f"Réunion enregistrée : {meeting}."
                             + (f" {moved} jeune(s) invité(s) prévenu(s) du nouvel horaire." if moved else ""))
            return redirect(meeting)
        messages.error(request, "La réunion n'a pas été enregistrée : corrigez les champs signalés en rouge.")
    return render(request, "referrals/meetings/meeting_form.html", {"form": form, "meeting": meeting})


@capability_required("casework", "read_all")
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("facilitator", "scheme"), pk=pk)
    invitations = (
        Invitation.objects.filter(meeting=meeting, dossier__in=Dossier.objects.visible_to(request.user))
        .select_related("dossier__youth", "dossier__structure", "dossier__referring_counsellor", "youth_answer")
        .order_by("dossier__youth__last_name", "dossier__youth__first_name")
    )
    return render(request, "referrals/meetings/meeting_detail.html", {
        "meeting": meeting, "invitations": invitations, "attendance_choices": ATTENDANCE_CHOICES,
        "staff": has_capability(request.user, "casework"), "moves_wheel": meetings.moves_wheel(meeting),
    })


@require_POST
@capability_required("casework")
def meeting_delete(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if meeting.invitations.exists():
        messages.error(request, "Des jeunes sont invités à cette réunion : elle ne peut pas être supprimée.")
        return redirect(meeting)
    meeting.delete()
    messages.success(request, "Réunion supprimée.")
    return redirect("referrals:meeting_list")


@require_POST
@capability_required("casework")
def meeting_cancel(request, pk):
    """« Annuler la réunion » (confirmed on the page first): the invitations are withdrawn and each young
    person invited and their counsellor are told."""
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        told = meetings.cancel_meeting(meeting, request.user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Réunion annulée ; {told} invitation(s) retirée(s), les jeunes et leurs conseillers sont prévenus.")
    return redirect(meeting)


@require_POST
@capability_required("casework")
def attendance(request, pk):
    """Save the attendance of every invitation listed on the meeting page (one radio group each)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    invitations = Invitation.objects.filter(meeting=meeting, dossier__in=Dossier.objects.visible_to(request.user))
    changed = 0
    errors = []
    for invitation in invitations.select_related("dossier__youth"):
        value = request.POST.get(f"presence_{invitation.pk}")
        if not value or value == invitation.status or value not in dict(ATTENDANCE_CHOICES):
            continue
        try:
            meetings.record_attendance(invitation, value, request.user)
        except TransitionError as exc:
            errors.append(f"{invitation.dossier.youth} : {exc}")
        else:
            changed += 1
    for error in errors:
        messages.error(request, error)
    if changed:
        messages.success(request, f"Présences enregistrées ({changed} modification{'s' if changed > 1 else ''}).")
    elif not errors:
        messages.info(request, "Aucune modification des présences.")
    return redirect(meeting)


@require_POST
@capability_required("casework")
def invite(request):
    """Bulk invitation from the inbox or the "to invite" work list (checkboxes + a meeting)."""
    meeting_id = parse_id(request.POST.get("meeting"))
    meeting = Meeting.objects.filter(pk=meeting_id).first() if meeting_id else None
    back = safe_next(request, request.POST.get("next"), "dossiers:inbox")
    if meeting is None:
        messages.error(request, "Choisissez la réunion à laquelle inviter les jeunes cochés.")
        return redirect(back)
    ids = parse_ids(request.POST.getlist("dossiers"))
    dossiers = list(Dossier.objects.visible_to(request.user).filter(pk__in=ids).select_related("youth"))
    if not dossiers:
        messages.error(request, "Cochez au moins un jeune à inviter.")
        return redirect(back)
    result = meetings.invite(meeting, dossiers, request.user)
    if result.invited:
        count = len(result.invited)
        youths = {dossier.pk: dossier.youth for dossier in dossiers}
        messages.success(
            request,
            f"{count} jeune{'s' if count > 1 else ''} invité{'s' if count > 1 else ''} à : {meeting} "
            f"({', '.join(sorted(str(youths[invitation.dossier_id]) for invitation in result.invited))}). "
            "Les invitations partent par courriel (copie au conseiller prescripteur).",
        )
    for dossier, reason in result.skipped:
        messages.warning(request, f"{dossier.youth} non invité : {reason}.")
    return redirect(back)


def calendar_file(content, filename, method):
    response = HttpResponse(content, content_type=calendar.content_type(method))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@capability_required("casework", "read_all")
def meeting_ics(request, pk):
    """The meeting for the staff's own agenda (no attendee)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    return calendar_file(calendar.build_meeting(meeting), f"reunion-{meeting.pk}.ics", "PUBLISH")


def _visible_invitation(request, pk):
    return get_object_or_404(
        Invitation.objects.filter(dossier__in=Dossier.objects.visible_to(request.user))
        .select_related("meeting", "dossier__youth", "dossier__referring_counsellor"), pk=pk)


@capability_required("casework", "read_all")
def invitation_ics(request, pk):
    """One young person's invitation, the same calendar entry (UID) as their email: a request, or the
    cancel once withdrawn."""
    invitation = _visible_invitation(request, pk)
    method = "CANCEL" if invitation.status == Attendance.WITHDRAWN else "REQUEST"
    return calendar_file(calendar.build_invitation(invitation, method), calendar.FILENAME, method)


@require_POST
@capability_required("casework")
def invitation_withdraw(request, pk):
    """« Retirer l'invitation » (confirmed on the page first): the young person and their counsellor are told,
    with the calendar's cancel."""
    invitation = _visible_invitation(request, pk)
    try:
        meetings.withdraw_invitation(invitation, request.user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Invitation de {invitation.dossier.youth} retirée ; le jeune et son conseiller sont prévenus.")
    return redirect(invitation.meeting)
