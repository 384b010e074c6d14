"""The consistency checker's page (``/rapports/coherence/``): staff and managers see how many dossiers
break each rule of the wheel, and for one rule the dossiers with the screen that repairs them."""
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dossiers.models import Dossier
from ipm.access import capability_required
from ipm.lists import paginate

from . import consistency


@capability_required("read_all")
def consistency_page(request):
    results = consistency.check()
    chosen = request.GET.get("regle", "")
    by_key = {result.key: result for result in results}
    context = {
        "results": results,
        "chosen": by_key.get(chosen),
        "flagged": len({b.dossier_id for result in results for b in result.breaks}),
    }
    if context["chosen"] is not None:
        result = context["chosen"]
        page = paginate(request, result.breaks)
        names = dict(
            (pk, f"{first} {last}") for pk, first, last in
            Dossier.objects.visible_to(request.user).filter(pk__in=[b.dossier_id for b in page["object_list"]])
            .values_list("pk", "youth__first_name", "youth__last_name")
        )
        rows = []
        for b in page["object_list"]:
            try:
                fix = reverse(result.screen, args=[b.dossier_id])
            except NoReverseMatch:
                fix = reverse("dossiers:detail", args=[b.dossier_id])
            rows.append({"dossier_id": b.dossier_id, "name": names.get(b.dossier_id, ""), "detail": b.detail,
                         "fix": fix})
        context.update(page, rows=rows)
    return render(request, "reporting/consistency.html", context)
