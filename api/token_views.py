"""The page where managers and administrators create a structure's API token (its key shown once), see
the tokens and revoke one after confirmation."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ipm.access import capability_required
from ipm.parsing import parse_id
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once

from .forms import TokenForm
from .models import ApiToken
from .tokens import create_token, revoke


@capability_required("manage_api_tokens")
def token_list(request):
    tokens = ApiToken.objects.select_related("structure", "counsellor", "created_by", "revoked_by")
    return render(request, "api/token_list.html", {"tokens": tokens})


@capability_required("manage_api_tokens")
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = add_token_field(TokenForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as submission:
                data = form.cleaned_data
                token, key = create_token(structure=data["structure"], name=data["name"],
                                          counsellor=data["counsellor"], created_by=request.user)
                submission.done(url=reverse("api:tokens"))
        except AlreadySubmitted as duplicate:
            return duplicate.redirect(request, "api:tokens")
        return render(request, "api/token_created.html", {"token": token, "key": key})
    return render(request, "api/token_form.html", {"form": form}, status=200)


@capability_required("manage_api_tokens")
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("structure"), pk=parse_id(pk) or 0)
    if request.method == "POST":
        revoke(token, request.user)
        messages.success(request, f"Le jeton « {token.name} » de {token.structure} est révoqué : "
                                  "les appels avec sa clé sont désormais refusés.")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
