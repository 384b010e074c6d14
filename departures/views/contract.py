"""The contract of a dossier: generation (a new version each time), signature, the signed copy and the
downloads."""
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from ipm.access import capability_required
from ipm.uploads import StorageUnavailable, serve_file

from .. import services
from ..forms import ScanForm, SignatureForm
from ..models import Contract
from .common import form_page, run_service, visible_dossier


@require_POST
@capability_required("casework")
def contract_generate(request, pk):
    dossier = visible_dossier(request, pk)
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
    except (services.DepartureError, StorageUnavailable) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Contrat généré (version {contract.version}). Les versions précédentes restent disponibles.")
        if contract.copayment_created:
            messages.info(request, f"Aucune participation n'était enregistrée : la participation habituelle du dispositif "
                                   f"({contract.copayment_amount:.2f} €) a été enregistrée et figure au contrat. "
                                   "Modifiez-la sur la page « Participation » puis régénérez le contrat si besoin.")
    return redirect(dossier)


@capability_required("read_all", "submit_referral")
def contract_pdf(request, pk, version):
    dossier = visible_dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    return serve_file(contract.pdf, f"contrat-{dossier.youth.last_name}-v{version}.pdf")


@capability_required("read_all", "submit_referral")
def contract_scan(request, pk, version):
    dossier = visible_dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    ext = contract.signed_scan.name.rsplit(".", 1)[-1] if contract.signed_scan else "pdf"
    return serve_file(contract.signed_scan, f"contrat-signe-{dossier.youth.last_name}-v{version}.{ext}")


@capability_required("casework")
def contract_sign(request, pk):
    dossier = visible_dossier(request, pk)
    latest = dossier.contracts.order_by("-version").first()
    form = SignatureForm(request.POST or None, request.FILES or None, dossier=dossier)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                response = run_service(
                    request, dossier,
                    lambda: services.sign_contract(dossier, request.user, form.cleaned_data["signed_on"],
                                                   form.cleaned_data["scan"]),
                    "Signature du contrat enregistrée : dossier « contrat signé ».",
                )
            except StorageUnavailable as exc:
                form.add_error("scan", exc.message)
                status = 400
            else:
                if response:
                    return response
    intro = (f"La signature porte sur la dernière version du contrat (version {latest.version}, "
             f"générée le {timezone.localtime(latest.generated_at):%d/%m/%Y}).") if latest else \
        "Aucun contrat n'a encore été généré : générez-le d'abord depuis le dossier."
    return form_page(request, dossier, form, "Signature du contrat", "Enregistrer la signature", intro=intro,
                     multipart=True, status=status)


@capability_required("casework")
def contract_scan_upload(request, pk, version):
    dossier = visible_dossier(request, pk)
    contract = get_object_or_404(Contract, dossier=dossier, version=version)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attach_signed_scan(contract, form.cleaned_data["scan"])
            except StorageUnavailable as exc:
                form.add_error("scan", exc.message)
                return form_page(request, dossier, form, f"Copie signée du contrat (version {version})",
                                 "Déposer la copie", multipart=True, status=400)
            messages.success(request, f"Copie signée du contrat (version {version}) ajoutée.")
            return redirect(dossier)
    return form_page(request, dossier, form, f"Copie signée du contrat (version {version})", "Déposer la copie", multipart=True)
