"""The API's endpoints (``/api/v1/``): a structure's information system sends a fiche de liaison and reads
its own fiches with the step of their dossier. Every call is logged (``models.ApiCall``)."""
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ipm.parsing import parse_id

from . import serializers
from .authentication import HasStructureToken, StructureTokenAuthentication, TokenRateThrottle, log_call
from .fiches import EXTERNAL_FIELD, KEY_FIELD, Refused, clean_external_id, fiche_payload, fiches_of, receive

HTTPS_ONLY = "L'API n'accepte que les connexions HTTPS."


class Page(PageNumberPagination):
    page_size = 50


class StructureApiView(APIView):
    """Token of a structure, HTTPS in production, throttled per token, every call logged."""

    authentication_classes = [StructureTokenAuthentication]
    permission_classes = [HasStructureToken]
    throttle_classes = [TokenRateThrottle]

    def initial(self, request, *args, **kwargs):
        if settings.IPM_API_HTTPS_ONLY and not request.is_secure():
            raise exceptions.PermissionDenied(HTTPS_ONLY)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        log_call(request, response, referral_id=getattr(response, "referral_id", None))
        return response


def _refused(refused):
    return Response({"errors": refused.errors}, status=refused.status)


@extend_schema(tags=["fiches"])
class FicheList(StructureApiView):
    @extend_schema(
        summary="Les fiches de la structure", parameters=[
            OpenApiParameter("page", int, description="Page (50 fiches)"),
            OpenApiParameter(EXTERNAL_FIELD, str, description="Les seules fiches du jeune qui a cet identifiant dans "
                                                              "le système de la structure"),
        ],
        responses={200: serializers.Fiche(many=True), 400: OpenApiResponse(serializers.Errors, "Identifiant invalide")},
    )
    def get(self, request):
        external_id = None
        if EXTERNAL_FIELD in request.query_params:
            try:
                external_id = clean_external_id(request.query_params[EXTERNAL_FIELD])
            except Refused as refused:
                return _refused(refused)
            if not external_id:
                return _refused(Refused({EXTERNAL_FIELD: ["Indiquez l'identifiant du jeune dans votre système."]}))
        paginator = Page()
        page = paginator.paginate_queryset(fiches_of(request.auth.structure, external_id), request, view=self)
        return paginator.get_paginated_response([fiche_payload(referral) for referral in page])

    @extend_schema(
        summary="Envoyer une fiche de liaison", request=serializers.FicheInput,
        parameters=[OpenApiParameter(KEY_FIELD, str, OpenApiParameter.HEADER,
                                     description="Une clé par fiche (un UUID) : un nouvel envoi avec la même clé "
                                                 "rend la même réponse sans créer de seconde fiche.")],
        responses={201: serializers.FicheCreated, 400: OpenApiResponse(serializers.Errors, "Fiche refusée"),
                   422: OpenApiResponse(serializers.Errors, "Clé d'idempotence déjà utilisée pour une autre fiche")},
    )
    def post(self, request):
        try:
            raw = request.body
        except RequestDataTooBig:
            return _refused(Refused({"__all__": ["Le contenu est trop volumineux."]}, status=413))
        try:
            status, payload, referral = receive(request.auth, raw, request.headers)
        except Refused as refused:
            return _refused(refused)
        response = Response(payload, status=status)
        response.referral_id = referral.pk
        return response


@extend_schema(tags=["fiches"])
class FicheDetail(StructureApiView):
    @extend_schema(summary="Une fiche de la structure et l'étape de son dossier",
                   responses={200: serializers.Fiche, 404: OpenApiResponse(description="Fiche inconnue de la structure")})
    def get(self, request, id):  # noqa: A002 (the name in the schema)
        number = parse_id(id)
        referral = fiches_of(request.auth.structure).filter(pk=number).first() if number else None
        if referral is None:
            raise Http404
        response = Response(fiche_payload(referral))
        response.referral_id = referral.pk
        return response
