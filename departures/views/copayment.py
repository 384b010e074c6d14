"""The co-payment of a dossier: the amount due, the payments and the waiver."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from ipm.access import capability_required
from ipm.locking import StaleDossier, add_version_field, versioned_save
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once

from .. import services
from ..forms import CoPaymentForm, PaymentForm, WaiverForm
from ..models import CoPayment
from .common import visible_dossier


@capability_required("casework")
def copayment(request, pk):
    """The co-payment page: amount due, payments, balance, waiver; three small forms posting here."""
    dossier = visible_dossier(request, pk)
    current = CoPayment.objects.filter(dossier=dossier).first()
    default_due = current.amount_due if current else (dossier.scheme.default_copayment if dossier.scheme else 0)
    amount_form = add_version_field(CoPaymentForm(initial={"amount_due": default_due}), dossier)
    payment_form = add_token_field(PaymentForm())
    waiver_form = add_version_field(WaiverForm(), dossier)
    here = reverse("departures:copayment", args=[dossier.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "amount":
            amount_form = add_version_field(CoPaymentForm(request.POST), dossier)
            if amount_form.is_valid():
                try:
                    with versioned_save(request, amount_form, dossier):
                        services.set_copayment(dossier, amount_form.cleaned_data["amount_due"])
                except StaleDossier:
                    pass
                else:
                    messages.success(request, "Montant de la participation enregistré.")
                    return redirect(here)
        elif action == "payment":
            payment_form = add_token_field(PaymentForm(request.POST))
            if payment_form.is_valid():
                data = {k: v for k, v in payment_form.cleaned_data.items() if k != "submission_token"}
                try:
                    with submitted_once(request, payment_form) as submission:
                        services.record_payment(dossier, request.user, **data)
                        submission.done(url=here)
                except AlreadySubmitted as duplicate:
                    return duplicate.redirect(request, here)
                messages.success(request, "Paiement enregistré.")
                return redirect(here)
        elif action == "waive":
            waiver_form = add_version_field(WaiverForm(request.POST), dossier)
            if waiver_form.is_valid():
                try:
                    with versioned_save(request, waiver_form, dossier):
                        services.waive_copayment(dossier, request.user, waiver_form.cleaned_data["reason"])
                except StaleDossier:
                    pass
                else:
                    messages.success(request, "Dispense de participation enregistrée.")
                    return redirect(here)
        elif action == "cancel_waiver":
            services.cancel_waiver(dossier)
            messages.success(request, "Dispense annulée : la participation est de nouveau due.")
            return redirect(here)
    return render(request, "departures/copayment.html", {
        "dossier": dossier, "youth": dossier.youth, "copayment": current,
        "payments": current.payments.select_related("recorded_by") if current else [],
        "amount_form": amount_form, "payment_form": payment_form, "waiver_form": waiver_form,
    })
