"""The commission's acceptance of a dossier, with the quota check."""
from django.contrib import messages
from django.shortcuts import redirect

from ipm.access import capability_required

from .. import services
from ..forms import AcceptForm
from .common import form_page, visible_dossier


@capability_required("casework")
def accept(request, pk):
    dossier = visible_dossier(request, pk)
    row = services.quota_for(dossier.scheme) if dossier.scheme_id else None
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_dossier(
                dossier, request.user, form.cleaned_data["comment"], form.cleaned_data["confirm_over_quota"]
            )
        except services.QuotaExceeded as exc:
            messages.warning(request, str(exc))
            row = exc.row
        except services.DepartureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Dossier accepté par la commission.")
            return redirect(dossier)
    return form_page(
        request, dossier, form, "Décision de la commission : accepter", "Accepter le dossier",
        extra={"quota_row": row},
    )
