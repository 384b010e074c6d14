"""Merging two young people found to be the same person (staff): the candidates of a dossier's young
person, then the two identities side by side, a radio per differing field, a confirmation step saying
what will move, and the merge (``dossiers.merge``)."""
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from followup.models import FollowUpCall, SentMessage
from ipm.access import capability_required
from privacy.rgpd import ANONYMOUS_KEY_PREFIX, is_anonymised
from referrals.models import Referral

from ..merge import MergeError, differing_fields, merge_problem, merge_youths
from ..models import Document, Dossier, Youth


@capability_required("casework")
def youth_merge_search(request, pk):
    """From a dossier: the other young people who may be the same person (same birth date, or same
    names), and a search by name."""
    dossier = Dossier.objects.select_related("youth").get_visible(request.user, pk=pk)
    youth = dossier.youth
    query = request.GET.get("q", "").strip()[:100]
    same = Q(birth_date=youth.birth_date) | Q(search_name=youth.search_name)
    if query:
        same |= Q(search_name__icontains=query.lower())
    candidates = (Youth.objects.visible_to(request.user).filter(same).exclude(pk=youth.pk)
                  .exclude(match_key__startswith=ANONYMOUS_KEY_PREFIX).order_by("last_name", "first_name")[:50])
    return render(request, "dossiers/youth_merge_search.html",
                  {"dossier": dossier, "youth": youth, "candidates": candidates, "q": query})


def _counts(other):
    dossiers = other.dossiers.all()
    return [
        ("dossiers", dossiers.count()),
        ("fiches de liaison", Referral.objects.filter(Q(youth=other) | Q(dossier__in=dossiers)).distinct().count()),
        ("pièces déposées", Document.objects.filter(dossier__in=dossiers).count()),
        ("appels de suivi", FollowUpCall.objects.filter(dossier__in=dossiers).count()),
        ("messages", SentMessage.objects.filter(dossier__in=dossiers).count()),
    ]


@capability_required("casework")
def youth_merge(request, keep, other):
    """GET: both identities side by side; POST step « review »: what will move, to confirm; POST step
    « confirm »: the merge. ``other`` is merged into ``keep`` (then deleted)."""
    visible = Youth.objects.visible_to(request.user)
    keep = get_object_or_404(visible, pk=keep)
    other = get_object_or_404(visible, pk=other)
    rows = differing_fields(keep, other)
    problem = merge_problem(keep, other, is_anonymised)
    take = [field.name for field, _, _ in rows if request.POST.get(field.name) == "other"]
    context = {"keep": keep, "other": other, "rows": rows, "problem": problem, "take": take,
               "back": keep.dossiers.order_by("-pk").first()}
    step = request.POST.get("step") if request.method == "POST" else None
    if problem or step is None:
        return render(request, "dossiers/youth_merge.html", context, status=400 if problem and step else 200)
    if step == "review":
        context.update(confirming=True, counts=_counts(other),
                       chosen=[(field, theirs if field.name in take else mine) for field, mine, theirs in rows])
        return render(request, "dossiers/youth_merge.html", context)
    try:
        moved = merge_youths(keep, other, take, request.user, is_erased=is_anonymised)
    except MergeError as exc:
        context["problem"] = str(exc)
        return render(request, "dossiers/youth_merge.html", context, status=400)
    messages.success(request, f"Jeunes fusionnés : {len(moved)} dossier(s) rattaché(s) à {keep}.")
    target = keep.dossiers.order_by("-pk").first()
    return redirect(target.get_absolute_url() if target else "dossiers:inbox")
