"""The fiches de liaison (create, edit, delete a draft, send to the platform) and « Mes jeunes »."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from dossiers.queries import filter_dossiers, list_queryset, newest_first
from ipm.access import capability_required, has_capability
from ipm.lists import paginate
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from space.counsellor import annotate_progress

from ..enums import ReferralStatus
from ..forms import DossierFilterForm, ReferralForm
from ..models import Referral
from ..services import ATTACHED, RETURNING, ReferralError, find_youth, open_dossier_of, submit_referral


def _save_referral(request, referral):
    submitting = request.POST.get("action") == "submit"
    form = ReferralForm(request.POST, instance=referral, submitting=submitting,
                        choose_structure=request.user.structure_id is None, structure=request.user.structure)
    if referral.pk is None:
        add_token_field(form)  # a fiche created from scratch is created once, however many times it is sent
    if not form.is_valid():
        return render(request, "referrals/referral_form.html", {"form": form, "referral": referral}, status=200)
    try:
        return _create_or_update(request, form, submitting)
    except AlreadySubmitted as duplicate:
        return duplicate.redirect(request, reverse("referrals:my_youths"))


def _create_or_update(request, form, submitting):
    with submitted_once(request, form) as submission:
        referral = form.save(commit=False)
        if "structure" in form.cleaned_data:
            referral.structure = form.cleaned_data["structure"]
        elif referral.pk is None:
            referral.structure = request.user.structure
        if referral.pk is None:
            referral.counsellor = request.user
        referral.save()
        for warning in form.warnings:
            messages.warning(request, warning)
        if not submitting:
            messages.success(request, "Brouillon enregistré. Vous pourrez compléter et envoyer la fiche plus tard depuis « Mes jeunes ».")
            submission.done(url=reverse("referrals:edit", args=[referral.pk]))
            return redirect("referrals:edit", pk=referral.pk)
        submission.done(url=reverse("referrals:my_youths"))
        try:
            dossier, outcome = submit_referral(referral, request.user)
        except ReferralError as exc:
            messages.error(request, str(exc))
            return redirect("referrals:my_youths")
    if outcome == ATTACHED:
        messages.success(request, "Fiche envoyée à la plateforme.")
        messages.info(request, open_dossier_notice(request.user, dossier, sent=True))
    else:
        messages.success(request, f"Fiche envoyée à la plateforme : {dossier.youth} apparaît dans « Mes jeunes ».")
    if outcome == RETURNING:
        messages.info(request, "Ce jeune était déjà connu de la plateforme : son nouveau dossier est rattaché à son historique.")
    return redirect("referrals:my_youths")


def open_dossier_notice(user, dossier, sent=False):
    """« Ce jeune a déjà un dossier en cours (étape : …) », with a link to it when ``user`` may see it."""
    tail = " : votre fiche y a été rattachée." if sent else " : la fiche y sera rattachée, aucun nouveau dossier ne sera ouvert."
    if Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists():
        return format_html('Ce jeune a déjà un <a href="{}">dossier en cours</a> (étape : {}){}',
                           dossier.get_absolute_url(), dossier.state_label, tail)
    return format_html("Ce jeune a déjà un dossier en cours (étape : {}){}", dossier.state_label, tail)


@capability_required("submit_referral")
def referral_create(request):
    if request.method == "POST":
        return _save_referral(request, Referral())
    form = add_token_field(ReferralForm(choose_structure=request.user.structure_id is None,
                                              structure=request.user.structure))
    return render(request, "referrals/referral_form.html", {"form": form, "referral": None})


@capability_required("submit_referral")
def referral_edit(request, pk):
    referral = Referral.objects.get_visible(request.user, pk=pk)
    if referral.status != ReferralStatus.DRAFT:
        return redirect(referral.get_absolute_url())
    if request.method == "POST":
        return _save_referral(request, referral)
    form = ReferralForm(instance=referral, choose_structure=request.user.structure_id is None,
                        structure=request.user.structure)
    known = open_notice = None
    if referral.birth_date and referral.first_name:
        known = find_youth(referral.last_name, referral.first_name, referral.birth_date)
        open_dossier = open_dossier_of(known)
        if open_dossier is not None:
            open_notice = open_dossier_notice(request.user, open_dossier)
    return render(request, "referrals/referral_form.html",
                  {"form": form, "referral": referral, "known_youth": known, "open_dossier_notice": open_notice})


@require_POST
@capability_required("submit_referral")
def referral_delete(request, pk):
    referral = Referral.objects.get_visible(request.user, pk=pk, status=ReferralStatus.DRAFT)
    referral.delete()
    messages.success(request, "Brouillon supprimé.")
    return redirect("referrals:my_youths")


@capability_required("submit_referral")
def my_youths(request):
    """A counsellor's young people: the dossiers of their structure, and their fiches still in draft."""
    form = DossierFilterForm(request.GET or None, with_structure=False)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    dossiers = filter_dossiers(Dossier.objects.visible_to(request.user), data)
    if request.GET.get("mine") == "1":
        dossiers = dossiers.filter(referring_counsellor=request.user)
    drafts = Referral.objects.visible_to(request.user).filter(status=ReferralStatus.DRAFT).order_by("-updated_at")
    context = {"form": form, "drafts": drafts, "mine": request.GET.get("mine") == "1"}
    one_structure = not has_capability(request.user, "read_all")
    context.update(paginate(request, newest_first(list_queryset(dossiers), data, one_structure=one_structure)))
    context["object_list"] = annotate_progress(context["object_list"])  # pieces, contract, follow-up
    return render(request, "referrals/my_youths.html", context)
