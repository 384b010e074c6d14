from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipm.access import capability_required
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.uploads import StorageUnavailable

from . import cache as report_cache
from . import erasmus, evaluation, jobs, legacy, renderers, reports, tasks
from .enums import ImportStatus
from .forms import ErasmusExportForm, ImportUploadForm, ReportFilterForm
from .models import ImportJob

# Files up to this size are checked and imported during the request; larger ones by the Celery worker,
# the page showing the progress.
SYNC_MAX_BYTES = settings.IPM_IMPORT_SYNC_MAX_BYTES


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required("reports")
def index(request):
    catalogue = [(name, title, reports.REPORT_SUMMARIES[name]) for name, title in reports.REPORT_TITLES.items()]
    return render(request, "reporting/index.html", {"catalogue": catalogue})


def _form(request, name):
    if name not in reports.REPORTS:
        raise Http404("Rapport inconnu.")
    return ReportFilterForm(request.GET or None, user=request.user, report=name)


@capability_required("reports")
def report_page(request, name):
    form = _form(request, name)
    report, flagged = None, 0
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        # The figures of these filters for this viewer's scope, counted from the current data (reporting/cache.py).
        report, flagged = report_cache.page_figures(name, filters, lambda: reports.build(name, filters))
    return render(request, "reporting/report.html", {
        "form": form, "report": report, "name": name, "title": reports.REPORT_TITLES.get(name, ""),
        "query": request.GET.urlencode(), "formats": renderers.FORMAT_LABELS.items(), "flagged": flagged,
    })


@capability_required("reports")
def report_download(request, name, fmt):
    if fmt not in renderers.FORMATS:
        raise Http404("Format inconnu.")
    form = _form(request, name)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Corrigez les filtres avant de télécharger le rapport.")
        return redirect(f"{reverse('reporting:report', args=[name])}?{request.GET.urlencode()}")
    filters = form.filters()

    def render():
        report = reports.build(name, filters)
        return renderers.filename(report, fmt), renderers.render(report, fmt, request)

    # The file of these filters, for this viewer's scope, counted from the current data (reporting/cache.py).
    filename, content = report_cache.get_or_render(name, fmt, filters, render)
    return _download(content, renderers.CONTENT_TYPES[fmt], filename)


@capability_required("reports")
def evaluation_export(request):
    """The FEJ-style evaluation workbook: beneficiaries, outcomes at 6, 12 and 36 months, satisfaction."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    if request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid()):
        filters = form.filters()
        return _download(evaluation.workbook(filters), renderers.CONTENT_TYPES["xlsx"], evaluation.filename(filters))
    return render(request, "reporting/evaluation.html", {"form": form, "sheets": [s[0] for s in evaluation.SHEETS]})


@capability_required("read_all")
def erasmus_export(request):
    """The agreement's pre-checks (in French, with links to fix), then the file as XLSX or CSV."""
    form = ErasmusExportForm(request.GET or None)
    context = {"form": form, "columns": erasmus.COLUMNS, "template_version": erasmus.TEMPLATE_VERSION}
    if form.is_bound and form.is_valid():
        agreement = form.cleaned_data["agreement"]
        stays, problems, platform = erasmus.prepare(agreement)
        fmt = request.GET.get("format", "")
        if fmt in ("xlsx", "csv"):
            if problems and not request.GET.get("anyway"):
                messages.error(request, "Corrigez d'abord les problèmes listés : l'import les refuserait.")
            else:
                content = erasmus.export(agreement, fmt, stays, platform)
                return _download(content, renderers.CONTENT_TYPES[fmt], erasmus.filename(agreement, fmt))
        context.update(agreement=agreement, stays=stays, problems=problems, query=request.GET.urlencode())
    return render(request, "reporting/erasmus.html", context)


# --- legacy import ---------------------------------------------------------------------------------

@capability_required("import")
def import_upload(request):
    form = add_token_field(ImportUploadForm(request.POST or None, request.FILES or None))
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # The job is recorded first, then its work is run or queued: a broker that cannot take it leaves
        # the job « en attente » (the sweep queues it), never an error page. A disk that cannot take the
        # file gives a French message on the form. The form's one-time token makes a second sending of
        # the same page (double click, « renvoyer ») lead to the first job rather than record another.
        try:
            with submitted_once(request, form) as submission:
                job = ImportJob.objects.create(file=upload, original_name=upload.name, created_by=request.user)
                submission.done(job)
        except AlreadySubmitted as duplicate:
            return duplicate.redirect(request, reverse("reporting:import"))
        except StorageUnavailable as exc:
            form.add_error("file", exc.message)
            status = 400
        else:
            if upload.size <= SYNC_MAX_BYTES:
                tasks.run_safely(tasks.check_job, job.pk)
            else:
                transaction.on_commit(lambda: jobs.enqueue(job.pk, jobs.CHECK_TASK))
            return redirect(job)
    recent = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "reporting/import_upload.html", {
        "form": form, "jobs": recent, "columns": legacy.COLUMNS, "required": legacy.REQUIRED_COLUMNS,
    }, status=status)


@capability_required("import")
def import_template(request, fmt):
    if fmt == "csv":
        return _download(legacy.template_csv(), renderers.CONTENT_TYPES["csv"], "modele-import-historique.csv")
    if fmt == "xlsx":
        return _download(legacy.template_xlsx(), renderers.CONTENT_TYPES["xlsx"], "modele-import-historique.xlsx")
    raise Http404("Format inconnu.")


@capability_required("import")
def import_detail(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "reporting/import_detail.html", {"job": job, "statuses": ImportStatus})


@capability_required("import")
def import_progress(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    response = render(request, "reporting/_import_progress.html", {"job": job, "statuses": ImportStatus})
    if job.settled and request.headers.get("HX-Request"):
        # Reload the whole page once the work is over (summary, errors, buttons).
        response["HX-Refresh"] = "true"
    return response


@require_POST
@capability_required("import")
def import_confirm(request, pk):
    with transaction.atomic():
        job = get_object_or_404(ImportJob.objects.select_for_update(), pk=pk)
        if job.status != ImportStatus.CHECKED:
            messages.error(request, "Ce fichier n'est pas prêt à être importé (déjà importé, refusé ou en cours).")
            return redirect(job)
        job.status, job.processed_rows, job.queued, job.status_changed_at = ImportStatus.QUEUED, 0, False, timezone.now()
        job.save(update_fields=["status", "processed_rows", "queued", "status_changed_at"])
    if job.file.size <= SYNC_MAX_BYTES:
        status = tasks.run_safely(tasks.import_job, job.pk)
        if status == ImportStatus.DONE:
            messages.success(request, "Historique importé.")
        elif status == ImportStatus.FAILED:
            messages.error(request, "L'import a échoué : rien n'a été enregistré.")
        else:
            messages.error(request, "L'import a été refusé : rien n'a été enregistré.")
    else:
        transaction.on_commit(lambda: jobs.enqueue(job.pk, jobs.IMPORT_TASK))
        messages.info(request, "Import lancé : la progression s'affiche ci-dessous.")
    return redirect(job)
