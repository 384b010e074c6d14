"""The screens of the questionnaires and surveys.

- The young person (role « Jeune »), in their space: answer a questionnaire or survey of their own
  dossier (another one is a 404; any other role is refused, as in the space), once.
- Staff: enter the answers given on the phone or on paper from the dossier page, see a response, the
  call list of unanswered surveys, and a questionnaire as it stands (read-only; managers edit it in
  the Django admin).
"""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dossiers.models import Dossier
from ipm.access import capability_required, has_capability
from space import services as space_services

from . import schedule, services
from .enums import HORIZON_MONTHS, Horizon
from .forms import AnswerForm
from .models import Questionnaire, Survey


# --- The young person -------------------------------------------------------------------------------------


def _own_survey(request, pk):
    youth = space_services.youth_of(request.user)
    return get_object_or_404(Survey.objects.select_related("dossier__youth", "version")
                             .filter(dossier__youth=youth, due_date__lte=timezone.localdate()), pk=pk)


@capability_required("own_space")
def answer(request, pk):
    """The questionnaire (or survey) in the young person's space: answered once."""
    survey = _own_survey(request, pk)
    if survey.answered or not services.can_receive(survey.dossier):
        return render(request, "surveys/answered.html", {"survey": survey})
    form = AnswerForm(request.POST if request.method == "POST" else None, survey=survey)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_response(survey, form.answers(), **form.survey_fields())
            except services.SurveyError as exc:
                if getattr(exc, "errors", None):
                    form.add_service_errors(exc.errors)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, "Merci ! Vos réponses sont bien enregistrées.")
                return redirect("space:home")
        status = 400
    return render(request, "surveys/answer.html", {"survey": survey, "form": form}, status=status)


# --- Staff ------------------------------------------------------------------------------------------------


def _entry_due(dossier, horizon):
    """The due date of a horizon for staff entry, or None when it cannot be answered yet."""
    stay = getattr(dossier, "stay", None)
    if stay is None or stay.return_date is None:
        return None
    if horizon == Horizon.RETURN:
        return stay.review_date or stay.return_date
    due = schedule.add_months(stay.return_date, HORIZON_MONTHS[horizon])
    return due if due <= timezone.localdate() else None


@capability_required("casework")
def staff_entry(request, pk, horizon):
    """Enter the answers given on the phone or on paper (marked as such). Showing the form writes
    nothing; the survey is recorded with its answers."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    if horizon not in Horizon.values:
        raise Http404("Questionnaire inconnu.")
    due = _entry_due(dossier, horizon)
    survey = Survey.objects.filter(dossier=dossier, horizon=horizon).select_related("version").first()
    if survey is None and due is not None and services.can_receive(dossier):
        version = services.current_version_for(dossier.scheme) if horizon == Horizon.RETURN else None
        if version is not None or horizon != Horizon.RETURN:
            survey = Survey(dossier=dossier, horizon=horizon, due_date=due, version=version)
    if survey is None:
        messages.error(request, "Ce questionnaire ne peut pas encore être saisi pour ce dossier.")
        return redirect(dossier.get_absolute_url())
    if survey.pk is not None and survey.answered:
        messages.info(request, "Ce questionnaire a déjà reçu une réponse : on n'y répond qu'une fois.")
        return redirect("surveys:response", pk=survey.pk)
    form = AnswerForm(request.POST if request.method == "POST" else None, survey=survey, staff=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if survey.pk is None:
                    survey = services.open_survey(dossier, horizon, due)
                services.record_response(survey, form.answers(), source=form.cleaned_data["source"],
                                         user=request.user, **form.survey_fields())
            except services.SurveyError as exc:
                if getattr(exc, "errors", None):
                    form.add_service_errors(exc.errors)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, f"Réponses enregistrées : {survey.get_horizon_display().lower()}.")
                return redirect(dossier.get_absolute_url())
        status = 400
    return render(request, "surveys/staff_entry.html", {"survey": survey, "dossier": dossier, "form": form},
                  status=status)


@capability_required("read_all", "submit_referral")
def response_detail(request, pk):
    dossiers = Dossier.objects.visible_to(request.user)
    survey = get_object_or_404(Survey.objects.select_related("dossier__youth", "response__entered_by",
                                                             "response__version"), pk=pk, dossier__in=dossiers)
    if not survey.answered:
        raise Http404("Pas encore de réponse.")
    response = survey.response
    given = {}
    for answer in response.answers.all():
        given.setdefault(answer.item_code, []).append(answer.text or answer.value)
    sections = []
    for section in response.version.sections() if response.version else []:
        rows = []
        for item in section["items"]:
            labels = dict(tuple(o) for o in item["options"])
            rows.append((item["label"], [labels.get(v, v) for v in given.get(item["code"], [])]))
        sections.append((section["title"], rows))
    return render(request, "surveys/response.html", {"survey": survey, "response": response, "sections": sections})


@capability_required("casework")
def call_list(request):
    """Unanswered questionnaires and surveys two weeks after they fell due: staff call the young people."""
    surveys = Survey.objects.filter(pk__in=schedule.call_list().values("pk"), dossier__in=Dossier.objects.visible_to(request.user))
    return render(request, "surveys/call_list.html", {
        "surveys": surveys.select_related("dossier__youth", "dossier__platform_counsellor").order_by("due_date", "pk"),
        "days": schedule.CALL_LIST_DAYS,
        "questionnaires": Questionnaire.objects.all(),
    })


@capability_required("read_all")
def questionnaire_detail(request, pk):
    """A questionnaire as given (its current version, or ``?version=N``), read-only."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    versions = list(questionnaire.versions.order_by("-number"))
    if not versions:
        raise Http404("Ce questionnaire n'a pas encore de version.")
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), versions[0])
    return render(request, "surveys/questionnaire.html", {
        "questionnaire": questionnaire, "version": version, "versions": versions,
        "can_edit": has_capability(request.user, "manage_schemes"),
    })
